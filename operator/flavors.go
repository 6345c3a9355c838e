package operator

import (
	"cmp"
	"context"
	"maps"
	"math"
	"slices"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// FlavorSpec describes a flavor to create; see driver.FlavorSpec.
type FlavorSpec = driver.FlavorSpec

// FlavorUpdate changes a flavor's description.
type FlavorUpdate = driver.FlavorUpdate

// CreateFlavor creates a flavor. A flavor that is not public is seen only
// by the projects given access with AddFlavorAccess.
func (o *Operator) CreateFlavor(ctx context.Context, spec FlavorSpec) (perspective.Flavor, error) {
	op := OpCreateFlavor
	if err := validRef(op, "name", spec.Name); err != nil {
		return perspective.Flavor{}, err
	}
	if err := validValue(op, "id", spec.ID); err != nil {
		return perspective.Flavor{}, err
	}
	if err := validValue(op, "description", spec.Description); err != nil {
		return perspective.Flavor{}, err
	}
	for _, f := range []struct {
		name     string
		v, least int
	}{{"ram", spec.RAM, 1}, {"vcpus", spec.VCPUs, 1}, {"rootDisk", spec.RootDisk, 0},
		{"ephemeralDisk", spec.EphemeralDisk, 0}, {"swap", spec.Swap, 0}} {
		if f.v < f.least || f.v > math.MaxInt32 {
			return perspective.Flavor{}, invalidArg(op, f.name, "must be %d to %d, not %d", f.least, math.MaxInt32, f.v)
		}
	}
	a := args{flavorSpec: spec}
	err := o.call(ctx, op, perspective.KindFlavor, spec.ID, &a)
	o.cloud.InvalidateCache(perspective.KindFlavor)
	if err != nil {
		return perspective.Flavor{}, err
	}
	return o.flavorOf(a.flavor), nil
}

// UpdateFlavor changes a flavor's description (a flavor's id or name).
func (o *Operator) UpdateFlavor(ctx context.Context, flavor string, u FlavorUpdate) (perspective.Flavor, error) {
	if u.Description == nil {
		return perspective.Flavor{}, invalidArg(OpUpdateFlavor, "update", "changes nothing")
	}
	if err := validValue(OpUpdateFlavor, "description", *u.Description); err != nil {
		return perspective.Flavor{}, err
	}
	id, err := o.flavorID(ctx, OpUpdateFlavor, flavor)
	if err != nil {
		return perspective.Flavor{}, err
	}
	a := args{flavorUpd: u}
	err = o.call(ctx, OpUpdateFlavor, perspective.KindFlavor, id, &a)
	o.cloud.InvalidateCache(perspective.KindFlavor)
	if err != nil {
		return perspective.Flavor{}, err
	}
	return o.flavorOf(a.flavor), nil
}

// DeleteFlavor deletes a flavor (its id or name); instances that use it
// keep running.
func (o *Operator) DeleteFlavor(ctx context.Context, flavor string) error {
	id, err := o.flavorID(ctx, OpDeleteFlavor, flavor)
	if err != nil {
		return err
	}
	err = o.call(ctx, OpDeleteFlavor, perspective.KindFlavor, id, &args{})
	o.cloud.InvalidateCache(perspective.KindFlavor)
	return err
}

// FlavorAccess returns the projects a private flavor is shared with.
func (o *Operator) FlavorAccess(ctx context.Context, flavor string) ([]string, error) {
	id, err := o.flavorID(ctx, OpFlavorAccess, flavor)
	if err != nil {
		return nil, err
	}
	var a args
	err = o.read(ctx, OpFlavorAccess, perspective.KindFlavor, id, &a)
	return a.projects, err
}

// AddFlavorAccess shares a private flavor with a project (its id).
func (o *Operator) AddFlavorAccess(ctx context.Context, flavor, projectID string) error {
	return o.access(ctx, OpAddFlavorAccess, flavor, projectID)
}

// RemoveFlavorAccess stops sharing a private flavor with a project.
func (o *Operator) RemoveFlavorAccess(ctx context.Context, flavor, projectID string) error {
	return o.access(ctx, OpRemoveFlavorAccess, flavor, projectID)
}

func (o *Operator) access(ctx context.Context, op Operation, flavor, projectID string) error {
	if err := validRef(op, "project", projectID); err != nil {
		return err
	}
	id, err := o.flavorID(ctx, op, flavor)
	if err != nil {
		return err
	}
	err = o.call(ctx, op, perspective.KindFlavor, id, &args{project: projectID})
	o.cloud.InvalidateCache(perspective.KindFlavor)
	return err
}

// ExtraSpecs returns a flavor's extra specs.
func (o *Operator) ExtraSpecs(ctx context.Context, flavor string) (map[string]string, error) {
	id, err := o.flavorID(ctx, OpExtraSpecs, flavor)
	if err != nil {
		return nil, err
	}
	var a args
	err = o.read(ctx, OpExtraSpecs, perspective.KindFlavor, id, &a)
	return a.specs, err
}

// SetExtraSpecs sets extra specs of a flavor, keeping the others.
func (o *Operator) SetExtraSpecs(ctx context.Context, flavor string, specs map[string]string) error {
	if err := validPairs(OpSetExtraSpecs, "specs", specs, nil); err != nil {
		return err
	}
	id, err := o.flavorID(ctx, OpSetExtraSpecs, flavor)
	if err != nil {
		return err
	}
	return o.call(ctx, OpSetExtraSpecs, perspective.KindFlavor, id, &args{set: maps.Clone(specs)})
}

// UnsetExtraSpecs removes extra specs of a flavor; a key it lacks is not found.
func (o *Operator) UnsetExtraSpecs(ctx context.Context, flavor string, keys ...string) error {
	if err := validPairs(OpUnsetExtraSpecs, "keys", nil, keys); err != nil {
		return err
	}
	id, err := o.flavorID(ctx, OpUnsetExtraSpecs, flavor)
	if err != nil {
		return err
	}
	return o.call(ctx, OpUnsetExtraSpecs, perspective.KindFlavor, id, &args{keys: slices.Clone(keys)})
}

// flavorID resolves a flavor's id or name to its id, checking first that
// the driver can perform op (so an unsupported call never lists flavors).
func (o *Operator) flavorID(ctx context.Context, op Operation, flavor string) (string, error) {
	if ctx == nil {
		return "", invalidArg(op, "ctx", "is nil")
	}
	if err := validRef(op, "flavor", flavor); err != nil {
		return "", err
	}
	if !o.Supports(op) {
		return "", o.unsupported(op)
	}
	f, err := o.cloud.Flavors().Get(ctx, flavor)
	if err != nil {
		return "", classify(err, op, perspective.KindFlavor, flavor)
	}
	return f.ID, nil
}

// flavorOf is what the cloud's Flavors would say of a driver's flavor.
func (o *Operator) flavorOf(f driver.Flavor) perspective.Flavor {
	info := o.cloud.Info()
	return perspective.Flavor{ID: f.ID, CloudID: info.CloudID, ProjectID: cmp.Or(f.ProjectID, info.ProjectID),
		Name: f.Name, RAM: f.RAM, VCPUs: f.VCPUs, RootDisk: f.RootDisk, EphemeralDisk: f.EphemeralDisk,
		Swap: f.Swap, IsPublic: f.IsPublic, Notes: f.Notes}
}
