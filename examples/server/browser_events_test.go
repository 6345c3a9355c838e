//go:build browser

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// requestCounter counts the list and event-stream requests the server
// sees, and can break the open streams and refuse new ones.
type requestCounter struct {
	next           http.Handler
	lists, streams atomic.Int64
	refuse         atomic.Bool
	mu             sync.Mutex
	cancels        []context.CancelFunc
}

func (c *requestCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/instances/all"):
		c.lists.Add(1)
	case r.URL.Path == "/events":
		if c.refuse.Load() {
			http.Error(w, "streams refused by the test", http.StatusServiceUnavailable)
			return
		}
		c.streams.Add(1)
		ctx, cancel := context.WithCancel(r.Context())
		c.mu.Lock()
		c.cancels = append(c.cancels, cancel)
		c.mu.Unlock()
		r = r.WithContext(ctx)
	}
	c.next.ServeHTTP(w, r)
}

// breakStreams ends the open streams and refuses new ones.
func (c *requestCounter) breakStreams() {
	c.refuse.Store(true)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cancel := range c.cancels {
		cancel()
	}
}

// TestBrowserLiveStateOverEvents proves that the instances table follows
// a change made behind the server's back over GET /events, without
// reading the list again (the server counts the list requests), and that
// it falls back to polling the list when the stream fails.
func TestBrowserLiveStateOverEvents(t *testing.T) {
	drv := mock.New(mock.WithDelay(100 * time.Millisecond))
	c, err := perspective.NewCloud(drv, perspective.WithSync(200*time.Millisecond, time.Hour))
	require.NoError(t, err)
	set, err := perspective.NewSet(c)
	require.NoError(t, err)
	ids, err := auth.LoadStatic(filepath.Join("internal", "auth", "testdata", "users.yaml"))
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	u := newUsers(auth.New(auth.Config{Identity: ids, Public: publicPaths, Log: log}), 64)
	tasks := newTaskStore(64)
	counter := &requestCounter{next: newServer(&deps{set: set, tasks: tasks, version: "e2e", log: log, users: u})}
	srv := httptest.NewServer(counter)
	t.Cleanup(func() { srv.Close(); u.Close(); tasks.Close(); _ = set.Close() })

	ctx := context.Background()
	rep, err := set.Instances().Launch(ctx, perspective.LaunchSpec{Name: "live", Count: 3, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	_, err = set.Instances().WaitFor(ctx, rep.IDs(), perspective.StateLaunched)
	require.NoError(t, err)
	realOf := func(id string) string {
		in, err := set.Instances().Get(ctx, id)
		require.NoError(t, err)
		return in.RealID
	}

	b := newBrowser(t)
	b.signIn(srv.URL)
	b.wait("3 launched rows", "[...document.querySelectorAll('#rows .state')].filter(s => s.textContent === 'launched').length === 3")
	require.Eventually(t, func() bool { return counter.streams.Load() >= 1 }, 10*time.Second, 20*time.Millisecond, "the page opens /events")
	time.Sleep(500 * time.Millisecond) // the read on the stream's opening ends
	lists := counter.lists.Load()

	// Another client shuts one down: the row changes, and no list is read.
	state := func(id string) string {
		return fmt.Sprintf("document.querySelector('#rows tr[data-id=%q] .state')?.textContent", id)
	}
	require.NoError(t, drv.Shutdown(ctx, realOf(rep.IDs()[0])))
	b.wait("shutoff over /events", state(rep.IDs()[0])+" === 'shutoff'")
	b.shot("40-live-over-events")
	time.Sleep(2500 * time.Millisecond) // longer than two polls of the fallback
	require.Equal(t, lists, counter.lists.Load(), "the page read the list while the stream was open")

	// Another deletion behind its back: the row goes, still without a list read.
	require.NoError(t, drv.DeleteInstance(ctx, realOf(rep.IDs()[1])))
	b.wait("the deleted row gone", rowsOf+" === 2")
	require.Equal(t, lists, counter.lists.Load(), "the page read the list while the stream was open")

	// The stream fails and cannot be opened again: the page polls the list.
	counter.breakStreams()
	require.Eventually(t, func() bool { return counter.lists.Load() >= lists+2 }, 10*time.Second, 50*time.Millisecond,
		"the page polls the list once the stream is down")
	require.NoError(t, drv.Start(ctx, realOf(rep.IDs()[0])))
	b.wait("launched again, by polling", state(rep.IDs()[0])+" === 'launched'")
}
