package openstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// fakeFleet is a Keystone with projects and regions, each region with its
// own Nova (on its own port), all answered by httpmock.
type fakeFleet struct {
	t        *testing.T
	mock     *httpmock.MockTransport
	password atomic.Int32 // password logins
	rescopes atomic.Int32 // token-method (re-scope) requests
	computes sync.Map     // compute endpoint → version document reads (*atomic.Int32)

	mu       sync.Mutex
	projects []fakeProject
	regions  []string       // with compute
	bare     []string       // regions with only an image endpoint
	refuse   map[string]int // project id → status Keystone answers its re-scope with
	// expired: the user token of the first password login has expired
	// (its expires_at is past and a re-scope with it is refused with 401)
	expired bool
}

type fakeProject struct{ id, name string }

func novaURL(region string) string {
	return fmt.Sprintf("http://127.0.0.1:%d/v2.1", 18000+len(region)*7+int(region[len(region)-1]))
}

func newFakeFleet(t *testing.T, nProjects int, regions ...string) *fakeFleet {
	f := &fakeFleet{t: t, mock: httpmock.NewMockTransport(), regions: regions, refuse: map[string]int{}}
	for i := range nProjects {
		f.projects = append(f.projects, fakeProject{id: fmt.Sprintf("p%02d-id", i), name: fmt.Sprintf("p%02d", i)})
	}
	versions := jsonReply(200, fixture(t, "keystone_versions.json"))
	f.mock.RegisterResponder("GET", keystone+"/", versions)
	f.mock.RegisterResponder("GET", keystone+"/v3/", versions)
	f.mock.RegisterResponder("POST", keystone+"/v3/auth/tokens", f.tokens)
	f.mock.RegisterResponder("GET", keystone+"/v3/auth/projects", func(r *http.Request) (*http.Response, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var ps []map[string]any
		for _, p := range f.projects {
			ps = append(ps, map[string]any{"id": p.id, "name": p.name, "domain_id": "default", "enabled": true})
		}
		return jsonValue(r, 200, map[string]any{"projects": ps, "links": map[string]any{"self": r.URL.String()}})
	})
	for _, reg := range regions {
		f.addNova(reg)
	}
	return f
}

func jsonValue(r *http.Request, status int, v any) (*http.Response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonReply(status, b)(r)
}

// addNova answers one region's Nova: its version document and a server
// whose id is the same in every region, owned by the token's project.
func (f *fakeFleet) addNova(region string) {
	base := novaURL(region)
	var n atomic.Int32
	f.computes.Store(base, &n)
	f.mock.RegisterResponder("GET", base+"/", func(r *http.Request) (*http.Response, error) {
		n.Add(1)
		return jsonReply(200, fixture(f.t, "nova_version.json"))(r)
	})
	f.mock.RegisterResponder("GET", base+"/servers/detail", func(r *http.Request) (*http.Response, error) {
		project := strings.TrimPrefix(r.Header.Get("X-Auth-Token"), "tok-")
		return jsonValue(r, 200, map[string]any{"servers": []map[string]any{{
			"id": "a0000000-0000-4000-8000-00000000000a", "name": "web-" + region, "status": "ACTIVE",
			"tenant_id": project, "created": "2024-05-01T10:00:00Z", "updated": "2024-05-01T10:00:08Z",
		}}})
	})
	f.mock.RegisterResponder("GET", base+"/flavors/detail", jsonReply(200, fixture(f.t, "nova_flavors.json")))
}

