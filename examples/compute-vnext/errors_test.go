package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
)

// TestBadInput: every refused body is a 400 (or 413) naming what is
// wrong, and changes nothing.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	id := e.launch("vm")
	tests := []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"launch empty", "POST", "/projects/demo/servers", ``, 400, "request body is empty"},
		{"launch no name", "POST", "/projects/demo/servers", `{"server_type":"m1.small","image":"cirros-0.6.2"}`, 400, "name is required"},
		{"launch bidi name", "POST", "/projects/demo/servers", `{"name":"\u202egnp.exe","server_type":"m1.small","image":"cirros-0.6.2"}`, 400, "name: bidirectional control character U+202E"},
		{"launch ESC", "POST", "/projects/demo/servers", `{"name":"\u001b[2J","server_type":"m1.small","image":"cirros-0.6.2"}`, 400, "name: control character U+001B"},
		{"launch count", "POST", "/projects/demo/servers", `{"name":"a","server_type":"m1.small","image":"cirros-0.6.2","count":51}`, 400, "count: 51"},
		{"launch unknown field", "POST", "/projects/demo/servers", `{"name":"a","flavor":"x"}`, 400, `unknown field "flavor"`},
		{"launch unknown image", "POST", "/projects/demo/servers", `{"name":"a","server_type":"m1.small","image":"nope"}`, 400, `nope`},
		{"launch unknown project", "POST", "/projects/other/servers", `{"name":"a","server_type":"m1.small","image":"cirros-0.6.2"}`, 404, "no such project"},
		{"launch too large", "POST", "/projects/demo/servers", `{"name":"` + strings.Repeat("x", maxBodyBytes) + `"}`, 413, "larger than"},
		{"long path id", "GET", "/servers/" + strings.Repeat("x", 300), "", 400, "id: 300 bytes"},
		{"patch nothing", "PATCH", "/servers/" + id, `{}`, 400, "give name, metadata or tags"},
		{"patch tag slash", "PATCH", "/servers/" + id, `{"tags":["a/b"]}`, 400, "comma or a slash"},
		{"patch tag twice", "PATCH", "/servers/" + id, `{"tags":["a","a"]}`, 400, "appears twice"},
		{"task no action", "POST", "/servers/" + id + "/tasks", `{}`, 400, "action is required"},
		{"task unknown action", "POST", "/servers/" + id + "/tasks", `{"action":"explode"}`, 400, `action "explode" is not one of`},
		{"task missing field", "POST", "/servers/" + id + "/tasks", `{"action":"rebuild"}`, 400, "image is required by the action rebuild"},
		{"task field not taken", "POST", "/servers/" + id + "/tasks", `{"action":"stop","host":"aio"}`, 400, "host: the action stop does not take it"},
		{"task reboot type", "POST", "/servers/" + id + "/tasks", `{"action":"reboot","type":"gentle"}`, 400, "want soft or hard"},
		{"task long password", "POST", "/servers/" + id + "/tasks", fmt.Sprintf(`{"action":"set_password","password":%q}`, strings.Repeat("p", 256)), 400, "password: 256 bytes"},
		{"task too large", "POST", "/servers/" + id + "/tasks", `{"action":"snapshot","name":"` + strings.Repeat("x", maxTaskBody) + `"}`, 413, "larger than 4096 bytes"},
		{"task unknown server", "POST", "/servers/nope/tasks", `{"action":"stop"}`, 404, "nope"},
		{"log lines", "GET", "/servers/" + id + "/console_log?lines=0", "", 400, "lines"},
		{"log other query", "GET", "/servers/" + id + "/console_log?tail=3", "", 400, "the only one is lines"},
		{"console type", "GET", "/servers/" + id + "/consoles/telnet", "", 400, "console type \"telnet\""},
		{"console not offered", "GET", "/servers/" + id + "/consoles/spice-html5", "", 501, "the cloud offers novnc"},
		{"type vcpus", "POST", "/server_types", `{"name":"x","vcpus":0,"ram":1}`, 400, "vcpus: 0"},
		{"type share dup", "POST", "/server_types", `{"name":"x","vcpus":1,"ram":1,"share":["a","a"]}`, 400, "appears twice"},
		{"type patch public", "PATCH", "/server_types/m1.small", `{"share":["demo"]}`, 409, "is public"},
		{"type unknown", "DELETE", "/server_types/nope", "", 404, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := call(t, e.consumer, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.status, resp.StatusCode, "%s", b)
			assert.Contains(t, errorOf(t, b).Message, tt.contains)
		})
	}
	ops := []struct {
		name, method, path, body string
		status                   int
		contains                 string
	}{
		{"service nothing", "PUT", "/services/x", `{}`, 400, "give status"},
		{"service status", "PUT", "/services/x", `{"status":"off"}`, 400, `status "off"`},
		{"service reason", "PUT", "/services/x", `{"status":"enabled","reason":"x"}`, 400, "only a disable"},
		{"service unknown", "PUT", "/services/x", `{"status":"enabled"}`, 404, "x"},
		{"reset state", "POST", "/servers/" + id + "/reset_state", `{"state":"paused"}`, 400, "want active or error"},
		{"evacuate host up", "POST", "/servers/" + id + "/evacuate", ``, 409, "aio"},
		{"aggregate no name", "POST", "/aggregates", `{}`, 400, "name is required"},
		{"aggregate host", "POST", "/aggregates/x/hosts", `{}`, 400, "host is required"},
	}
	for _, tt := range ops {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := call(t, e.operator, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.status, resp.StatusCode, "%s", b)
			assert.Contains(t, errorOf(t, b).Message, tt.contains)
		})
	}
	servers := decodeAs[launchedJSON](t, e.do("GET", "/projects/demo/servers", "", 200)).Servers
	assert.Len(t, servers, 1, "no refused launch launched anything")
	assert.Equal(t, "vm", servers[0].Name)
	tasks := decodeAs[map[string][]taskJSON](t, e.do("GET", "/servers/"+id+"/tasks", "", 200))["tasks"]
	assert.Empty(t, tasks, "no refused task was queued")
}

