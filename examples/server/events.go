package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// This file serves GET /events: the changes of the instances the caller
// may see, as Server-Sent Events, read from the clouds' inventories (no
// cloud request per client).

// Bounds of the event streams.
const (
	// maxEventStreams is how many event streams the server holds open at
	// once; one more is refused with 503 and Retry-After.
	maxEventStreams = 256
	// eventsKeepAlive is how often an idle stream sends a comment, so that
	// proxies keep it open and a client that went away is noticed.
	eventsKeepAlive = 15 * time.Second
	// eventsRetry is the reconnection delay the stream asks browsers for.
	eventsRetry = 2 * time.Second
	// maxEventName and maxEventTags bound the stream's filters.
	maxEventName = 255
	maxEventTags = 32
)

// eventStreams is what the event streams of a server share, across the
// per-user routers: the count of open streams and each watch's buffer.
type eventStreams struct {
	open      chan struct{} // one token per open stream
	buffer    int           // events a slow client may fall behind by (0: the library's default)
	keepAlive time.Duration
	// shutdown ends every stream when it ends: a graceful shutdown waits
	// for the requests in flight, and a stream would otherwise last until
	// its client leaves. nil: never.
	shutdown context.Context
}

// newEventStreams returns the streams' shared state; they end when
// shutdown does.
func newEventStreams(shutdown context.Context) *eventStreams {
	return &eventStreams{open: make(chan struct{}, maxEventStreams), keepAlive: eventsKeepAlive, shutdown: shutdown}
}

// eventView is one event of GET /events: what happened to which instance,
// with the instance before (old) and after (new) in the shape the other
// instance routes answer (seed 001).
type eventView struct {
	Kind    string        `json:"kind"`
	CloudID string        `json:"cloudId,omitempty"`
	ID      string        `json:"id,omitempty"`
	Old     *instanceView `json:"old,omitempty"`
	New     *instanceView `json:"new,omitempty"`
}

func eventOf(ev perspective.Event) eventView {
	v := eventView{Kind: string(ev.Kind), CloudID: ev.CloudID, Old: instanceOf(ev.Old), New: instanceOf(ev.New)}
	switch {
	case ev.New != nil:
		v.ID = ev.New.ID
	case ev.Old != nil:
		v.ID = ev.Old.ID
	}
	return v
}

// watchRequest reads the filters of GET /events: cloud, project and
// region pick the clouds; state (repeatable), name (contained) and tag
// (repeatable, all required) the instances; snapshot=true starts the
// stream with every matching instance.
func watchRequest(r *http.Request) (perspective.Target, perspective.WatchOptions, error) {
	q := r.URL.Query()
	t := perspective.Target{CloudID: q.Get("cloud"), ProjectID: q.Get("project"), Region: q.Get("region")}
	opts := perspective.WatchOptions{Name: q.Get("name"), Tags: q["tag"]}
	if len(opts.Name) > maxEventName {
		return t, opts, invalidf("name: at most %d bytes, not %d", maxEventName, len(opts.Name))
	}
	if len(opts.Tags) > maxEventTags {
		return t, opts, invalidf("tag: at most %d tags, not %d", maxEventTags, len(opts.Tags))
	}
	for _, s := range q["state"] {
		st, err := perspective.ParseState(s)
		if err != nil {
			return t, opts, invalidf("state: %s is not a state", shortQuote(s))
		}
		opts.States = append(opts.States, st)
	}
	if s := q.Get("snapshot"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return t, opts, invalidf("snapshot: %s is not true or false", shortQuote(s))
		}
		opts.Snapshot = b
	}
	return t, opts, nil
}

// handleEvents serves GET /events: every change of the instances of the
// caller's clouds (narrowed by the query's filters) as a Server-Sent
// Event named by its kind (created, changed, deleted, snapshot, resync),
// whose data is an eventView. A client that falls behind by more than the
// watch's buffer gets "resync" and then a "snapshot" of every matching
// instance, so that the server never holds more for it. The stream ends
// when the client goes away.
func handleEvents(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, opts, err := watchRequest(r)
		if err != nil {
			writeError(w, err)
			return
		}
		cs := clouds(d.set, t)
		if len(cs) == 0 && t != (perspective.Target{}) {
			writeError(w, notFoundf("no cloud you may see matches cloud %q, project %q, region %q", t.CloudID, t.ProjectID, t.Region))
			return
		}
		set, err := perspective.NewSet(cs...)
		if err != nil {
			writeError(w, err)
			return
		}
		select {
		case d.events.open <- struct{}{}:
			defer func() { <-d.events.open }()
		default:
			w.Header().Set("Retry-After", strconv.Itoa(int(eventsRetry.Seconds())))
			writeError(w, &apiError{status: http.StatusServiceUnavailable, code: "unavailable",
				msg: fmt.Sprintf("GET /events: %d event streams are open, the most this server holds; retry later", maxEventStreams)})
			return
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		if d.events.shutdown != nil {
			defer context.AfterFunc(d.events.shutdown, cancel)()
		}
		opts.Buffer = d.events.buffer
		watch, err := set.Watch(ctx, opts)
		if err != nil {
			writeError(w, err)
			return
		}
		defer watch.Close()
		streamEvents(ctx, w, watch, d.events.keepAlive, len(cs))
	})
}

// streamEvents writes the watch's events to w until ctx ends or a write
// fails.
func streamEvents(ctx context.Context, w http.ResponseWriter, watch *perspective.Watch, keepAlive time.Duration, clouds int) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // proxies: pass each event on at once
	w.WriteHeader(http.StatusOK)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "retry: %d\n: watching %d clouds\n\n", eventsRetry.Milliseconds(), clouds)
	if !flushOut(w, rc, &buf) {
		return
	}
	for {
		next, cancel := context.WithTimeout(ctx, keepAlive)
		ev, err := watch.Next(next)
		cancel()
		switch {
		case err == nil:
			fmt.Fprintf(&buf, "event: %s\ndata: %s\n\n", ev.Kind, mustJSON(eventOf(ev)))
		case ctx.Err() != nil:
			return // the client went away
		case errors.Is(next.Err(), context.DeadlineExceeded):
			buf.WriteString(": keep-alive\n\n")
		default:
			// The watch ended (the server is closing its clouds): say so,
			// and let the client reconnect.
			fmt.Fprintf(&buf, "event: end\ndata: %s\n\n", mustJSON(errorBody{Code: "unavailable", Message: err.Error()}))
			flushOut(w, rc, &buf)
			return
		}
		if !flushOut(w, rc, &buf) {
			return
		}
	}
}

// flushOut writes buf to the client and flushes it, reporting whether the
// client is still there.
func flushOut(w http.ResponseWriter, rc *http.ResponseController, buf *bytes.Buffer) bool {
	_, err := w.Write(buf.Bytes())
	buf.Reset()
	if err == nil {
		err = rc.Flush()
	}
	return err == nil
}

// mustJSON encodes v on one line; the views hold only strings, numbers,
// times and slices of them, which always encode.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(errorBody{Code: "unknown", Message: "an event did not encode"})
	}
	return b
}

// eventsQuery documents the query parameters of GET /events.
var eventsQuery = []param{
	{"cloud", "limit to this cloud id"}, {"project", "limit to this project"}, {"region", "limit to this region"},
	{"state", "keep instances in this state (repeatable); a change is sent when the instance matched before or matches after it"},
	{"name", "keep instances whose name contains this"},
	{"tag", "keep instances with this tag (repeatable: all of them)"},
	{"snapshot", "true: start with every matching instance as a snapshot event"},
}
