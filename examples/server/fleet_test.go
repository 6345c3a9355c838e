package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// mockFleet is a fleet source of mock clouds, one per (project, region),
// as the OpenStack driver's source makes them; a test changes its members
// between refreshes (a pair still there keeps its driver).
type mockFleet struct {
	mu      sync.Mutex
	members []perspective.FleetMember
}

func (m *mockFleet) Expand(context.Context) ([]perspective.FleetMember, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.members), nil
}

func (m *mockFleet) Close() error { return nil }

// change edits the members as fn says.
func (m *mockFleet) change(fn func([]perspective.FleetMember) []perspective.FleetMember) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.members = fn(m.members)
}

// mockPair is the member of project (id name-id) in region, a mock cloud
// made with opts.
func mockPair(name, region string, opts ...mock.Option) (perspective.FleetMember, *mock.Driver) {
	id := "os/" + name + "-id/" + region
	d := mock.New(append([]mock.Option{mock.WithDelay(0), mock.WithCloudID(id), mock.WithProject(name+"-id", name), mock.WithRegion(region)}, opts...)...)
	return perspective.FleetMember{Target: perspective.Target{CloudID: id, ProjectID: name + "-id", Region: region}, ProjectName: name, Driver: d}, d
}

// refusedProject is the member of a project whose scope Keystone refused.
func refusedProject(name string) perspective.FleetMember {
	return perspective.FleetMember{Target: perspective.Target{CloudID: "os/" + name + "-id", ProjectID: name + "-id"},
		ProjectName: name, Err: perspective.Errorf(perspective.CodeForbidden, "no role on %s", name)}
}

// fleetServer is the server over a fleet of mock clouds.
type fleetServer struct {
	*env
	src   *mockFleet
	fleet *perspective.Fleet
	live  *liveServer
}

// newFleetServer serves the members as a fleet (with sign-in when u is
// not nil), through the liveServer that refreshes follow.
func newFleetServer(t *testing.T, u *users, members ...perspective.FleetMember) *fleetServer {
	t.Helper()
	src := &mockFleet{members: members}
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{src}, perspective.WithRetry(0, 0))
	require.NoError(t, err)
	e := &env{t: t, set: fl.Set(), tasks: newTaskStore(64)}
	d := &deps{set: e.set, fleet: fl, tasks: e.tasks, version: "v-test", log: slog.New(slog.NewTextHandler(io.Discard, nil)), users: u}
	e.router = newRouter(d)
	live := newLiveServer(d)
	e.srv = httptest.NewServer(withRecovery(d.log, live))
	t.Cleanup(func() {
		e.srv.Close()
		e.tasks.Close()
		require.NoError(t, fl.Close())
	})
	return &fleetServer{env: e, src: src, fleet: fl, live: live}
}

// fleetEnv serves projects web (id web-id) in R1 and R2 and db (db-id) in
// R1, plus ops, whose scope was refused, as a fleet.
func fleetEnv(t *testing.T) (*env, map[string]*mock.Driver) {
	t.Helper()
	drivers := map[string]*mock.Driver{}
	var members []perspective.FleetMember
	for _, p := range [][2]string{{"web", "R1"}, {"web", "R2"}, {"db", "R1"}} {
		m, d := mockPair(p[0], p[1])
		drivers[p[0]+"/"+p[1]] = d
		members = append(members, m)
	}
	fs := newFleetServer(t, nil, append(members, refusedProject("ops"))...)
	return fs.env, drivers
}

func launchIn(t *testing.T, e *env, project, region, name string) string {
	t.Helper()
	c, ok := e.set.Cloud(perspective.Target{ProjectID: project, Region: region})
	require.True(t, ok)
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: name, FlavorID: "m1.small", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	return rep.IDs()[0]
}

