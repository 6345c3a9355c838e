package openstack

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/projects"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
	"github.com/gophercloud/gophercloud/v2/pagination"
	"golang.org/x/sync/errgroup"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

func init() { perspective.RegisterFleet(Scheme, OpenFleetURL) }

// fleetConcurrency bounds the projects a fleet opens at once (each a
// re-scope request to Keystone, then its regions).
const fleetConcurrency = 8

// OpenFleet opens every project of sel the credentials of c have a role on,
// times every region of sel in that project's catalog with a compute
// endpoint, as a perspective.Fleet of one Cloud per (project, region).
//
// The user authenticates once; each project gets one token re-scoped from
// the user's (one Keystone request per project), shared by the clients of
// its regions; projects open concurrently; and the compute microversion is
// negotiated once per compute endpoint. Each Cloud's CloudID is
// "<c's CloudID>/<project id>/<region>", so that the same server id in two
// regions has two global ids. A project the user cannot scope to is a member
// with a forbidden error, a project or region named in sel but absent a
// member with a not-found error; a region of a catalog without compute is
// skipped with a note.
func OpenFleet(ctx context.Context, c Config, sel Selection, opts ...perspective.Option) (*perspective.Fleet, error) {
	src, err := NewFleetSource(ctx, c, sel)
	if err != nil {
		return nil, err
	}
	return perspective.NewFleet(ctx, []perspective.FleetSource{src}, opts...)
}

// OpenFleetURL is the fleet opener this package registers with
// perspective.RegisterFleet: a URL read by FleetFromURL, e.g.
// "openstack://?projects=all&regions=all". A URL without projects and
// regions is one member, the cloud perspective.Open would open.
func OpenFleetURL(ctx context.Context, u *url.URL) (perspective.FleetSource, error) {
	return OpenFleetSource(ctx, u, nil)
}

// OpenFleetSource is OpenFleetURL reading the OS_* variables through getenv
// (os.Getenv when nil), for programs that decide what the driver sees.
func OpenFleetSource(ctx context.Context, u *url.URL, getenv func(string) string) (perspective.FleetSource, error) {
	c, sel, err := FleetFromURL(u, getenv)
	if err != nil {
		return nil, err
	}
	if !sel.fleet {
		d, err := New(ctx, c)
		if err != nil {
			return nil, err
		}
		return perspective.StaticSource(d), nil
	}
	return NewFleetSource(ctx, c, sel)
}

// FleetSource is the perspective.FleetSource of an OpenStack fleet: the
// user's authentication, a re-scoped token per project and the drivers of
// its (project, region) pairs. Expand lists the user's projects again and
// re-scopes each (which is how a lost project shows); the drivers of pairs
// still there are kept.
type FleetSource struct {
	cfg      Config
	sel      Selection
	base     string                      // CloudID prefix of the pairs
	user     *gophercloud.ProviderClient // the user's own authentication
	identity *gophercloud.ServiceClient  // Keystone with the user's token
	rescoper *gophercloud.ServiceClient  // Keystone without re-authentication: re-scope requests

	mu     sync.Mutex
	scopes map[string]*projectScope // project id → its token
	pairs  map[pairKey]*fleetDriver
	mvs    map[string]*mvEntry // compute endpoint → negotiated microversion
}

type pairKey struct{ project, region string }

// NewFleetSource authenticates the user of c once and returns the source
// of the fleet sel names; perspective.NewFleet expands it. A Token in c
// cannot be renewed, as for New.
func NewFleetSource(ctx context.Context, c Config, sel Selection) (*FleetSource, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	sel, err := sel.normalized()
	if err != nil {
		return nil, err
	}
	user, err := authenticate(ctx, c)
	if err != nil {
		return nil, err
	}
	identity, err := openstack.NewIdentityV3(user, gophercloud.EndpointOpts{})
	if err != nil {
		return nil, classify(err, "open", "", "identity endpoint")
	}
	raw, err := newProvider(c)
	if err != nil {
		return nil, err
	}
	rescoper := *identity
	rescoper.ProviderClient = raw
	return &FleetSource{cfg: c, sel: sel, base: c.cloudID(), user: user, identity: identity, rescoper: &rescoper,
		scopes: map[string]*projectScope{}, pairs: map[pairKey]*fleetDriver{}, mvs: map[string]*mvEntry{}}, nil
}

