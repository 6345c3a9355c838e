package main

import (
	"context"
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// launchConcurrency bounds how many items of one launch request are
// launched at once.
const launchConcurrency = 8

// handleLaunch serves POST /instances: a list of instances as the
// original's client sends them. With exactly one cloud and project, an
// item may leave cloudId and projectId out; a scoped route
// (/projects/{project}/regions/{region}/instances) supplies them.
func handleLaunch(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[launchRequest](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		scope, err := d.scope(r)
		if err != nil {
			writeError(w, err)
			return
		}
		insts := d.set.Instances()
		d.runEach(w, r, perspective.OpLaunch, keysOf(req, launchItem.name), launchConcurrency,
			func(ctx context.Context, i int) perspective.Result { return d.launchOne(ctx, insts, scope, req[i]) })
	})
}

// launchOne launches one item and returns its result.
func (d *deps) launchOne(ctx context.Context, insts *perspective.Instances, scope perspective.Target, it launchItem) perspective.Result {
	fail := func(err error) perspective.Result { return perspective.Result{ID: it.Name, Err: err} }
	target, err := mergeTarget(scope, perspective.Target{CloudID: it.CloudID, ProjectID: it.ProjectID, Region: it.Region})
	if err != nil {
		return fail(err)
	}
	if it.CloudType != "" && !d.hasCloudType(target, it.CloudType) {
		return fail(invalidf("instance %s: cloudType: no %s cloud matches %s", shortQuote(it.Name), it.CloudType, target))
	}
	if err := d.createTarget("instance "+shortQuote(it.Name), target); err != nil {
		return fail(err)
	}
	spec := perspective.LaunchSpec{Name: it.Name, FlavorID: string(it.Flavor.ID), ImageID: string(it.Image.ID),
		Locked: it.IsLocked, Metadata: it.Metadata.toMap()}
	for _, n := range it.Networks {
		spec.Networks = append(spec.Networks, string(n.ID))
	}
	if len(it.Keypairs) == 1 {
		spec.KeyName = it.Keypairs[0].Name
	}
	rep, err := insts.In(target).Launch(ctx, spec)
	if rep == nil || len(rep.Results) == 0 {
		if err == nil {
			err = perspective.Errorf(perspective.CodeUnknown, "instance %s: the cloud returned no result", it.Name)
		}
		return fail(err)
	}
	res := rep.Results[0]
	if res.ID == "" {
		// A launch that failed has no instance id yet: name the item.
		res.ID = it.Name
	}
	return res
}

// mergeTarget combines a route's scope with what a body item names; they
// must not disagree.
func mergeTarget(scope, item perspective.Target) (perspective.Target, error) {
	out := scope
	for _, f := range []struct {
		what        string
		dst         *string
		scoped, got string
	}{
		{"cloudId", &out.CloudID, scope.CloudID, item.CloudID},
		{"projectId", &out.ProjectID, scope.ProjectID, item.ProjectID},
		{"region", &out.Region, scope.Region, item.Region},
	} {
		switch {
		case f.got == "":
		case f.scoped == "":
			*f.dst = f.got
		case f.scoped != f.got:
			return out, invalidf("%s %q differs from the route's %q", f.what, f.got, f.scoped)
		}
	}
	return out, nil
}
