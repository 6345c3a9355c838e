package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// routeCase is one successful call of a route. In path and body, $ID is a
// fresh instance's id, $IMG the id of the image cirros-0.6.2 and $TASK the
// id of a finished task.
type routeCase struct {
	method, path, body string
	// pre prepares the instance (e.g. shuts it down before a start).
	pre    func(ctx context.Context, s *perspective.Set, id string) error
	status int
	check  func(t *testing.T, resp *http.Response, body []byte)
	// stream: the answer is a stream of events; body is its first event's data.
	stream bool
}

func bulkOK(t *testing.T, _ *http.Response, body []byte) {
	v := decodeJSON[taskView](t, body)
	assert.Equal(t, taskSucceeded, v.State, "body: %s", body)
	assert.NotEmpty(t, v.Task)
	for _, r := range v.Results {
		assert.Equal(t, itemSucceeded, r.State, "result: %+v", r)
	}
}

func with(op func(*perspective.Instances, context.Context, ...string) (*perspective.Report, error)) func(context.Context, *perspective.Set, string) error {
	return func(ctx context.Context, s *perspective.Set, id string) error {
		_, err := op(s.Instances(), ctx, id)
		return err
	}
}

// instanceCases are the instance routes, relative to a prefix.
var instanceCases = []routeCase{
	{method: "GET", path: "/instances/all", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		assert.Len(t, decodeJSON[[]instanceView](t, b), 1)
	}},
	{method: "GET", path: "/instances/all?state=launched&name=vm", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		assert.Len(t, decodeJSON[[]instanceView](t, b), 1)
	}},
	{method: "POST", path: "/instances", body: `[{"name":"web","flavor":{"id":2},"image":{"id":"cirros-0.6.2"},"networks":[{"id":"private"}],"isLocked":true,"metadata":{"entry":[{"key":"role","value":"web"}]}}]`,
		status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
			v := decodeJSON[taskView](t, b)
			require.Len(t, v.Results, 1, "body: %s", b)
			inst := v.Results[0].Instance
			require.NotNil(t, inst, "body: %s", b)
			assert.Equal(t, "web", inst.Name)
			assert.True(t, inst.IsLocked)
			assert.Equal(t, []entry{{"role", "web"}}, inst.Metadata.Entry)
		}},
	{method: "GET", path: "/instances/$ID", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		v := decodeJSON[map[string]any](t, b)
		for _, k := range []string{"id", "realId", "timestamp", "created", "cloudId", "cloudType", "projectId", "name",
			"flavor", "image", "keypair", "state", "isLocked", "metadata", "address", "networks"} {
			assert.Contains(t, v, k)
		}
		assert.Equal(t, "launched", v["state"])
		assert.Contains(t, v["flavor"], "hasSwap")
		assert.Contains(t, v["metadata"], "entry")
	}},
	{method: "GET", path: "/instances/$ID/console", status: 302, check: func(t *testing.T, resp *http.Response, _ []byte) {
		assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), "http://127.0.0.1:6080/"), resp.Header.Get("Location"))
	}},
	{method: "GET", path: "/instances/$ID/log?lines=1", status: 200, check: func(t *testing.T, resp *http.Response, b []byte) {
		assert.Equal(t, "vm login: \n", string(b))
		assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
	}},
	{method: "POST", path: "/instances/delete", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "DELETE", path: "/instances", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/reboot", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/hard-reboot", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/start", body: `["$ID"]`, pre: with((*perspective.Instances).Shutdown), status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/shutdown", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/pause", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/resume", body: `["$ID"]`, pre: with((*perspective.Instances).Suspend), status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/suspend", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/confirm-resize", body: `["$ID"]`, pre: resizeTo("m1.medium"), status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/revert-resize", body: `["$ID"]`, pre: resizeTo("m1.medium"), status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/lock", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/unlock", body: `["$ID"]`, pre: with((*perspective.Instances).Lock), status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/resize/3", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/resize", body: `{"ids":["$ID"],"flavorId":"m1.large"}`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/rebuild/debian-12", body: `["$ID"]`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/rebuild", body: `{"ids":["$ID"],"imageId":"$IMG"}`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/snapshot", body: `{"ids":["$ID"],"name":"snap"}`, status: 200, check: func(t *testing.T, r *http.Response, b []byte) {
		bulkOK(t, r, b)
		v := decodeJSON[taskView](t, b)
		require.NotNil(t, v.Results[0].Image, "body: %s", b)
		assert.Equal(t, "snap", v.Results[0].Image.Name)
	}},
	{method: "POST", path: "/instances/tag", body: `{"ids":["$ID"],"tags":["web"]}`, status: 200, check: bulkOK},
	{method: "DELETE", path: "/instances/tag", body: `{"ids":["$ID"],"tags":["web"]}`, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/ip", body: `["$ID"]`, status: 200, check: func(t *testing.T, r *http.Response, b []byte) {
		bulkOK(t, r, b)
		assert.NotEmpty(t, decodeJSON[taskView](t, b).Results[0].Address)
	}},
	{method: "DELETE", path: "/instances/ip", body: `["$ID"]`, pre: addIPTo, status: 200, check: bulkOK},
	{method: "PUT", path: "/instances/rename", body: `{"$ID":"renamed"}`, status: 200, check: bulkOK},
}

