package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
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

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// startRun runs run in the background and returns its base URL, the
// cancel that stops it and the channel run's error arrives on.
func startRun(t *testing.T, args []string, env map[string]string) (string, context.CancelFunc, <-chan error, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"devstack-client", "-addr", "127.0.0.1:0"}, args...), envOf(env), out)
	}()
	var base string
	require.Eventually(t, func() bool {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		return base != ""
	}, 10*time.Second, 10*time.Millisecond, "output: %s", out)
	return base, cancel, done, out
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
	base, cancel, done, out := startRun(t, []string{"-mock"}, nil)
	assert.Contains(t, out.String(), "the in-memory mock cloud")
	for path, want := range map[string]int{"/": 200, "/openapi.json": 200, "/api/v1/flavor": 200, "/api/v1/server/x": 404} {
		status, _ := get(t, base+path)
		assert.Equal(t, want, status, path)
	}
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	assert.Contains(t, out.String(), "stopped")
	_, err := http.Get(base + "/")
	assert.Error(t, err, "the listener is closed")
}

// TestRunUnconfigured: without the variables the server starts and
// answers 403 to API calls.
func TestRunUnconfigured(t *testing.T) {
	base, cancel, done, out := startRun(t, []string{"-quiet"}, map[string]string{"AUTH_URL": "http://127.0.0.1:1/identity"})
	assert.Contains(t, out.String(), "not configured")
	status, body := get(t, base+"/api/v1/image")
	assert.Equal(t, 403, status)
	assert.Contains(t, body, "missing environment variables USERNAME, PASSWORD, PROJECT_ID, USER_DOMAIN_NAME")
	cancel()
	require.NoError(t, <-done)
}

func TestRunBadFlags(t *testing.T) {
	err := run(context.Background(), []string{"devstack-client", "-addr"}, envOf(nil), io.Discard)
	assert.Error(t, err)
	err = run(context.Background(), []string{"devstack-client", "-h"}, envOf(nil), io.Discard)
	assert.NoError(t, err, "-h prints the usage and is not an error")
	err = run(context.Background(), []string{"devstack-client", "-mock", "-addr", "127.0.0.1:99999"}, envOf(nil), io.Discard)
	assert.Error(t, err)
}