// PairCloudID is the CloudID of the fleet member for a project and region.
func PairCloudID(base, projectID, region string) string {
	return base + "/" + projectID + "/" + region
}

// Close releases the user's idle connections; the drivers are the fleet's.
func (f *FleetSource) Close() error {
	f.user.HTTPClient.CloseIdleConnections()
	return nil
}

// Expand lists the user's projects, re-scopes a token to each chosen one
// and returns a member per (project, region) pair; see OpenFleet.
func (f *FleetSource) Expand(ctx context.Context) ([]perspective.FleetMember, error) {
	var listed []projects.Project
	err := projects.ListAvailable(f.identity).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		list, err := projects.ExtractProjects(p)
		listed = append(listed, list...)
		return err == nil, err
	})
	if err != nil {
		return nil, scrub(classify(err, perspective.OpList, perspective.KindProject, ""), f.cfg.secrets())
	}
	chosen, out := f.choose(listed)

	// pairs of projects no longer listed: the user lost them
	f.mu.Lock()
	for k, d := range f.pairs {
		if !slices.ContainsFunc(chosen, func(p projects.Project) bool { return p.ID == k.project }) &&
			!slices.ContainsFunc(listed, func(p projects.Project) bool { return p.ID == k.project }) {
			out = append(out, f.lost(k, d.info.ProjectName, driver.Errorf(driver.CodeForbidden,
				"openstack: project %s (%s) is no longer among the user's projects", d.info.ProjectName, k.project)))
		}
	}
	f.mu.Unlock()

	results := make([][]perspective.FleetMember, len(chosen))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fleetConcurrency)
	for i, p := range chosen {
		g.Go(func() error {
			results[i] = f.expandProject(gctx, p)
			return nil
		})
	}
	_ = g.Wait() // expandProject reports its failures as members
	if err := ctx.Err(); err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindProject, "")
	}
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// choose picks the listed projects sel names (all of them when it names
// none), and returns a not-found member for each name that matches none.
func (f *FleetSource) choose(listed []projects.Project) ([]projects.Project, []perspective.FleetMember) {
	if len(f.sel.Projects) == 0 {
		return listed, nil
	}
	var chosen []projects.Project
	var missing []perspective.FleetMember
	for _, want := range f.sel.Projects {
		i := slices.IndexFunc(listed, func(p projects.Project) bool { return p.ID == want })
		if i < 0 {
			i = slices.IndexFunc(listed, func(p projects.Project) bool { return p.Name == want })
			if j := slices.IndexFunc(listed[i+1:], func(p projects.Project) bool { return p.Name == want }); i >= 0 && j >= 0 {
				missing = append(missing, perspective.FleetMember{
					Target:      perspective.Target{CloudID: f.base + "/" + want, ProjectID: want},
					ProjectName: want,
					Err: driver.Errorf(driver.CodeInvalidArgument,
						"openstack: project name %q is in two domains (%s, %s); name it by id", want, listed[i].ID, listed[i+1+j].ID)})
				continue
			}
		}
		if i < 0 {
			missing = append(missing, perspective.FleetMember{
				Target:      perspective.Target{CloudID: f.base + "/" + want, ProjectID: want},
				ProjectName: want,
				Err:         driver.Errorf(driver.CodeNotFound, "openstack: project %q is not among the user's projects", want)})
			continue
		}
		if !slices.ContainsFunc(chosen, func(p projects.Project) bool { return p.ID == listed[i].ID }) {
			chosen = append(chosen, listed[i])
		}
	}
	return chosen, missing
}

