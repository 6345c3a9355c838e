package perspective

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// EventKind says what an Event tells.
type EventKind string

// The kinds of event.
const (
	// EventCreated: an instance the inventory did not hold (New).
	EventCreated EventKind = "created"
	// EventChanged: an instance changed from Old to New.
	EventChanged EventKind = "changed"
	// EventDeleted: an instance is gone; Old is how it was last seen.
	EventDeleted EventKind = "deleted"
	// EventResync: the watch fell behind and its missed events were
	// dropped; EventSnapshot events with every matching instance follow,
	// then the changes after them. A consumer starts its picture afresh.
	EventResync EventKind = "resync"
	// EventSnapshot: an instance as it is now (New), after EventResync or
	// at the start of a watch that asked for a snapshot.
	EventSnapshot EventKind = "snapshot"
)

// Event is one change of the inventory of instances, as a Watch delivers
// it. The instances are the consumer's own copies.
type Event struct {
	Kind    EventKind `json:"kind"`
	CloudID string    `json:"cloudId,omitempty"`
	Old     *Instance `json:"old,omitempty"`
	New     *Instance `json:"new,omitempty"`
}

// DefaultWatchBuffer is how many events a watch holds for its consumer
// before it drops them for an EventResync (see WatchOptions.Buffer).
const DefaultWatchBuffer = 1024

// maxWatchBuffer bounds WatchOptions.Buffer.
const maxWatchBuffer = 1 << 20

// WatchOptions narrows a watch to the instances that match every non-empty
// field (a change is delivered when the instance matched before it or
// matches after it), and bounds what it holds.
type WatchOptions struct {
	// States keeps instances in one of these states.
	States []State `json:"states,omitempty"`
	// Name keeps instances whose name contains Name.
	Name string `json:"name,omitempty"`
	// Tags keeps instances that carry all of these tags.
	Tags []string `json:"tags,omitempty"`
	// CloudID keeps the instances of one cloud.
	CloudID string `json:"cloudId,omitempty"`
	// Snapshot starts the watch with every matching instance as an
	// EventSnapshot, before any change.
	Snapshot bool `json:"snapshot,omitempty"`
	// Buffer is how many undelivered events the watch holds (default
	// DefaultWatchBuffer, at most 1,048,576); a consumer further behind
	// gets EventResync and a snapshot instead, so memory stays bounded.
	Buffer int `json:"buffer,omitempty"`
}

func (o WatchOptions) match(in *Instance) bool {
	if in == nil {
		return false
	}
	if o.CloudID != "" && in.CloudID != o.CloudID {
		return false
	}
	if o.Name != "" && !strings.Contains(in.Name, o.Name) {
		return false
	}
	if len(o.States) > 0 && !slices.Contains(o.States, in.State) {
		return false
	}
	for _, t := range o.Tags {
		if !slices.Contains(in.Tags, t) {
			return false
		}
	}
	return true
}

// Watch delivers the changes of one or more clouds' inventories, in order
// for each instance. Next returns them one at a time. A Watch is safe for
// use by one consumer at a time; Close may be called from anywhere.
type Watch struct {
	opts WatchOptions
	invs []*inventory

	mu      sync.Mutex
	queue   []Event // changes not yet delivered, at most opts.Buffer
	snap    []Event // a snapshot being delivered
	behind  bool    // events were dropped: a resync is due
	closed  bool
	dropped int64
	signal  chan struct{}
}

// Watch starts watching the cloud's instances; see Set.Watch.
func (c *Cloud) Watch(ctx context.Context, opts WatchOptions) (*Watch, error) {
	return watch(ctx, []*Cloud{c}, opts)
}

// Watch starts watching the instances of every cloud of the set (narrowed
// by opts.CloudID). It syncs each cloud's inventory once if it never has
// (an error then is the watch's error), and delivers every change the
// inventories see from then on: by their syncs, including changes made
// behind this library's back, and by this library's own operations. Close
// the watch when done.
func (s *Set) Watch(ctx context.Context, opts WatchOptions) (*Watch, error) {
	return watch(ctx, s.clouds, opts)
}

