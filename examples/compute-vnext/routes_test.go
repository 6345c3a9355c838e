package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/internal/apidoc"
	"github.com/perspective-cloud/sdk/internal/apidoc/apidoctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consumerRoutes and operatorRoutes return the patterns each address
// registers.
func consumerRoutes(t *testing.T) []string {
	return apidoctest.Registered(t, func(r apidoc.Registrar) { addConsumerRoutes(r, &deps{}) })
}

func operatorRoutes(t *testing.T) []string {
	return apidoctest.Registered(t, func(r apidoc.Registrar) { addOperatorRoutes(r, &deps{}) })
}

// TestEveryRoute calls every route of both addresses once, in the order of
// a session, checking each answer, and fails if a registered route is
// never served.
func TestEveryRoute(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/projects", "", 200)
	assert.Contains(t, string(e.do("GET", "/images", "", 200)), `"cirros-0.6.2"`)
	e.do("GET", "/images/cirros-0.6.2", "", 200)
	assert.JSONEq(t, `{"servers":[]}`, string(e.do("GET", "/projects/demo/servers", "", 200)))
	id := e.launch("web")
	assert.Len(t, decodeAs[launchedJSON](t, e.do("GET", "/projects/demo/servers", "", 200)).Servers, 1)
	s := decodeAs[serverJSON](t, e.do("GET", "/servers/"+id, "", 200))
	assert.Equal(t, "web", s.Name)
	assert.Equal(t, "aio", s.Host, "an administrator sees the host")

	resp, body := call(t, e.consumer, "HEAD", "/servers/"+id, "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "running", resp.Header.Get("X-Server-Power-State"))
	assert.Equal(t, "ACTIVE", resp.Header.Get("X-Server-Status"))
	assert.Empty(t, body)

	s = decodeAs[serverJSON](t, e.do("PATCH", "/servers/"+id, `{"name":"web-1","metadata":{"role":"web"},"tags":["prod"]}`, 200))
	assert.Equal(t, "web-1", s.Name)
	assert.Equal(t, map[string]string{"role": "web"}, s.Metadata)
	assert.Equal(t, []string{"prod"}, s.Tags)

	task := e.task(id, `{"action":"reboot","type":"soft"}`)
	assert.Equal(t, taskSucceeded, task.State, task.Error)
	tasks := decodeAs[map[string][]taskJSON](t, e.do("GET", "/servers/"+id+"/tasks", "", 200))["tasks"]
	require.Len(t, tasks, 1)
	assert.Equal(t, task.ID, tasks[0].ID)
	assert.Contains(t, string(e.do("GET", "/servers/"+id+"/console_log?lines=5", "", 200)), "login:")
	assert.Contains(t, string(e.do("GET", "/servers/"+id+"/consoles/novnc", "", 200)), `"url"`)
	assert.Contains(t, string(e.do("GET", "/servers/"+id+"/diagnostics", "", 200)), `"num_cpus"`)

	assert.Contains(t, string(e.do("GET", "/server_types", "", 200)), `"m1.small"`)
	st := decodeAs[serverTypeJSON](t, e.do("POST", "/server_types", `{"name":"gold","vcpus":2,"ram":2048,"disk":20,"tags":["ssd"],"share":["demo"]}`, 201))
	assert.False(t, st.Public)
	assert.Equal(t, []string{"ssd"}, st.Tags)
	assert.Equal(t, []string{"demo"}, st.Share)
	st = decodeAs[serverTypeJSON](t, e.do("GET", "/server_types/"+st.ID, "", 200))
	assert.Equal(t, "gold", st.Name)
	st = decodeAs[serverTypeJSON](t, e.do("PATCH", "/server_types/"+st.ID, `{"description":"gold tier","share":["demo","other"]}`, 200))
	assert.Equal(t, "gold tier", st.Description)
	assert.ElementsMatch(t, []string{"demo", "other"}, st.Share)
	e.do("DELETE", "/server_types/"+st.ID, "", 204)
	e.do("GET", "/server_types/"+st.ID, "", 404)
	e.do("GET", "/openapi.json", "", 200)
	e.do("GET", "/", "", 200)

	// The operator address.
	assert.Contains(t, string(e.admin("GET", "/hypervisors", "", 200)), `"aio2"`)
	svcs := decodeAs[map[string][]struct{ ID, Binary, Host string }](t, e.admin("GET", "/services", "", 200))["services"]
	var compute string
	for _, svc := range svcs {
		if svc.Binary == "nova-compute" && svc.Host == "aio" {
			compute = svc.ID
		}
	}
	require.NotEmpty(t, compute)
	assert.Contains(t, string(e.admin("PUT", "/services/"+compute, `{"status":"disabled","reason":"maintenance"}`, 200)), `"maintenance"`)
	e.admin("PUT", "/services/"+compute, `{"status":"enabled"}`, 200)
	assert.Contains(t, string(e.admin("GET", "/hosts", "", 200)), `"aio2"`)
	assert.JSONEq(t, `{"aggregates":[]}`, string(e.admin("GET", "/aggregates", "", 200)))
	ag := decodeAs[struct{ ID string }](t, e.admin("POST", "/aggregates", `{"name":"ssd","availability_zone":"fast"}`, 201))
	e.admin("GET", "/aggregates/"+ag.ID, "", 200)
	assert.Contains(t, string(e.admin("POST", "/aggregates/"+ag.ID+"/hosts", `{"host":"aio2"}`, 200)), `"aio2"`)
	e.admin("DELETE", "/aggregates/"+ag.ID+"/hosts/aio2", "", 200)
	e.admin("DELETE", "/aggregates/"+ag.ID, "", 204)

	// Evacuation needs the server's host down.
	e.admin("PUT", "/services/"+compute, `{"forced_down":true}`, 200)
	s = decodeAs[serverJSON](t, e.admin("POST", "/servers/"+id+"/evacuate", `{"host":"aio2"}`, 202))
	assert.Equal(t, id, s.ID)
	e.admin("PUT", "/services/"+compute, `{"forced_down":false}`, 200)
	e.admin("POST", "/servers/"+id+"/reset_state", `{"state":"error"}`, 200)
	assert.Equal(t, "error", string(decodeAs[serverJSON](t, e.do("GET", "/servers/"+id, "", 200)).State))
	e.admin("POST", "/servers/"+id+"/reset_state", `{"state":"active"}`, 200)
	e.admin("POST", "/servers/"+id+"/force_delete", "", 204)
	e.do("GET", "/servers/"+id, "", 404)
	e.admin("GET", "/openapi.json", "", 200)
	e.admin("GET", "/", "", 200)

	for side, patterns := range map[string][]string{"consumer": consumerRoutes(t), "operator": operatorRoutes(t)} {
		for _, p := range patterns {
			assert.True(t, e.hits[side+" "+p], "the %s route %q is never called by this test", side, p)
		}
	}
}

// TestUnknownRoutes: an unknown path is a 404 and a method a route does
// not have a 405 with Allow, both in the error shape of every answer.
func TestUnknownRoutes(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		srv          func() string
		method, path string
		status       int
		code, allow  string
	}{
		{func() string { return "consumer" }, "GET", "/nope", 404, "not_found", ""},
		{func() string { return "consumer" }, "DELETE", "/servers/x", 405, "method_not_allowed", "GET, HEAD, PATCH"},
		{func() string { return "consumer" }, "GET", "/hypervisors", 404, "not_found", ""},
		{func() string { return "operator" }, "GET", "/servers/x", 404, "not_found", ""},
		{func() string { return "operator" }, "GET", "/services/x", 405, "method_not_allowed", "PUT"},
	}
	for _, tt := range tests {
		t.Run(tt.srv()+" "+tt.method+" "+tt.path, func(t *testing.T) {
			srv := e.consumer
			if tt.srv() == "operator" {
				srv = e.operator
			}
			resp, body := call(t, srv, tt.method, tt.path, "")
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.allow, resp.Header.Get("Allow"))
			assert.Equal(t, tt.code, errorOf(t, body).Code)
		})
	}
	// The operator's calls are not on the consumer address, as seed 003 asks.
	for _, p := range operatorRoutes(t) {
		method, path, _ := strings.Cut(p, " ")
		if path == "/openapi.json" || path == "/{$}" {
			continue
		}
		path = strings.NewReplacer("{id}", "x", "{host}", "h").Replace(path)
		resp, _ := call(t, e.consumer, method, path, "")
		assert.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, resp.StatusCode, "%s on the consumer address", p)
	}
}
