package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// scheduled is the answer to an action: 202 and what was scheduled, as
// Waldur answers.
type scheduled struct {
	Status string `json:"status"`
}

// admit checks, before anything is sent to the cloud, that the state
// machine allows op on the instance now; the 409 says why not in the
// portal's vocabulary. The library checks again when it acts.
func admit(l listed, op perspective.Operation, verb string) error {
	err := perspective.Check(l.inst, op)
	if err == nil {
		return nil
	}
	if errors.Is(err, perspective.ErrLocked) {
		return conflict(err.Error())
	}
	t, _ := perspective.TransitionOf(op)
	return conflict(fmt.Sprintf("instance %q is %s; %s is allowed only when it is %s",
		l.inst.Name, stateOf(l.inst.State).Name, verb, statesNamed(t.From)))
}

// manageable finds the instance of the URL and checks that u may act on it.
func (p *portal) manageable(ctx context.Context, u *user, r *http.Request, verb string) (listed, error) {
	l, err := p.find(ctx, u, r.PathValue("uuid"))
	if err != nil {
		return l, err
	}
	if !u.manages(l.proj) {
		return l, forbidden(fmt.Sprintf("only staff and the administrators of project %q may %s its instances", l.proj.Name, verb))
	}
	return l, nil
}

// handleAction serves POST /api/instances/{uuid}/start/, /stop/ and
// /restart/: staff and the project's administrators start, stop or
// restart an instance whose state allows it.
func handleAction(d *deps, op perspective.Operation, verb string) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		l, err := d.portal.manageable(ctx, u, r, verb)
		if err != nil {
			return 0, nil, err
		}
		if err := admit(l, op, verb); err != nil {
			return 0, nil, err
		}
		is := d.portal.set.Instances()
		switch op {
		case perspective.OpStart:
			_, err = is.Start(ctx, l.inst.ID)
		case perspective.OpShutdown:
			_, err = is.Shutdown(ctx, l.inst.ID)
		case perspective.OpReboot:
			_, err = is.Reboot(ctx, l.inst.ID)
		default:
			err = unsupported(fmt.Sprintf("%s is not an action of the portal", op))
		}
		if err != nil {
			return 0, nil, err
		}
		return http.StatusAccepted, scheduled{Status: verb + " was scheduled"}, nil
	})
}

// handleDelete serves DELETE /api/instances/{uuid}/: only an Offline
// instance may be deleted (seed 004), by staff or the project's
// administrators.
func handleDelete(d *deps) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		l, err := d.portal.manageable(ctx, u, r, "delete")
		if err != nil {
			return 0, nil, err
		}
		if st := stateOf(l.inst.State); st.Symbol != "-" {
			return 0, nil, conflict(fmt.Sprintf("instance %q is %s; only Offline instances can be deleted: stop it first", l.inst.Name, st.Name))
		}
		if err := admit(l, perspective.OpDelete, "delete"); err != nil {
			return 0, nil, err
		}
		if _, err := d.portal.set.Instances().Delete(ctx, l.inst.ID); err != nil {
			return 0, nil, err
		}
		return http.StatusAccepted, scheduled{Status: "destroy was scheduled"}, nil
	})
}

// resizeRequest is the body of POST /api/instances/{uuid}/resize/: a
// flavor (a link, an id or a name) or a data disk size in MiB.
type resizeRequest struct {
	Flavor   *string `json:"flavor"`
	DiskSize *int    `json:"disk_size"`
}

// Validate checks that exactly one of flavor and disk_size is given.
func (q *resizeRequest) Validate() error {
	switch {
	case q.Flavor == nil && q.DiskSize == nil:
		return badRequest("request body: give flavor or disk_size")
	case q.Flavor != nil && q.DiskSize != nil:
		return badRequest("request body: give flavor or disk_size, not both")
	case q.Flavor != nil && refID(*q.Flavor) == "":
		return badRequest("request body: flavor is empty")
	case q.DiskSize != nil && *q.DiskSize <= 0:
		return badRequest(fmt.Sprintf("request body: disk_size must be a positive number of MiB, not %d", *q.DiskSize))
	}
	return nil
}

// handleResize serves POST /api/instances/{uuid}/resize/. A new flavor is
// confirmed by the portal once the cloud has applied it; a data disk
// cannot be resized through the library (501).
func handleResize(d *deps) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, w http.ResponseWriter, r *http.Request) (int, any, error) {
		p := d.portal
		l, err := p.manageable(ctx, u, r, "resize")
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[resizeRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		if req.DiskSize != nil {
			return 0, nil, unsupported("disk_size: resizing a data disk is not supported: the library has no volume operations")
		}
		if err := admit(l, perspective.OpResize, "resize"); err != nil {
			return 0, nil, err
		}
		f, err := p.set.Flavors().In(l.proj.target).Get(ctx, refID(*req.Flavor))
		if perspective.Code(err) == perspective.CodeNotFound {
			return 0, nil, badRequest(fmt.Sprintf("flavor: no flavor %q in the cloud of project %q", refID(*req.Flavor), l.proj.Name))
		}
		if err != nil {
			return 0, nil, err
		}
		if _, err := p.set.Instances().Resize(ctx, f.ID, l.inst.ID); err != nil {
			return 0, nil, err
		}
		d.confirm.After(l.inst.ID)
		return http.StatusAccepted, scheduled{Status: "resize was scheduled"}, nil
	})
}
