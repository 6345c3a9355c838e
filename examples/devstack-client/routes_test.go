package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const launchBody = `{"name":"vm1","image_id":"cirros-0.6.2","flavor_id":"m1.small","network_id":"private"}`

func TestMetadataRoutes(t *testing.T) {
	srv, _ := newMockServer(t)
	tests := []struct {
		path     string
		status   int
		contains string
	}{
		{"/api/v1/image", 200, `"name": "cirros-0.6.2"`},
		{"/api/v1/image/ubuntu-24.04", 200, `"id": "00000000-0000-4000-8000-000000000002"`},
		{"/api/v1/image/00000000-0000-4000-8000-000000000003", 200, `"name": "debian-12"`},
		{"/api/v1/image/nope", 404, `"code": "not_found"`},
		{"/api/v1/flavor", 200, `"name": "m1.large"`},
		{"/api/v1/flavor/m1.medium", 200, `"vcpus": 2`},
		{"/api/v1/flavor/4", 200, `"name": "m1.large"`},
		{"/api/v1/flavor/m9.huge", 404, `no such flavor`},
		{"/api/v1/network", 200, `"cidr": "10.20.0.0/24"`},
		{"/api/v1/network/public", 200, `"router_external": true`},
		{"/api/v1/network/10000000-0000-4000-8000-000000000001", 200, `"name": "private"`},
		{"/api/v1/network/nowhere", 404, `no such network`},
		{"/api/v1/server", 200, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := call(t, srv, "GET", tt.path, "")
			assert.Equal(t, tt.status, status, "%s", body)
			assert.Contains(t, string(body), tt.contains)
		})
	}
}

func TestServerLifecycle(t *testing.T) {
	srv, _ := newMockServer(t)
	status, body := call(t, srv, "POST", "/api/v1/server", launchBody)
	require.Equal(t, http.StatusCreated, status, "%s", body)
	created := decodeAs[serverJSON](t, body)
	assert.Equal(t, "vm1", created.Name)
	assert.Equal(t, "m1.small", created.Flavor.Name)
	assert.Equal(t, "cirros-0.6.2", created.Image.Name)
	require.Len(t, created.Addresses["private"], 1)

	// The README's spelling with a trailing slash launches too.
	status, body = call(t, srv, "POST", "/api/v1/server/", strings.Replace(launchBody, "vm1", "vm2", 1))
	require.Equal(t, http.StatusCreated, status, "%s", body)

	status, body = call(t, srv, "GET", "/api/v1/server", "")
	require.Equal(t, 200, status)
	list := decodeAs[[]serverJSON](t, body)
	require.Len(t, list, 2)
	assert.Equal(t, []string{"vm1", "vm2"}, []string{list[0].Name, list[1].Name})

	status, body = call(t, srv, "GET", "/api/v1/server/"+created.ID, "")
	require.Equal(t, 200, status, "%s", body)
	assert.Equal(t, created.ID, decodeAs[serverJSON](t, body).ID)

	status, body = call(t, srv, "DELETE", "/api/v1/server/"+created.ID, "")
	require.Equal(t, http.StatusNoContent, status, "%s", body)
	assert.Empty(t, body)

	status, body = call(t, srv, "GET", "/api/v1/server/"+created.ID, "")
	assert.Equal(t, 404, status, "%s", body)
	status, body = call(t, srv, "DELETE", "/api/v1/server/"+created.ID, "")
	assert.Equal(t, 404, status, "%s", body)
}

func TestLaunchErrors(t *testing.T) {
	srv, _ := newMockServer(t)
	tests := []struct {
		name, body string
		status     int
		contains   string
	}{
		{"empty body", ``, 400, "request body is empty"},
		{"not JSON", `{"name":`, 400, "ends early"},
		{"syntax", `{"name" 1}`, 400, "invalid JSON at byte"},
		{"wrong type", `{"name":1}`, 400, "name: expected a string, got a JSON number"},
		{"not an object", `["vm1"]`, 400, "request body: expected an object, got a JSON array"},
		{"NUL in the name", `{"name":"vm\u0000","image_id":"cirros-0.6.2","flavor_id":"1","network_id":"private"}`, 400, "name: control character U+0000"},
		{"ESC in the name", `{"name":"\u001b[2Jvm","image_id":"cirros-0.6.2","flavor_id":"1","network_id":"private"}`, 400, "name: control character U+001B"},
		{"newline in the name", `{"name":"vm\nroot","image_id":"cirros-0.6.2","flavor_id":"1","network_id":"private"}`, 400, "name: control character U+000A"},
		{"bidi override in the name", `{"name":"\u202egnp.exe","image_id":"cirros-0.6.2","flavor_id":"1","network_id":"private"}`, 400, "name: bidirectional control character U+202E"},
		{"unknown field", `{"name":"a","image":"x"}`, 400, `unknown field "image"`},
		{"two values", launchBody + launchBody, 400, "more than one JSON value"},
		{"missing one", `{"name":"a","image_id":"cirros-0.6.2","flavor_id":"1"}`, 400, "network_id is required"},
		{"missing all", `{}`, 400, "image_id, flavor_id, network_id and name are required"},
		{"long name", fmt.Sprintf(`{"name":%q,"image_id":"a","flavor_id":"1","network_id":"private"}`, strings.Repeat("n", 256)), 400, "name: longer than 255 bytes"},
		{"unknown image", `{"name":"a","image_id":"nope","flavor_id":"1","network_id":"private"}`, 400, `no image "nope"`},
		{"unknown flavor", `{"name":"a","image_id":"cirros-0.6.2","flavor_id":"m9","network_id":"private"}`, 400, `no flavor "m9"`},
		{"unknown network", `{"name":"a","image_id":"cirros-0.6.2","flavor_id":"1","network_id":"dmz"}`, 400, `no network "dmz"`},
		{"too large", `{"name":"` + strings.Repeat("x", maxBodyBytes) + `"}`, 413, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, srv, "POST", "/api/v1/server", tt.body)
			assert.Equal(t, tt.status, status, "%s", body)
			assert.Contains(t, decodeAs[errorBody](t, body).Message, tt.contains)
		})
	}
	status, body := call(t, srv, "GET", "/api/v1/server", "")
	require.Equal(t, 200, status)
	assert.Empty(t, decodeAs[[]serverJSON](t, body), "no refused launch launched anything")
}