func TestFleetProjectsListShowsEachProjectWithItsRegions(t *testing.T) {
	e, _ := fleetEnv(t)
	resp, body := e.do("GET", "/projects/list", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	ps := decodeJSON[[]perspective.Project](t, body)
	require.Len(t, ps, 3, "%s", body)
	assert.Equal(t, "db", ps[0].Name)
	assert.Equal(t, []perspective.Region{{ID: "R1"}}, ps[0].Regions)
	assert.Equal(t, "ops", ps[1].Name)
	assert.Empty(t, ps[1].Regions, "refused: listed without regions")
	assert.Equal(t, "web", ps[2].Name)
	assert.Equal(t, []perspective.Region{{ID: "R1"}, {ID: "R2"}}, ps[2].Regions)
}

func TestFleetScopedRoutesActOnExactlyTheirPair(t *testing.T) {
	e, drivers := fleetEnv(t)
	webR1 := launchIn(t, e, "web-id", "R1", "w1")
	webR2 := launchIn(t, e, "web-id", "R2", "w2")
	dbR1 := launchIn(t, e, "db-id", "R1", "d1")

	// listings of a pair show that pair only, by project id or name
	for _, path := range []string{"/projects/web-id/regions/R2/instances/all", "/projects/web/regions/R2/instances/all"} {
		resp, body := e.do("GET", path, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		list := decodeJSON[[]map[string]any](t, body)
		require.Len(t, list, 1, "%s: %s", path, body)
		assert.Equal(t, "w2", list[0]["name"])
	}

	// an id of another project or region: 404 naming the mismatch, nothing done
	cases := []struct{ method, path, body, want string }{
		{"PUT", "/projects/web-id/regions/R1/instances/reboot", `["` + dbR1 + `"]`, "project db (db-id), region R1, not in project web-id, region R1"},
		{"PUT", "/projects/web/regions/R1/instances/reboot", `["` + webR2 + `"]`, "region R2, not in project web, region R1"},
		{"POST", "/projects/db-id/regions/R1/instances/delete", `["` + webR1 + `"]`, "project web (web-id), region R1"},
		{"PUT", "/projects/db-id/regions/R1/instances/rename", `{"` + webR1 + `": "x"}`, "not in project db-id"},
		{"POST", "/projects/db-id/regions/R1/instances/tag", `{"ids": ["` + webR1 + `"], "tags": ["t"]}`, "not in project db-id"},
		{"GET", "/projects/web-id/regions/R2/instances/" + webR1, "", "region R1, not in project web-id, region R2"},
		{"GET", "/projects/web-id/regions/R2/instances/" + webR1 + "/log", "", "region R1, not in project web-id, region R2"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := e.do(tc.method, tc.path, tc.body)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)
			assert.Contains(t, string(body), tc.want)
		})
	}
	for name, d := range drivers {
		for _, m := range []string{"Reboot", "DeleteInstance", "Rename", "AddTags", "ConsoleLog"} {
			assert.Zero(t, d.Calls(m), "%s: %s", name, m)
		}
	}
	// a real (cloud) id of another pair is not found in this one, never acted on elsewhere
	in, err := e.set.Instances().Get(context.Background(), webR1)
	require.NoError(t, err)
	resp, body := e.do("PUT", "/projects/db-id/regions/R1/instances/reboot", `["`+in.RealID+`"]`)
	assert.NotContains(t, []int{http.StatusOK, http.StatusAccepted}, resp.StatusCode, "%s", body)
	assert.Zero(t, drivers["web/R1"].Calls("Reboot"))

	// the right pair acts
	resp, body = e.do("PUT", "/projects/web/regions/R1/instances/reboot", `["`+webR1+`"]`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Equal(t, 1, drivers["web/R1"].Calls("Reboot"))
	assert.Zero(t, drivers["web/R2"].Calls("Reboot"))
	assert.Zero(t, drivers["db/R1"].Calls("Reboot"))

	// the global routes still reach every pair
	resp, body = e.do("PUT", "/instances/reboot", `["`+webR2+`", "`+dbR1+`"]`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Equal(t, 1, drivers["web/R2"].Calls("Reboot"))
	assert.Equal(t, 1, drivers["db/R1"].Calls("Reboot"))
}

func TestFleetServerStartsOnAFleetURL(t *testing.T) {
	assert.Nil(t, fleetOf([]string{"mock://", "openstack://?cloud=x"}, &perspective.Fleet{}))
	assert.NotNil(t, fleetOf([]string{"openstack://?projects=all&regions=all"}, &perspective.Fleet{}))
	fl, err := perspective.OpenFleet(context.Background(), []string{"mock://a?project=p1&region=R1", "mock://b?project=p2&region=R2"})
	require.NoError(t, err)
	defer fl.Close()
	var out bytes.Buffer
	printMembers(&out, fl)
	assert.Equal(t, "serving mock cloud \"a\": project \"p1\", region \"R1\"\n"+
		"serving mock cloud \"b\": project \"p2\", region \"R2\"\n", out.String())
}

func TestFleetAccessAndRCFileTakeAProjectName(t *testing.T) {
	e, _ := fleetEnv(t)
	for _, p := range []string{"web", "web-id"} {
		resp, body := e.do("GET", "/projects/"+p+"/regions/R2/rcfile", "")
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", p, body)
		assert.Contains(t, string(body), "web-id")
	}
	resp, body := e.do("GET", "/projects/nope/regions/R2/rcfile", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)
}

// failedCloudsOf reads the Perspective-Failed-Clouds header (nil if absent).
func failedCloudsOf(t *testing.T, resp *http.Response) *failedClouds {
	t.Helper()
	v := resp.Header.Get(failedCloudsHeader)
	if v == "" {
		return nil
	}
	var f failedClouds
	require.NoError(t, json.Unmarshal([]byte(v), &f), "%s", v)
	return &f
}

// TestFleetListingNamesTheCloudsThatFail: web/R2's listing is refused and
// ops's scope was; every listing answers 200 with what the other clouds
// have and names both in Perspective-Failed-Clouds, in seed 001's shape;
// a route whose only cloud fails is that cloud's error, never a 500.
func TestFleetListingNamesTheCloudsThatFail(t *testing.T) {
	refused := perspective.Errorf(perspective.CodeForbidden, "the role on web was removed")
	w1, _ := mockPair("web", "R1")
	w2, _ := mockPair("web", "R2", mock.WithFailing("ListInstances", refused))
	d1, _ := mockPair("db", "R1")
	fs := newFleetServer(t, nil, w1, w2, d1, refusedProject("ops"))
	launchIn(t, fs.env, "web-id", "R1", "vm-w1")
	launchIn(t, fs.env, "db-id", "R1", "vm-d1")

	resp, body := fs.do("GET", "/instances/all", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	list := decodeJSON[[]map[string]any](t, body)
	require.Len(t, list, 2, "%s", body)
	assert.Equal(t, "vm-d1", list[0]["name"])
	assert.Equal(t, "vm-w1", list[1]["name"])
	f := failedCloudsOf(t, resp)
	require.NotNil(t, f, "the failed clouds are named")
	assert.Equal(t, 4, f.Clouds)
	assert.Equal(t, 2, f.Answered)
	require.Len(t, f.Failed, 2)
	assert.Equal(t, failedCloud{CloudID: "os/web-id/R2", ProjectID: "web-id", ProjectName: "web", Region: "R2", Code: "forbidden",
		Message: f.Failed[0].Message}, f.Failed[0])
	assert.Contains(t, f.Failed[0].Message, "the role on web was removed")
	assert.Equal(t, "ops", f.Failed[1].ProjectName)
	assert.Equal(t, "forbidden", f.Failed[1].Code)

	// the answer's ETag: a 304 while nothing changed, still naming them
	resp2, body := fs.do("GET", "/instances/all", "", "If-None-Match", resp.Header.Get("ETag"))
	assert.Equal(t, http.StatusNotModified, resp2.StatusCode, "%s", body)
	assert.Equal(t, resp.Header.Get(failedCloudsHeader), resp2.Header.Get(failedCloudsHeader))

	// a scoped listing of a pair that answers: no header
	resp, body = fs.do("GET", "/projects/web/regions/R1/instances/all", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Len(t, decodeJSON[[]map[string]any](t, body), 1)
	assert.Empty(t, resp.Header.Get(failedCloudsHeader))
	// of the pair that fails: its error, not a 500
	resp, body = fs.do("GET", "/projects/web/regions/R2/instances/all", "")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), "the role on web was removed")

	// the other listings and the query follow the same rule
	for _, tc := range []struct {
		method, path, body string
		failed             []string // project/region of the clouds named
	}{
		{"GET", "/images", "", []string{"ops/"}},
		{"GET", "/keypairs", "", []string{"ops/"}},
		{"GET", "/flavors", "", []string{"ops/"}},
		{"GET", "/networks", "", []string{"ops/"}},
		{"POST", "/query", `[{"sql": "SELECT name FROM instances ORDER BY name", "parameters": []}]`, []string{"web/R2", "ops/"}},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := fs.do(tc.method, tc.path, tc.body)
			require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
			f := failedCloudsOf(t, resp)
			require.NotNil(t, f)
			var got []string
			for _, c := range f.Failed {
				got = append(got, c.ProjectName+"/"+c.Region)
			}
			assert.Equal(t, tc.failed, got)
		})
	}
	_, body = fs.do("POST", "/query", `[{"sql": "SELECT name FROM instances ORDER BY name", "parameters": []}]`)
	assert.Contains(t, string(body), "vm-d1")
	assert.Contains(t, string(body), "vm-w1")
}

