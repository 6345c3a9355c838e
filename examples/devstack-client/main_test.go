package main

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/perspective-cloud/sdk/internal/runtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startRun runs run in the background, on a free port, with args and the
// environment env.
func startRun(t *testing.T, args []string, env map[string]string) *runtest.Run {
	t.Helper()
	return runtest.Start(t, run, append([]string{"devstack-client", "-addr", "127.0.0.1:0"}, args...), envOf(env))
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestRun starts the server on a free port with the mock cloud, calls it,
// and stops it through its context.
func TestRun(t *testing.T) {
	r := startRun(t, []string{"-mock"}, nil)
	assert.Contains(t, r.Out.String(), "the in-memory mock cloud")
	for path, want := range map[string]int{"/": 200, "/openapi.json": 200, "/api/v1/flavor": 200, "/api/v1/server/x": 404} {
		status, _ := get(t, r.URL+path)
		assert.Equal(t, want, status, path)
	}
	require.NoError(t, r.Stop(t))
	assert.Contains(t, r.Out.String(), "stopped")
	_, err := http.Get(r.URL + "/")
	assert.Error(t, err, "the listener is closed")
}

// TestRunUnconfigured: without the variables the server starts and
// answers 403 to API calls.
func TestRunUnconfigured(t *testing.T) {
	r := startRun(t, []string{"-quiet"}, map[string]string{"AUTH_URL": "http://127.0.0.1:1/identity"})
	assert.Contains(t, r.Out.String(), "not configured")
	status, body := get(t, r.URL+"/api/v1/image")
	assert.Equal(t, 403, status)
	assert.Contains(t, body, "missing environment variables USERNAME, PASSWORD, PROJECT_ID, USER_DOMAIN_NAME")
	r.Cancel()
	require.NoError(t, <-r.Done)
}

func TestRunBadFlags(t *testing.T) {
	err := run(context.Background(), []string{"devstack-client", "-addr"}, envOf(nil), io.Discard)
	assert.Error(t, err)
	err = run(context.Background(), []string{"devstack-client", "-h"}, envOf(nil), io.Discard)
	assert.NoError(t, err, "-h prints the usage and is not an error")
	err = run(context.Background(), []string{"devstack-client", "-mock", "-addr", "127.0.0.1:99999"}, envOf(nil), io.Discard)
	assert.Error(t, err)
}
