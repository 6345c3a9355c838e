package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// TestMultiStatus: one locked instance among two makes a reboot a 207 with
// per-item results.
func TestMultiStatus(t *testing.T) {
	e := newEnv(t)
	ids := e.launch("a", "b")
	_, err := e.set.Instances().Lock(context.Background(), ids[1])
	require.NoError(t, err)

	resp, b := e.do("PUT", "/instances/reboot", `["`+ids[0]+`","`+ids[1]+`"]`)
	require.Equal(t, http.StatusMultiStatus, resp.StatusCode, "body: %s", b)
	v := decodeJSON[taskView](t, b)
	assert.Equal(t, taskPartial, v.State)
	assert.Equal(t, 1, v.Succeeded)
	assert.Equal(t, 1, v.Failed)
	require.Len(t, v.Results, 2)
	assert.Equal(t, itemSucceeded, v.Results[0].State)
	assert.Equal(t, ids[1], v.Results[1].ID)
	assert.Equal(t, itemFailed, v.Results[1].State)
	assert.Equal(t, http.StatusConflict, v.Results[1].Status)
	assert.Equal(t, "invalid_state", v.Results[1].Code)
	assert.Contains(t, v.Results[1].Message, "locked")
	assert.Empty(t, v.Code, "a 207 is not an error")
}

