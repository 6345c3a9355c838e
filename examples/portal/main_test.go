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

func noEnv(string) string { return "" }

// TestRun starts the portal on a free port with the sample directory,
// calls it, and stops it through its context.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"portal", "-addr", "127.0.0.1:0"}, noEnv, out) }()
	var base string
	require.Eventually(t, func() bool {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		return base != ""
	}, 10*time.Second, 10*time.Millisecond, "output: %s", out)
	assert.Contains(t, out.String(), "7 users, 3 projects from the sample directory")

	req, err := http.NewRequest("GET", base+"/api/instances/?o=-hostname", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+aliceToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"web-2", "web-1"}, hostnames(decodeAs[[]instanceJSON](t, b)), "the demo instances")

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	assert.Contains(t, out.String(), "stopped")
	_, err = http.Get(base + "/")
	assert.Error(t, err, "the listener is closed")
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-addr"}, "flag needs an argument"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-config", "/nonexistent/portal.json"}, "no such file"},
		{[]string{"-addr", "127.0.0.1:99999"}, "invalid port"},
	}
	for _, tt := range tests {
		err := run(context.Background(), append([]string{"portal", "-quiet"}, tt.args...), noEnv, io.Discard)
		assert.ErrorContains(t, err, tt.want, "%v", tt.args)
	}
	assert.NoError(t, run(context.Background(), []string{"portal", "-h"}, noEnv, io.Discard))
}
