package main

import (
	"context"
	"strings"
	"sync"

	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// This file tells a signed-in user who may see an object but not act on
// it that they are forbidden (403, naming the role needed), instead of
// the "no such instance" their narrowed set would answer.

// roleToAct is the role every changing request needs.
const roleToAct = auth.RoleOperator

// forbiddenf returns a forbidden error.
func forbiddenf(format string, args ...any) error {
	return perspective.Errorf(perspective.CodeForbidden, format, args...)
}

// readOnly reports whether the caller may see clouds it may not act on
// in: a signed-in user's changing request, where d.set holds the clouds
// the user may act on and d.readable those they may see.
func (d *deps) readOnly() bool { return d.readable != nil }

// clouds returns the clouds of set that t matches.
func clouds(set *perspective.Set, t perspective.Target) []*perspective.Cloud {
	var out []*perspective.Cloud
	for _, c := range set.Clouds() {
		i := c.Info()
		if (t.CloudID == "" || t.CloudID == i.CloudID) && (t.ProjectID == "" || t.ProjectID == i.ProjectID || t.ProjectID == i.ProjectName) &&
			(t.Region == "" || t.Region == i.Region) {
			out = append(out, c)
		}
	}
	return out
}

// describe names the clouds of cs, "cloud/project/region" each.
func describe(cs []*perspective.Cloud) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		info := c.Info()
		names[i] = info.CloudID + "/" + info.ProjectID + "/" + info.Region
	}
	return strings.Join(names, ", ")
}

// createTarget checks that exactly one cloud the caller may act in
// matches t, for a request that creates something there (what, such as
// "instance 0"). It answers 403 naming the role when the caller only
// sees that cloud, and 400 naming the fields to give otherwise.
func (d *deps) createTarget(what string, t perspective.Target) error {
	cs := clouds(d.set, t)
	switch {
	case len(cs) == 1:
		return nil
	case len(cs) > 1:
		return invalidf("%s: %d clouds match (%s); say which with cloudId, projectId and region", what, len(cs), describe(cs))
	case d.readOnly():
		if seen := clouds(d.readable, t); len(seen) > 0 {
			return forbiddenf("%s: creating in %s needs the %s role; you may only view it", what, describe(seen), roleToAct)
		}
	}
	known := d.set
	if d.readOnly() {
		known = d.readable
	}
	if len(known.Clouds()) == 0 {
		return forbiddenf("%s: you may act in no cloud; creating needs the %s role in a project", what, roleToAct)
	}
	return invalidf("%s: no cloud matches cloudId %q, projectId %q, region %q (the clouds: %s)",
		what, t.CloudID, t.ProjectID, t.Region, describe(known.Clouds()))
}

// explainer turns the not-found results of a changing request into
// forbidden ones for the objects the caller may see. Each id is looked up
// once per request, whatever the operations asked about it (a dry run asks
// about fifteen).
type explainer struct {
	op   perspective.Operation
	find func(ctx context.Context, id string) (project string, ok bool)

	mu   sync.Mutex
	seen map[string]*string // id → its project, nil when the caller cannot see it
}

// explain returns the explainer of a request doing op on instances
// (images when images is true), or nil when the caller sees nothing it
// may not act on.
func (d *deps) explain(op perspective.Operation, images bool) *explainer {
	if !d.readOnly() {
		return nil
	}
	// An object counts when the caller sees it in a cloud they may not
	// act in: one they may act in answered not-found for another reason
	// (an unknown flavor, say).
	actsIn := func(t perspective.Target) bool { return len(clouds(d.set, t)) > 0 }
	find := func(ctx context.Context, id string) (string, bool) {
		inst, err := d.readable.Instances().Get(ctx, id)
		return inst.ProjectID, err == nil && !actsIn(perspective.Target{CloudID: inst.CloudID, ProjectID: inst.ProjectID, Region: inst.Region})
	}
	if images {
		find = func(ctx context.Context, id string) (string, bool) {
			img, err := d.readable.Images().Get(ctx, id)
			return img.ProjectID, err == nil && !actsIn(perspective.Target{CloudID: img.CloudID, ProjectID: img.ProjectID})
		}
	}
	return &explainer{op: op, find: find, seen: map[string]*string{}}
}

// as returns x explaining op instead; the lookups are shared.
func (x *explainer) as(op perspective.Operation) *explainer {
	if x == nil {
		return nil
	}
	return &explainer{op: op, find: x.lookup, seen: nil}
}

// lookup finds id's project once.
func (x *explainer) lookup(ctx context.Context, id string) (string, bool) {
	if x.seen == nil {
		return x.find(ctx, id)
	}
	x.mu.Lock()
	p, done := x.seen[id]
	x.mu.Unlock()
	if !done {
		if project, ok := x.find(ctx, id); ok {
			p = &project
		}
		x.mu.Lock()
		x.seen[id] = p
		x.mu.Unlock()
	}
	if p == nil {
		return "", false
	}
	return *p, true
}

// result returns r, forbidden when it is not found and the caller sees it.
func (x *explainer) result(ctx context.Context, r perspective.Result) perspective.Result {
	if x == nil || r.Err == nil || perspective.Code(r.Err) != perspective.CodeNotFound || r.ID == "" {
		return r
	}
	if project, ok := x.lookup(ctx, r.ID); ok {
		r.Err = forbiddenf("%s %s: needs the %s role in project %s; you may only view it", operationName(x.op), r.ID, roleToAct, project)
	}
	return r
}

// report applies result to every result of rep, and returns rep.
func (x *explainer) report(ctx context.Context, rep *perspective.Report) *perspective.Report {
	if x == nil || rep == nil {
		return rep
	}
	for i := range rep.Results {
		rep.Results[i] = x.result(ctx, rep.Results[i])
	}
	return rep
}

// option is the call option that explains each result before the task
// stores it (see task.track).
func (x *explainer) option(ctx context.Context, t *task) perspective.CallOption {
	if x == nil {
		return t.track()
	}
	return t.trackWith(func(r perspective.Result) perspective.Result { return x.result(ctx, r) })
}
