package operator

import (
	"context"

	"github.com/perspective-cloud/sdk/driver"
)

// Hypervisor is one compute node and what its instances use of it.
type Hypervisor = driver.Hypervisor

// Service is one compute service on one host.
type Service = driver.Service

// Host is a machine of the cloud and the services it runs.
type Host = driver.Host

// Hypervisors returns the cloud's hypervisors with their usage.
func (o *Operator) Hypervisors(ctx context.Context) ([]Hypervisor, error) {
	var a args
	err := o.read(ctx, OpHypervisors, KindHypervisor, "", &a)
	return a.hypervisors, err
}

// Services returns the cloud's compute services.
func (o *Operator) Services(ctx context.Context) ([]Service, error) {
	var a args
	err := o.read(ctx, OpServices, KindService, "", &a)
	return a.services, err
}

// EnableService lets the scheduler place instances on a service's host again.
func (o *Operator) EnableService(ctx context.Context, id string) (Service, error) {
	no := false
	return o.updateService(ctx, id, driver.ServiceUpdate{Disabled: &no})
}

// DisableService keeps the scheduler from placing instances on a service's
// host; reason (optional) says why.
func (o *Operator) DisableService(ctx context.Context, id, reason string) (Service, error) {
	if err := validValue(OpUpdateService, "reason", reason); err != nil {
		return Service{}, err
	}
	yes := true
	return o.updateService(ctx, id, driver.ServiceUpdate{Disabled: &yes, DisabledReason: reason})
}

// ForceDown marks a compute service down (down true) without waiting for
// it to miss its heartbeats, so that its instances can be evacuated, or up
// again (down false).
func (o *Operator) ForceDown(ctx context.Context, id string, down bool) (Service, error) {
	return o.updateService(ctx, id, driver.ServiceUpdate{ForcedDown: &down})
}

func (o *Operator) updateService(ctx context.Context, id string, u driver.ServiceUpdate) (Service, error) {
	if err := validRef(OpUpdateService, "id", id); err != nil {
		return Service{}, err
	}
	a := args{service: u}
	err := o.call(ctx, OpUpdateService, KindService, id, &a)
	return a.svc, err
}

// Hosts returns the cloud's hosts with the services they run.
func (o *Operator) Hosts(ctx context.Context) ([]Host, error) {
	var a args
	err := o.read(ctx, OpHosts, KindHost, "", &a)
	return a.hosts, err
}