// lost forgets a pair and returns its member with err; the caller holds mu.
func (f *FleetSource) lost(k pairKey, name string, err error) perspective.FleetMember {
	delete(f.pairs, k)
	return perspective.FleetMember{
		Target:      perspective.Target{CloudID: PairCloudID(f.base, k.project, k.region), ProjectID: k.project, Region: k.region},
		ProjectName: name, Err: err}
}

// expandProject re-scopes to p and returns a member per region of sel in
// its catalog.
func (f *FleetSource) expandProject(ctx context.Context, p projects.Project) []perspective.FleetMember {
	s, err := f.scope(ctx, p)
	if err != nil {
		f.mu.Lock()
		defer f.mu.Unlock()
		var out []perspective.FleetMember
		for k := range f.pairs {
			if k.project == p.ID {
				out = append(out, f.lost(k, p.Name, err))
			}
		}
		if len(out) == 0 {
			out = append(out, perspective.FleetMember{
				Target:      perspective.Target{CloudID: f.base + "/" + p.ID, ProjectID: p.ID},
				ProjectName: p.Name, Err: err})
		}
		return out
	}
	compute, others := s.regions(availability(f.cfg.Interface))
	var out []perspective.FleetMember
	var regions []string
	switch {
	case len(f.sel.Regions) == 0:
		regions = compute
		for _, r := range others {
			out = append(out, f.note(p, r))
		}
	default:
		for _, r := range f.sel.Regions {
			switch {
			case slices.Contains(compute, r):
				regions = append(regions, r)
			case slices.Contains(others, r):
				out = append(out, f.note(p, r))
			default:
				out = append(out, perspective.FleetMember{
					Target:      perspective.Target{CloudID: PairCloudID(f.base, p.ID, r), ProjectID: p.ID, Region: r},
					ProjectName: p.Name,
					Err:         driver.Errorf(driver.CodeNotFound, "openstack: project %s has no region %q in its catalog", p.Name, r)})
			}
		}
	}
	// pairs whose region left the catalog
	f.mu.Lock()
	for k, d := range f.pairs {
		if k.project == p.ID && !slices.Contains(regions, k.region) {
			out = append(out, f.lost(k, d.info.ProjectName, driver.Errorf(driver.CodeNotFound,
				"openstack: region %s is gone from project %s's catalog", k.region, p.Name)))
		}
	}
	f.mu.Unlock()

	members := make([]perspective.FleetMember, len(regions))
	var wg sync.WaitGroup
	for i, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			members[i] = f.pair(ctx, s, p, r)
		}()
	}
	wg.Wait()
	return append(out, members...)
}

// note is the member of a region skipped because it has no compute endpoint.
func (f *FleetSource) note(p projects.Project, region string) perspective.FleetMember {
	return perspective.FleetMember{
		Target:      perspective.Target{CloudID: PairCloudID(f.base, p.ID, region), ProjectID: p.ID, Region: region},
		ProjectName: p.Name,
		Note:        fmt.Sprintf("skipped: region %s of project %s has no compute endpoint", region, p.Name)}
}

// pair returns the member of (p, region): the driver opened before, or a
// new one on the project's scoped client.
func (f *FleetSource) pair(ctx context.Context, s *projectScope, p projects.Project, region string) perspective.FleetMember {
	k := pairKey{p.ID, region}
	t := perspective.Target{CloudID: PairCloudID(f.base, p.ID, region), ProjectID: p.ID, Region: region}
	f.mu.Lock()
	d, ok := f.pairs[k]
	f.mu.Unlock()
	if !ok {
		c := f.cfg
		c.ProjectID, c.ProjectName, c.ProjectDomainID, c.ProjectDomainName = p.ID, p.Name, p.DomainID, ""
		c.Region, c.CloudID = region, t.CloudID
		built, err := build(ctx, c, s.pc, f.negotiate)
		if err != nil {
			return perspective.FleetMember{Target: t, ProjectName: p.Name, Err: err}
		}
		built.info.ProjectID, built.info.ProjectName = p.ID, p.Name
		d = &fleetDriver{Driver: built}
		f.mu.Lock()
		if prev, raced := f.pairs[k]; raced {
			_ = built.Close() // a concurrent expansion built it first
			d = prev
		} else {
			f.pairs[k] = d
		}
		f.mu.Unlock()
	}
	return perspective.FleetMember{Target: t, ProjectName: p.Name, Driver: d}
}