func resizeTo(flavor string) func(context.Context, *perspective.Set, string) error {
	return func(ctx context.Context, s *perspective.Set, id string) error {
		_, err := s.Instances().Resize(ctx, flavor, id)
		return err
	}
}

func addIPTo(ctx context.Context, s *perspective.Set, id string) error {
	_, err := s.Instances().AddFloatingIP(ctx, perspective.FloatingIPRequest{}, id)
	return err
}

// imageCases are the image routes, relative to a prefix.
var imageCases = []routeCase{
	{method: "GET", path: "/images", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		assert.Len(t, decodeJSON[[]imageView](t, b), 3)
	}},
	{method: "GET", path: "/images/$IMG", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		v := decodeJSON[imageView](t, b)
		assert.Equal(t, "cirros-0.6.2", v.Name)
		assert.Equal(t, "saved", v.State)
		assert.Equal(t, []string{"demo"}, v.ProjectID)
	}},
	{method: "POST", path: "/images", body: `[{"name":"custom","visibility":"private","metadata":{"entry":[{"key":"os","value":"linux"}]}},{"instanceId":"$ID","name":"vm-image","projectId":["demo"]}]`,
		status: 200, check: func(t *testing.T, r *http.Response, b []byte) {
			bulkOK(t, r, b)
			v := decodeJSON[taskView](t, b)
			require.Len(t, v.Results, 2)
			assert.Equal(t, "custom", v.Results[0].Image.Name)
			assert.Equal(t, "vm-image", v.Results[1].Image.Name)
		}},
	{method: "PUT", path: "/images", body: `[{"id":"$IMG","name":"cirros-renamed"}]`, status: 200, check: func(t *testing.T, r *http.Response, b []byte) {
		bulkOK(t, r, b)
		assert.Equal(t, "cirros-renamed", decodeJSON[taskView](t, b).Results[0].Image.Name)
	}},
	{method: "POST", path: "/images/delete", body: `["$IMG"]`, status: 200, check: bulkOK},
	{method: "DELETE", path: "/images", body: `["$IMG"]`, status: 200, check: bulkOK},
}

// globalCases are the routes that exist once.
var globalCases = []routeCase{
	{method: "GET", path: "/keypairs", status: 200},
	{method: "POST", path: "/keypairs", body: `{"name":"alice"}`, status: 201, check: func(t *testing.T, r *http.Response, b []byte) {
		k := decodeJSON[perspective.Keypair](t, b)
		assert.Equal(t, "alice", k.Name)
		assert.NotEmpty(t, k.PrivateKey)
		assert.Equal(t, "/keypairs/alice", r.Header.Get("Location"))
	}},
	{method: "DELETE", path: "/keypairs/bob", status: 204},
	{method: "GET", path: "/projects/list", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		ps := decodeJSON[[]perspective.Project](t, b)
		require.Len(t, ps, 1)
		assert.Equal(t, "demo", ps[0].ID)
		assert.Equal(t, "RegionOne", ps[0].Regions[0].ID)
	}},
	{method: "GET", path: "/projects/demo/access", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		assert.NotEmpty(t, decodeJSON[[]perspective.Endpoint](t, b))
	}},
	{method: "GET", path: "/projects/demo/regions/RegionOne/rcfile", status: 200, check: func(t *testing.T, r *http.Response, b []byte) {
		assert.Contains(t, string(b), "export OS_PROJECT_ID=demo")
		assert.Contains(t, r.Header.Get("Content-Disposition"), "demo-RegionOne-openrc.sh")
	}},
	{method: "GET", path: "/tasks", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		assert.NotEmpty(t, decodeJSON[[]taskSummary](t, b))
	}},
	{method: "GET", path: "/tasks/$TASK", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		v := decodeJSON[taskView](t, b)
		assert.Equal(t, "rebootInstance", v.Operation)
		assert.Equal(t, taskSucceeded, v.State)
	}},
	{method: "GET", path: "/events?snapshot=true", status: 200, stream: true, check: func(t *testing.T, _ *http.Response, b []byte) {
		v := decodeJSON[eventView](t, b)
		assert.Equal(t, "snapshot", v.Kind)
		require.NotNil(t, v.New)
		assert.Equal(t, "vm", v.New.Name)
	}},
	{method: "GET", path: "/ping", status: 200},
	{method: "GET", path: "/version", status: 200, check: func(t *testing.T, r *http.Response, b []byte) {
		assert.Equal(t, "v-test\n", string(b))
		assert.Contains(t, r.Header.Get("Content-Type"), "text/plain")
	}},
	{method: "GET", path: "/operations", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
		ops := decodeJSON[map[string][]string](t, b)
		for _, want := range []string{"addInstance", "deleteInstance", "rebootInstance", "hardRebootInstance",
			"startInstance", "shutdownInstance", "pauseInstance", "unpauseInstance", "resumeInstance", "suspendInstance",
			"resizeInstance", "rebuildInstance", "renameInstance", "snapshotInstance", "addImage", "deleteImage"} {
			assert.Contains(t, ops["mock"], want)
		}
	}},
	{method: "GET", path: "/openapi.json", status: 200},
	{method: "GET", path: "/docs", status: 200},
	{method: "GET", path: "/", status: 200},
	{method: "POST", path: "/query", body: seedQuery, status: 200},
}

