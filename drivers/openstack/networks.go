package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// neutronNetwork is a Neutron network with its router:external flag.
type neutronNetwork struct {
	networks.Network
	external.NetworkExternalExt
}

// ListNetworks returns the networks the project can use (its own, shared
// and external ones) with their subnets, all pages of both.
func (d *Driver) ListNetworks(ctx context.Context) ([]driver.Network, error) {
	if err := d.requireNetwork(perspective.OpList); err != nil {
		return nil, err
	}
	nets, err := d.listNetworks(ctx, networks.ListOpts{})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindNetwork, "")
	}
	bySubnet := map[string][]driver.Subnet{}
	err = subnets.List(d.network, subnets.ListOpts{}).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := subnets.ExtractSubnets(p)
		if err != nil {
			return false, err
		}
		for _, s := range list {
			bySubnet[s.NetworkID] = append(bySubnet[s.NetworkID], driver.Subnet{
				ID: s.ID, NetworkID: s.NetworkID, ProjectID: s.ProjectID, Name: s.Name, CIDR: s.CIDR,
				IPVersion: s.IPVersion, Gateway: s.GatewayIP, DHCPEnabled: s.EnableDHCP,
			})
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindNetwork, "subnets")
	}
	out := make([]driver.Network, 0, len(nets))
	for _, n := range nets {
		out = append(out, driver.Network{
			ID: n.ID, ProjectID: n.ProjectID, Name: n.Name, State: n.Status, IsShared: n.Shared,
			IsExternal: n.External, Subnets: bySubnet[n.ID],
		})
	}
	return out, nil
}

func (d *Driver) listNetworks(ctx context.Context, opts networks.ListOptsBuilder) ([]neutronNetwork, error) {
	var out []neutronNetwork
	err := networks.List(d.network, opts).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		var list []neutronNetwork
		if err := networks.ExtractNetworksInto(p, &list); err != nil {
			return false, err
		}
		out = append(out, list...)
		return true, nil
	})
	return out, err
}

// networkID resolves a network id or name to its id: an id that exists
// wins; a name must match exactly one network.
func (d *Driver) networkID(ctx context.Context, nameOrID string) (string, error) {
	if err := d.requireNetwork(perspective.OpGet); err != nil {
		return "", err
	}
	n, err := d.findNetwork(ctx, nameOrID, networks.ListOpts{})
	if err != nil {
		return "", err
	}
	return n.ID, nil
}

// findNetwork gets a network by id, else by name among those matching base.
func (d *Driver) findNetwork(ctx context.Context, nameOrID string, base networks.ListOptsBuilder) (neutronNetwork, error) {
	var byID neutronNetwork
	if err := networks.Get(ctx, d.network, nameOrID).ExtractInto(&byID); err == nil {
		return byID, nil
	} else if driver.CodeOf(classify(err, "", "", "")) != driver.CodeNotFound {
		return neutronNetwork{}, err
	}
	opts := networks.ListOpts{Name: nameOrID}
	if b, ok := base.(external.ListOptsExt); ok {
		b.ListOptsBuilder = opts
		base = b
	} else {
		base = opts
	}
	list, err := d.listNetworks(ctx, base)
	if err != nil {
		return neutronNetwork{}, err
	}
	switch len(list) {
	case 0:
		return neutronNetwork{}, gophercloud.ErrResourceNotFound{Name: nameOrID, ResourceType: "network"}
	case 1:
		return list[0], nil
	}
	return neutronNetwork{}, gophercloud.ErrMultipleResourcesFound{Name: nameOrID, Count: len(list), ResourceType: "network"}
}
