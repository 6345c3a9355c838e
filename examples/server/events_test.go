package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// sseEvent is one block of a Server-Sent Events stream: an event (name
// and data) or a comment.
type sseEvent struct {
	name, comment string
	data          []byte
}

// view decodes the event's data.
func (ev sseEvent) view(t testing.TB) eventView {
	t.Helper()
	return decodeJSON[eventView](t, ev.data)
}

// sseStream is a client of GET /events.
type sseStream struct {
	t      testing.TB
	resp   *http.Response
	events chan sseEvent
	cancel context.CancelFunc
	done   chan struct{}
}

// openEvents opens a stream at url with the header pairs given, and
// returns it once the answer's headers are in.
func openEvents(t testing.TB, url string, header ...string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	s := &sseStream{t: t, resp: resp, events: make(chan sseEvent, 1024), cancel: cancel, done: make(chan struct{})}
	go s.read()
	t.Cleanup(s.close)
	return s
}

// read parses the stream into s.events until it ends.
func (s *sseStream) read() {
	defer close(s.done)
	defer close(s.events)
	sc := bufio.NewScanner(s.resp.Body)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.name != "" || ev.data != nil || ev.comment != "" {
				s.events <- ev
			}
			ev = sseEvent{}
		case strings.HasPrefix(line, ":"):
			ev.comment = strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "event: "):
			ev.name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			ev.data = append(ev.data, line[len("data: "):]...)
		}
	}
}

// close ends the stream as a client going away does.
func (s *sseStream) close() {
	s.cancel()
	<-s.done
	s.resp.Body.Close()
}

// next returns the next event (comments skipped), failing the test when
// none comes within d.
func (s *sseStream) next(d time.Duration) sseEvent {
	s.t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-s.events:
			require.True(s.t, ok, "the stream ended")
			if ev.name != "" {
				return ev
			}
		case <-timer.C:
			require.FailNow(s.t, "no event within "+d.String())
		}
	}
}

// until returns the events up to and including the first that ok accepts.
func (s *sseStream) until(d time.Duration, ok func(eventView) bool) []eventView {
	s.t.Helper()
	deadline := time.Now().Add(d)
	var seen []eventView
	for {
		ev := s.next(time.Until(deadline))
		v := ev.view(s.t)
		assert.Equal(s.t, ev.name, v.Kind, "the event's name is its kind")
		seen = append(seen, v)
		if ok(v) {
			return seen
		}
	}
}

// newSyncingEnv serves one mock cloud whose inventory syncs every 20 ms.
func newSyncingEnv(t *testing.T, drv *mock.Driver, streams *eventStreams) *env {
	t.Helper()
	c, err := perspective.NewCloud(drv, perspective.WithRetry(0, 0), perspective.WithSync(20*time.Millisecond, time.Hour))
	require.NoError(t, err)
	set, err := perspective.NewSet(c)
	require.NoError(t, err)
	e := &env{t: t, set: set, tasks: newTaskStore(64)}
	d := &deps{set: set, tasks: e.tasks, version: "v-test", log: slog.New(slog.NewTextHandler(io.Discard, nil)), events: streams}
	e.router = newRouter(d)
	e.srv = httptest.NewServer(withRecovery(d.log, e.router))
	t.Cleanup(func() {
		e.srv.Close()
		e.tasks.Close()
		require.NoError(t, set.Close())
	})
	return e
}