// seedQuery is seed 001's query request.
const seedQuery = `[ {
  "sql" : "select id, name from projects where name regexp :name: order by name asc",
  "parameters" : [ { "name" : "name", "value" : "de" } ]
} ]`

// TestEveryRoute calls every route once on a fresh mock cloud, and checks
// that the calls between them reach every route registered in routes.go.
func TestEveryRoute(t *testing.T) {
	type call struct {
		name string
		c    routeCase
	}
	var calls []call
	for _, p := range []struct{ pattern, path string }{{"", ""}, {"/projects/{project}/regions/{region}", "/projects/demo/regions/RegionOne"}} {
		for _, c := range instanceCases {
			c.path = p.path + c.path
			calls = append(calls, call{c.method + " " + c.path, c})
		}
	}
	for _, p := range []string{"", "/projects/demo"} {
		for _, c := range imageCases {
			c.path = p + c.path
			calls = append(calls, call{c.method + " " + c.path, c})
		}
	}
	for _, c := range globalCases {
		calls = append(calls, call{c.method + " " + c.path, c})
	}

	hit := map[string]bool{}
	var patterns []string
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			patterns = e.router.patterns
			ctx := context.Background()
			id := e.launch("vm")[0]
			_, err := e.set.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "bob"})
			require.NoError(t, err)
			img, err := e.set.Images().Get(ctx, "cirros-0.6.2")
			require.NoError(t, err)
			rep, err := e.set.Instances().Reboot(ctx, id)
			require.NoError(t, err)
			require.NotNil(t, rep)
			task := e.runTask(id)
			if tc.c.pre != nil {
				require.NoError(t, tc.c.pre(ctx, e.set, id))
			}
			r := strings.NewReplacer("$ID", id, "$IMG", img.ID, "$TASK", task)
			path, body := r.Replace(tc.c.path), r.Replace(tc.c.body)

			req, err := http.NewRequest(tc.c.method, path, nil)
			require.NoError(t, err)
			_, pattern := e.router.Handler(req)
			hit[pattern] = true

			var resp *http.Response
			var b []byte
			if tc.c.stream {
				s := openEvents(t, e.srv.URL+path)
				resp, b = s.resp, s.next(5*time.Second).data
			} else {
				resp, b = e.do(tc.c.method, path, body)
			}
			require.Equal(t, tc.c.status, resp.StatusCode, "body: %s", b)
			if tc.c.check != nil {
				tc.c.check(t, resp, b)
			}
		})
	}
	for _, p := range patterns {
		assert.True(t, hit[p], "no test calls route %q", p)
	}
}

// runTask runs a reboot through the API and returns its task id.
func (e *env) runTask(id string) string {
	e.t.Helper()
	resp, b := e.do("PUT", "/instances/reboot", `["`+id+`"]`)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "body: %s", b)
	v := decodeJSON[taskView](e.t, b)
	require.Equal(e.t, "/tasks/"+v.Task, resp.Header.Get("Location"))
	return v.Task
}