// TestFailedCloudsHeaderIsBounded: many failed clouds with long messages
// in any script still make a short ASCII header whose JSON reads back.
func TestFailedCloudsHeaderIsBounded(t *testing.T) {
	pe := &perspective.PartialError{Op: perspective.OpList, Kind: perspective.KindInstance, Clouds: 40}
	for i := range 30 {
		pe.Failed = append(pe.Failed, perspective.CloudError{
			Target:      perspective.Target{CloudID: fmt.Sprintf("os/p%d/R1", i), ProjectID: fmt.Sprintf("p%d", i), Region: "R1"},
			ProjectName: "projet-été-😀",
			Err:         perspective.Errorf(perspective.CodeTransient, "Nova est indisponible — réessayez 😀 %s", strings.Repeat("x", 500))})
	}
	rec := httptest.NewRecorder()
	require.NoError(t, answered(rec, pe))
	v := rec.Header().Get(failedCloudsHeader)
	assert.Less(t, len(v), 4096, "fits a proxy's header buffer")
	for i := range len(v) {
		require.Less(t, v[i], byte(0x80), "ASCII only")
		require.NotContains(t, []byte{'\r', '\n'}, v[i])
	}
	var f failedClouds
	require.NoError(t, json.Unmarshal([]byte(v), &f))
	assert.Equal(t, 10, f.Answered)
	assert.Len(t, f.Failed, maxFailedNamed)
	assert.Equal(t, 30-maxFailedNamed, f.Omitted)
	assert.Equal(t, "projet-été-😀", f.Failed[0].ProjectName, "non-ASCII survives the escaping")
	assert.True(t, strings.HasPrefix(f.Failed[0].Message, "Nova est indisponible — réessayez 😀 x"), f.Failed[0].Message)
	assert.LessOrEqual(t, len(f.Failed[0].Message), maxFailedMessage)
	assert.Equal(t, "transient", f.Failed[0].Code)

	// none answered: the error itself, and no header
	none := &perspective.PartialError{Clouds: 1, Failed: pe.Failed[:1]}
	rec = httptest.NewRecorder()
	assert.Equal(t, error(none), answered(rec, none))
	assert.Empty(t, rec.Header().Get(failedCloudsHeader))
}

