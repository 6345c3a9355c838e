package main

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/perspective-cloud/sdk/perspective"
)

// idsOp is a library operation that takes only instance ids.
type idsOp func(s *perspective.Instances, ctx context.Context, ids ...string) (*perspective.Report, error)

// idsOps are the instance operations whose body is a plain list of ids.
var idsOps = map[perspective.Operation]idsOp{
	perspective.OpDelete:        (*perspective.Instances).Delete,
	perspective.OpReboot:        (*perspective.Instances).Reboot,
	perspective.OpHardReboot:    (*perspective.Instances).HardReboot,
	perspective.OpStart:         (*perspective.Instances).Start,
	perspective.OpShutdown:      (*perspective.Instances).Shutdown,
	perspective.OpPause:         (*perspective.Instances).Pause,
	perspective.OpResume:        (*perspective.Instances).Resume,
	perspective.OpSuspend:       (*perspective.Instances).Suspend,
	perspective.OpConfirmResize: (*perspective.Instances).ConfirmResize,
	perspective.OpRevertResize:  (*perspective.Instances).RevertResize,
	perspective.OpLock:          (*perspective.Instances).Lock,
	perspective.OpUnlock:        (*perspective.Instances).Unlock,
}

// handleIDsOp serves an operation whose body is a JSON list of instance ids.
func handleIDsOp(d *deps, op perspective.Operation) http.Handler {
	call := idsOps[op]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids, err := decode[idList](w, r)
		if err == nil {
			err = d.inScope(r, ids...)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		x := d.explain(op, false)
		d.runBulk(w, r, op, ids, func(ctx context.Context, t *task) (*perspective.Report, error) {
			rep, err := call(insts.With(x.option(ctx, t)), ctx, ids...)
			return x.report(ctx, rep), err
		})
	})
}

// selectionOp runs an operation that needs an argument besides the ids;
// it returns an invalid-argument error when the argument is missing.
type selectionOp func(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error)

// handleSelectionOp serves an operation whose body is a selection; check
// completes it from the path (resize/{flavorId}) and refuses it when the
// operation's argument is missing.
func handleSelectionOp(d *deps, op perspective.Operation, check func(*selection, *http.Request) error, call selectionOp) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sel, err := decode[selection](w, r)
		if err == nil {
			err = check(&sel, r)
		}
		if err == nil {
			err = d.inScope(r, sel.IDs...)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		insts, err := d.instances(r)
		if err == nil {
			err = d.checkArgument(r, op, sel)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		x := d.explain(op, false)
		d.runBulk(w, r, op, sel.IDs, func(ctx context.Context, t *task) (*perspective.Report, error) {
			rep, err := call(insts.With(x.option(ctx, t)), ctx, sel)
			return x.report(ctx, rep), err
		})
	})
}

// checkArgument refuses, before a task starts, a resize to a flavor or a
// rebuild from an image that no cloud of the route's scope has: 400, as
// a launch naming it is, rather than a 404 that reads as "no such instance".
func (d *deps) checkArgument(r *http.Request, op perspective.Operation, sel selection) error {
	t, err := d.scope(r)
	if err != nil || len(clouds(d.set, t)) == 0 {
		return err // with no cloud to act in, each item says why it is refused
	}
	switch op {
	case perspective.OpResize:
		_, err = d.set.Flavors().In(t).Get(r.Context(), sel.FlavorID)
		if perspective.Code(err) == perspective.CodeNotFound {
			return invalidf("flavorId: no flavor %s in the clouds you may act in", shortQuote(sel.FlavorID))
		}
	case perspective.OpRebuild:
		_, err = d.set.Images().In(t).Get(r.Context(), sel.ImageID)
		if perspective.Code(err) == perspective.CodeNotFound {
			return invalidf("imageId: no image %s in the clouds you may act in", shortQuote(sel.ImageID))
		}
	}
	return nil // any other failure is the items' to report
}

// Checks of the selection routes' arguments.

// needPathArg returns the check of an argument that either the path's
// {param} (which wins) or the body's field carries, for PUT
// …/instances/{route}/{param}.
func needPathArg(param, route string, field func(*selection) *string) func(*selection, *http.Request) error {
	return func(s *selection, r *http.Request) error {
		f := field(s)
		if v := r.PathValue(param); v != "" {
			*f = v
		}
		if *f == "" {
			return invalidf("%s is required: PUT …/instances/%s/{%s} with a list of ids, or {\"ids\":[…],\"%s\":\"…\"}",
				param, route, param, param)
		}
		return nil
	}
}

