package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	tests := []struct{ name, header, want string }{
		{"none", "", "Authentication credentials were not provided."},
		{"wrong scheme", "Bearer " + staffToken, "Invalid token header: use Authorization: Token <key>."},
		{"empty key", "Token ", "Invalid token header. Token string should not contain spaces."},
		{"unknown key", "Token 0000000000000000000000000000000000000000", "Invalid token."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := newRequest(tp, "GET", "/api/instances/", tt.header)
			require.NoError(t, err)
			resp, err := tp.srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, 401, resp.StatusCode)
			assert.Equal(t, "Token", resp.Header.Get("WWW-Authenticate"))
			var b errorBody
			require.NoError(t, decodeJSON(resp.Body, &b))
			assert.Equal(t, tt.want, b.Detail)
		})
	}
	// Every /api route needs a token; the docs do not.
	for _, c := range []struct{ method, path string }{{"GET", "/api/instances/"}, {"POST", "/api/instances/"},
		{"GET", "/api/instances/x/"}, {"DELETE", "/api/instances/x/"}, {"POST", "/api/instances/x/start/"},
		{"POST", "/api/instances/x/stop/"}, {"POST", "/api/instances/x/restart/"}, {"POST", "/api/instances/x/resize/"},
		{"GET", "/api/instances/x/usage/"}} {
		status, _ := tp.call(t, "", c.method, c.path, "")
		assert.Equal(t, 401, status, "%s %s", c.method, c.path)
	}
	for _, path := range []string{"/", "/openapi.json"} {
		status, _ := tp.call(t, "", "GET", path, "")
		assert.Equal(t, 200, status, path)
	}
}

// TestActionRoles: only staff and the project's administrators act;
// owners and managers who see the instance get 403; others 404.
func TestActionRoles(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	web1 := tp.uuidOf(t, "web-1")
	tests := []struct {
		name, token string
		status      int
	}{
		{"manager cannot stop", mikeToken, 403},
		{"owner cannot stop", olgaToken, 403},
		{"administrator of another project sees nothing", carolToken, 404},
		{"owner of another customer sees nothing", borisToken, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"stop/", "start/", "restart/"} {
				status, body := tp.call(t, tt.token, "POST", "/api/instances/"+web1+"/"+path, "")
				assert.Equal(t, tt.status, status, "%s: %s", path, body)
			}
			status, _ := tp.call(t, tt.token, "POST", "/api/instances/"+web1+"/resize/", `{"flavor":"m1.small"}`)
			assert.Equal(t, tt.status, status)
			status, _ = tp.call(t, tt.token, "DELETE", "/api/instances/"+web1+"/", "")
			assert.Equal(t, tt.status, status)
		})
	}
	assert.Equal(t, "Online", tp.get(t, web1).State, "nothing happened")
	status, body := tp.call(t, mikeToken, "POST", "/api/instances/"+web1+"/start/", "")
	assert.Contains(t, detail(t, body), `only staff and the administrators of project "alpha-web" may start`)
	assert.Equal(t, 403, status)
	status, _ = tp.call(t, staffToken, "POST", "/api/instances/"+web1+"/stop/", "")
	assert.Equal(t, 202, status, "staff act anywhere")
}

// TestLifecycle: stop, start, restart and delete follow the state machine;
// what it refuses is 409 with the reason.
func TestLifecycle(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	web1 := tp.uuidOf(t, "web-1")
	act := func(method, path string) (int, string) {
		status, body := tp.call(t, aliceToken, method, "/api/instances/"+web1+"/"+path, "")
		if status >= 400 {
			return status, detail(t, body)
		}
		return status, decodeAs[scheduled](t, body).Status
	}
	steps := []struct {
		method, path string
		status       int
		says, state  string
	}{
		{"POST", "start/", 409, `instance "web-1" is Online; start is allowed only when it is Offline`, "Online"},
		{"DELETE", "", 409, `instance "web-1" is Online; only Offline instances can be deleted: stop it first`, "Online"},
		{"POST", "restart/", 202, "restart was scheduled", "Online"},
		{"POST", "stop/", 202, "stop was scheduled", "Offline"},
		{"POST", "stop/", 409, `instance "web-1" is Offline; stop is allowed only when it is Online, Erred`, "Offline"},
		{"POST", "restart/", 409, `restart is allowed only when it is Online`, "Offline"},
		{"POST", "start/", 202, "start was scheduled", "Online"},
		{"POST", "stop/", 202, "stop was scheduled", "Offline"},
		{"DELETE", "", 202, "destroy was scheduled", ""},
	}
	for i, s := range steps {
		status, says := act(s.method, s.path)
		require.Equal(t, s.status, status, "step %d %s %s: %s", i, s.method, s.path, says)
		assert.Contains(t, says, s.says, "step %d", i)
		if s.state != "" {
			assert.Equal(t, s.state, tp.get(t, web1).State, "step %d", i)
		}
	}
	status, _ := tp.call(t, staffToken, "GET", "/api/instances/"+web1+"/", "")
	assert.Equal(t, 404, status, "deleted")
	assert.Equal(t, []string{"web-2"}, hostnames(tp.list(t, aliceToken, "")))
	for _, bad := range []string{"not-a-uuid", strings.Repeat("0", 32)} {
		status, _ = tp.call(t, aliceToken, "POST", "/api/instances/"+bad+"/stop/", "")
		assert.Equal(t, 404, status, bad)
	}
}

