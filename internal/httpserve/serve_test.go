package httpserve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return ln
}

// TestServe serves until the context ends, and then no longer accepts.
func TestServe(t *testing.T) {
	ln := listen(t)
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "hello")
		}), time.Second)
	}()
	resp, err := http.Get(url)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "hello", string(b))

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
	_, err = http.Get(url)
	assert.Error(t, err, "the listener is closed")
}

// TestServeGraceRunsOut: a request still running when grace ends makes
// Serve return the deadline.
func TestServeGraceRunsOut(t *testing.T) {
	ln := listen(t)
	url := "http://" + ln.Addr().String()
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			close(started)
			<-release
		}), 50*time.Millisecond)
	}()
	go func() {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	cancel()
	assert.ErrorIs(t, <-done, context.DeadlineExceeded)
}

// TestServeListenerError: Serve returns at once when it cannot accept.
func TestServeListenerError(t *testing.T) {
	ln := listen(t)
	require.NoError(t, ln.Close())
	err := Serve(context.Background(), ln, http.NotFoundHandler(), time.Second)
	assert.ErrorIs(t, err, net.ErrClosed)
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{name: "success", code: 0, stderr: ""},
		{name: "failure", err: errors.New("listen tcp: address in use"), code: 1, stderr: "portal: listen tcp: address in use\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotArgs []string
			run := func(_ context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
				gotArgs = args
				_, _ = io.WriteString(stdout, getenv("X"))
				return tt.err
			}
			var stdout, stderr bytes.Buffer
			code := exitCode(context.Background(), "portal", run, []string{"portal", "-quiet"},
				func(k string) string { return "env " + k }, &stdout, &stderr)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.stderr, stderr.String())
			assert.Equal(t, "env X", stdout.String())
			assert.Equal(t, []string{"portal", "-quiet"}, gotArgs)
		})
	}
}
