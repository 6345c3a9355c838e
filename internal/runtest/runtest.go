package runtest

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/internal/httpserve"
	"github.com/stretchr/testify/require"
)

// Buffer is a bytes.Buffer safe for the server goroutine and the test.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Listening matches the line a program prints once it listens; its first
// group is the base URL.
var Listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// StartTimeout is how long Start waits for the program to listen.
const StartTimeout = 10 * time.Second

// Run is a run function started by Start.
type Run struct {
	URL    string             // the base URL it listens on, "http://127.0.0.1:PORT"
	Out    *Buffer            // what it wrote on its stdout
	Cancel context.CancelFunc // ends its context, which stops it
	Done   <-chan error       // receives its error once it has returned
}

// Start runs run(ctx, args, getenv, out) in the background and waits,
// up to StartTimeout, for it to say it listens; it fails t otherwise. A
// nil getenv is an empty environment. At the end of the test the run is
// stopped, if the test has not stopped it, and waited for.
func Start(t testing.TB, run httpserve.RunFunc, args []string, getenv func(string) string) *Run {
	t.Helper()
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &Buffer{}
	done := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		done <- run(ctx, args, getenv, out)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(StopTimeout):
			t.Errorf("run did not return %v after its context ended", StopTimeout)
		}
	})
	var base string
	require.Eventually(t, func() bool {
		if m := Listening.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		return base != ""
	}, StartTimeout, 10*time.Millisecond, "output: %s", out)
	return &Run{URL: base, Out: out, Cancel: cancel, Done: done}
}

// StopTimeout is how long Stop waits for the run to return.
const StopTimeout = 10 * time.Second

// Stop ends the run's context and returns its error once it has returned;
// it fails t at once if the run has not returned within StopTimeout.
func (r *Run) Stop(t testing.TB) error {
	t.Helper()
	r.Cancel()
	select {
	case err := <-r.Done:
		return err
	case <-time.After(StopTimeout):
		t.Fatal("run did not stop after cancel")
		return nil
	}
}
