package operator

import (
	"context"

	"github.com/perspective-cloud/sdk/driver"
)

// args carries one call's inputs to a driver and its outputs back.
type args struct {
	host       string
	project    string
	keys       []string
	state      driver.State
	service    driver.ServiceUpdate
	aggrSpec   driver.AggregateSpec
	aggrUpdate driver.AggregateUpdate
	set        map[string]string
	flavorSpec driver.FlavorSpec
	flavorUpd  driver.FlavorUpdate

	hypervisors []Hypervisor      // out: Hypervisors
	services    []Service         // out: Services
	svc         Service           // out: UpdateService
	hosts       []Host            // out: Hosts
	aggregates  []Aggregate       // out: Aggregates
	aggregate   Aggregate         // out: the aggregate calls
	flavor      driver.Flavor     // out: CreateFlavor, UpdateFlavor
	projects    []string          // out: FlavorAccess
	specs       map[string]string // out: ExtraSpecs
}

// opFunc is one operation bound to one driver: id is a real id (an
// instance's, a service's, an aggregate's or a flavor's), or empty.
type opFunc func(ctx context.Context, id string, a *args) error

// binder finds an operation's capability in a driver and binds the call to
// it; it returns nil when the driver lacks the capability.
type binder func(driver.Driver) opFunc

// bind makes the binder of an operation that capability T performs.
func bind[T any](call func(T, context.Context, string, *args) error) binder {
	return func(d driver.Driver) opFunc {
		t, ok := d.(T)
		if !ok {
			return nil
		}
		return func(ctx context.Context, id string, a *args) error { return call(t, ctx, id, a) }
	}
}

// operations is the one table of what every operator call needs from a
// driver and how it is called: Supports and every call read it, as
// perspective's own table does for the consumer operations.
var operations = map[Operation]binder{
	OpHypervisors: bind(func(d driver.HypervisorLister, ctx context.Context, _ string, a *args) (err error) {
		a.hypervisors, err = d.ListHypervisors(ctx)
		return err
	}),
	OpServices: bind(func(d driver.ServiceManager, ctx context.Context, _ string, a *args) (err error) {
		a.services, err = d.ListServices(ctx)
		return err
	}),
	OpUpdateService: bind(func(d driver.ServiceManager, ctx context.Context, id string, a *args) (err error) {
		a.svc, err = d.UpdateService(ctx, id, a.service)
		return err
	}),
	OpHosts: bind(func(d driver.HostLister, ctx context.Context, _ string, a *args) (err error) {
		a.hosts, err = d.ListHosts(ctx)
		return err
	}),
	OpAggregates: bind(func(d driver.AggregateManager, ctx context.Context, id string, a *args) (err error) {
		if id != "" {
			a.aggregate, err = d.GetAggregate(ctx, id)
			return err
		}
		a.aggregates, err = d.ListAggregates(ctx)
		return err
	}),
	OpCreateAggregate: bind(func(d driver.AggregateManager, ctx context.Context, _ string, a *args) (err error) {
		a.aggregate, err = d.CreateAggregate(ctx, a.aggrSpec)
		return err
	}),
	OpUpdateAggregate: bind(func(d driver.AggregateManager, ctx context.Context, id string, a *args) (err error) {
		a.aggregate, err = d.UpdateAggregate(ctx, id, a.aggrUpdate)
		return err
	}),
	OpDeleteAggregate: bind(func(d driver.AggregateManager, ctx context.Context, id string, _ *args) error {
		return d.DeleteAggregate(ctx, id)
	}),
	OpAddAggregateHost: bind(func(d driver.AggregateManager, ctx context.Context, id string, a *args) (err error) {
		a.aggregate, err = d.AddAggregateHost(ctx, id, a.host)
		return err
	}),
	OpRemoveAggregateHost: bind(func(d driver.AggregateManager, ctx context.Context, id string, a *args) (err error) {
		a.aggregate, err = d.RemoveAggregateHost(ctx, id, a.host)
		return err
	}),
	OpSetAggregateMetadata: bind(func(d driver.AggregateManager, ctx context.Context, id string, a *args) (err error) {
		a.aggregate, err = d.SetAggregateMetadata(ctx, id, a.set, a.keys)
		return err
	}),
	OpEvacuate: bind(func(d driver.Evacuator, ctx context.Context, id string, a *args) error {
		return d.Evacuate(ctx, id, a.host)
	}),
	OpResetState: bind(func(d driver.StateResetter, ctx context.Context, id string, a *args) error {
		return d.ResetState(ctx, id, a.state)
	}),
	OpCreateFlavor: bind(func(d driver.FlavorManager, ctx context.Context, _ string, a *args) (err error) {
		a.flavor, err = d.CreateFlavor(ctx, a.flavorSpec)
		return err
	}),
	OpUpdateFlavor: bind(func(d driver.FlavorManager, ctx context.Context, id string, a *args) (err error) {
		a.flavor, err = d.UpdateFlavor(ctx, id, a.flavorUpd)
		return err
	}),
	OpDeleteFlavor: bind(func(d driver.FlavorManager, ctx context.Context, id string, _ *args) error {
		return d.DeleteFlavor(ctx, id)
	}),
	OpFlavorAccess: bind(func(d driver.FlavorAccessManager, ctx context.Context, id string, a *args) (err error) {
		a.projects, err = d.FlavorAccess(ctx, id)
		return err
	}),
	OpAddFlavorAccess: bind(func(d driver.FlavorAccessManager, ctx context.Context, id string, a *args) error {
		return d.AddFlavorAccess(ctx, id, a.project)
	}),
	OpRemoveFlavorAccess: bind(func(d driver.FlavorAccessManager, ctx context.Context, id string, a *args) error {
		return d.RemoveFlavorAccess(ctx, id, a.project)
	}),
	OpExtraSpecs: bind(func(d driver.ExtraSpecManager, ctx context.Context, id string, a *args) (err error) {
		a.specs, err = d.ExtraSpecs(ctx, id)
		return err
	}),
	OpSetExtraSpecs: bind(func(d driver.ExtraSpecManager, ctx context.Context, id string, a *args) error {
		return d.SetExtraSpecs(ctx, id, a.set)
	}),
	OpUnsetExtraSpecs: bind(func(d driver.ExtraSpecManager, ctx context.Context, id string, a *args) error {
		for _, k := range a.keys {
			if err := d.UnsetExtraSpec(ctx, id, k); err != nil {
				return err
			}
		}
		return nil
	}),
}

// bindAll binds every operation of the table to d.
func bindAll(d driver.Driver) map[Operation]opFunc {
	calls := make(map[Operation]opFunc, len(operations))
	for op, b := range operations {
		if f := b(d); f != nil {
			calls[op] = f
		}
	}
	return calls
}
