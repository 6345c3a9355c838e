package operator

import (
	"context"
	"maps"
	"slices"

	"github.com/perspective-cloud/sdk/driver"
)

// Aggregate is a named group of hosts with metadata the scheduler reads,
// and optionally an availability zone.
type Aggregate = driver.Aggregate

// AggregateSpec describes an aggregate to create.
type AggregateSpec = driver.AggregateSpec

// AggregateUpdate changes an aggregate: nil fields stay as they are.
type AggregateUpdate = driver.AggregateUpdate

// Aggregates returns every host aggregate.
func (o *Operator) Aggregates(ctx context.Context) ([]Aggregate, error) {
	var a args
	err := o.read(ctx, OpAggregates, KindAggregate, "", &a)
	return a.aggregates, err
}

// Aggregate returns one host aggregate by id.
func (o *Operator) Aggregate(ctx context.Context, id string) (Aggregate, error) {
	if err := validRef(OpAggregates, "id", id); err != nil {
		return Aggregate{}, err
	}
	var a args
	err := o.read(ctx, OpAggregates, KindAggregate, id, &a)
	return a.aggregate, err
}

// CreateAggregate creates a host aggregate, in an availability zone when
// spec names one.
func (o *Operator) CreateAggregate(ctx context.Context, spec AggregateSpec) (Aggregate, error) {
	if err := validRef(OpCreateAggregate, "name", spec.Name); err != nil {
		return Aggregate{}, err
	}
	if err := validValue(OpCreateAggregate, "availabilityZone", spec.AvailabilityZone); err != nil {
		return Aggregate{}, err
	}
	a := args{aggrSpec: spec}
	err := o.call(ctx, OpCreateAggregate, KindAggregate, "", &a)
	return a.aggregate, err
}

// UpdateAggregate renames an aggregate or changes its availability zone
// (an empty zone takes it out of any).
func (o *Operator) UpdateAggregate(ctx context.Context, id string, u AggregateUpdate) (Aggregate, error) {
	if err := validRef(OpUpdateAggregate, "id", id); err != nil {
		return Aggregate{}, err
	}
	if u.Name == nil && u.AvailabilityZone == nil {
		return Aggregate{}, invalidArg(OpUpdateAggregate, "update", "changes nothing")
	}
	if u.Name != nil {
		if err := validRef(OpUpdateAggregate, "name", *u.Name); err != nil {
			return Aggregate{}, err
		}
	}
	if u.AvailabilityZone != nil {
		if err := validValue(OpUpdateAggregate, "availabilityZone", *u.AvailabilityZone); err != nil {
			return Aggregate{}, err
		}
	}
	a := args{aggrUpdate: u}
	err := o.call(ctx, OpUpdateAggregate, KindAggregate, id, &a)
	return a.aggregate, err
}

// DeleteAggregate deletes an aggregate; it must have no hosts left.
func (o *Operator) DeleteAggregate(ctx context.Context, id string) error {
	if err := validRef(OpDeleteAggregate, "id", id); err != nil {
		return err
	}
	return o.call(ctx, OpDeleteAggregate, KindAggregate, id, &args{})
}

// AddAggregateHost adds a host to an aggregate.
func (o *Operator) AddAggregateHost(ctx context.Context, id, host string) (Aggregate, error) {
	return o.aggregateHost(ctx, OpAddAggregateHost, id, host)
}

// RemoveAggregateHost removes a host from an aggregate.
func (o *Operator) RemoveAggregateHost(ctx context.Context, id, host string) (Aggregate, error) {
	return o.aggregateHost(ctx, OpRemoveAggregateHost, id, host)
}

func (o *Operator) aggregateHost(ctx context.Context, op Operation, id, host string) (Aggregate, error) {
	if err := validRef(op, "id", id); err != nil {
		return Aggregate{}, err
	}
	if err := validRef(op, "host", host); err != nil {
		return Aggregate{}, err
	}
	a := args{host: host}
	err := o.call(ctx, op, KindAggregate, id, &a)
	return a.aggregate, err
}

// SetAggregateMetadata sets the keys of set and removes those of unset on
// an aggregate. The key availability_zone is the aggregate's zone.
func (o *Operator) SetAggregateMetadata(ctx context.Context, id string, set map[string]string, unset ...string) (Aggregate, error) {
	if err := validRef(OpSetAggregateMetadata, "id", id); err != nil {
		return Aggregate{}, err
	}
	if err := validPairs(OpSetAggregateMetadata, "metadata", set, unset); err != nil {
		return Aggregate{}, err
	}
	a := args{set: maps.Clone(set), keys: slices.Clone(unset)}
	err := o.call(ctx, OpSetAggregateMetadata, KindAggregate, id, &a)
	return a.aggregate, err
}
