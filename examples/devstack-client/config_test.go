package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envOf returns a getenv over a map.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func fullEnv(authURL string) map[string]string {
	return map[string]string{"AUTH_URL": authURL, "USERNAME": "demo", "PASSWORD": "secret-pw",
		"PROJECT_ID": "0a1b2c", "USER_DOMAIN_NAME": "Default", "APP_SECRET_KEY": "flask"}
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		mock    bool
		missing []string
		err     string
	}{
		{name: "nothing", missing: envVars},
		{name: "all", env: fullEnv("http://10.0.0.5/identity")},
		{name: "some", env: map[string]string{"AUTH_URL": "http://x/identity", "USERNAME": "u"},
			missing: []string{"PASSWORD", "PROJECT_ID", "USER_DOMAIN_NAME"}},
		{name: "blank counts as missing", env: map[string]string{"AUTH_URL": "  ", "USERNAME": "u", "PASSWORD": "p",
			"PROJECT_ID": "p", "USER_DOMAIN_NAME": "d"}, missing: []string{"AUTH_URL"}},
		{name: "mock flag", args: []string{"-mock"}, mock: true, missing: envVars},
		{name: "mock env", env: map[string]string{"DEVSTACK_MOCK": "1"}, mock: true, missing: envVars},
		{name: "bad mock env", env: map[string]string{"DEVSTACK_MOCK": "yes please"}, err: `DEVSTACK_MOCK="yes please"`},
		{name: "stray argument", args: []string{"serve"}, err: "unexpected arguments"},
		{name: "bad flag", args: []string{"-port", "1"}, err: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(append([]string{"devstack-client"}, tt.args...), envOf(tt.env), io.Discard)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.mock, c.mock)
			assert.Equal(t, tt.missing, c.missing)
			assert.Equal(t, "127.0.0.1:8090", c.addr, "not Keystone's 5000")
		})
	}
}

// serveConfig serves the API configured as cfg says.
func serveConfig(t *testing.T, cfg config) *httptest.Server {
	t.Helper()
	src, err := newSource(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(newServer(&deps{cloud: src}))
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, src.Close())
	})
	return srv
}

// apiCalls is one call of every API route.
var apiCalls = []struct{ method, path, body string }{
	{"GET", "/api/v1/image", ""}, {"GET", "/api/v1/image/cirros", ""},
	{"GET", "/api/v1/flavor", ""}, {"GET", "/api/v1/flavor/1", ""},
	{"GET", "/api/v1/network", ""}, {"GET", "/api/v1/network/private", ""},
	{"GET", "/api/v1/server", ""}, {"GET", "/api/v1/server/abc", ""},
	{"POST", "/api/v1/server", launchBody}, {"POST", "/api/v1/server/", launchBody},
	{"DELETE", "/api/v1/server/abc", ""},
}

// TestMissingVariables: every API call answers 403 naming the missing
// variables; the docs are still served.
func TestMissingVariables(t *testing.T) {
	cfg, err := parseConfig([]string{"x"}, envOf(map[string]string{"AUTH_URL": "http://127.0.0.1:1/identity", "USERNAME": "demo"}), io.Discard)
	require.NoError(t, err)
	srv := serveConfig(t, cfg)
	for _, c := range apiCalls {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			status, body := call(t, srv, c.method, c.path, c.body)
			assert.Equal(t, http.StatusForbidden, status)
			e := decodeAs[errorBody](t, body)
			assert.Equal(t, "forbidden", e.Code)
			assert.Contains(t, e.Message, "missing environment variables PASSWORD, PROJECT_ID, USER_DOMAIN_NAME")
		})
	}
	for _, path := range []string{"/", "/openapi.json"} {
		status, _ := call(t, srv, "GET", path, "")
		assert.Equal(t, 200, status, path)
	}
}

// TestRefusedCredentials: a Keystone that refuses the password makes every
// API call answer 403 with its message, and is asked only once.
func TestRefusedCredentials(t *testing.T) {
	var logins atomic.Int32
	keystone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/v3/auth/tokens") {
			logins.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}`)
			return
		}
		http.NotFound(w, r)
	}))
	defer keystone.Close()
	cfg, err := parseConfig([]string{"x"}, envOf(fullEnv(keystone.URL+"/v3")), io.Discard)
	require.NoError(t, err)
	srv := serveConfig(t, cfg)
	for _, c := range apiCalls {
		status, body := call(t, srv, c.method, c.path, c.body)
		assert.Equal(t, http.StatusForbidden, status, "%s %s", c.method, c.path)
		e := decodeAs[errorBody](t, body)
		assert.Contains(t, e.Message, "cannot open the OpenStack cloud")
		assert.NotContains(t, e.Message, "secret-pw", "the password must not leak")
	}
	assert.Equal(t, int32(1), logins.Load(), "refused credentials are not tried again")
}

// TestUnavailableCloud: a Keystone that is down (503) is 403 too, and is
// tried again on the next call, since it may come up.
func TestUnavailableCloud(t *testing.T) {
	var logins atomic.Int32
	keystone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logins.Add(1)
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer keystone.Close()
	cfg, err := parseConfig([]string{"x"}, envOf(fullEnv(keystone.URL+"/v3")), io.Discard)
	require.NoError(t, err)
	srv := serveConfig(t, cfg)
	for range 2 {
		status, body := call(t, srv, "GET", "/api/v1/flavor", "")
		assert.Equal(t, http.StatusForbidden, status)
		assert.Contains(t, decodeAs[errorBody](t, body).Message, "cannot open the OpenStack cloud")
	}
	assert.GreaterOrEqual(t, logins.Load(), int32(2), "an unavailable cloud is asked again")
}

func TestInvalidAuthURL(t *testing.T) {
	cfg, err := parseConfig([]string{"x"}, envOf(fullEnv("10.0.0.5/identity")), io.Discard)
	require.NoError(t, err)
	srv := serveConfig(t, cfg)
	status, body := call(t, srv, "GET", "/api/v1/server", "")
	assert.Equal(t, http.StatusForbidden, status)
	assert.Contains(t, decodeAs[errorBody](t, body).Message, `auth URL "10.0.0.5/identity" is not an http(s) URL`)
}