// TestFleetRefreshServesProjectsAddedAndReportsLost: after a refresh the
// server serves a project added since it started, and a project lost is
// no longer served but named as failed in the listings.
func TestFleetRefreshServesProjectsAddedAndReportsLost(t *testing.T) {
	w1, _ := mockPair("web", "R1")
	d1, dbDriver := mockPair("db", "R1")
	fs := newFleetServer(t, nil, w1, d1)
	launchIn(t, fs.env, "db-id", "R1", "vm-d1")
	resp, body := fs.do("GET", "/projects/new/regions/R1/instances/all", "")
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)

	n1, _ := mockPair("new", "R1")
	fs.src.change(func(ms []perspective.FleetMember) []perspective.FleetMember {
		return []perspective.FleetMember{ms[0], refusedProject("db"), n1} // db's role removed, project new added
	})
	added, gone, err := fs.live.refresh(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, added)
	assert.Equal(t, 1, gone)

	resp, body = fs.do("GET", "/projects/list", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	regions := map[string][]perspective.Region{}
	for _, p := range decodeJSON[[]perspective.Project](t, body) {
		regions[p.Name] = p.Regions
	}
	assert.Equal(t, map[string][]perspective.Region{"web": {{ID: "R1"}}, "new": {{ID: "R1"}}, "db": nil}, regions)

	c, ok := fs.live.current().Cloud(perspective.Target{ProjectID: "new-id", Region: "R1"})
	require.True(t, ok)
	_, err = c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: "vm-n1", FlavorID: "m1.small", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	resp, body = fs.do("GET", "/projects/new/regions/R1/instances/all", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), "vm-n1")

	resp, body = fs.do("GET", "/projects/db/regions/R1/instances/all", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)
	resp, body = fs.do("GET", "/instances/all", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.NotContains(t, string(body), "vm-d1", "the lost project is not served")
	f := failedCloudsOf(t, resp)
	require.NotNil(t, f)
	require.Len(t, f.Failed, 1)
	assert.Equal(t, "db", f.Failed[0].ProjectName)
	assert.Equal(t, "forbidden", f.Failed[0].Code)
	assert.Zero(t, dbDriver.Calls("Reboot"))
}