func TestResize(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	web1 := tp.uuidOf(t, "web-1")
	tests := []struct {
		body   string
		status int
		says   string
	}{
		{`{}`, 400, "give flavor or disk_size"},
		{`{"flavor":"m1.small","disk_size":1024}`, 400, "not both"},
		{`{"disk_size":-1}`, 400, "disk_size must be a positive number"},
		{`{"disk_size":1024}`, 501, "resizing a data disk is not supported"},
		{`{"flavor":"http://example.com/api/flavors/m9/"}`, 400, `no flavor "m9"`},
		{`{"flavor":"m1.tiny"}`, 400, `already has flavor "m1.tiny"`},
		{`{"flavor":`, 400, "the JSON ends early"},
		{`{"flavor":2}`, 400, "flavor: expected a string, got a JSON number"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			status, body := tp.call(t, aliceToken, "POST", "/api/instances/"+web1+"/resize/", tt.body)
			assert.Equal(t, tt.status, status, "%s", body)
			assert.Contains(t, detail(t, body), tt.says)
		})
	}
	status, body := tp.call(t, aliceToken, "POST", "/api/instances/"+web1+"/resize/", `{"flavor":"http://example.com/api/flavors/3/"}`)
	require.Equal(t, 202, status, "%s", body)
	assert.Equal(t, "resize was scheduled", decodeAs[scheduled](t, body).Status)
	// The portal confirms the resize: the instance ends Online on the new flavor.
	require.Eventually(t, func() bool {
		in := tp.get(t, web1)
		return in.State == "Online" && in.Cores == 2 && in.RAM == 4096
	}, 10*time.Second, 20*time.Millisecond)
}

func TestUsage(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	web2 := tp.uuidOf(t, "web-2")
	path := "/api/instances/" + web2 + "/usage/"
	status, body := tp.call(t, mikeToken, "GET", path+"?item=memory&from=1415910000&to=1415913600&datapoints=3", "")
	require.Equal(t, 200, status, "%s", body)
	pts := decodeAs[[]usagePoint](t, body)
	require.Len(t, pts, 3)
	for i, p := range pts {
		assert.Equal(t, int64(1415910000+1200*i), p.From)
		assert.Equal(t, p.From+1200, p.To)
		assert.Greater(t, p.Value, 0.0)
		assert.LessOrEqual(t, p.Value, 2048.0, "memory in MiB of an m1.small")
		assert.Equal(t, "MiB", p.Unit)
		assert.Equal(t, "mock", p.Source, "each point says where it came from")
	}
	status, body = tp.call(t, aliceToken, "GET", path+"?item=cpu", "")
	require.Equal(t, 200, status, "%s", body)
	assert.Len(t, decodeAs[[]usagePoint](t, body), 6, "six points of the last hour by default")

	for q, says := range map[string]string{
		"":                         "item: required",
		"?item=disk":               `item: "disk" is not one of cpu, memory, storage`,
		"?item=cpu&from=yesterday": `from: "yesterday" is not a Unix timestamp`,
		"?item=cpu&from=20&to=10":  "from (20) must be before to (10)",
		"?item=cpu&datapoints=0":   `datapoints: "0" is not a number from 1 to 1000`,
		"?item=cpu&datapoints=1e9": `datapoints: "1e9"`,
	} {
		status, body := tp.call(t, aliceToken, "GET", path+q, "")
		assert.Equal(t, 400, status, q)
		assert.Contains(t, detail(t, body), says, q)
	}
}

