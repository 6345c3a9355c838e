package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// visible lists the instances of the projects u sees, one project's cloud
// after the other, so that a cloud u has nothing to do with can neither
// slow nor fail u's listing.
func (p *portal) visible(ctx context.Context, u *user) ([]listed, error) {
	var out []listed
	for _, pr := range p.ordered {
		if !u.sees(pr) {
			continue
		}
		insts, err := p.set.Instances().In(pr.target).List(ctx, perspective.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("project %s: %w", pr.Name, err)
		}
		for _, in := range insts {
			out = append(out, listed{inst: in, proj: pr})
		}
	}
	return out, nil
}

// find returns the instance of a URL's {uuid} if u may see it. An instance
// of a project u does not see is not found, as if it did not exist.
func (p *portal) find(ctx context.Context, u *user, raw string) (listed, error) {
	id, ok := instanceID(raw)
	if !ok {
		if len(raw) > 64 { // an answer never echoes a huge input
			return listed{}, notFound(fmt.Sprintf("no instance: a uuid of %d bytes is not a uuid", len(raw)))
		}
		return listed{}, notFound(fmt.Sprintf("no instance %q: not a uuid", raw))
	}
	inst, err := p.set.Instances().Get(ctx, id)
	if perspective.Code(err) == perspective.CodeNotFound {
		return listed{}, notFound(fmt.Sprintf("no instance %s", raw))
	}
	if err != nil {
		return listed{}, err
	}
	pr, ok := p.projectOf(inst)
	if !ok || !u.sees(pr) {
		return listed{}, notFound(fmt.Sprintf("no instance %s", raw))
	}
	return listed{inst: inst, proj: pr}, nil
}

// handleList serves GET /api/instances/: the instances the user sees,
// filtered and ordered as the URL says. The query string is read and
// bounded first: a malformed or oversized one costs no cloud call.
func handleList(d *deps) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		values, err := listValues(r.URL.RawQuery)
		if err != nil {
			return 0, nil, err
		}
		all, err := d.portal.visible(ctx, u)
		if err != nil {
			return 0, nil, err
		}
		kept, err := d.portal.filterInstances(ctx, values, all)
		if err != nil {
			return 0, nil, err
		}
		base := baseURL(r)
		out := make([]instanceJSON, 0, len(kept))
		for _, l := range kept {
			out = append(out, d.portal.render(base, l.proj, l.inst))
		}
		return http.StatusOK, out, nil
	})
}

// handleGet serves GET /api/instances/{uuid}/.
func handleGet(d *deps) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		l, err := d.portal.find(ctx, u, r.PathValue("uuid"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, d.portal.render(baseURL(r), l.proj, l.inst), nil
	})
}