// TestEventsStreamChangesBehindTheBack: the stream starts with a snapshot
// in the instance JSON of the other routes, then shows a change and a
// deletion made by another client of the cloud, and ends when the client
// goes away (its watch closes).
func TestEventsStreamChangesBehindTheBack(t *testing.T) {
	drv := mock.New(mock.WithDelay(0))
	e := newSyncingEnv(t, drv, nil)
	id := e.launch("vm")[0]
	inst, err := e.set.Instances().Get(context.Background(), id)
	require.NoError(t, err)

	s := openEvents(t, e.srv.URL+"/events?snapshot=true")
	require.Equal(t, http.StatusOK, s.resp.StatusCode)
	assert.Equal(t, "text/event-stream; charset=utf-8", s.resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", s.resp.Header.Get("Cache-Control"))

	first := s.next(5 * time.Second)
	assert.Equal(t, "snapshot", first.name)
	var raw struct{ New map[string]any }
	require.NoError(t, json.Unmarshal(first.data, &raw), "%s", first.data)
	for _, k := range []string{"id", "realId", "timestamp", "cloudId", "cloudType", "projectId", "name", "flavor", "image", "state", "isLocked", "metadata", "address", "networks"} {
		assert.Contains(t, raw.New, k, "seed 001's instance shape")
	}
	snap := first.view(t)
	assert.Equal(t, id, snap.ID)
	assert.Equal(t, "launched", snap.New.State)
	assert.Equal(t, "vm", snap.New.Name)

	// Another client of the same cloud shuts it down, then deletes it.
	ctx := context.Background()
	require.NoError(t, drv.Shutdown(ctx, inst.RealID))
	seen := s.until(5*time.Second, func(v eventView) bool { return v.New != nil && v.New.State == "shutoff" })
	last := seen[len(seen)-1]
	assert.Equal(t, "changed", last.Kind)
	assert.Equal(t, id, last.ID)
	require.NotNil(t, last.Old)
	assert.NotEqual(t, "shutoff", last.Old.State, "old is the state before")

	require.NoError(t, drv.DeleteInstance(ctx, inst.RealID))
	seen = s.until(5*time.Second, func(v eventView) bool { return v.Kind == "deleted" })
	gone := seen[len(seen)-1]
	assert.Equal(t, id, gone.ID)
	require.NotNil(t, gone.Old)
	assert.Nil(t, gone.New)

	// The client goes away: the server closes its watch.
	c := e.set.Clouds()[0]
	require.Equal(t, 1, c.SyncStats().Watches)
	s.close()
	require.Eventually(t, func() bool { return c.SyncStats().Watches == 0 }, 5*time.Second, 10*time.Millisecond,
		"the watch of a stream whose client left is closed")
}

// TestEventsFilters: the stream's filters narrow it, and bad ones are
// refused with the field named.
func TestEventsFilters(t *testing.T) {
	drv := mock.New(mock.WithDelay(0))
	e := newSyncingEnv(t, drv, nil)
	ids := e.launch("web", "db")
	ctx := context.Background()

	s := openEvents(t, e.srv.URL+"/events?name=web&state=shutoff")
	require.Equal(t, http.StatusOK, s.resp.StatusCode)
	_, err := e.set.Instances().Shutdown(ctx, ids[1]) // db: not named web
	require.NoError(t, err)
	_, err = e.set.Instances().Shutdown(ctx, ids[0])
	require.NoError(t, err)
	seen := s.until(5*time.Second, func(v eventView) bool { return v.New != nil && v.New.State == "shutoff" })
	for _, v := range seen {
		assert.Equal(t, ids[0], v.ID, "only web's changes pass the filters")
	}

	for _, tc := range []struct{ query, want string }{
		{"state=bogus", "state"},
		{"snapshot=perhaps", "snapshot"},
		{"name=" + strings.Repeat("x", maxEventName+1), "name"},
		{"tag=" + strings.Repeat("t&tag=", maxEventTags) + "t", "tag"},
	} {
		resp, b := e.do("GET", "/events?"+tc.query, "")
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, tc.query)
		assert.Contains(t, decodeJSON[errorBody](t, b).Message, tc.want+":", tc.query)
	}
	resp, b := e.do("GET", "/events?project=elsewhere", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", b)
}

// TestEventsNarrowedToTheUser: a signed-in user's stream shows the changes
// of their own projects only.
func TestEventsNarrowedToTheUser(t *testing.T) {
	e := newAuthzEnv(t)
	ctx := context.Background()
	stream := func(user string) *sseStream {
		s := openEvents(t, e.srv.URL+"/events", "Authorization", "Bearer "+e.tokens[user])
		require.Equal(t, http.StatusOK, s.resp.StatusCode, user)
		return s
	}
	alice, bob, vera := stream("alice"), stream("bob"), stream("vera")
	sync := func(project string) {
		c, ok := e.set.Cloud(perspective.Target{ProjectID: project})
		require.True(t, ok)
		require.NoError(t, c.Sync(ctx))
	}
	realID := func(id string) string {
		in, err := e.set.Instances().Get(ctx, id)
		require.NoError(t, err)
		return in.RealID
	}
	bobReal, aliceReal := realID(e.bobVM), realID(e.aliceVM)

	// Project b changes first, then project a: a stream that showed b's
	// change would show it before a's.
	require.NoError(t, e.drvB.Shutdown(ctx, bobReal))
	sync("b")
	require.NoError(t, e.drvA.Shutdown(ctx, aliceReal))
	sync("a")

	aliceDone := func(v eventView) bool { return v.ID == e.aliceVM && v.New != nil && v.New.State == "shutoff" }
	for name, s := range map[string]*sseStream{"alice": alice, "vera": vera} {
		for _, v := range s.until(5*time.Second, aliceDone) {
			assert.Equal(t, e.aliceVM, v.ID, "%s sees project a only", name)
			assert.NotContains(t, string(mustJSON(v)), bobSecret, name)
		}
	}
	for _, v := range bob.until(5*time.Second, func(v eventView) bool { return v.ID == e.bobVM && v.New != nil && v.New.State == "shutoff" }) {
		assert.Equal(t, e.bobVM, v.ID, "bob sees project b only")
	}

	// Asking for another user's project is not a way around it.
	status, b := e.call("alice", "GET", "/events?project=b", "")
	assert.Equal(t, http.StatusNotFound, status, "%s", b)
	status, _ = e.call("", "GET", "/events", "")
	assert.Equal(t, http.StatusUnauthorized, status)
}

// gatedWriter is a ResponseWriter whose writes after the first block until
// the gate opens: a client that stopped reading.
type gatedWriter struct {
	header  http.Header
	gate    chan struct{}
	blocked chan struct{}
	once    sync.Once

	mu     sync.Mutex
	writes int
	out    bytes.Buffer
}

func (g *gatedWriter) Header() http.Header { return g.header }
func (g *gatedWriter) WriteHeader(int)     {}
func (g *gatedWriter) Flush()              {}
func (g *gatedWriter) Write(b []byte) (int, error) {
	g.mu.Lock()
	g.writes++
	n := g.writes
	g.mu.Unlock()
	if n > 1 {
		g.once.Do(func() { close(g.blocked) })
		<-g.gate
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.out.Write(b)
}

func (g *gatedWriter) String() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.out.String()
}

// TestEventsSlowClient: a client that stops reading while many changes
// happen is held to the watch's buffer, and then gets resync and a
// snapshot of every instance.
func TestEventsSlowClient(t *testing.T) {
	const buffer = 4
	drv := mock.New(mock.WithDelay(0))
	e := newSyncingEnv(t, drv, &eventStreams{open: make(chan struct{}, 1), buffer: buffer, keepAlive: time.Minute})
	e.launch("vm-0")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &gatedWriter{header: http.Header{}, gate: make(chan struct{}), blocked: make(chan struct{})}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/events", nil)
	served := make(chan struct{})
	go func() {
		defer close(served)
		e.router.ServeHTTP(w, req)
	}()
	c := e.set.Clouds()[0]
	require.Eventually(t, func() bool { return c.SyncStats().Watches == 1 }, 5*time.Second, time.Millisecond)

	// The first change's write blocks: the client reads no more.
	e.launch("vm-1")
	<-w.blocked
	const more = 20
	for i := range more {
		e.launch("more-" + string(rune('a'+i)))
	}
	require.NoError(t, c.Sync(ctx))
	close(w.gate)

	want := 2 + more // every instance, in the snapshot
	require.Eventually(t, func() bool { return strings.Count(w.String(), "event: snapshot\n") >= want },
		5*time.Second, 5*time.Millisecond, "the snapshot after resync: %s", w.String())
	cancel()
	<-served

	out := w.String()
	before, after, found := strings.Cut(out, "event: resync\n")
	require.True(t, found, "resync: %s", out)
	assert.LessOrEqual(t, strings.Count(before, "event: "), 1+buffer, "no more than the buffer before the resync")
	assert.Equal(t, want, strings.Count(after, "event: snapshot\n"))
	assert.Contains(t, after, `"name":"more-t"`)
}

// TestEventsBounded: one stream more than the server holds is refused,
// and an idle stream sends keep-alive comments.
func TestEventsBounded(t *testing.T) {
	drv := mock.New(mock.WithDelay(0))
	streams := &eventStreams{open: make(chan struct{}, 1), keepAlive: 20 * time.Millisecond}
	e := newSyncingEnv(t, drv, streams)
	s := openEvents(t, e.srv.URL+"/events")
	require.Equal(t, http.StatusOK, s.resp.StatusCode)

	resp, b := e.do("GET", "/events", "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	assert.Contains(t, decodeJSON[errorBody](t, b).Message, "event streams are open")

	deadline := time.After(5 * time.Second)
	for keepAlive := false; !keepAlive; {
		select {
		case ev := <-s.events:
			keepAlive = ev.comment == "keep-alive"
		case <-deadline:
			require.FailNow(t, "no keep-alive comment")
		}
	}
	s.close()
	// The slot is free again once the first stream ended.
	require.Eventually(t, func() bool { return len(streams.open) == 0 }, 5*time.Second, 10*time.Millisecond)
	again := openEvents(t, e.srv.URL+"/events")
	assert.Equal(t, http.StatusOK, again.resp.StatusCode)
}

// TestEventsEndAtShutdown: the streams end when the server shuts down, so
// that a graceful shutdown does not wait for clients that never leave.
func TestEventsEndAtShutdown(t *testing.T) {
	shutdown, stop := context.WithCancel(context.Background())
	streams := newEventStreams(shutdown)
	e := newSyncingEnv(t, mock.New(mock.WithDelay(0)), streams)
	s := openEvents(t, e.srv.URL+"/events")
	require.Equal(t, http.StatusOK, s.resp.StatusCode)
	stop()
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		require.FailNow(t, "the stream outlived the shutdown")
	}
	assert.Empty(t, streams.open, "its slot is free")
}