// tokens answers POST /v3/auth/tokens: a password login gives the user's
// token (scoped to p00), a token-method request a token of the project
// asked for (whose id names the project), unless refuse says otherwise.
func (f *fakeFleet) tokens(r *http.Request) (*http.Response, error) {
	var body struct {
		Auth struct {
			Identity struct {
				Methods []string `json:"methods"`
				Token   struct {
					ID string `json:"id"`
				} `json:"token"`
			} `json:"identity"`
			Scope struct {
				Project struct {
					ID string `json:"id"`
				} `json:"project"`
			} `json:"scope"`
		} `json:"auth"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	project := f.projects[0]
	subject, expires := "", "2099-01-01T00:00:00.000000Z"
	if len(body.Auth.Identity.Methods) == 1 && body.Auth.Identity.Methods[0] == "token" {
		f.rescopes.Add(1)
		if f.expired && body.Auth.Identity.Token.ID == "user-1" {
			return jsonReply(401, fixture(f.t, "keystone_401.json"))(r)
		}
		want := body.Auth.Scope.Project.ID
		if st := f.refuse[want]; st != 0 {
			return jsonReply(st, fixture(f.t, "keystone_401.json"))(r)
		}
		project = fakeProject{}
		for _, p := range f.projects {
			if p.id == want {
				project = p
			}
		}
		if project.id == "" {
			return jsonReply(401, fixture(f.t, "keystone_401.json"))(r)
		}
	} else {
		n := f.password.Add(1)
		subject = fmt.Sprintf("user-%d", n)
		if f.expired && n == 1 {
			expires = "2000-01-01T00:00:00.000000Z"
		}
	}
	var catalog []map[string]any
	var computeEPs, imageEPs []map[string]any
	for _, reg := range f.regions {
		computeEPs = append(computeEPs, map[string]any{"id": "c-" + reg, "interface": "public", "region_id": reg, "region": reg, "url": novaURL(reg)})
		imageEPs = append(imageEPs, map[string]any{"id": "i-" + reg, "interface": "public", "region_id": reg, "region": reg, "url": glance})
	}
	for _, reg := range f.bare {
		imageEPs = append(imageEPs, map[string]any{"id": "i-" + reg, "interface": "public", "region_id": reg, "region": reg, "url": glance})
	}
	catalog = append(catalog,
		map[string]any{"type": "compute", "name": "nova", "id": "s1", "endpoints": computeEPs},
		map[string]any{"type": "image", "name": "glance", "id": "s2", "endpoints": imageEPs},
		map[string]any{"type": "identity", "name": "keystone", "id": "s4", "endpoints": []map[string]any{
			{"id": "k1", "interface": "public", "region_id": "RegionOne", "region": "RegionOne", "url": keystone + "/v3"}}})
	res, err := jsonValue(r, 201, map[string]any{"token": map[string]any{
		"methods": body.Auth.Identity.Methods, "expires_at": expires,
		"user":    map[string]any{"id": "u1", "name": "demo", "domain": map[string]any{"id": "default", "name": "Default"}},
		"project": map[string]any{"id": project.id, "name": project.name, "domain": map[string]any{"id": "default", "name": "Default"}},
		"catalog": catalog,
	}})
	if err == nil {
		res.Header.Set("X-Subject-Token", cmpOr(subject, "tok-"+project.id))
	}
	return res, err
}

func (f *fakeFleet) config() Config {
	return Config{AuthURL: keystone + "/v3", Username: "demo", Password: "s3cret-pass", UserDomainName: "Default",
		ProjectName: "p00", ProjectDomainName: "Default", HTTPClient: &http.Client{Transport: f.mock}}
}

func (f *fakeFleet) open(t *testing.T, sel Selection) *perspective.Fleet {
	t.Helper()
	fl, err := OpenFleet(context.Background(), f.config(), sel)
	require.NoError(t, err)
	t.Cleanup(func() { _ = fl.Close() })
	return fl
}

func TestFleetOf20PairsAuthenticatesOnce(t *testing.T) {
	f := newFakeFleet(t, 4, "R1", "R2", "R3", "R4", "R5")
	fl := f.open(t, Selection{})
	clouds := fl.Set().Clouds()
	require.Len(t, clouds, 20)
	assert.EqualValues(t, 1, f.password.Load(), "the user logs in once")
	assert.EqualValues(t, 4, f.rescopes.Load(), "one re-scope per project")
	f.computes.Range(func(k, v any) bool {
		assert.EqualValues(t, 1, v.(*atomic.Int32).Load(), "one microversion negotiation per compute endpoint %s", k)
		return true
	})

	ids := map[string]bool{}
	for _, c := range clouds {
		i := c.Info()
		assert.NotEmpty(t, i.ProjectName)
		assert.Equal(t, PairCloudID("127.0.0.1:5000", i.ProjectID, i.Region), i.CloudID)
		assert.False(t, ids[i.CloudID], "CloudID %s twice", i.CloudID)
		ids[i.CloudID] = true
	}

	// the same server id in 20 clouds: 20 instances, 20 global ids, each with its pair
	l, err := fl.List(context.Background(), perspective.ListOptions{})
	require.NoError(t, err)
	require.Empty(t, l.Errors)
	require.Len(t, l.Instances, 20)
	gids := map[string]bool{}
	for _, in := range l.Instances {
		assert.Equal(t, "web-"+in.Region, in.Name)
		assert.Equal(t, PairCloudID("127.0.0.1:5000", in.ProjectID, in.Region), in.CloudID)
		gids[in.ID] = true
	}
	assert.Len(t, gids, 20, "global ids never collide across pairs")
	assert.EqualValues(t, 1, f.password.Load(), "listing 20 clouds authenticates nothing more")
	assert.EqualValues(t, 4, f.rescopes.Load())

	ps := fl.Projects()
	require.Len(t, ps, 4)
	assert.Equal(t, "p00", ps[0].Name)
	assert.Len(t, ps[0].Regions, 5)
}

func TestFleetRefusedProjectIsThatCloudsForbiddenError(t *testing.T) {
	for _, status := range []int{401, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			f := newFakeFleet(t, 3, "R1", "R2")
			f.refuse["p01-id"] = status
			fl := f.open(t, Selection{})
			assert.Len(t, fl.Set().Clouds(), 4, "p00 and p02 in two regions")
			l, err := fl.List(context.Background(), perspective.ListOptions{})
			require.NoError(t, err)
			assert.Len(t, l.Instances, 4, "the other clouds still list")
			require.Len(t, l.Errors, 1)
			assert.Equal(t, "p01-id", l.Errors[0].Target.ProjectID)
			assert.ErrorIs(t, l.Errors[0].Err, perspective.ErrForbidden, "%v", l.Errors[0].Err)
			assert.Contains(t, l.Errors[0].Err.Error(), "p01")
			assert.EqualValues(t, 1, f.password.Load(), "a live user token is not renewed for a refusal")

			// the Set's own listing: the same instances, and the refused
			// project in its report
			insts, err := fl.Set().Instances().List(context.Background(), perspective.ListOptions{})
			assert.Len(t, insts, 4)
			var pe *perspective.PartialError
			require.ErrorAs(t, err, &pe)
			assert.ErrorIs(t, err, perspective.ErrForbidden)
			require.Len(t, pe.Failed, 1)
			assert.Equal(t, "p01", pe.Failed[0].ProjectName)
			assert.Equal(t, 5, pe.Clouds, "4 open pairs and the refused project")
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestFleetRenewsAnExpiredUserTokenOnceForAllProjects(t *testing.T) {
	f := newFakeFleet(t, 6, "R1")
	f.expired = true
	fl := f.open(t, Selection{})
	assert.Len(t, fl.Set().Clouds(), 6, "every project re-scoped with the renewed token")
	for _, m := range fl.Members() {
		assert.NoError(t, m.Err)
	}
	assert.EqualValues(t, 2, f.password.Load(), "one renewal shared by the six re-scopes")
}

func TestFleetRefreshFindsNewAndLostProjectsAndRegions(t *testing.T) {
	f := newFakeFleet(t, 2, "R1")
	fl := f.open(t, Selection{})
	require.Len(t, fl.Set().Clouds(), 2)
	before, _ := fl.Set().Cloud(perspective.Target{ProjectID: "p00-id", Region: "R1"})

	f.mu.Lock()
	f.projects = append(f.projects, fakeProject{id: "p09-id", name: "p09"}) // a project added
	f.refuse["p01-id"] = 401                                                // a role removed
	f.regions = append(f.regions, "R2")                                     // a region added
	f.mu.Unlock()
	f.addNova("R2")
	require.NoError(t, fl.Refresh(context.Background()))

	set := fl.Set()
	got := map[string]bool{}
	for _, c := range set.Clouds() {
		got[c.Info().ProjectName+"/"+c.Info().Region] = true
	}
	assert.Equal(t, map[string]bool{"p00/R1": true, "p00/R2": true, "p09/R1": true, "p09/R2": true}, got)
	after, _ := set.Cloud(perspective.Target{ProjectID: "p00-id", Region: "R1"})
	assert.Same(t, before, after, "a pair still there keeps its Cloud")
	l, err := fl.List(context.Background(), perspective.ListOptions{})
	require.NoError(t, err)
	require.Len(t, l.Errors, 1)
	assert.Equal(t, perspective.Target{CloudID: PairCloudID("127.0.0.1:5000", "p01-id", "R1"), ProjectID: "p01-id", Region: "R1"}, l.Errors[0].Target)
	assert.ErrorIs(t, l.Errors[0].Err, perspective.ErrForbidden)

	// a region that disappears is a not-found error of its pairs
	f.mu.Lock()
	f.regions = []string{"R1"}
	f.mu.Unlock()
	require.NoError(t, fl.Refresh(context.Background()))
	l, err = fl.List(context.Background(), perspective.ListOptions{})
	require.NoError(t, err)
	var gone []string
	for _, e := range l.Errors {
		if perspective.Code(e.Err) == perspective.CodeNotFound {
			gone = append(gone, e.ProjectName+"/"+e.Target.Region)
		}
	}
	assert.ElementsMatch(t, []string{"p00/R2", "p09/R2"}, gone)
	assert.Len(t, fl.Set().Clouds(), 2)
}

func TestFleetSelection(t *testing.T) {
	f := newFakeFleet(t, 3, "R1", "R2")
	f.bare = []string{"R9"}
	fl := f.open(t, Selection{Projects: []string{"p02", "p00-id", "nosuch"}, Regions: []string{"R2", "R9", "R7"}})
	var open, notes, errs []string
	for _, m := range fl.Members() {
		k := m.ProjectName + "/" + m.Target.Region
		switch {
		case m.Cloud != nil:
			open = append(open, k)
		case m.Note != "":
			notes = append(notes, k+": "+m.Note)
		default:
			errs = append(errs, k+": "+perspective.Code(m.Err).String())
		}
	}
	assert.ElementsMatch(t, []string{"p00/R2", "p02/R2"}, open, "projects by name or id, only the regions named")
	assert.ElementsMatch(t, []string{
		"p00/R9: skipped: region R9 of project p00 has no compute endpoint",
		"p02/R9: skipped: region R9 of project p02 has no compute endpoint"}, notes)
	assert.ElementsMatch(t, []string{"nosuch/: not_found", "p00/R7: not_found", "p02/R7: not_found"}, errs)

	// regions=all skips a region without compute with a note, too
	all := f.open(t, Selection{Projects: []string{"p01"}})
	var skipped []string
	for _, m := range all.Members() {
		if m.Note != "" {
			skipped = append(skipped, m.Target.Region)
		}
	}
	assert.ElementsMatch(t, []string{"R9", "RegionOne"}, skipped, "RegionOne has only Keystone")
	assert.Len(t, all.Set().Clouds(), 2)
}

func TestFleetMemberRefusesAnotherProjectsInstance(t *testing.T) {
	f := newFakeFleet(t, 2, "R1")
	f.mock.RegisterResponder("GET", novaURL("R1")+"/servers/b0000000-0000-4000-8000-00000000000b",
		jsonReply(200, []byte(`{"server": {"id": "b0000000-0000-4000-8000-00000000000b", "name": "theirs", "status": "ACTIVE", "tenant_id": "p01-id"}}`)))
	fl := f.open(t, Selection{Projects: []string{"p00"}})
	c, ok := fl.Set().Cloud(perspective.Target{ProjectID: "p00-id"})
	require.True(t, ok)
	_, err := c.Instances().Reboot(context.Background(), "b0000000-0000-4000-8000-00000000000b")
	assert.ErrorIs(t, err, perspective.ErrNotFound, "an admin token could read it; the member does not act outside its project")
}

func TestFleetFromURL(t *testing.T) {
	env := map[string]string{"OS_AUTH_URL": keystone + "/v3", "OS_USERNAME": "demo", "OS_PASSWORD": "pw",
		"OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_NAME": "demo", "OS_PROJECT_DOMAIN_NAME": "Default"}
	getenv := func(k string) string { return env[k] }
	ok := []struct {
		url      string
		projects []string
		regions  []string
	}{
		{"openstack://?projects=all&regions=all", nil, nil},
		{"openstack://?projects=all", nil, nil},
		{"openstack://?projects=web,db&regions=RegionOne", []string{"web", "db"}, []string{"RegionOne"}},
		{"openstack://?projects=web&projects=db", []string{"web", "db"}, nil},
		{"openstack://?regions=R1,%20R2", nil, []string{"R1", "R2"}},
	}
	for _, tc := range ok {
		t.Run(tc.url, func(t *testing.T) {
			c, sel, err := FleetFromURL(mustURL(t, tc.url), getenv)
			require.NoError(t, err)
			assert.Equal(t, "demo", c.Username)
			assert.True(t, sel.fleet)
			assert.Equal(t, tc.projects, sel.Projects)
			assert.Equal(t, tc.regions, sel.Regions)
			_, err = ConfigFromURL(mustURL(t, tc.url), getenv)
			assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err))
			assert.Contains(t, err.Error(), "perspective.OpenFleet")
		})
	}
	_, sel, err := FleetFromURL(mustURL(t, "openstack://?region=RegionOne"), getenv)
	require.NoError(t, err)
	assert.False(t, sel.fleet, "no projects or regions: one cloud")

	bad := []struct{ url, want string }{
		{"openstack://?projects=", "projects: empty name"},
		{"openstack://?projects=web,,db", "projects: empty name"},
		{"openstack://?projects=all,web", "all and names (web) exclude each other"},
		{"openstack://?projects=web,db,web", `projects: "web" is named twice`},
		{"openstack://?projects=web&projects=web", `projects: "web" is named twice`},
		{"openstack://?regions=R1,R1", `regions: "R1" is named twice`},
		{"openstack://?regions=R1&region=R2", "region and regions exclude each other"},
		{"openstack://?project=web", `unknown URL parameter "project"`},
		{"openstack://?projects=" + strings.Repeat("x", 300), "longer than 255 bytes"},
		{"openstack://?projects=" + strings.Repeat("a,", 300) + "z", "more than 256 names"},
		{"openstack://?projects=we%00b", "control character"},
	}
	for _, tc := range bad {
		t.Run(tc.want, func(t *testing.T) {
			_, _, err := FleetFromURL(mustURL(t, tc.url), getenv)
			require.Error(t, err)
			assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, len(err.Error()), 400, "untrusted input is cut")
		})
	}
}

func TestFleetSelectionInGoIsChecked(t *testing.T) {
	f := newFakeFleet(t, 1, "R1")
	_, err := OpenFleet(context.Background(), f.config(), Selection{Regions: []string{"R1", "R1"}})
	assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err))
	assert.Zero(t, f.password.Load(), "refused before any request")
}

func TestFleetURLThroughPerspective(t *testing.T) {
	f := newFakeFleet(t, 2, "R1", "R2")
	// The registered opener reads the environment; the transport is the
	// test's: go through OpenFleetURL with the environment of the test.
	t.Setenv("OS_CLOUD", "")
	for k, v := range map[string]string{"OS_AUTH_URL": keystone + "/v3", "OS_USERNAME": "demo", "OS_PASSWORD": "pw",
		"OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_NAME": "p00", "OS_PROJECT_DOMAIN_NAME": "Default"} {
		t.Setenv(k, v)
	}
	prev := http.DefaultTransport
	http.DefaultTransport = f.mock
	t.Cleanup(func() { http.DefaultTransport = prev })
	fl, err := perspective.OpenFleet(context.Background(), []string{"openstack://?projects=all&regions=R2"})
	require.NoError(t, err)
	defer fl.Close()
	require.Len(t, fl.Set().Clouds(), 2)
	for _, c := range fl.Set().Clouds() {
		assert.Equal(t, "R2", c.Info().Region)
	}
	_, err = perspective.Open(context.Background(), "openstack://?projects=all")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

// FuzzFleetFromURL: any query either parses into a selection within its
// bounds or is refused as an invalid argument; it never panics.
func FuzzFleetFromURL(f *testing.F) {
	for _, s := range []string{"projects=all&regions=all", "projects=web,db&regions=RegionOne", "projects=", "projects=a,,b",
		"regions=R1&region=R2", "projects=all,web", "projects=%00", "projects=a&projects=a", "cloud=x&projects=p"} {
		f.Add(s)
	}
	env := map[string]string{"OS_AUTH_URL": keystone + "/v3", "OS_USERNAME": "demo", "OS_PASSWORD": "pw",
		"OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_NAME": "demo", "OS_PROJECT_DOMAIN_NAME": "Default"}
	getenv := func(k string) string { return env[k] }
	f.Fuzz(func(t *testing.T, query string) {
		u := &url.URL{Scheme: Scheme, RawQuery: query}
		if u.Query().Has("cloud") || u.Query().Has("clouds_file") {
			return // reads clouds.yaml from the disk: not this target's business
		}
		_, sel, err := FleetFromURL(u, getenv)
		if err != nil {
			require.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err), "%v", err)
			return
		}
		for _, list := range [][]string{sel.Projects, sel.Regions} {
			require.LessOrEqual(t, len(list), MaxSelection)
			seen := map[string]bool{}
			for _, n := range list {
				require.NotEmpty(t, n)
				require.NotEqual(t, "all", n)
				require.LessOrEqual(t, len(n), MaxSelectionName)
				require.False(t, seen[n], "%q twice", n)
				seen[n] = true
			}
		}
	})
}
