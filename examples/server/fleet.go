package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"

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
