package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
)

// maxSelected bounds the values of --project and --region.
const maxSelected = 256

// selection checks --project and --region: names or ids, each at most once;
// "all" alone means every one.
func (a *app) selection() error {
	for _, f := range []struct {
		flag string
		vals []string
	}{{"--project", a.projects}, {"--region", a.regions}} {
		if len(f.vals) > maxSelected {
			return usagef("%s: more than %d values", f.flag, maxSelected)
		}
		for i, v := range f.vals {
			switch {
			case v == "" || strings.TrimSpace(v) != v:
				return usagef("%s %q: empty or with spaces around it", f.flag, v)
			case strings.ContainsAny(v, ",&=?#/") || len(v) > 255:
				return usagef("%s %q: not a project or region name or id", f.flag, truncate(v))
			case slices.Contains(f.vals[:i], v):
				return usagef("%s %q given twice", f.flag, v)
			case v == "all" && len(f.vals) > 1:
				return usagef("%s all: all and names exclude each other", f.flag)
			}
		}
	}
	return nil
}

// truncate cuts a command-line value for a message.
func truncate(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "") + "…"
	}
	return s
}

// fleetURL makes an openstack:// URL open the fleet --project and --region
// select (projects=…&regions=…); other URLs, and runs without the flags,
// stay as they are. The other clouds are narrowed after opening (narrow).
func (a *app) fleetURL(raw string) (string, error) {
	if a.unselected || (len(a.projects) == 0 && len(a.regions) == 0) {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "openstack" {
		return raw, nil
	}
	q := u.Query()
	if q.Has("projects") || q.Has("regions") {
		return "", usagef("--cloud %s already selects projects or regions; drop --project/--region or those parameters", raw)
	}
	q.Set("projects", strings.Join(cmpOrAll(a.projects), ","))
	q.Set("regions", strings.Join(cmpOrAll(a.regions), ","))
	q.Del("region")
	base, _, _ := strings.Cut(raw, "?") // url.URL.String writes "openstack:?…" for an empty host
	return base + "?" + q.Encode(), nil
}

func cmpOrAll(vals []string) []string {
	if len(vals) == 0 {
		return []string{"all"}
	}
	return vals
}

// isFleet reports whether a URL opens a fleet of projects and regions.
func isFleet(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Query().Has("projects") || u.Query().Has("regions"))
}

// narrow keeps the clouds whose project (id or name) and region --project
// and --region name; a value no cloud matches is a usage error, so that a
// typo never acts on nothing silently.
func (a *app) narrow(set *perspective.Set) (*perspective.Set, error) {
	if a.unselected || (len(a.projects) == 0 && len(a.regions) == 0) {
		return set, nil
	}
	match := func(vals []string, of ...string) bool {
		return len(vals) == 0 || vals[0] == "all" || slices.ContainsFunc(of, func(s string) bool { return s != "" && slices.Contains(vals, s) })
	}
	// Select keeps the fleet's failed pairs of the selection: listings name them.
	narrowed := set.Select(func(i perspective.CloudInfo) bool {
		return match(a.projects, i.ProjectID, i.ProjectName) && match(a.regions, i.Region)
	})
	kept := narrowed.Clouds()
	for _, f := range []struct {
		flag string
		vals []string
		of   func(perspective.CloudInfo) []string
	}{
		{"--project", a.projects, func(i perspective.CloudInfo) []string { return []string{i.ProjectID, i.ProjectName} }},
		{"--region", a.regions, func(i perspective.CloudInfo) []string { return []string{i.Region} }},
	} {
		for _, v := range f.vals {
			if v == "all" {
				continue
			}
			if !slices.ContainsFunc(kept, func(c *perspective.Cloud) bool { return slices.Contains(f.of(c.Info()), v) }) {
				return nil, fmt.Errorf("%s %s: no cloud serves it%s", f.flag, v, a.why(v))
			}
		}
	}
	return narrowed, nil
}

// why says what the fleet knows of a project or region that opened no
// cloud: the error of its pairs, if any.
func (a *app) why(v string) string {
	if a.fleet == nil {
		return ""
	}
	for _, m := range a.fleet.Members() {
		if m.Err != nil && (m.Target.ProjectID == v || m.ProjectName == v || m.Target.Region == v) {
			return " (" + m.Err.Error() + ")"
		}
	}
	return ""
}

// one is the single project and region --rc and --endpoints act on (empty:
// the cloud's own); "all" or several values are a usage error there.
func (a *app) one() (project, region string, err error) {
	if len(a.projects) > 1 || len(a.regions) > 1 || slices.Contains(a.projects, "all") || slices.Contains(a.regions, "all") {
		return "", "", usagef("projects --rc and --endpoints take one --project and one --region")
	}
	if len(a.projects) == 1 {
		project = a.projects[0]
	}
	if len(a.regions) == 1 {
		region = a.regions[0]
	}
	return project, region, nil
}

// projectID is the id of the project v names (an id or a name) among the
// projects the clouds can see; v itself when none matches (the library then
// says it is not found).
func projectID(ctx context.Context, set *perspective.Set, v string) string {
	ps, err := set.Projects().List(ctx)
	if (err != nil && answeredPartly(err) == nil) || slices.ContainsFunc(ps, func(p perspective.Project) bool { return p.ID == v }) {
		return v
	}
	for _, p := range ps {
		if p.Name == v {
			return p.ID
		}
	}
	return v
}

// listProjects lists the projects: on a fleet, each project of the fleet
// with the regions it is open in (those --project/--region kept), and a
// line on stderr for each pair that did not open; otherwise what the
// clouds' credentials can see.
func (a *app) listProjects(ctx context.Context, set *perspective.Set) ([]perspective.Project, error) {
	if !a.openedFleet {
		return set.Projects().List(ctx)
	}
	var out []perspective.Project
	for _, fp := range a.fleet.Projects() {
		p := fp.Project.Clone()
		p.Regions = p.Regions[:0]
		p.CloudID = ""
		for _, r := range fp.Regions {
			if c, ok := set.Cloud(perspective.Target{ProjectID: p.ID, Region: r.ID}); ok {
				p.Regions = append(p.Regions, r)
				p.CloudID = cmpOr(p.CloudID, c.Info().CloudID) // its first region's cloud
			}
		}
		for _, e := range fp.Errors {
			fmt.Fprintf(a.stderr, "project %s, region %s: %v\n", e.ProjectName, cmpOr(e.Target.Region, "(any)"), e.Err)
		}
		if len(p.Regions) > 0 || len(fp.Errors) > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}
