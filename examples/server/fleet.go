package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// fleetQuery makes an OpenStack URL open the user's whole fleet: every
// project they have a role on, in every region of its catalog with compute.
const fleetQuery = "projects=all&regions=all"

// fleetOf returns fl when one of the URLs asks for a fleet (projects= or
// regions=): /projects/list then lists the fleet's projects with the
// regions each is open in. Plain URLs keep the clouds' own project listing.
func fleetOf(urls []string, fl *perspective.Fleet) *perspective.Fleet {
	for _, raw := range urls {
		if u, err := url.Parse(raw); err == nil && (u.Query().Has("projects") || u.Query().Has("regions")) {
			return fl
		}
	}
	return nil
}

// printMembers says what the server serves: a line per cloud, and per pair
// of the fleet that is not open, why.
func printMembers(w io.Writer, fl *perspective.Fleet) {
	for _, m := range fl.Members() {
		switch {
		case m.Cloud != nil:
			i := m.Cloud.Info()
			fmt.Fprintf(w, "serving %s cloud %q: project %q, region %q\n", i.Type, i.CloudID, i.ProjectID, i.Region)
		case m.Err != nil:
			fmt.Fprintf(w, "not serving project %q, region %q: %v\n", m.ProjectName, m.Target.Region, m.Err)
		default:
			fmt.Fprintf(w, "not serving project %q, region %q: %s\n", m.ProjectName, m.Target.Region, m.Note)
		}
	}
}

// fleetProjects is /projects/list on a fleet: each project with the regions
// it is served in, within what the caller may see (d.set is narrowed per
// user). A project none of whose regions opened is listed, without regions,
// to callers who see the whole fleet only.
func fleetProjects(d *deps) []perspective.Project {
	whole := d.set == d.fleet.Set()
	out := []perspective.Project{}
	for _, fp := range d.fleet.Projects() {
		p := fp.Project.Clone()
		p.Regions = p.Regions[:0]
		p.CloudID = ""
		for _, r := range fp.Regions {
			if c, ok := d.set.Cloud(perspective.Target{ProjectID: p.ID, Region: r.ID}); ok {
				p.Regions = append(p.Regions, r)
				if p.CloudID == "" {
					p.CloudID = c.Info().CloudID // its first region's cloud
				}
			}
		}
		if len(p.Regions) > 0 || (whole && len(fp.Errors) > 0) {
			out = append(out, p)
		}
	}
	return out
}

// byProjectName lets a scoped route name its project by name as well as by
// id: /projects/web/regions/R1/… is the project whose name is web when no
// project has the id web.
func (d *deps) byProjectName(t perspective.Target) perspective.Target {
	if t.ProjectID == "" {
		return t
	}
	if _, ok := d.set.Cloud(perspective.Target{ProjectID: t.ProjectID}); ok {
		return t
	}
	for _, c := range d.set.Clouds() {
		if i := c.Info(); i.ProjectName == t.ProjectID {
			t.ProjectID = i.ProjectID
			return t
		}
	}
	return t
}

// inScope checks, on a route scoped to a project and region, that no id is
// an instance the server knows in another project or region: such a call
// is a 404 naming the mismatch, never an action elsewhere (the scoped
// handle would not find the id anyway; this says why). Ids no cloud has
// seen are left to the scoped handle, which looks only in its own cloud.
func (d *deps) inScope(r *http.Request, ids ...string) error {
	t := d.byProjectName(targetOf(r))
	if t == (perspective.Target{}) {
		return nil
	}
	for _, id := range ids {
		for _, c := range d.set.Clouds() {
			ref, ok := c.Resolve(id)
			if !ok || ref.Kind != perspective.KindInstance {
				continue
			}
			i := c.Info()
			if (t.ProjectID == "" || t.ProjectID == i.ProjectID) && (t.Region == "" || t.Region == i.Region) {
				break
			}
			return notFoundf("instance %s is in project %s (%s), region %s, not in project %s, region %s of this route",
				clip(id, 64), i.ProjectName, i.ProjectID, i.Region, clip(r.PathValue("project"), 64), clip(r.PathValue("region"), 64))
		}
	}
	return nil
}

// How often a fleet is expanded again by default, and at least: each
// refresh lists the user's projects and re-scopes a token to each (one
// Keystone request per project), so a project added later is served, and
// one lost is reported, within defaultRefresh.
const (
	defaultRefresh = 5 * time.Minute
	minRefresh     = time.Second
)

// liveServer serves the API over the current Set of the fleet: after a
// refresh it serves the new Set (projects and regions added appear, lost
// ones are reported as failed clouds), while requests in flight finish on
// the one they started with, whose clouds stay open until the fleet closes.
type liveServer struct {
	base    *deps // its set is replaced by each refresh's
	handler atomic.Pointer[http.Handler]

	mu   sync.Mutex // one refresh at a time
	warm sync.WaitGroup
}

// newLiveServer serves d; refresh makes it follow d.fleet.
func newLiveServer(d *deps) *liveServer {
	s := &liveServer{base: d}
	h := newServer(d)
	s.handler.Store(&h)
	return s
}

// ServeHTTP serves r with the handler of the current Set.
func (s *liveServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.handler.Load()).ServeHTTP(w, r)
}

// refresh expands the fleet again and serves its new Set; the clouds new
// to it start reading their instances in the background (ctx bounds that).
// It reports what changed, for the log. A fleet that cannot be expanded
// stays as it was, and so does the server.
func (s *liveServer) refresh(ctx context.Context) (added, gone int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fl := s.base.fleet
	old := s.base.set
	if err := fl.Refresh(ctx); err != nil {
		return 0, 0, err
	}
	set := fl.Set()
	before := map[*perspective.Cloud]bool{}
	for _, c := range old.Clouds() {
		before[c] = true
	}
	for _, c := range set.Clouds() {
		if before[c] {
			delete(before, c)
			continue
		}
		added++
		s.warm.Go(func() { _ = c.Sync(ctx) }) // a failure shows in c.SyncStats, and so in /ping
	}
	d := *s.base
	d.set = set
	h := newServer(&d)
	s.handler.Store(&h)
	if d.users != nil {
		d.users.forget(set)
	}
	s.base = &d
	return added, len(before), nil
}

// current returns the Set served now.
func (s *liveServer) current() *perspective.Set {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base.set
}

// refreshEvery refreshes the fleet every interval until ctx ends, logging
// what changed and what failed. The function it returns stops the loop
// and waits for it and for the clouds it started warming.
func (s *liveServer) refreshEvery(ctx context.Context, every time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			added, gone, err := s.refresh(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("fleet refresh failed; serving the fleet as it was", "err", err)
			case added+gone > 0:
				log.Info("fleet refreshed", "clouds", len(s.current().Clouds()), "added", added, "gone", gone)
			}
		}
	}()
	return func() {
		cancel()
		<-done
		s.warm.Wait()
	}
}
