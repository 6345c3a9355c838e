package openstack

import (
	"context"
	"slices"
	"strings"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/hypervisors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/services"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListHypervisors lists the hypervisors with their usage, all pages. The
// call is pinned at microversion 2.87, the last whose hypervisors carry
// vcpus_used, memory_mb_used and local_gb_used (2.88 moved them to
// Placement).
func (d *Driver) ListHypervisors(ctx context.Context) ([]driver.Hypervisor, error) {
	c := d.at(mvHypervisorUsage)
	var out []driver.Hypervisor
	err := hypervisors.List(c, hypervisors.ListOpts{}).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		list, err := hypervisors.ExtractHypervisors(p)
		if err != nil {
			return false, err
		}
		for _, h := range list {
			out = append(out, driver.Hypervisor{ID: h.ID, Hostname: h.HypervisorHostname, Host: h.Service.Host,
				Type: h.HypervisorType, HostIP: h.HostIP, State: h.State, Status: h.Status,
				UsageKnown: h.VCPUs > 0 || h.MemoryMB > 0,
				VCPUs:      h.VCPUs, VCPUsUsed: h.VCPUsUsed, MemoryMiB: h.MemoryMB, MemoryUsed: h.MemoryMBUsed,
				DiskGiB: h.LocalGB, DiskUsed: h.LocalGBUsed, RunningVMs: h.RunningVMs})
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, operator.OpHypervisors, operator.KindHypervisor, "")
	}
	return out, nil
}

// ListServices lists the compute services.
func (d *Driver) ListServices(ctx context.Context) ([]driver.Service, error) {
	var out []driver.Service
	err := services.List(d.compute, nil).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		list, err := services.ExtractServices(p)
		if err != nil {
			return false, err
		}
		for _, s := range list {
			out = append(out, serviceOf(s))
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, operator.OpServices, operator.KindService, "")
	}
	return out, nil
}

func serviceOf(s services.Service) driver.Service {
	return driver.Service{ID: s.ID, Binary: s.Binary, Host: s.Host, Zone: s.Zone, Status: s.Status,
		State: s.State, DisabledReason: s.DisabledReason, ForcedDown: s.ForcedDown, Updated: s.UpdatedAt}
}

// serviceUpdate is the body of PUT /os-services/{id}: unlike gophercloud's
// UpdateOpts it can say forced_down false (to bring a service back up).
type serviceUpdate driver.ServiceUpdate

func (u serviceUpdate) ToServiceUpdateMap() (map[string]any, error) {
	b := map[string]any{}
	if u.Disabled != nil {
		b["status"] = "enabled"
		if *u.Disabled {
			b["status"] = "disabled"
			if u.DisabledReason != "" {
				b["disabled_reason"] = u.DisabledReason
			}
		}
	}
	if u.ForcedDown != nil {
		b["forced_down"] = *u.ForcedDown
	}
	return b, nil
}

// UpdateService enables, disables, forces down or up a compute service by
// its UUID (microversion 2.53; forced_down itself came with 2.11).
func (d *Driver) UpdateService(ctx context.Context, id string, u driver.ServiceUpdate) (driver.Service, error) {
	if err := d.need(operator.OpUpdateService, "updating a service by id", mvServiceIDs); err != nil {
		return driver.Service{}, err
	}
	s, err := services.Update(ctx, d.compute, id, serviceUpdate(u)).Extract()
	if err != nil {
		return driver.Service{}, classify(err, operator.OpUpdateService, operator.KindService, id)
	}
	return serviceOf(*s), nil
}

// ListHosts lists the hosts with their services: os-hosts, pinned at
// microversion 2.42 (the API is gone from 2.43), one row per service.
func (d *Driver) ListHosts(ctx context.Context) ([]driver.Host, error) {
	c := d.at(mvHostsLast)
	var reply struct {
		Hosts []struct {
			Name    string `json:"host_name"`
			Service string `json:"service"`
			Zone    string `json:"zone"`
		} `json:"hosts"`
	}
	_, err := c.Get(ctx, c.ServiceURL("os-hosts"), &reply, &gophercloud.RequestOpts{OkCodes: []int{200}})
	if err != nil {
		return nil, classify(err, operator.OpHosts, operator.KindHost, "")
	}
	var out []driver.Host
	for _, r := range reply.Hosts {
		i := slices.IndexFunc(out, func(h driver.Host) bool { return h.Name == r.Name })
		if i < 0 {
			out = append(out, driver.Host{Name: r.Name, Zone: r.Zone})
			i = len(out) - 1
		}
		if r.Service == "compute" {
			out[i].Zone = r.Zone
		}
		out[i].Services = append(out[i].Services, r.Service)
	}
	return out, nil
}

// Evacuate rebuilds a server of a failed host elsewhere: to a named host
// (2.29, checked by the scheduler) or where the scheduler chooses. It
// needs 2.14 (no onSharedStorage) and is pinned at 2.94, the last at which
// an evacuated server keeps running (2.95 leaves it stopped). Nova's 400
// for a host whose compute service is still up is a conflict.
func (d *Driver) Evacuate(ctx context.Context, id, host string) error {
	if err := d.need(perspective.OpEvacuate, "evacuation", mvEvacuateNoStorage); err != nil {
		return err
	}
	body := map[string]any{}
	if host != "" {
		if err := d.need(perspective.OpEvacuate, "evacuation to a named host", mvEvacuateToHost); err != nil {
			return err
		}
		body["host"] = host
	}
	_, err := serverAction(ctx, d.at(mvEvacuateActive), id, map[string]any{"evacuate": body}, nil, 200, 202)
	err = act(err, perspective.OpEvacuate, id)
	if driver.CodeOf(err) == driver.CodeInvalidArgument && strings.Contains(err.Error(), "still in use") {
		return driver.Wrap(driver.CodeConflict, err, "the instance's host is up: force its compute service down first")
	}
	return err
}

// ResetState sets the vm_state Nova records for a server: active or error.
func (d *Driver) ResetState(ctx context.Context, id string, state driver.State) error {
	to := servers.StateActive
	switch state {
	case driver.StateLaunched:
	case driver.StateError:
		to = servers.StateError
	default:
		return driver.Errorf(driver.CodeInvalidArgument, "openstack: a server's state resets to %s or %s, not %s",
			driver.StateLaunched, driver.StateError, state)
	}
	return act(servers.ResetState(ctx, d.compute, id, to).ExtractErr(), perspective.OpResetState, id)
}
