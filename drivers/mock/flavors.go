package mock

import (
	"context"
	"maps"
	"slices"

	"github.com/perspective-cloud/sdk/driver"
)

// visible reports whether the credentials see flavor f: public flavors,
// and private ones shared with the project; an administrator sees all.
// d.mu must be held.
func (d *Driver) visible(f driver.Flavor) bool {
	return f.IsPublic || d.cfg.admin || slices.Contains(d.infra.flavorAccess[f.ID], d.cfg.projectID)
}

// flavorIndex returns the index of flavor id. d.mu must be held.
func (d *Driver) flavorIndex(id string) (int, error) {
	i := slices.IndexFunc(d.flavors, func(f driver.Flavor) bool { return f.ID == id })
	if i < 0 {
		return -1, driver.Errorf(driver.CodeNotFound, "Flavor %s could not be found.", id)
	}
	return i, nil
}

// CreateFlavor adds a flavor; names and ids are unique.
func (d *Driver) CreateFlavor(ctx context.Context, spec driver.FlavorSpec) (driver.Flavor, error) {
	if err := d.admin(ctx, "CreateFlavor", "os-flavor-manage:create"); err != nil {
		return driver.Flavor{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	id := spec.ID
	if id == "" {
		id = newID()
	}
	for _, f := range d.flavors {
		if f.Name == spec.Name {
			return driver.Flavor{}, driver.Errorf(driver.CodeConflict, "Flavor with name %s already exists.", spec.Name)
		}
		if f.ID == id {
			return driver.Flavor{}, driver.Errorf(driver.CodeConflict, "Flavor with ID %s already exists.", id)
		}
	}
	f := driver.Flavor{ID: id, Name: spec.Name, RAM: spec.RAM, VCPUs: spec.VCPUs, RootDisk: spec.RootDisk,
		EphemeralDisk: spec.EphemeralDisk, Swap: spec.Swap, IsPublic: spec.IsPublic, Notes: spec.Description}
	d.flavors = append(d.flavors, f)
	return f, nil
}

// UpdateFlavor changes a flavor's description.
func (d *Driver) UpdateFlavor(ctx context.Context, id string, u driver.FlavorUpdate) (driver.Flavor, error) {
	if err := d.admin(ctx, "UpdateFlavor", "os-flavor-manage:update"); err != nil {
		return driver.Flavor{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	i, err := d.flavorIndex(id)
	if err != nil {
		return driver.Flavor{}, err
	}
	if u.Description != nil {
		d.flavors[i].Notes = *u.Description
	}
	return d.flavors[i], nil
}

// DeleteFlavor deletes a flavor; instances keep their copy of it.
func (d *Driver) DeleteFlavor(ctx context.Context, id string) error {
	if err := d.admin(ctx, "DeleteFlavor", "os-flavor-manage:delete"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	i, err := d.flavorIndex(id)
	if err != nil {
		return err
	}
	d.flavors = slices.Delete(d.flavors, i, i+1)
	delete(d.infra.flavorAccess, id)
	delete(d.infra.extraSpecs, id)
	return nil
}

// FlavorAccess returns the projects a private flavor is shared with.
func (d *Driver) FlavorAccess(ctx context.Context, id string) ([]string, error) {
	if err := d.admin(ctx, "FlavorAccess", "os-flavor-access"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	i, err := d.flavorIndex(id)
	if err != nil {
		return nil, err
	}
	if d.flavors[i].IsPublic {
		return nil, driver.Errorf(driver.CodeNotFound, "Access list not available for public flavors.")
	}
	return slices.Clone(d.infra.flavorAccess[id]), nil
}

// AddFlavorAccess shares a private flavor with a project.
func (d *Driver) AddFlavorAccess(ctx context.Context, id, projectID string) error {
	if err := d.admin(ctx, "AddFlavorAccess", "os-flavor-access:add_tenant_access"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	i, err := d.flavorIndex(id)
	if err != nil {
		return err
	}
	if d.flavors[i].IsPublic {
		return driver.Errorf(driver.CodeConflict, "Can not add access to a public flavor.")
	}
	if slices.Contains(d.infra.flavorAccess[id], projectID) {
		return driver.Errorf(driver.CodeConflict, "Flavor access already exists for flavor %s and project %s combination.", id, projectID)
	}
	d.infra.flavorAccess[id] = append(d.infra.flavorAccess[id], projectID)
	return nil
}

// RemoveFlavorAccess stops sharing a private flavor with a project.
func (d *Driver) RemoveFlavorAccess(ctx context.Context, id, projectID string) error {
	if err := d.admin(ctx, "RemoveFlavorAccess", "os-flavor-access:remove_tenant_access"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.flavorIndex(id); err != nil {
		return err
	}
	list := d.infra.flavorAccess[id]
	j := slices.Index(list, projectID)
	if j < 0 {
		return driver.Errorf(driver.CodeNotFound, "Flavor access not found for %s / %s combination.", id, projectID)
	}
	d.infra.flavorAccess[id] = slices.Delete(list, j, j+1)
	return nil
}

// ExtraSpecs returns a flavor's extra specs.
func (d *Driver) ExtraSpecs(ctx context.Context, id string) (map[string]string, error) {
	if err := d.admin(ctx, "ExtraSpecs", "os-flavor-extra-specs:index"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.flavorIndex(id); err != nil {
		return nil, err
	}
	out := maps.Clone(d.infra.extraSpecs[id])
	if out == nil {
		out = map[string]string{}
	}
	return out, nil
}

// SetExtraSpecs sets extra specs of a flavor, keeping the others.
func (d *Driver) SetExtraSpecs(ctx context.Context, id string, specs map[string]string) error {
	if err := d.admin(ctx, "SetExtraSpecs", "os-flavor-extra-specs:create"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.flavorIndex(id); err != nil {
		return err
	}
	if d.infra.extraSpecs[id] == nil {
		d.infra.extraSpecs[id] = map[string]string{}
	}
	maps.Copy(d.infra.extraSpecs[id], specs)
	return nil
}

// UnsetExtraSpec removes one extra spec of a flavor.
func (d *Driver) UnsetExtraSpec(ctx context.Context, id, key string) error {
	if err := d.admin(ctx, "UnsetExtraSpec", "os-flavor-extra-specs:delete"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.flavorIndex(id); err != nil {
		return err
	}
	if _, ok := d.infra.extraSpecs[id][key]; !ok {
		return driver.Errorf(driver.CodeNotFound, "Flavor %s has no extra specs with key %s.", id, key)
	}
	delete(d.infra.extraSpecs[id], key)
	return nil
}
