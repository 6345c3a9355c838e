package main

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// tagPrefix is the extra-spec key prefix that holds a server type's tags:
// vNext server types have tags where Nova's flavors have extra specs.
const tagPrefix = "vnext:tag:"

// handleServerTypes serves GET /server_types. The listing is the cloud's
// one listing of flavors; tags and share are read per server type, on
// GET /server_types/{id}, so that a listing costs one request.
func handleServerTypes(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		fs, err := d.cloud.Flavors().List(r.Context())
		if err != nil {
			return 0, nil, err
		}
		out := make([]serverTypeJSON, 0, len(fs))
		for _, f := range fs {
			out = append(out, serverTypeOf(f))
		}
		return http.StatusOK, map[string]any{"server_types": out}, nil
	})
}

// handleServerType serves GET /server_types/{id}: with its tags and, for
// a private one, the projects it is shared with, when the credentials may
// read them.
func handleServerType(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		st, err := d.serverType(r.Context(), id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, st, nil
	})
}

// serverType reads one server type with its tags and share.
func (d *deps) serverType(ctx context.Context, id string) (serverTypeJSON, error) {
	f, err := d.cloud.Flavors().Get(ctx, id)
	if err != nil {
		return serverTypeJSON{}, err
	}
	st := serverTypeOf(f)
	specs, err := d.op.ExtraSpecs(ctx, f.ID)
	if err := unreadable(err); err != nil {
		return st, err
	}
	for k := range specs {
		if tag, ok := strings.CutPrefix(k, tagPrefix); ok {
			st.Tags = append(st.Tags, tag)
		}
	}
	slices.Sort(st.Tags)
	if !f.IsPublic {
		share, err := d.op.FlavorAccess(ctx, f.ID)
		if err := unreadable(err); err != nil {
			return st, err
		}
		st.Share = share
	}
	return st, nil
}

// unreadable keeps err unless it says the credentials may not read, or
// the cloud cannot tell, what was asked: then the field is left out.
func unreadable(err error) error {
	switch perspective.Code(err) {
	case perspective.CodeForbidden, perspective.CodeUnsupported:
		return nil
	}
	return err
}

// handleCreateServerType serves POST /server_types: it creates the flavor,
// shares it with the projects of share (then private) and sets its tags.
// Should sharing or tagging fail, the new flavor is deleted again, so that
// a refused request leaves nothing behind.
func handleCreateServerType(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		req, err := decode[serverTypeRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		ctx := r.Context()
		f, err := d.op.CreateFlavor(ctx, operator.FlavorSpec{Name: req.Name, VCPUs: req.VCPUs, RAM: req.RAM,
			RootDisk: req.Disk, IsPublic: len(req.Share) == 0, Description: req.Description})
		if err != nil {
			return 0, nil, err
		}
		if err := d.shareAndTag(ctx, f.ID, req); err != nil {
			// The request's own context may be what ended: undo regardless.
			if derr := d.op.DeleteFlavor(context.WithoutCancel(ctx), f.ID); derr != nil {
				return 0, nil, errors.Join(err, derr)
			}
			return 0, nil, err
		}
		st, err := d.serverType(ctx, f.ID)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/server_types/"+f.ID)
		return http.StatusCreated, st, nil
	})
}

func (d *deps) shareAndTag(ctx context.Context, id string, req serverTypeRequest) error {
	for _, p := range req.Share {
		if err := d.op.AddFlavorAccess(ctx, id, p); err != nil {
			return err
		}
	}
	if len(req.Tags) == 0 {
		return nil
	}
	specs := make(map[string]string, len(req.Tags))
	for _, t := range req.Tags {
		specs[tagPrefix+t] = "true"
	}
	return d.op.SetExtraSpecs(ctx, id, specs)
}

// handleUpdateServerType serves PATCH /server_types/{id}: a new
// description, and share as the whole new list of projects of a private
// server type (a public one is seen by every project: 409).
func handleUpdateServerType(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[serverTypePatch](w, r)
		if err != nil {
			return 0, nil, err
		}
		ctx := r.Context()
		f, err := d.cloud.Flavors().Get(ctx, id)
		if err != nil {
			return 0, nil, err
		}
		if req.Share != nil {
			if f.IsPublic {
				return 0, nil, perspective.Errorf(perspective.CodeConflict,
					"server type %s is public: every project sees it, and a cloud cannot make it private; create a private one with share", f.ID)
			}
			if err := d.reshare(ctx, f.ID, *req.Share); err != nil {
				return 0, nil, err
			}
		}
		if req.Description != nil {
			if _, err := d.op.UpdateFlavor(ctx, f.ID, operator.FlavorUpdate{Description: req.Description}); err != nil {
				return 0, nil, err
			}
		}
		st, err := d.serverType(ctx, f.ID)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, st, nil
	})
}

// reshare makes the projects a private flavor is shared with exactly want.
func (d *deps) reshare(ctx context.Context, id string, want []string) error {
	have, err := d.op.FlavorAccess(ctx, id)
	if err != nil {
		return err
	}
	for _, p := range want {
		if !slices.Contains(have, p) {
			if err := d.op.AddFlavorAccess(ctx, id, p); err != nil {
				return err
			}
		}
	}
	for _, p := range have {
		if !slices.Contains(want, p) {
			if err := d.op.RemoveFlavorAccess(ctx, id, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// handleDeleteServerType serves DELETE /server_types/{id}: 204. Servers of
// that type keep running.
func handleDeleteServerType(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		if err := d.op.DeleteFlavor(r.Context(), id); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	})
}