// TestErrorStatuses checks the status and code of each kind of failure.
func TestErrorStatuses(t *testing.T) {
	tests := []struct {
		name         string
		opts         []mock.Option
		pre          func(t *testing.T, e *env, id string)
		method, path string
		body         string
		status       int
		code         string
		message      string
		noVM         bool // the cloud cannot launch the test's instance
	}{
		{name: "malformed JSON", method: "PUT", path: "/instances/reboot", body: `["a",`, status: 400,
			code: "invalid_argument", message: "JSON ends early"},
		{name: "syntax error", method: "PUT", path: "/instances/reboot", body: `["a" "b"]`, status: 400,
			code: "invalid_argument", message: "invalid JSON at byte"},
		{name: "wrong type", method: "PUT", path: "/instances/reboot", body: `{"a":1}`, status: 400,
			code: "invalid_argument", message: "the body: expected a JSON list of strings, got a JSON object"},
		{name: "empty body", method: "PUT", path: "/instances/reboot", status: 400, code: "invalid_argument", message: "empty"},
		{name: "empty list", method: "PUT", path: "/instances/reboot", body: `[]`, status: 400, code: "invalid_argument", message: "no ids"},
		{name: "empty id", method: "PUT", path: "/instances/reboot", body: `["x",""]`, status: 400, code: "invalid_argument", message: "item 1"},
		{name: "trailing data", method: "PUT", path: "/instances/reboot", body: `["x"] ]`, status: 400, code: "invalid_argument"},
		{name: "two values", method: "PUT", path: "/instances/reboot", body: `["x"] ["y"]`, status: 400, code: "invalid_argument", message: "after the JSON value"},
		{name: "unknown selection field", method: "POST", path: "/instances/tag", body: `{"ids":["x"],"tag":["a"]}`, status: 400,
			code: "invalid_argument", message: "unknown field"},
		{name: "tags missing", method: "POST", path: "/instances/tag", body: `["$ID"]`, status: 400, code: "invalid_argument", message: "tags are required"},
		{name: "flavor missing", method: "PUT", path: "/instances/resize", body: `["$ID"]`, status: 400, code: "invalid_argument", message: "flavorId is required"},
		{name: "image missing", method: "PUT", path: "/instances/rebuild", body: `["$ID"]`, status: 400, code: "invalid_argument", message: "imageId is required"},
		{name: "launch without flavor", method: "POST", path: "/instances", body: `[{"name":"x","image":{"id":"cirros-0.6.2"}}]`,
			status: 400, code: "invalid_argument", message: "flavor.id is required"},
		{name: "launch unknown flavor", method: "POST", path: "/instances", body: `[{"name":"x","flavor":{"id":"nope"},"image":{"id":"cirros-0.6.2"}}]`,
			status: 400, code: "invalid_argument", message: "nope"},
		{name: "launch wrong cloud type", method: "POST", path: "/instances", body: `[{"name":"x","cloudType":"openstack","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}}]`,
			status: 400, code: "invalid_argument", message: "no openstack cloud"},
		{name: "launch wrong project", method: "POST", path: "/projects/demo/regions/RegionOne/instances",
			body:   `[{"name":"x","projectId":"other","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}}]`,
			status: 400, code: "invalid_argument", message: "differs from the route"},
		{name: "over quota", opts: []mock.Option{mock.WithQuota(1)}, method: "POST", path: "/instances",
			body: `[{"name":"x","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}}]`, status: 403, code: "quota_exceeded", message: "Quota exceeded"},
		{name: "empty rename", method: "PUT", path: "/instances/rename", body: `{"$ID":" "}`, status: 400, code: "invalid_argument", message: "new name"},
		{name: "bad state filter", method: "GET", path: "/instances/all?state=sleeping", status: 400, code: "invalid_argument", message: "sleeping"},
		{name: "bad lines", method: "GET", path: "/instances/$ID/log?lines=-1", status: 400, code: "invalid_argument", message: "lines"},
		{name: "image change without change", method: "PUT", path: "/images", body: `[{"id":"x"}]`, status: 400, code: "invalid_argument", message: "nothing to change"},
		{name: "keypair without name", method: "POST", path: "/keypairs", body: `{}`, status: 400, code: "invalid_argument", message: "name is required"},
		{name: "bad keypair name", method: "POST", path: "/keypairs", body: `{"name":"a/b"}`, status: 400, code: "invalid_argument"},
		{name: "unknown instance", method: "GET", path: "/instances/nope", status: 404, code: "not_found"},
		{name: "unknown image", method: "GET", path: "/images/nope", status: 404, code: "not_found"},
		{name: "unknown keypair", method: "DELETE", path: "/keypairs/nope", status: 404, code: "not_found"},
		{name: "unknown project", method: "GET", path: "/projects/nope/access", status: 404, code: "not_found"},
		{name: "unknown region", method: "GET", path: "/projects/demo/regions/nowhere/instances/all", status: 404, code: "not_found", message: "region=nowhere"},
		{name: "unknown task", method: "GET", path: "/tasks/nope", status: 404, code: "not_found"},
		{name: "reboot unknown id", method: "PUT", path: "/instances/reboot", body: `["nope"]`, status: 404, code: "not_found"},
		{name: "unknown route", method: "GET", path: "/nowhere", status: 404, code: "not_found", message: "no route"},
		{name: "wrong method", method: "DELETE", path: "/ping", status: 405, code: "method_not_allowed", message: "GET"},
		{name: "start a running instance", method: "PUT", path: "/instances/start", body: `["$ID"]`, status: 409,
			code: "invalid_state", message: "launched"},
		{name: "reboot a locked instance", method: "PUT", path: "/instances/reboot", body: `["$ID"]`, status: 409, code: "invalid_state",
			message: "locked", pre: func(t *testing.T, e *env, id string) {
				_, err := e.set.Instances().Lock(context.Background(), id)
				require.NoError(t, err)
			}},
		{name: "console of a shut-off instance", method: "GET", path: "/instances/$ID/console", status: 409, code: "invalid_state",
			pre: func(t *testing.T, e *env, id string) {
				_, err := e.set.Instances().Shutdown(context.Background(), id)
				require.NoError(t, err)
			}},
		{name: "body too large", method: "PUT", path: "/instances/reboot", body: `["` + strings.Repeat("x", maxBodyBytes) + `"]`,
			status: 413, code: "too_large"},
		{name: "cloud down", opts: []mock.Option{mock.WithFailing("ListInstances", perspective.Errorf(perspective.CodeTransient, "503 from nova"))},
			method: "GET", path: "/instances/all", status: 503, code: "transient", message: "503 from nova"},
		{name: "ping with no cloud answering", opts: []mock.Option{mock.WithFailing("ListFlavors", perspective.Errorf(perspective.CodeTransient, "down"))},
			method: "GET", path: "/ping", status: 503, code: "unavailable", message: "down", noVM: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.opts...)
			id := "none"
			if !tc.noVM {
				id = e.launch("vm")[0]
			}
			if tc.pre != nil {
				tc.pre(t, e, id)
			}
			r := strings.NewReplacer("$ID", id)
			resp, b := e.do(tc.method, r.Replace(tc.path), r.Replace(tc.body))
			require.Equal(t, tc.status, resp.StatusCode, "body: %s", b)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			v := decodeJSON[errorBody](t, b)
			assert.Equal(t, tc.code, v.Code)
			assert.Contains(t, v.Message, tc.message)
		})
	}
}

