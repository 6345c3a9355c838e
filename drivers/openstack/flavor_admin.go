package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

func flavorOf(f *flavors.Flavor) driver.Flavor {
	return driver.Flavor{ID: f.ID, Name: f.Name, RAM: f.RAM, VCPUs: f.VCPUs, RootDisk: f.Disk,
		EphemeralDisk: f.Ephemeral, Swap: f.Swap, IsPublic: f.IsPublic, Notes: f.Description}
}

func flavorErr(err error, op operator.Operation, id string) error {
	return classify(err, op, perspective.KindFlavor, id)
}

// CreateFlavor creates a flavor; a description needs microversion 2.55.
func (d *Driver) CreateFlavor(ctx context.Context, spec driver.FlavorSpec) (driver.Flavor, error) {
	if spec.Description != "" {
		if err := d.need(operator.OpCreateFlavor, "flavor descriptions", mvFlavorDesc); err != nil {
			return driver.Flavor{}, err
		}
	}
	public := spec.IsPublic
	opts := flavors.CreateOpts{ID: spec.ID, Name: spec.Name, RAM: spec.RAM, VCPUs: spec.VCPUs,
		Disk: &spec.RootDisk, Swap: &spec.Swap, Ephemeral: &spec.EphemeralDisk, IsPublic: &public,
		Description: spec.Description}
	f, err := flavors.Create(ctx, d.compute, opts).Extract()
	if err != nil {
		return driver.Flavor{}, flavorErr(err, operator.OpCreateFlavor, spec.Name)
	}
	d.flavorMu.Lock()
	d.flavorByName[f.Name] = f.ID
	d.flavorMu.Unlock()
	return flavorOf(f), nil
}

// UpdateFlavor changes a flavor's description (microversion 2.55).
func (d *Driver) UpdateFlavor(ctx context.Context, id string, u driver.FlavorUpdate) (driver.Flavor, error) {
	if err := d.need(operator.OpUpdateFlavor, "flavor descriptions", mvFlavorDesc); err != nil {
		return driver.Flavor{}, err
	}
	desc := ""
	if u.Description != nil {
		desc = *u.Description
	}
	f, err := flavors.Update(ctx, d.compute, id, flavorUpdate{description: desc}).Extract()
	if err != nil {
		return driver.Flavor{}, flavorErr(err, operator.OpUpdateFlavor, id)
	}
	return flavorOf(f), nil
}

// flavorUpdate is the body of PUT /flavors/{id}: the description is
// required, and may be empty (gophercloud's UpdateOpts would drop it).
type flavorUpdate struct{ description string }

func (u flavorUpdate) ToFlavorUpdateMap() (map[string]any, error) {
	return map[string]any{"flavor": map[string]any{"description": u.description}}, nil
}

// DeleteFlavor deletes a flavor.
func (d *Driver) DeleteFlavor(ctx context.Context, id string) error {
	return flavorErr(flavors.Delete(ctx, d.compute, id).ExtractErr(), operator.OpDeleteFlavor, id)
}

// FlavorAccess lists the projects a private flavor is shared with.
func (d *Driver) FlavorAccess(ctx context.Context, id string) ([]string, error) {
	out := []string{}
	err := flavors.ListAccesses(d.compute, id).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		list, err := flavors.ExtractAccesses(p)
		if err != nil {
			return false, err
		}
		for _, a := range list {
			out = append(out, a.TenantID)
		}
		return true, nil
	})
	if err != nil {
		return nil, flavorErr(err, operator.OpFlavorAccess, id)
	}
	return out, nil
}

// AddFlavorAccess shares a private flavor with a project.
func (d *Driver) AddFlavorAccess(ctx context.Context, id, projectID string) error {
	_, err := flavors.AddAccess(ctx, d.compute, id, flavors.AddAccessOpts{Tenant: projectID}).Extract()
	return flavorErr(err, operator.OpAddFlavorAccess, id)
}

// RemoveFlavorAccess stops sharing a private flavor with a project.
func (d *Driver) RemoveFlavorAccess(ctx context.Context, id, projectID string) error {
	_, err := flavors.RemoveAccess(ctx, d.compute, id, flavors.RemoveAccessOpts{Tenant: projectID}).Extract()
	return flavorErr(err, operator.OpRemoveFlavorAccess, id)
}

// ExtraSpecs returns a flavor's extra specs.
func (d *Driver) ExtraSpecs(ctx context.Context, id string) (map[string]string, error) {
	specs, err := flavors.ListExtraSpecs(ctx, d.compute, id).Extract()
	if err != nil {
		return nil, flavorErr(err, operator.OpExtraSpecs, id)
	}
	if specs == nil {
		specs = map[string]string{}
	}
	return specs, nil
}

// SetExtraSpecs sets extra specs of a flavor, keeping the others.
func (d *Driver) SetExtraSpecs(ctx context.Context, id string, specs map[string]string) error {
	_, err := flavors.CreateExtraSpecs(ctx, d.compute, id, flavors.ExtraSpecsOpts(specs)).Extract()
	return flavorErr(err, operator.OpSetExtraSpecs, id)
}

// UnsetExtraSpec removes one extra spec of a flavor.
func (d *Driver) UnsetExtraSpec(ctx context.Context, id, key string) error {
	return flavorErr(flavors.DeleteExtraSpec(ctx, d.compute, id, key).ExtractErr(), operator.OpUnsetExtraSpecs, id)
}