// TestOverQuota: a launch over the project's quota is 400 with the cloud's message.
func TestOverQuota(t *testing.T) {
	srv, _ := newMockServer(t, mock.WithQuota(1))
	status, body := call(t, srv, "POST", "/api/v1/server", launchBody)
	require.Equal(t, 201, status, "%s", body)
	status, body = call(t, srv, "POST", "/api/v1/server", launchBody)
	assert.Equal(t, 400, status)
	e := decodeAs[errorBody](t, body)
	assert.Equal(t, "quota_exceeded", e.Code)
	assert.Contains(t, e.Message, "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances")
}

// TestLockedServer: the state machine refuses to delete a locked server: 409.
func TestLockedServer(t *testing.T) {
	srv, cloud := newMockServer(t)
	status, body := call(t, srv, "POST", "/api/v1/server", launchBody)
	require.Equal(t, 201, status, "%s", body)
	id := decodeAs[serverJSON](t, body).ID
	_, err := cloud.Instances().Lock(context.Background(), id)
	require.NoError(t, err)
	status, body = call(t, srv, "DELETE", "/api/v1/server/"+id, "")
	assert.Equal(t, http.StatusConflict, status)
	assert.Contains(t, decodeAs[errorBody](t, body).Message, "is locked")
}

// TestCloudErrors: what the cloud says maps onto the statuses of the API.
func TestCloudErrors(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{perspective.Errorf(perspective.CodeUnsupported, "no"), 501},
		{perspective.Errorf(perspective.CodeTransient, "503 from nova"), 503},
		{perspective.RateLimited(0, nil), 429},
		{perspective.Errorf(perspective.CodeForbidden, "policy"), 403},
		{perspective.Errorf(perspective.CodeUnknown, "odd"), 502},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			srv, _ := newMockServer(t, mock.WithFailing("ListFlavors", tt.err))
			status, body := call(t, srv, "GET", "/api/v1/flavor", "")
			assert.Equal(t, tt.status, status, "%s", body)
			assert.Equal(t, perspective.Code(tt.err).String(), decodeAs[errorBody](t, body).Code)
		})
	}
}

// TestUnknownRoutes: an unknown path is a 404 and a method a route does
// not have a 405 with Allow, both {"code","message"} JSON, for every route.
func TestUnknownRoutes(t *testing.T) {
	srv, _ := newMockServer(t)
	tests := []struct {
		method, path string
		status       int
		allow, code  string
		message      string
	}{
		{"PUT", "/api/v1/server", 405, "GET, HEAD, POST", "method_not_allowed", "method PUT is not allowed on /api/v1/server; allowed: GET, HEAD, POST"},
		{"POST", "/api/v1/server/abc", 405, "DELETE, GET, HEAD", "method_not_allowed", "allowed: DELETE, GET, HEAD"},
		{"DELETE", "/api/v1/image/x", 405, "GET, HEAD", "method_not_allowed", "method DELETE is not allowed"},
		{"GET", "/api/v2/server", 404, "", "not_found", "no route GET /api/v2/server"},
		{"GET", "/api/v1/server/a/b", 404, "", "not_found", "no route GET /api/v1/server/a/b"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.allow, resp.Header.Get("Allow"))
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			var e errorBody
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
			assert.Equal(t, tt.code, e.Code)
			assert.Contains(t, e.Message, tt.message)
		})
	}
	for _, p := range registered(t) {
		method, path, _ := strings.Cut(p, " ")
		path = strings.NewReplacer("{name}", "x", "{id}", "x", "{$}", "").Replace(path)
		status, body := call(t, srv, "PATCH", path, "")
		assert.Equal(t, 405, status, "PATCH %s", path)
		assert.Contains(t, decodeAs[errorBody](t, body).Message, method, "PATCH %s: Allow names the route's method", path)
	}
}
