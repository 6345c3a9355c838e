package main

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/perspective"
)

// handleProjects serves GET /projects: the projects the credentials see.
func handleProjects(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		ps, err := d.cloud.Projects().List(r.Context())
		if err != nil {
			return 0, nil, err
		}
		out := make([]projectJSON, 0, len(ps))
		for _, p := range ps {
			out = append(out, projectOf(p))
		}
		return http.StatusOK, map[string]any{"projects": out}, nil
	})
}

// handleImages serves GET /images.
func handleImages(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		imgs, err := d.cloud.Images().List(r.Context())
		if err != nil {
			return 0, nil, err
		}
		out := make([]imageJSON, 0, len(imgs))
		for _, img := range imgs {
			out = append(out, imageOf(img))
		}
		return http.StatusOK, map[string]any{"images": out}, nil
	})
}

// handleImage serves GET /images/{id}: by id or name.
func handleImage(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		img, err := d.cloud.Images().Get(r.Context(), id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, imageOf(img), nil
	})
}

// project returns the {project} of the path, which the credentials must see.
func (d *deps) project(r *http.Request) (perspective.Project, error) {
	id, err := pathValue(r, "project")
	if err != nil {
		return perspective.Project{}, err
	}
	return d.cloud.Projects().Get(r.Context(), id)
}

// handleServers serves GET /projects/{project}/servers.
func handleServers(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		p, err := d.project(r)
		if err != nil {
			return 0, nil, err
		}
		insts, err := d.cloud.Instances().List(r.Context(), perspective.ListOptions{})
		if err != nil {
			return 0, nil, err
		}
		out := []serverJSON{}
		for _, inst := range insts {
			if inst.ProjectID == p.ID {
				out = append(out, serverOf(inst))
			}
		}
		return http.StatusOK, map[string]any{"servers": out}, nil
	})
}

// handleLaunch serves POST /projects/{project}/servers: it launches count
// servers (one by default) and answers 202 with them; they are launching.
// The cloud launches into the project its credentials are scoped to, so
// another project is refused.
func handleLaunch(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		p, err := d.project(r)
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[launchRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		if own := d.cloud.Info().ProjectID; own != "" && p.ID != own {
			return 0, nil, perspective.Errorf(perspective.CodeForbidden,
				"project %s: the credentials launch into project %s only", p.ID, own)
		}
		rep, err := d.cloud.Instances().Launch(r.Context(), perspective.LaunchSpec{Name: req.Name, Count: req.Count,
			FlavorID: req.ServerType, ImageID: req.Image, Networks: req.Networks})
		if rep == nil || rep.Succeeded() == 0 {
			if err == nil {
				err = perspective.Errorf(perspective.CodeUnknown, "launch %q: the cloud answered without a server", req.Name)
			}
			return 0, nil, err
		}
		out := launchedJSON{Servers: []serverJSON{}}
		for _, res := range rep.Results {
			switch {
			case res.Err != nil:
				out.Failed = append(out.Failed, errorDetail{Code: perspective.Code(res.Err).String(), Message: res.Err.Error()})
			case res.Instance != nil:
				out.Servers = append(out.Servers, serverOf(*res.Instance))
			}
		}
		return http.StatusAccepted, out, nil
	})
}

// server returns the {id} of the path.
func (d *deps) server(r *http.Request) (perspective.Instance, error) {
	id, err := pathValue(r, "id")
	if err != nil {
		return perspective.Instance{}, err
	}
	return d.cloud.Instances().Get(r.Context(), id)
}

// handleServer serves GET /servers/{id}.
func handleServer(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, serverOf(inst), nil
	})
}

// handleServerHead serves HEAD /servers/{id}: the power and virt status in
// headers, no body. An error is its status alone (a HEAD has no body).
func handleServerHead(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inst, err := d.server(r)
		if err != nil {
			var ae *apiError
			status, ok := statusOf[perspective.Code(err)]
			switch {
			case errors.As(err, &ae):
				status = ae.Status
			case !ok:
				status = http.StatusInternalServerError
			}
			w.WriteHeader(status)
			return
		}
		s := serverOf(inst)
		w.Header().Set("X-Server-Power-State", s.PowerState)
		w.Header().Set("X-Server-Status", s.Status)
		w.Header().Set("X-Server-State", string(s.State))
		w.WriteHeader(http.StatusOK)
	})
}

