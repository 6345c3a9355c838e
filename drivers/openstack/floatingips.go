package openstack

import (
	"context"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// allocatedBy marks floating IPs this driver allocated, so that removing
// one from an instance also releases it; an address the caller named
// stays allocated to the project.
const allocatedBy = "allocated by perspective-sdk"

// AddFloatingIP associates a floating IP with the server's first port:
// req.Address (an existing floating IP of the project), or a new one
// allocated from req.Network (an external network's id or name; empty picks
// the only external network). It returns the address.
func (d *Driver) AddFloatingIP(ctx context.Context, id string, req driver.FloatingIPRequest) (string, error) {
	if err := d.requireNetwork(perspective.OpAddIP); err != nil {
		return "", err
	}
	fail := func(err error) (string, error) { return "", act(err, perspective.OpAddIP, id) }
	port, err := d.serverPort(ctx, id)
	if err != nil {
		return fail(err)
	}
	if req.Address != "" {
		fip, err := d.floatingIPByAddress(ctx, req.Address)
		if err != nil {
			return fail(err)
		}
		if _, err := floatingips.Update(ctx, d.network, fip.ID, floatingips.UpdateOpts{PortID: &port}).Extract(); err != nil {
			return fail(err)
		}
		return fip.FloatingIP, nil
	}
	ext, err := d.externalNetwork(ctx, req.Network)
	if err != nil {
		return fail(err)
	}
	fip, err := floatingips.Create(ctx, d.network, floatingips.CreateOpts{
		FloatingNetworkID: ext, PortID: port, Description: allocatedBy + " for server " + id,
	}).Extract()
	if err != nil {
		return fail(err)
	}
	return fip.FloatingIP, nil
}

// RemoveFloatingIP dissociates address from the server and releases it if
// this driver allocated it.
func (d *Driver) RemoveFloatingIP(ctx context.Context, id, address string) error {
	if err := d.requireNetwork(perspective.OpRemoveIP); err != nil {
		return err
	}
	fip, err := d.floatingIPByAddress(ctx, address)
	if err != nil {
		return act(err, perspective.OpRemoveIP, id)
	}
	if fip.PortID != "" {
		var p ports.Port
		if err := ports.Get(ctx, d.network, fip.PortID).ExtractInto(&p); err != nil {
			return act(err, perspective.OpRemoveIP, id)
		}
		if p.DeviceID != id {
			return &driver.Error{Code: driver.CodeInvalidArgument, Msg: "floating IP " + address + " belongs to another server"}
		}
	}
	if strings.HasPrefix(fip.Description, allocatedBy) {
		return act(floatingips.Delete(ctx, d.network, fip.ID).ExtractErr(), perspective.OpRemoveIP, id)
	}
	if fip.PortID == "" {
		return nil
	}
	_, err = floatingips.Update(ctx, d.network, fip.ID, floatingips.UpdateOpts{PortID: new(string)}).Extract()
	return act(err, perspective.OpRemoveIP, id)
}

// serverPort returns the id of the server's first port that has a fixed IP.
func (d *Driver) serverPort(ctx context.Context, serverID string) (string, error) {
	var found string
	err := ports.List(d.network, ports.ListOpts{DeviceID: serverID}).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := ports.ExtractPorts(p)
		if err != nil {
			return false, err
		}
		for _, port := range list {
			if len(port.FixedIPs) > 0 {
				found = port.ID
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", driver.Errorf(driver.CodeInvalidState, "server %s has no port with a fixed IP to map a floating IP onto", serverID)
	}
	return found, nil
}

func (d *Driver) floatingIPByAddress(ctx context.Context, address string) (floatingips.FloatingIP, error) {
	var out []floatingips.FloatingIP
	err := floatingips.List(d.network, floatingips.ListOpts{FloatingIP: address}).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := floatingips.ExtractFloatingIPs(p)
		out = append(out, list...)
		return err == nil, err
	})
	if err != nil {
		return floatingips.FloatingIP{}, err
	}
	if len(out) == 0 {
		return floatingips.FloatingIP{}, driver.Errorf(driver.CodeNotFound, "floating IP %s not found in the project", address)
	}
	return out[0], nil
}

// externalNetwork resolves the pool to allocate from: the named external
// network, or the only one there is.
func (d *Driver) externalNetwork(ctx context.Context, nameOrID string) (string, error) {
	yes := true
	base := external.ListOptsExt{ListOptsBuilder: networks.ListOpts{}, External: &yes}
	if nameOrID != "" {
		n, err := d.findNetwork(ctx, nameOrID, base)
		if err != nil {
			return "", err
		}
		if !n.External {
			return "", driver.Errorf(driver.CodeInvalidArgument, "network %q is not external: floating IPs come from external networks", nameOrID)
		}
		return n.ID, nil
	}
	list, err := d.listNetworks(ctx, base)
	if err != nil {
		return "", err
	}
	switch len(list) {
	case 0:
		return "", driver.Errorf(driver.CodeUnsupported, "the cloud has no external network to allocate floating IPs from")
	case 1:
		return list[0].ID, nil
	}
	names := make([]string, len(list))
	for i, n := range list {
		names[i] = n.Name
	}
	return "", driver.Errorf(driver.CodeInvalidArgument, "several external networks (%s): name one", strings.Join(names, ", "))
}