func TestCreate(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	body := func(fields map[string]string) string {
		base := map[string]string{"hostname": "test VM", "description": "sample description", "template": "cirros-0.6.2",
			"flavor": "http://example.com/api/flavors/2/", "project": "http://example.com/api/projects/" + alphaWeb + "/",
			"ssh_public_key": "http://example.com/api/keys/" + aliceKey + "/"}
		var parts []string
		for k, v := range base {
			if nv, ok := fields[k]; ok {
				v = nv
			}
			if v != "-" {
				parts = append(parts, fmt.Sprintf("%q:%q", k, v))
			}
		}
		for k, v := range fields {
			if _, ok := base[k]; !ok {
				parts = append(parts, fmt.Sprintf("%q:%s", k, v))
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	status, b := tp.call(t, aliceToken, "POST", "/api/instances/", body(nil))
	require.Equal(t, 201, status, "%s", b)
	in := decodeAs[instanceJSON](t, b)
	assert.Equal(t, "test VM", in.Hostname)
	assert.Equal(t, "sample description", in.Description)
	assert.Equal(t, "cirros-0.6.2", in.TemplateName)
	assert.Equal(t, "alpha-web", in.ProjectName)
	assert.Equal(t, "alice-laptop", in.KeyName)
	assert.Regexp(t, `^([0-9a-f]{2}:){15}[0-9a-f]{2}$`, in.KeyFingerprint)
	assert.Equal(t, "Online", tp.get(t, in.UUID).State)
	assert.Contains(t, hostnames(tp.list(t, mikeToken, "")), "test VM", "the project's manager sees it")

	// The template by its uuid, as the rendering links it.
	tmpl := in.Template[strings.LastIndex(strings.TrimSuffix(in.Template, "/"), "/")+1 : len(in.Template)-1]
	status, b = tp.call(t, aliceToken, "POST", "/api/instances/", body(map[string]string{"hostname": "vm2", "template": tmpl}))
	require.Equal(t, 201, status, "%s", b)

	tests := []struct {
		name   string
		token  string
		fields map[string]string
		status int
		says   string
	}{
		{"missing fields", aliceToken, map[string]string{"hostname": "-", "flavor": "-"}, 400, "required: hostname, flavor"},
		{"unknown project", aliceToken, map[string]string{"project": "nope"}, 400, `project: no project "nope"`},
		{"project the user does not see", aliceToken, map[string]string{"project": alphaData}, 400, "no project"},
		{"manager", mikeToken, nil, 403, `only staff and the administrators of project "alpha-web" may create`},
		{"owner", olgaToken, nil, 403, "may create"},
		{"unknown template", aliceToken, map[string]string{"template": "windows"}, 400, `template: no template "windows"`},
		{"unknown flavor", aliceToken, map[string]string{"flavor": "m9"}, 400, `flavor: no flavor "m9"`},
		{"unknown key", aliceToken, map[string]string{"ssh_public_key": "x"}, 400, `ssh_public_key: no key "x"`},
		{"security groups", aliceToken, map[string]string{"security_groups": `[{"url":"http://x/api/security-groups/1/"}]`}, 501, "security_groups"},
		{"internal ips", aliceToken, map[string]string{"internal_ips": `"10.0.0.1"`}, 501, "internal_ips"},
		{"external ips", aliceToken, map[string]string{"external_ips": `"1.2.3.4"`}, 501, "external_ips"},
		{"long description", aliceToken, map[string]string{"description": strings.Repeat("d", 256)}, 400, "at most 255 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b := tp.call(t, tt.token, "POST", "/api/instances/", body(tt.fields))
			assert.Equal(t, tt.status, status, "%s", b)
			assert.Contains(t, detail(t, b), tt.says)
		})
	}
	for raw, says := range map[string]string{"": "request body is empty", "[]": "request body: expected an object, got a JSON array",
		`{"hostname":`: "ends early", `{"hostname":"a"} x`: "invalid JSON",
		`{"hostname":"` + strings.Repeat("h", maxBodyBytes) + `"}`: "larger than"} {
		status, b := tp.call(t, aliceToken, "POST", "/api/instances/", raw)
		assert.Contains(t, []int{400, 413}, status)
		assert.Contains(t, detail(t, b), says)
	}
}