// handlePatch serves PATCH /servers/{id}: a new name, metadata keys set
// (null removes one), the whole list of tags. It answers the server.
func handlePatch(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[patchRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		ctx, ins, id := r.Context(), d.cloud.Instances(), inst.RealID
		// Every change is checked against the server's state before any is made.
		for _, op := range patchOps(req) {
			if err := perspective.Check(inst, op); err != nil {
				return 0, nil, err
			}
		}
		if req.Name != nil && *req.Name != inst.Name {
			if _, err := ins.Rename(ctx, map[string]string{id: *req.Name}); err != nil {
				return 0, nil, err
			}
		}
		set, unset := map[string]string{}, []string{}
		for k, v := range req.Metadata {
			if v == nil {
				unset = append(unset, k)
			} else {
				set[k] = *v
			}
		}
		if len(set) > 0 {
			if _, err := ins.SetMetadata(ctx, set, id); err != nil {
				return 0, nil, err
			}
		}
		if len(unset) > 0 {
			if _, err := ins.UnsetMetadata(ctx, unset, id); err != nil {
				return 0, nil, err
			}
		}
		if req.Tags != nil {
			add := slices.DeleteFunc(slices.Clone(*req.Tags), func(t string) bool { return slices.Contains(inst.Tags, t) })
			drop := slices.DeleteFunc(slices.Clone(inst.Tags), func(t string) bool { return slices.Contains(*req.Tags, t) })
			if len(add) > 0 {
				if _, err := ins.AddTags(ctx, add, id); err != nil {
					return 0, nil, err
				}
			}
			if len(drop) > 0 {
				if _, err := ins.RemoveTags(ctx, drop, id); err != nil {
					return 0, nil, err
				}
			}
		}
		inst, err = ins.Get(ctx, id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, serverOf(inst), nil
	})
}

// patchOps lists the operations a patch makes.
func patchOps(req patchRequest) []perspective.Operation {
	var ops []perspective.Operation
	if req.Name != nil {
		ops = append(ops, perspective.OpRename)
	}
	if req.Metadata != nil {
		ops = append(ops, perspective.OpSetMetadata)
	}
	if req.Tags != nil {
		ops = append(ops, perspective.OpTag)
	}
	return ops
}

// maxLogLines bounds ?lines= of a console log.
const maxLogLines = 10000

// handleConsoleLog serves GET /servers/{id}/console_log?lines=N (the last
// N lines; 100 by default).
func handleConsoleLog(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		q, err := httpjson.StrictQuery(r, httpjson.QueryBounds{MaxParams: 1, MaxValues: 1, MaxValueBytes: 8})
		if err != nil {
			return 0, nil, err
		}
		lines := 100
		for k := range q {
			if k != "lines" {
				return 0, nil, badRequest(fmt.Sprintf("query parameter %q: the only one is lines", k))
			}
			if lines, err = strconv.Atoi(q.Get("lines")); err != nil || lines < 1 || lines > maxLogLines {
				return 0, nil, badRequest(fmt.Sprintf("lines: %q; give from 1 to %d", q.Get("lines"), maxLogLines))
			}
		}
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		log, err := d.cloud.Instances().Log(r.Context(), inst.RealID, lines)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"server": inst.RealID, "lines": lines, "output": log}, nil
	})
}

// consoleTypes are the console types a client may ask for.
var consoleTypes = []string{"novnc", "xvpvnc", "spice-html5", "rdp-html5", "serial", "webmks"}

// handleConsole serves GET /servers/{id}/consoles/{type}: the URL of a
// remote console of that type. A type the cloud does not offer is 501.
func handleConsole(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		typ := r.PathValue("type")
		if !slices.Contains(consoleTypes, typ) {
			return 0, nil, badRequest(fmt.Sprintf("console type %q is not one of %v", cut(typ, 64), consoleTypes))
		}
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		c, err := d.cloud.Instances().Console(r.Context(), inst.RealID)
		if err != nil {
			return 0, nil, err
		}
		if c.Type != typ {
			return 0, nil, perspective.Errorf(perspective.CodeUnsupported,
				"console type %s: the cloud offers %s consoles of server %s", typ, c.Type, inst.RealID)
		}
		return http.StatusOK, map[string]any{"server": inst.RealID, "type": c.Type, "url": c.URL}, nil
	})
}

// handleDiagnostics serves GET /servers/{id}/diagnostics.
func handleDiagnostics(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		diag, err := d.cloud.Instances().Diagnostics(r.Context(), inst.RealID)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, diagnosticsOf(inst.RealID, diag), nil
	})
}
