package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// mockFleet is a fleet source of mock clouds, one per (project, region),
// as the OpenStack driver's source makes them.
type mockFleet struct{ members []perspective.FleetMember }

func (m *mockFleet) Expand(context.Context) ([]perspective.FleetMember, error) { return m.members, nil }
func (m *mockFleet) Close() error                                              { return nil }

// fleetEnv serves projects web (id web-id) in R1 and R2 and db (db-id) in
// R1, plus ops, whose scope was refused, as a fleet.
func fleetEnv(t *testing.T) (*env, map[string]*mock.Driver) {
	t.Helper()
	src := &mockFleet{}
	drivers := map[string]*mock.Driver{}
	for _, p := range [][3]string{{"web-id", "web", "R1"}, {"web-id", "web", "R2"}, {"db-id", "db", "R1"}} {
		id := "os/" + p[0] + "/" + p[2]
		d := mock.New(mock.WithDelay(0), mock.WithCloudID(id), mock.WithProject(p[0], p[1]), mock.WithRegion(p[2]))
		drivers[p[1]+"/"+p[2]] = d
		src.members = append(src.members, perspective.FleetMember{
			Target: perspective.Target{CloudID: id, ProjectID: p[0], Region: p[2]}, ProjectName: p[1], Driver: d})
	}
	src.members = append(src.members, perspective.FleetMember{Target: perspective.Target{CloudID: "os/ops-id", ProjectID: "ops-id"},
		ProjectName: "ops", Err: perspective.Errorf(perspective.CodeForbidden, "no role on ops")})
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{src}, perspective.WithRetry(0, 0))
	require.NoError(t, err)
	e := &env{t: t, set: fl.Set(), tasks: newTaskStore(64)}
	d := &deps{set: e.set, fleet: fl, tasks: e.tasks, version: "v-test", log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e.router = newRouter(d)
	e.srv = httptest.NewServer(withRecovery(d.log, e.router))
	t.Cleanup(func() {
		e.srv.Close()
		e.tasks.Close()
		require.NoError(t, fl.Close())
	})
	return e, drivers
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
