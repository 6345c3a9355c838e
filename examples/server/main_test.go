package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// TestRun starts the server on a free port, calls it, and stops it through
// its context.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"server", "-addr", "127.0.0.1:0", "-cloud", "mock://?delay=0s"}, noEnv, out)
	}()

	var base string
	require.Eventually(t, func() bool {
		m := listening.FindStringSubmatch(out.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	}, 10*time.Second, 10*time.Millisecond, "output: %s", out)
	assert.Contains(t, out.String(), `serving mock cloud "mock": project "demo", region "RegionOne"`)

	for path, want := range map[string]int{"/ping": 200, "/version": 200, "/instances/all": 200, "/nowhere": 404} {
		resp, err := http.Get(base + path)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
	}

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	assert.Contains(t, out.String(), "stopped")
	_, err := http.Get(base + "/ping")
	assert.Error(t, err, "the server still answers after shutdown")
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"server", "-nope"}, nil, "flag provided but not defined"},
		{"extra argument", []string{"server", "extra"}, nil, "unexpected arguments"},
		{"unknown scheme", []string{"server", "-cloud", "vmware://x"}, nil, "unknown scheme"},
		{"bad mock parameter", []string{"server", "-cloud", "mock://?color=red"}, nil, "color"},
		{"bad address", []string{"server", "-addr", "256.0.0.1:http"}, nil, "256.0.0.1"},
		{"openstack from OS_AUTH_URL without credentials", []string{"server", "-addr", "127.0.0.1:0"},
			map[string]string{"OS_AUTH_URL": "http://127.0.0.1:1/v3"}, "openstack"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			getenv := func(k string) string { return tc.env[k] }
			err := run(ctx, tc.args, getenv, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDefaultCloud(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{nil, "mock://"},
		{map[string]string{"OS_CLOUD": "devstack"}, "openstack://?cloud=devstack&projects=all&regions=all"},
		{map[string]string{"OS_AUTH_URL": "http://127.0.0.1:5000/v3"}, "openstack://?projects=all&regions=all"},
		{map[string]string{"OS_CLOUD": "a b", "OS_AUTH_URL": "http://127.0.0.1:5000/v3"}, "openstack://?cloud=a+b&projects=all&regions=all"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, defaultCloud(func(k string) string { return tc.env[k] }))
	}
	cfg, err := parseConfig([]string{"server", "-cloud", "mock://a", "-cloud", "mock://b"}, noEnv, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, []string{"mock://a", "mock://b"}, cfg.clouds)
	assert.Equal(t, "127.0.0.1:8080", cfg.addr)
	assert.Equal(t, defaultRefresh, cfg.refresh)
}

func TestRefreshFlag(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want time.Duration
		err  string
	}{
		{"0", 0, ""},
		{"90s", 90 * time.Second, ""},
		{"10ms", 0, "-refresh 10ms: give 0 (never) or at least 1s"},
		{"-1m", 0, "-refresh -1m0s: give 0 (never) or at least 1s"},
	} {
		cfg, err := parseConfig([]string{"server", "-refresh", tc.arg}, noEnv, io.Discard)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, cfg.refresh)
	}
}

// TestRunReadsOnlyItsGetenv: with a sourced openrc in the process's
// environment, run still sees only the variables its getenv gives.
func TestRunReadsOnlyItsGetenv(t *testing.T) {
	t.Setenv("OS_AUTH_URL", "http://127.0.0.1:1/v3")
	t.Setenv("OS_USERNAME", "process-user")
	t.Setenv("OS_PASSWORD", "process-password")
	t.Setenv("OS_PROJECT_NAME", "process-project")
	t.Setenv("OS_USER_DOMAIN_NAME", "Default")
	t.Setenv("OS_PROJECT_DOMAIN_NAME", "Default")
	t.Setenv("OS_CLOUD", "process-cloud")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	env := map[string]string{"OS_AUTH_URL": "http://127.0.0.1:1/v3"}
	err := run(ctx, []string{"server", "-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, io.Discard)
	require.Error(t, err)
	t.Log(err)
	assert.NotContains(t, err.Error(), "connect", "run used the process's credentials and dialled the cloud")
	assert.NotContains(t, err.Error(), "process-")

	// Without OS_* in its getenv, run serves the mock cloud whatever the process has.
	out := &syncBuffer{}
	ctx2, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx2, []string{"server", "-addr", "127.0.0.1:0", "-quiet"}, noEnv, out) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "serving mock cloud") }, 10*time.Second, 10*time.Millisecond, "%s", out)
	stop()
	require.NoError(t, <-done)
}

// TestSampleAuthFile: the committed sample -auth file signs its users in
// with the passwords it documents, the way its comment shows (curl -d,
// whose Content-Type is a form's), and gives each the role it says.
func TestSampleAuthFile(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"server", "-addr", "127.0.0.1:0", "-quiet", "-cloud", "mock://?delay=0s", "-auth", "auth.sample.yaml"}, noEnv, out)
	}()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	var base string
	require.Eventually(t, func() bool {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		return base != ""
	}, 10*time.Second, 10*time.Millisecond, "output: %s", out)

	call := func(method, path, token, body string) (int, string) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // curl -d
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	token := func(user, pw string) string {
		status, b := call("POST", "/auth/token", "", `{"username":"`+user+`","password":"`+pw+`"}`)
		require.Equal(t, 200, status, b)
		return decodeJSON[struct{ Token string }](t, []byte(b)).Token
	}
	alice, vera := token("alice", "alice-demo-pw"), token("vera", "vera-demo-pw")
	status, b := call("POST", "/instances", alice, `[{"name":"web","flavor":{"id":"2"},"image":{"id":"cirros-0.6.2"}}]`)
	require.Equal(t, 200, status, b)
	id := decodeJSON[taskView](t, []byte(b)).Results[0].ID
	status, b = call("PUT", "/instances/reboot", vera, `["`+id+`"]`)
	assert.Equal(t, 403, status, b)
	assert.Contains(t, b, "operator role")
	status, _ = call("GET", "/instances/"+id, vera, "")
	assert.Equal(t, 200, status, "vera views it")
	status, b = call("POST", "/auth/token", "", `{"username":"alice"}`)
	assert.Equal(t, 400, status)
	assert.Contains(t, b, "password is empty or missing")
}