var (
	needFlavor = needPathArg("flavorId", "resize", func(s *selection) *string { return &s.FlavorID })
	needImage  = needPathArg("imageId", "rebuild", func(s *selection) *string { return &s.ImageID })
)

func needTags(s *selection, _ *http.Request) error {
	if len(s.Tags) == 0 {
		return invalidf("tags are required: {\"ids\":[…],\"tags\":[\"…\"]}")
	}
	return nil
}

func anyArgs(*selection, *http.Request) error { return nil }

// Calls of the selection routes.

func resize(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.Resize(ctx, sel.FlavorID, sel.IDs...)
}

func rebuild(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.Rebuild(ctx, sel.ImageID, sel.IDs...)
}

func snapshot(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.Snapshot(ctx, sel.Name, sel.IDs...)
}

func addTags(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.AddTags(ctx, sel.Tags, sel.IDs...)
}

func removeTags(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.RemoveTags(ctx, sel.Tags, sel.IDs...)
}

func addIP(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.AddFloatingIP(ctx, perspective.FloatingIPRequest{Network: sel.Network, Address: sel.Address}, sel.IDs...)
}

func removeIP(s *perspective.Instances, ctx context.Context, sel selection) (*perspective.Report, error) {
	return s.RemoveFloatingIP(ctx, sel.Address, sel.IDs...)
}

// handleRename serves PUT /instances/rename: {"<id>": "<new name>", …}.
func handleRename(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		names, err := decode[renameMap](w, r)
		if err == nil {
			err = d.inScope(r, slices.Collect(maps.Keys(names))...)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		// The library reports renames in id order.
		ids := slices.Sorted(maps.Keys(names))
		x := d.explain(perspective.OpRename, false)
		d.runBulk(w, r, perspective.OpRename, ids, func(ctx context.Context, t *task) (*perspective.Report, error) {
			rep, err := insts.With(x.option(ctx, t)).Rename(ctx, names)
			return x.report(ctx, rep), err
		})
	})
}

// handleGetInstance serves GET /instances/{id} in seed 001's shape.
func handleGetInstance(d *deps) http.Handler {
	return jsonHandler(func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.instanceInPath(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, instanceOf(&inst), nil
	})
}

// handleListInstances serves GET …/instances/all, optionally filtered by
// ?name= (a substring), ?state= and ?tag= (both repeatable). The answer
// carries an ETag; If-None-Match with it gets 304 while nothing changed.
// Clouds that fail leave their instances out and are named in the
// Perspective-Failed-Clouds header (partial.go).
func handleListInstances(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		q := r.URL.Query()
		opts := perspective.ListOptions{Name: q.Get("name"), Tags: q["tag"]}
		for _, s := range q["state"] {
			st, err := perspective.ParseState(s)
			if err != nil {
				writeError(w, err)
				return
			}
			opts.States = append(opts.States, st)
		}
		list, err := insts.List(r.Context(), opts)
		if err = answered(w, err); err != nil {
			writeError(w, err)
			return
		}
		encodeTagged(w, r, instancesOf(list))
	})
}

// handleConsole serves GET /instances/{id}/console: a redirect to the
// instance's remote console.
func handleConsole(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		con, err := insts.Console(r.Context(), r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		http.Redirect(w, r, con.URL, http.StatusFound)
	})
}

// handleLog serves GET /instances/{id}/log as plain text; ?lines=N keeps
// the last N lines.
func handleLog(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lines := 0
		if s := r.URL.Query().Get("lines"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				writeError(w, invalidf("lines: %q is not a non-negative number", s))
				return
			}
			lines = n
		}
		insts, err := d.instances(r)
		if err != nil {
			writeError(w, err)
			return
		}
		text, err := insts.Log(r.Context(), r.PathValue("id"), lines)
		if err != nil {
			writeError(w, err)
			return
		}
		writeText(w, http.StatusOK, "text/plain; charset=utf-8", text)
	})
}

// instanceInPath reads the instance the request's {id} names, within what
// the caller may see.
func (d *deps) instanceInPath(r *http.Request) (perspective.Instance, error) {
	insts, err := d.instances(r)
	if err != nil {
		return perspective.Instance{}, err
	}
	return insts.Get(r.Context(), r.PathValue("id"))
}
