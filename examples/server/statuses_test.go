package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// TestViewerIsForbiddenNotNotFound: vera may see project a but not act
// in it. Each changing route aimed at alice's instance answers 403 naming
// the role needed, her launch and keypair say forbidden (not "no cloud
// matches"), and the dry run the UI's tooltips show says the same.
func TestViewerIsForbiddenNotNotFound(t *testing.T) {
	e := newAuthzEnv(t)
	id := e.aliceVM
	for _, c := range []struct{ method, path, body string }{
		{"PUT", "/instances/reboot", `["` + id + `"]`},
		{"POST", "/instances/delete", `["` + id + `"]`},
		{"PUT", "/instances/lock", `["` + id + `"]`},
		{"PUT", "/instances/resize/m1.large", `["` + id + `"]`},
		{"POST", "/instances/tag", `{"ids":["` + id + `"],"tags":["x"]}`},
		{"PUT", "/instances/rename", `{"` + id + `":"x"}`},
		{"PUT", "/projects/a/regions/RegionOne/instances/reboot", `["` + id + `"]`},
		{"POST", "/instances", `[{"name":"x","flavor":{"id":"m1.small"},"image":{"id":"cirros-0.6.2"}}]`},
		{"POST", "/keypairs?project=a", `{"name":"k"}`},
		{"POST", "/images", `[{"name":"i"}]`},
	} {
		status, b := e.call("vera", c.method, c.path, c.body)
		assert.Equal(t, http.StatusForbidden, status, "%s %s: %s", c.method, c.path, b)
		assert.Contains(t, string(b), `"code": "forbidden"`, "%s %s", c.method, c.path)
		assert.Contains(t, string(b), "operator role", "%s %s: the role needed", c.method, c.path)
		assert.NotContains(t, string(b), "no such instance", "%s %s", c.method, c.path)
		assert.NotContains(t, string(b), "no cloud matches", "%s %s", c.method, c.path)
	}

	status, b := e.call("vera", "POST", "/instances/dryrun", `{"ids":["`+id+`"],"operations":["reboot","delete"],"limit":1}`)
	require.Equal(t, 200, status, string(b))
	v := decodeJSON[struct{ Operations map[string]admits }](t, b)
	for _, op := range []string{"reboot", "delete"} {
		require.Len(t, v.Operations[op].Refused, 1, op)
		assert.Equal(t, "forbidden", v.Operations[op].Refused[0].Code, op)
		assert.Contains(t, v.Operations[op].Refused[0].Message, "needs the operator role", op)
	}

	// An id nobody sees stays a 404, and so does bob's instance: vera
	// learns nothing of project b.
	for _, other := range []string{"no-such-id", e.bobVM} {
		status, b = e.call("vera", "PUT", "/instances/reboot", `["`+other+`"]`)
		assert.Equal(t, http.StatusNotFound, status, "%s: %s", other, b)
		assert.NotContains(t, string(b), bobSecret)
	}
	// alice, who operates project a, still reboots it.
	status, b = e.call("alice", "PUT", "/instances/reboot", `["`+id+`"]`)
	assert.Equal(t, 200, status, string(b))
}

// TestOneStatusPerKind: an unknown flavor or image is a 400 naming the
// field on launch, resize and rebuild alike, before any task.
func TestOneStatusPerKind(t *testing.T) {
	e := newEnv(t)
	id := e.launch("a")[0]
	for _, c := range []struct{ method, path, body, field string }{
		{"POST", "/instances", `[{"name":"x","flavor":{"id":"nope"},"image":{"id":"cirros-0.6.2"}}]`, "flavor"},
		{"PUT", "/instances/resize/nope", `["` + id + `"]`, "flavorId"},
		{"PUT", "/instances/resize", `{"ids":["` + id + `"],"flavorId":"nope"}`, "flavorId"},
		{"POST", "/instances", `[{"name":"x","flavor":{"id":"m1.small"},"image":{"id":"nope"}}]`, "image"},
		{"PUT", "/instances/rebuild/nope", `["` + id + `"]`, "imageId"},
	} {
		resp, b := e.do(c.method, c.path, c.body)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s %s: %s", c.method, c.path, b)
		v := decodeJSON[errorBody](t, b)
		assert.Equal(t, "invalid_argument", v.Code)
		assert.Contains(t, v.Message, c.field)
	}
}

// TestRoutesAnswerJSON: a path another method names is a 405 with Allow,
// and an unknown route or asset a JSON 404.
func TestRoutesAnswerJSON(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/instances/reboot", 405, "PUT"},
		{"GET", "/instances/tag", 405, "POST, DELETE"},
		{"GET", "/instances/delete", 405, "POST"},
		{"GET", "/projects/demo/regions/RegionOne/instances/shutdown", 405, "PUT"},
		{"DELETE", "/instances/all", 405, "GET"},
		{"GET", "/nowhere", 404, ""},
		{"GET", "/ui/nope.js", 404, ""},
		{"GET", "/ui/js/", 404, ""},
		{"GET", "/ui/index.html", 404, ""},
	} {
		resp, b := e.do(c.method, c.path, "")
		assert.Equal(t, c.status, resp.StatusCode, "%s %s: %s", c.method, c.path, b)
		assert.Equal(t, "application/json", strings.Split(resp.Header.Get("Content-Type"), ";")[0], "%s %s", c.method, c.path)
		assert.Equal(t, c.allow, resp.Header.Get("Allow"), "%s %s", c.method, c.path)
		v := decodeJSON[errorBody](t, b)
		assert.NotEmpty(t, v.Code)
	}
	resp, _ := e.do("GET", "/ui/js/app.js", "")
	assert.Equal(t, 200, resp.StatusCode, "an asset is still served")
	resp, _ = e.do("GET", "/instances/"+e.launch("x")[0], "")
	assert.Equal(t, 200, resp.StatusCode, "an instance is still shown")
}

// TestClientGoneStopsTheWork: a synchronous bulk launch whose client goes
// away stops launching: the request's context reaches the library, and
// the task records the rest as canceled.
func TestClientGoneStopsTheWork(t *testing.T) {
	drv := mock.New(mock.WithDelay(0), mock.WithLatency(200*time.Millisecond))
	e := newEnvOf(t, drv)
	items := make([]string, 64)
	for i := range items {
		items[i] = fmt.Sprintf(`{"name":"vm-%d","flavor":{"id":"m1.small"},"image":{"id":"cirros-0.6.2"}}`, i)
	}
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, "POST", e.srv.URL+"/instances", strings.NewReader("["+strings.Join(items, ",")+"]"))
	require.NoError(t, err)
	time.AfterFunc(300*time.Millisecond, cancel)
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "the client gave up")

	var tk *task
	require.Eventually(t, func() bool {
		ts := e.tasks.list()
		if len(ts) == 1 {
			tk = ts[0]
		}
		return tk != nil
	}, 5*time.Second, 10*time.Millisecond)
	select {
	case <-tk.end:
	case <-time.After(5 * time.Second):
		t.Fatal("the launch went on after its client left")
	}
	v, _ := tk.view()
	assert.Equal(t, 64, v.Done)
	assert.Less(t, v.Succeeded, 64/2, "most launches never started")
	canceled := 0
	for _, r := range v.Results {
		if r.Code == "canceled" {
			canceled++
		}
	}
	assert.Positive(t, canceled, "the items not done say they were canceled: %+v", v.Results[len(v.Results)-1])
	list, err := e.set.Instances().List(context.Background(), perspective.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, v.Succeeded, len(list), "the instances are exactly what the results say")
}
