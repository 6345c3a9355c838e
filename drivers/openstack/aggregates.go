package openstack

import (
	"context"
	"strconv"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/aggregates"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/operator"
)

func aggregateOf(a *aggregates.Aggregate) driver.Aggregate {
	out := driver.Aggregate{ID: strconv.Itoa(a.ID), Name: a.Name, AvailabilityZone: a.AvailabilityZone,
		Hosts: a.Hosts, Metadata: a.Metadata, Created: a.CreatedAt, Updated: a.UpdatedAt}
	if out.Hosts == nil {
		out.Hosts = []string{}
	}
	return out
}

// aggregateID parses Nova's integer aggregate id; anything else names no
// aggregate.
func aggregateID(id string) (int, error) {
	n, err := strconv.Atoi(id)
	if err != nil || n < 0 {
		return 0, driver.Errorf(driver.CodeNotFound, "openstack: aggregate %q could not be found (ids are numbers)", clip(id))
	}
	return n, nil
}

func aggrErr(err error, op operator.Operation, id string) error {
	return classify(err, op, operator.KindAggregate, id)
}

// ListAggregates lists the host aggregates.
func (d *Driver) ListAggregates(ctx context.Context) ([]driver.Aggregate, error) {
	var out []driver.Aggregate
	err := aggregates.List(d.compute).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		list, err := aggregates.ExtractAggregates(p)
		if err != nil {
			return false, err
		}
		for i := range list {
			out = append(out, aggregateOf(&list[i]))
		}
		return true, nil
	})
	if err != nil {
		return nil, aggrErr(err, operator.OpAggregates, "")
	}
	return out, nil
}

// GetAggregate returns one aggregate.
func (d *Driver) GetAggregate(ctx context.Context, id string) (driver.Aggregate, error) {
	n, err := aggregateID(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	a, err := aggregates.Get(ctx, d.compute, n).Extract()
	if err != nil {
		return driver.Aggregate{}, aggrErr(err, operator.OpAggregates, id)
	}
	return aggregateOf(a), nil
}

// CreateAggregate creates an aggregate, in an availability zone if named.
func (d *Driver) CreateAggregate(ctx context.Context, spec driver.AggregateSpec) (driver.Aggregate, error) {
	a, err := aggregates.Create(ctx, d.compute, aggregates.CreateOpts{Name: spec.Name, AvailabilityZone: spec.AvailabilityZone}).Extract()
	if err != nil {
		return driver.Aggregate{}, aggrErr(err, operator.OpCreateAggregate, spec.Name)
	}
	return aggregateOf(a), nil
}

// aggregateUpdate is the body of PUT /os-aggregates/{id}: unlike
// gophercloud's UpdateOpts it can take an aggregate out of its zone (null).
type aggregateUpdate driver.AggregateUpdate

func (u aggregateUpdate) ToAggregatesUpdateMap() (map[string]any, error) {
	b := map[string]any{}
	if u.Name != nil {
		b["name"] = *u.Name
	}
	if u.AvailabilityZone != nil {
		b["availability_zone"] = any(*u.AvailabilityZone)
		if *u.AvailabilityZone == "" {
			b["availability_zone"] = nil
		}
	}
	return map[string]any{"aggregate": b}, nil
}

// UpdateAggregate renames an aggregate or changes its zone.
func (d *Driver) UpdateAggregate(ctx context.Context, id string, u driver.AggregateUpdate) (driver.Aggregate, error) {
	n, err := aggregateID(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	a, err := aggregates.Update(ctx, d.compute, n, aggregateUpdate(u)).Extract()
	if err != nil {
		return driver.Aggregate{}, aggrErr(err, operator.OpUpdateAggregate, id)
	}
	return aggregateOf(a), nil
}

// DeleteAggregate deletes an aggregate without hosts.
func (d *Driver) DeleteAggregate(ctx context.Context, id string) error {
	n, err := aggregateID(id)
	if err != nil {
		return err
	}
	return aggrErr(aggregates.Delete(ctx, d.compute, n).ExtractErr(), operator.OpDeleteAggregate, id)
}

// AddAggregateHost adds a host to an aggregate.
func (d *Driver) AddAggregateHost(ctx context.Context, id, host string) (driver.Aggregate, error) {
	n, err := aggregateID(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	a, err := aggregates.AddHost(ctx, d.compute, n, aggregates.AddHostOpts{Host: host}).Extract()
	if err != nil {
		return driver.Aggregate{}, aggrErr(err, operator.OpAddAggregateHost, id)
	}
	return aggregateOf(a), nil
}

// RemoveAggregateHost removes a host from an aggregate.
func (d *Driver) RemoveAggregateHost(ctx context.Context, id, host string) (driver.Aggregate, error) {
	n, err := aggregateID(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	a, err := aggregates.RemoveHost(ctx, d.compute, n, aggregates.RemoveHostOpts{Host: host}).Extract()
	if err != nil {
		return driver.Aggregate{}, aggrErr(err, operator.OpRemoveAggregateHost, id)
	}
	return aggregateOf(a), nil
}

// SetAggregateMetadata sets keys and removes others (a null value) in one
// set_metadata action.
func (d *Driver) SetAggregateMetadata(ctx context.Context, id string, set map[string]string, unset []string) (driver.Aggregate, error) {
	n, err := aggregateID(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	md := make(map[string]any, len(set)+len(unset))
	for k, v := range set {
		md[k] = v
	}
	for _, k := range unset {
		md[k] = nil
	}
	a, err := aggregates.SetMetadata(ctx, d.compute, n, aggregates.SetMetadataOpts{Metadata: md}).Extract()
	if err != nil {
		return driver.Aggregate{}, aggrErr(err, operator.OpSetAggregateMetadata, id)
	}
	return aggregateOf(a), nil
}