// TestFleetRefreshEvery: the loop -refresh starts picks up a region added
// to the fleet without any request asking for it, and stops when told.
func TestFleetRefreshEvery(t *testing.T) {
	w1, _ := mockPair("web", "R1")
	fs := newFleetServer(t, nil, w1)
	stop := fs.live.refreshEvery(context.Background(), 10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w2, _ := mockPair("web", "R2")
	fs.src.change(func(ms []perspective.FleetMember) []perspective.FleetMember { return append(ms, w2) })
	require.Eventually(t, func() bool {
		_, body := fs.do("GET", "/projects/list", "")
		return strings.Contains(string(body), `"R2"`)
	}, 10*time.Second, 10*time.Millisecond)
	resp, body := fs.do("GET", "/projects/web/regions/R2/instances/all", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	stop()
}

// TestFleetRefreshReachesSignedInUsers: a signed-in user's requests are
// served by a router narrowed to what they may see; after a refresh that
// router narrows the new fleet, not the one it was made for.
func TestFleetRefreshReachesSignedInUsers(t *testing.T) {
	h, err := bcrypt.GenerateFromPassword([]byte("alice-pw"), bcrypt.MinCost)
	require.NoError(t, err)
	ids, err := auth.NewStatic([]auth.StaticUser{
		{Name: "alice", PasswordHash: string(h), Grants: []auth.Grant{{Project: "web", Role: auth.RoleOperator}}}})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	u := newUsers(auth.New(auth.Config{Identity: ids, Public: publicPaths, Log: log}), 64)
	t.Cleanup(u.Close)
	w1, _ := mockPair("web", "R1")
	d1, _ := mockPair("db", "R1")
	fs := newFleetServer(t, u, w1, d1)
	resp, body := fs.do("POST", "/auth/token", `{"username":"alice","password":"alice-pw"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	bearer := "Bearer " + decodeJSON[struct{ Token string }](t, body).Token
	regionsOfWeb := func() []perspective.Region {
		resp, body := fs.do("GET", "/projects/list", "", "Authorization", bearer)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		ps := decodeJSON[[]perspective.Project](t, body)
		require.Len(t, ps, 1, "alice sees web only: %s", body)
		return ps[0].Regions
	}
	assert.Equal(t, []perspective.Region{{ID: "R1"}}, regionsOfWeb())

	w2, _ := mockPair("web", "R2")
	fs.src.change(func(ms []perspective.FleetMember) []perspective.FleetMember { return append(ms, w2) })
	_, _, err = fs.live.refresh(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []perspective.Region{{ID: "R1"}, {ID: "R2"}}, regionsOfWeb())
	resp, body = fs.do("GET", "/projects/web/regions/R2/instances/all", "", "Authorization", bearer)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	u.mu.Lock()
	for k := range u.routers {
		assert.Same(t, fs.live.current(), k.base, "the routers of the old fleet are dropped")
	}
	u.mu.Unlock()
}

// TestSignedInUserSeesTheFailedCloudsOfTheirProjects: a user's listings
// name the failed clouds of the projects they may see, and no others.
func TestSignedInUserSeesTheFailedCloudsOfTheirProjects(t *testing.T) {
	h, err := bcrypt.GenerateFromPassword([]byte("alice-pw"), bcrypt.MinCost)
	require.NoError(t, err)
	ids, err := auth.NewStatic([]auth.StaticUser{
		{Name: "alice", PasswordHash: string(h), Grants: []auth.Grant{{Project: "web", Role: auth.RoleOperator}}}})
	require.NoError(t, err)
	u := newUsers(auth.New(auth.Config{Identity: ids, Public: publicPaths, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}), 64)
	t.Cleanup(u.Close)
	w1, _ := mockPair("web", "R1")
	lostRegion := perspective.FleetMember{Target: perspective.Target{CloudID: "os/web-id/R2", ProjectID: "web-id", Region: "R2"},
		ProjectName: "web", Err: perspective.Errorf(perspective.CodeNotFound, "region R2 is gone from web's catalog")}
	fs := newFleetServer(t, u, w1, lostRegion, refusedProject("ops"))
	resp, body := fs.do("POST", "/auth/token", `{"username":"alice","password":"alice-pw"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	bearer := "Bearer " + decodeJSON[struct{ Token string }](t, body).Token
	resp, body = fs.do("GET", "/instances/all", "", "Authorization", bearer)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	f := failedCloudsOf(t, resp)
	require.NotNil(t, f)
	require.Len(t, f.Failed, 1, "ops is not alice's")
	assert.Equal(t, "web", f.Failed[0].ProjectName)
	assert.Equal(t, "R2", f.Failed[0].Region)
	assert.Equal(t, "not_found", f.Failed[0].Code)
	assert.Equal(t, 2, f.Clouds)
}

// TestFleetPairImages: the launch dialog of a project and region lists
// the images of that pair's cloud only (each region has its own ids).
func TestFleetPairImages(t *testing.T) {
	e, _ := fleetEnv(t)
	resp, body := e.do("GET", "/projects/web/regions/R2/images", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	imgs := decodeJSON[[]map[string]any](t, body)
	require.NotEmpty(t, imgs)
	for _, im := range imgs {
		assert.Equal(t, "os/web-id/R2", im["cloudId"])
	}
	resp, body = e.do("GET", "/projects/web/regions/R9/images", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)
}