// mvEntry is one compute endpoint's negotiation, shared by the fleet.
type mvEntry struct {
	done chan struct{}
	mv   microversion
	err  error
}

// negotiate negotiates the compute microversion once per endpoint: the
// projects of one region share their Nova.
func (f *FleetSource) negotiate(ctx context.Context, compute *gophercloud.ServiceClient) (microversion, error) {
	key := compute.Endpoint
	f.mu.Lock()
	e, ok := f.mvs[key]
	if !ok {
		e = &mvEntry{done: make(chan struct{})}
		f.mvs[key] = e
		f.mu.Unlock()
		e.mv, e.err = negotiateMicroversion(ctx, compute, f.cfg.MaxMicroversion)
		if e.err != nil {
			f.mu.Lock()
			delete(f.mvs, key) // the next expansion asks again
			f.mu.Unlock()
		}
		close(e.done)
		return e.mv, e.err
	}
	f.mu.Unlock()
	select {
	case <-e.done:
		return e.mv, e.err
	case <-ctx.Done():
		return microversion{}, classify(ctx.Err(), "open", "", "compute microversions")
	}
}

// projectScope is a project's token, re-scoped from the user's, and the
// provider client its regions' drivers share. It re-scopes again by itself
// when a service answers 401.
type projectScope struct {
	pc *gophercloud.ProviderClient

	mu      sync.RWMutex
	catalog *tokens.ServiceCatalog
}

// scope returns p's scope, re-scoping the token (a new scope, or a fresh
// token and catalog for a known one: that is how an expansion notices a
// project lost or a region added).
func (f *FleetSource) scope(ctx context.Context, p projects.Project) (*projectScope, error) {
	f.mu.Lock()
	s, ok := f.scopes[p.ID]
	if !ok {
		pc, err := newProvider(f.cfg)
		if err != nil {
			f.mu.Unlock()
			return nil, err
		}
		pc.UseTokenLock()
		s = &projectScope{pc: pc}
		pc.EndpointLocator = func(eo gophercloud.EndpointOpts) (string, error) {
			s.mu.RLock()
			cat := s.catalog
			s.mu.RUnlock()
			if cat == nil {
				return "", &gophercloud.ErrEndpointNotFound{}
			}
			// V3Endpoint, the replacement, asks each service's root for its
			// versions on every lookup; the catalog's URL is what is needed.
			//lint:ignore SA1019 see above
			return openstack.V3EndpointURL(cat, eo)
		}
		pc.ReauthFunc = func(ctx context.Context) error {
			logDebug(f.cfg.Logger, "openstack: project token refused (401); re-scoping", "project", p.ID)
			return s.set(f.rescope(ctx, p))
		}
		f.scopes[p.ID] = s
	}
	f.mu.Unlock()
	if err := s.set(f.rescope(ctx, p)); err != nil {
		if !ok {
			f.mu.Lock()
			delete(f.scopes, p.ID)
			f.mu.Unlock()
		}
		return nil, err
	}
	return s, nil
}

// set installs a re-scoped token and its catalog.
func (s *projectScope) set(res tokens.CreateResult, err error) error {
	if err != nil {
		return err
	}
	cat, err := res.ExtractServiceCatalog()
	if err != nil {
		return classify(err, "open", "", "catalog")
	}
	if err := s.pc.SetTokenAndAuthResult(res); err != nil {
		return classify(err, "open", "", "token")
	}
	s.mu.Lock()
	s.catalog = cat
	s.mu.Unlock()
	return nil
}