// TestNotAdmin: credentials without the administrator role are refused
// the operator calls and server type writes with 403, by the cloud.
func TestNotAdmin(t *testing.T) {
	e := newEnv(t, mock.WithAdmin(false))
	id := e.launch("vm")
	s := decodeAs[serverJSON](t, e.do("GET", "/servers/"+id, "", 200))
	assert.Empty(t, s.Host, "a member does not see the host")
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/hypervisors", ""}, {"GET", "/services", ""}, {"GET", "/hosts", ""}, {"GET", "/aggregates", ""},
		{"POST", "/servers/" + id + "/reset_state", `{"state":"error"}`},
	} {
		resp, b := call(t, e.operator, c.method, c.path, c.body)
		assert.Equal(t, 403, resp.StatusCode, "%s %s: %s", c.method, c.path, b)
		assert.Equal(t, "forbidden", errorOf(t, b).Code)
	}
	resp, b := call(t, e.consumer, "POST", "/server_types", `{"name":"x","vcpus":1,"ram":1}`)
	assert.Equal(t, 403, resp.StatusCode, "%s", b)
	resp, b = call(t, e.consumer, "POST", "/servers/"+id+"/tasks", `{"action":"move"}`)
	assert.Equal(t, 202, resp.StatusCode, "%s", b)
	st := decodeAs[serverTypeJSON](t, e.do("GET", "/server_types/m1.small", "", 200))
	assert.Empty(t, st.Tags, "unreadable tags are left out")
}

// TestCloudErrors: what the cloud says maps onto the API's statuses.
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
			e := newEnv(t, mock.WithFailing("ListFlavors", tt.err))
			resp, b := call(t, e.consumer, "GET", "/server_types", "")
			assert.Equal(t, tt.status, resp.StatusCode, "%s", b)
			assert.Equal(t, perspective.Code(tt.err).String(), errorOf(t, b).Code)
		})
	}
}

// TestHeadErrors: HEAD of an unknown server is a bare 404.
func TestHeadErrors(t *testing.T) {
	e := newEnv(t)
	resp, b := call(t, e.consumer, "HEAD", "/servers/nope", "")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Empty(t, b)
	assert.Empty(t, resp.Header.Get("X-Server-Status"))
}
