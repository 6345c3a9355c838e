package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListFlavors returns every flavor the project may use, all pages.
func (d *Driver) ListFlavors(ctx context.Context) ([]driver.Flavor, error) {
	var out []driver.Flavor
	err := flavors.ListDetail(d.compute, flavors.ListOpts{AccessType: flavors.AllAccess}).EachPage(ctx,
		func(ctx context.Context, p pagination.Page) (bool, error) {
			list, err := flavors.ExtractFlavors(p)
			if err != nil {
				return false, err
			}
			for _, f := range list {
				out = append(out, driver.Flavor{
					ID: f.ID, Name: f.Name, RAM: f.RAM, VCPUs: f.VCPUs, RootDisk: f.Disk,
					EphemeralDisk: f.Ephemeral, Swap: f.Swap, IsPublic: f.IsPublic, Notes: f.Description,
				})
			}
			return true, nil
		})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindFlavor, "")
	}
	d.flavorMu.Lock()
	for _, f := range out {
		d.flavorByName[f.Name] = f.ID
	}
	d.flavorMu.Unlock()
	return out, nil
}

// flavorID maps a flavor name to its id. Servers at microversion ≥ 2.47
// carry the flavor's name, not its id; the map is filled by ListFlavors
// and refreshed once on a miss. An unknown name (a deleted flavor) is
// returned as is.
func (d *Driver) flavorID(ctx context.Context, name string) string {
	d.flavorMu.Lock()
	id, ok := d.flavorByName[name]
	d.flavorMu.Unlock()
	if ok {
		return id
	}
	if _, err := d.ListFlavors(ctx); err == nil {
		d.flavorMu.Lock()
		id, ok = d.flavorByName[name]
		if !ok {
			d.flavorByName[name] = name // do not ask again for a flavor that is gone
			id = name
		}
		d.flavorMu.Unlock()
		return id
	}
	return name
}