// regions returns the regions of the catalog with a compute endpoint on
// the interface, and the other regions it names, both sorted.
func (s *projectScope) regions(itf gophercloud.Availability) (compute, others []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	all := map[string]bool{}
	for _, e := range s.catalog.Entries {
		for _, ep := range e.Endpoints {
			r := cmp.Or(ep.RegionID, ep.Region)
			if r == "" {
				continue
			}
			if e.Type == "compute" && ep.Interface == string(itf) {
				all[r] = true
			} else if !all[r] {
				all[r] = false
			}
		}
	}
	for r, hasCompute := range all {
		if hasCompute {
			compute = append(compute, r)
		} else {
			others = append(others, r)
		}
	}
	slices.Sort(compute)
	slices.Sort(others)
	return compute, others
}

// rescope asks Keystone for a token of p from the user's token (the token
// method, one request). When Keystone refuses the user's token because it
// expired, the user authenticates again (once, for every project at the
// same time) and the request is made again; a refusal of a live token means
// the user has no role on p: forbidden.
func (f *FleetSource) rescope(ctx context.Context, p projects.Project) (tokens.CreateResult, error) {
	for attempt := 0; ; attempt++ {
		tok := f.user.Token()
		res := tokens.Create(ctx, f.rescoper, &tokens.AuthOptions{TokenID: tok, Scope: tokens.Scope{ProjectID: p.ID}})
		if res.Err == nil {
			return res, nil
		}
		if !gophercloud.ResponseCodeIs(res.Err, http.StatusUnauthorized) && !gophercloud.ResponseCodeIs(res.Err, http.StatusForbidden) {
			return res, scrub(classify(res.Err, "open", perspective.KindProject, p.ID), f.cfg.secrets())
		}
		if gophercloud.ResponseCodeIs(res.Err, http.StatusUnauthorized) && attempt == 0 && f.user.Token() != tok {
			continue // another project's re-scope renewed the user's token meanwhile
		}
		if gophercloud.ResponseCodeIs(res.Err, http.StatusUnauthorized) && attempt == 0 && f.userTokenExpiring() {
			if f.user.ReauthFunc == nil {
				return res, driver.Errorf(driver.CodeUnauthenticated,
					"openstack: the user's token has expired and cannot be renewed (a Token authenticates once)")
			}
			if err := f.user.Reauthenticate(ctx, tok); err != nil {
				return res, scrub(classify(err, "open", "", "user"), f.cfg.secrets())
			}
			continue
		}
		return res, &driver.Error{Code: driver.CodeForbidden,
			Msg: fmt.Sprintf("openstack: Keystone refuses the user a token for project %s (%s): no role on it", p.Name, p.ID),
			Err: scrub(classify(res.Err, "open", perspective.KindProject, p.ID), f.cfg.secrets())}
	}
}

// userTokenExpiring reports whether the user's token has expired or will
// within a minute (or its expiry is unknown).
func (f *FleetSource) userTokenExpiring() bool {
	ar, ok := f.user.GetAuthResult().(tokens.CreateResult)
	if !ok {
		return true
	}
	t, err := ar.ExtractToken()
	return err != nil || time.Until(t.ExpiresAt) < time.Minute
}

// fleetDriver is a fleet member's driver: the OpenStack driver of one
// project and region, which owns exactly that project.
type fleetDriver struct{ *Driver }

// ListProjects returns the member's own project with its own region: the
// fleet lists the others.
func (d *fleetDriver) ListProjects(context.Context) ([]driver.Project, error) {
	return []driver.Project{{ID: d.info.ProjectID, Name: d.info.ProjectName,
		Regions:  []driver.Region{{ID: d.info.Region}},
		Metadata: map[string]string{"domain_id": d.cfg.ProjectDomainID}}}, nil
}

// GetInstance refuses an instance of another project (which an admin's
// token may read): a member acts in its own project only.
func (d *fleetDriver) GetInstance(ctx context.Context, id string) (driver.Instance, error) {
	inst, err := d.Driver.GetInstance(ctx, id)
	if err != nil {
		return inst, err
	}
	if inst.ProjectID != "" && inst.ProjectID != d.info.ProjectID {
		return driver.Instance{}, driver.Errorf(driver.CodeNotFound,
			"openstack: instance %s belongs to project %s, not to %s", id, inst.ProjectID, d.info.ProjectID)
	}
	return inst, nil
}