// bareDriver hides every optional capability of the mock: a cloud that
// can only list, launch and delete.
type bareDriver struct{ driver.Driver }

// TestUnsupported: what the cloud cannot do is a 501, and /operations
// leaves it out.
func TestUnsupported(t *testing.T) {
	e := newEnvOf(t, bareDriver{mock.New()})
	id := e.launch("vm")[0]

	resp, b := e.do("PUT", "/instances/reboot", `["`+id+`"]`)
	require.Equal(t, http.StatusNotImplemented, resp.StatusCode, "body: %s", b)
	assert.Equal(t, "unsupported", decodeJSON[taskView](t, b).Code)

	resp, b = e.do("GET", "/instances/"+id+"/console", "")
	require.Equal(t, http.StatusNotImplemented, resp.StatusCode, "body: %s", b)

	resp, b = e.do("POST", "/keypairs", `{"name":"k"}`)
	require.Equal(t, http.StatusNotImplemented, resp.StatusCode, "body: %s", b)

	ops := decodeJSON[map[string][]string](t, e.mustGet("/operations"))
	assert.Contains(t, ops["mock"], "addInstance")
	assert.Contains(t, ops["mock"], "deleteInstance")
	assert.NotContains(t, ops["mock"], "rebootInstance")
}

func (e *env) mustGet(path string) []byte {
	e.t.Helper()
	resp, b := e.do("GET", path, "")
	require.Equal(e.t, http.StatusOK, resp.StatusCode, "body: %s", b)
	return b
}

// TestTwoClouds: with two clouds a launch must name its project; the
// scoped routes see only their own cloud's instances.
func TestTwoClouds(t *testing.T) {
	e := newEnvOf(t, mock.New(mock.WithCloudID("east"), mock.WithProject("p1", "one")),
		mock.New(mock.WithCloudID("west"), mock.WithProject("p2", "two")))
	launch := `[{"name":"vm","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}}]`
	resp, b := e.do("POST", "/instances", launch)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "body: %s", b)
	assert.Contains(t, string(b), "2 clouds match")

	resp, b = e.do("POST", "/instances", `[{"name":"vm","projectId":"p2","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}}]`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	resp, b = e.do("POST", "/projects/p1/regions/RegionOne/instances", launch)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)

	assert.Len(t, decodeJSON[[]instanceView](t, e.mustGet("/instances/all")), 2)
	p1 := decodeJSON[[]instanceView](t, e.mustGet("/projects/p1/regions/RegionOne/instances/all"))
	require.Len(t, p1, 1)
	assert.Equal(t, "east", p1[0].CloudID)

	// An instance of p2 is not found through p1's routes.
	west := decodeJSON[[]instanceView](t, e.mustGet("/projects/p2/regions/RegionOne/instances/all"))
	require.Len(t, west, 1)
	resp, b = e.do("PUT", "/projects/p1/regions/RegionOne/instances/reboot", `["`+west[0].ID+`"]`)
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "body: %s", b)
	resp, b = e.do("PUT", "/instances/reboot", `["`+west[0].ID+`"]`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
}

// TestPanicIsA500: a handler that panics gets the client a 500 JSON error
// naming the request (not the panic's value) and is logged, and the
// server goes on serving.
func TestPanicIsA500(t *testing.T) {
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	srv := httptest.NewServer(withRecovery(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom" {
			panic("secret detail")
		}
		w.WriteHeader(http.StatusNoContent)
	})))
	t.Cleanup(srv.Close)

	resp, err := http.Get(srv.URL + "/boom")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.JSONEq(t, `{"code":"unknown","message":"internal error while serving GET /boom"}`, string(body))
	assert.Contains(t, logs.String(), "secret detail", "the panic is logged")

	resp, err = http.Get(srv.URL + "/fine")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}