func watch(ctx context.Context, clouds []*Cloud, opts WatchOptions) (*Watch, error) {
	if ctx == nil {
		return nil, invalidArg("watch", "ctx", "is nil")
	}
	if opts.Buffer < 0 || opts.Buffer > maxWatchBuffer {
		return nil, invalidArg("watch", "buffer", "must be 0 to %d, not %d", maxWatchBuffer, opts.Buffer)
	}
	for _, st := range opts.States {
		if _, err := ParseState(string(st)); err != nil {
			return nil, invalidArg("watch", "states", "%q is not a state", st)
		}
	}
	if opts.Buffer == 0 {
		opts.Buffer = DefaultWatchBuffer
	}
	w := &Watch{opts: opts, signal: make(chan struct{}, 1)}
	for _, c := range clouds {
		if opts.CloudID == "" || c.info.CloudID == opts.CloudID {
			w.invs = append(w.invs, c.inv)
		}
	}
	for _, v := range w.invs {
		if err := v.ready(ctx); err != nil {
			w.Close()
			return nil, err
		}
		v.mu.Lock()
		w.mu.Lock()
		if opts.Snapshot {
			w.snapshotLocked(v)
		}
		w.mu.Unlock()
		v.watches[w] = struct{}{}
		v.mu.Unlock()
	}
	return w, nil
}

// publishLocked hands an event to every watch. v.mu must be held, which
// orders the events of each instance.
func (v *inventory) publishLocked(ev Event) {
	ev.CloudID = v.c.info.CloudID
	for w := range v.watches {
		w.push(ev)
	}
}

// push queues an event, or drops the queue when it is full.
func (w *Watch) push(ev Event) {
	if !w.opts.match(ev.Old) && !w.opts.match(ev.New) {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	switch {
	case w.behind:
		w.dropped++
	case len(w.queue) >= w.opts.Buffer:
		w.dropped += int64(len(w.queue)) + 1
		clear(w.queue)
		w.queue, w.behind = nil, true
	default:
		w.queue = append(w.queue, ev)
	}
	w.wake()
}

func (w *Watch) wake() {
	select {
	case w.signal <- struct{}{}:
	default:
	}
}

// snapshotLocked drops the queued events of v and queues v's matching
// instances as snapshot events instead. v.mu and w.mu must be held.
func (w *Watch) snapshotLocked(v *inventory) {
	id := v.c.info.CloudID
	w.queue = slices.DeleteFunc(w.queue, func(ev Event) bool { return ev.CloudID == id })
	for _, e := range v.items {
		if w.opts.match(&e.inst) {
			w.snap = append(w.snap, Event{Kind: EventSnapshot, CloudID: id, New: &e.inst})
		}
	}
}

// Next returns the next event, waiting for one until ctx ends or the
// watch is closed (an error with code canceled, either way).
func (w *Watch) Next(ctx context.Context) (Event, error) {
	if ctx == nil {
		return Event{}, invalidArg("watch", "ctx", "is nil")
	}
	for {
		w.mu.Lock()
		switch {
		case w.closed:
			w.mu.Unlock()
			return Event{}, &Error{Code: CodeCanceled, Op: "watch", Msg: "the watch is closed"}
		case w.behind:
			w.behind = false
			w.mu.Unlock()
			w.resync()
			return Event{Kind: EventResync}, nil
		case len(w.snap) > 0:
			ev := w.snap[0]
			w.snap[0] = Event{}
			w.snap = w.snap[1:]
			w.mu.Unlock()
			return ev.copied(), nil
		case len(w.queue) > 0:
			ev := w.queue[0]
			w.queue[0] = Event{}
			w.queue = w.queue[1:]
			w.mu.Unlock()
			return ev.copied(), nil
		}
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return Event{}, classify(ctx.Err(), "watch", KindInstance, "")
		case <-w.signal:
		}
	}
}

// resync replaces what was dropped with a snapshot of each inventory,
// taken atomically with its queued events.
func (w *Watch) resync() {
	for _, v := range w.invs {
		v.mu.RLock()
		w.mu.Lock()
		w.snapshotLocked(v)
		w.mu.Unlock()
		v.mu.RUnlock()
	}
}

// copied returns ev with copies of its instances the consumer may change.
func (ev Event) copied() Event {
	if ev.Old != nil {
		cp := ev.Old.Clone()
		ev.Old = &cp
	}
	if ev.New != nil {
		cp := ev.New.Clone()
		ev.New = &cp
	}
	return ev
}

// Dropped returns how many events the watch has dropped because its
// consumer fell behind (each time replaced by EventResync and a snapshot).
func (w *Watch) Dropped() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dropped
}

// Close stops the watch; a Next in progress returns.
func (w *Watch) Close() {
	for _, v := range w.invs {
		v.mu.Lock()
		delete(v.watches, w)
		v.mu.Unlock()
	}
	w.detach(nil)
}

// detach marks the watch closed (its cloud is closing, or Close).
func (w *Watch) detach(*inventory) {
	w.mu.Lock()
	w.closed = true
	w.queue, w.snap = nil, nil
	w.mu.Unlock()
	w.wake()
}
