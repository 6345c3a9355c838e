package perspective

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/query"
)

// Default inventory settings (see WithSync and WithMaxAge).
const (
	// DefaultSyncInterval is how often a Cloud asks its cloud what changed.
	DefaultSyncInterval = 2 * time.Second
	// DefaultFullSyncEvery is how often a Cloud lists every instance again,
	// to heal anything an incremental sync could have missed.
	DefaultFullSyncEvery = 10 * time.Minute
	// DefaultMaxAge is how old an instance's state may be for the state
	// check before an operation and for a wait; an older one is read again.
	DefaultMaxAge = 5 * time.Second
)

// syncTimeout bounds one sync, so that a hung cloud cannot stop the loop.
const syncTimeout = 5 * time.Minute

// entry is one instance of the inventory. inst and row are never changed
// in place: a changed instance is a new entry, so readers (the query
// tables, watches) may keep an entry's values without copying them.
type entry struct {
	inst Instance
	// row is the instance's row of the instances table, built once.
	row []query.Value
	// inv is the inventory holding the entry.
	inv *inventory
	// seen is when (this machine's clock) the value was read: the start of
	// the sync that returned it, or of the GET. It is the one field changed
	// in place, under the inventory's lock, when a read says the same.
	seen time.Time
}

// inventory is a Cloud's in-memory copy of its instances: the read path of
// every instance read. It is filled by a first full listing, then kept
// current by listings of changes (driver.ChangeLister) or, for a driver
// without them, by full listings, on an interval, by a loop that starts
// with the first read and stops with Cloud.Close.
type inventory struct {
	c      *Cloud
	lister driver.ChangeLister // nil: full listings only

	sem chan struct{} // held by the one sync running

	mu       sync.RWMutex
	items    map[string]*entry    // by real id
	byID     map[string]*entry    // the same entries by global id
	order    []*entry             // every entry by name then global id; replaced, never changed in place
	rows     [][]query.Value      // the rows of order, in its order; replaced with it
	moved    map[string]bool      // real ids stored or removed since order was built
	touched  map[string]time.Time // real ids this library changed, and when
	synced   bool                 // a sync has succeeded
	cursor   time.Time            // the cloud's clock: next ListChanges since
	newest   time.Time            // the cloud's clock: the newest Updated read
	lastOK   time.Time            // start of the last successful sync
	lastEnd  time.Time            // end of the last successful sync
	lastFull time.Time            // start of the last successful full sync
	tried    time.Time            // start of the last sync that ended
	lastErr  error                // of the last sync; nil when it succeeded
	needFull bool                 // an error or a gap: the next sync is full
	stats    SyncStats
	changed  chan struct{} // closed and replaced on every change and sync
	watches  map[*Watch]struct{}
	waiting  int // WaitFor calls in progress: sync fast

	wanted    atomic.Bool // instances were read: the loop syncs them
	servable  atomic.Bool // synced, and no instance touched: see current
	metaBusy  atomic.Bool // a refresh of the metadata lists is running
	metaWG    sync.WaitGroup
	wake      chan struct{}
	startOnce sync.Once
	started   bool
	closed    bool
	cancel    context.CancelFunc
	done      chan struct{}
}

func newInventory(c *Cloud) *inventory {
	v := &inventory{c: c, sem: make(chan struct{}, 1), items: map[string]*entry{}, byID: map[string]*entry{},
		moved: map[string]bool{}, touched: map[string]time.Time{}, changed: make(chan struct{}), watches: map[*Watch]struct{}{},
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	v.lister, _ = c.drv.(driver.ChangeLister)
	v.stats.Incremental = v.lister != nil
	return v
}

// start runs the sync loop, once, and has it keep the instances current;
// after close it does nothing.
func (v *inventory) start() {
	if !v.wanted.Load() {
		v.wanted.Store(true)
	}
	v.startLoop()
}

// startLoop runs the sync loop, once: it keeps the metadata lists current,
// and the instances once they are read (start).
func (v *inventory) startLoop() {
	v.startOnce.Do(func() {
		v.mu.Lock()
		defer v.mu.Unlock()
		if v.closed {
			close(v.done)
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		v.cancel, v.started = cancel, true
		go v.run(ctx)
	})
}

// close stops the loop and waits for it.
func (v *inventory) close() {
	v.mu.Lock()
	v.closed = true
	cancel := v.cancel
	v.mu.Unlock()
	v.startOnce.Do(func() { close(v.done) })
	if cancel != nil {
		cancel()
	}
	<-v.done
	v.mu.Lock()
	for w := range v.watches {
		w.detach(v)
	}
	for _, e := range v.items {
		instanceIndex.remove(e)
	}
	v.mu.Unlock()
}

// run is the sync loop.
func (v *inventory) run(ctx context.Context) {
	defer close(v.done)
	defer v.metaWG.Wait()
	streak := 0 // fast syncs in a row, for the backoff of full listings
	var err error
	// The read that started the loop syncs (or lists its metadata) by
	// itself: the loop's first sync is an interval later (or when a wait
	// kicks it).
	for first := true; ; first = false {
		if !first && v.wanted.Load() {
			err = v.syncNow(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		if !first {
			v.refreshMetaDue(ctx)
		}
		v.mu.RLock()
		waiting := v.waiting > 0
		v.mu.RUnlock()
		o := v.c.opts
		next := o.syncInterval
		switch {
		case waiting && v.lister != nil:
			next = min(o.pollMin, next)
		case waiting:
			next = min(o.pollMin<<min(streak, 16), o.pollMax, next)
			streak++
		default:
			streak = 0
		}
		if err != nil {
			next = min(next, time.Second)
		}
		t := time.NewTimer(next)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		case <-v.wake:
			t.Stop()
		}
	}
}

// kick makes the loop sync now (and look at its interval again).
func (v *inventory) kick() {
	select {
	case v.wake <- struct{}{}:
	default:
	}
}

// syncNow runs a sync that starts after the call, or waits for one that
// did, and returns its error.
func (v *inventory) syncNow(ctx context.Context) error {
	asked := time.Now()
	select {
	case v.sem <- struct{}{}:
	case <-ctx.Done():
		return classify(ctx.Err(), OpList, KindInstance, "")
	}
	defer func() { <-v.sem }()
	v.mu.RLock()
	coalesced, err := v.tried.After(asked), v.lastErr
	v.mu.RUnlock()
	if coalesced {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	return v.sync(ctx)
}

// sync reads the cloud once, fully or its changes, and applies what it
// read. v.sem must be held.
func (v *inventory) sync(ctx context.Context) error {
	start := time.Now()
	o := v.c.opts
	v.mu.RLock()
	full := v.lister == nil || !v.synced || v.needFull || v.cursor.IsZero() ||
		start.Sub(v.lastFull) >= o.fullEvery || start.Sub(v.lastEnd) > gapAfter(o)
	cursor := v.cursor
	v.mu.RUnlock()
	var rows []driver.Instance
	requests := 0
	err := v.c.retry(ctx, func(ctx context.Context) (err error) {
		requests++
		if full {
			rows, err = v.c.drv.ListInstances(ctx, driver.ListOptions{})
		} else {
			rows, err = v.lister.ListChanges(ctx, cursor)
		}
		return err
	})
	took := time.Since(start)
	if err != nil {
		err = classify(err, OpList, KindInstance, "")
		v.mu.Lock()
		v.stats.Requests += int64(requests)
		// A sync its caller gave up on says nothing of the cloud.
		if !errors.Is(ctx.Err(), context.Canceled) {
			v.tried, v.lastErr, v.needFull = start, err, true
			v.stats.Failures++
		}
		v.notifyLocked()
		v.mu.Unlock()
		return err
	}
	newest := time.Time{}
	for i := range rows {
		if rows[i].Updated.After(newest) {
			newest = rows[i].Updated
		}
	}
	insts := v.adopt(ctx, rows)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.applyLocked(insts, start, full)
	v.advanceLocked(newest, took, full)
	v.synced, v.needFull, v.lastErr = true, false, nil
	v.markLocked()
	v.tried, v.lastOK, v.lastEnd = start, start, time.Now()
	if full {
		v.lastFull = start
		v.stats.FullSyncs++
	}
	v.stats.Syncs++
	v.stats.Requests += int64(requests)
	v.stats.Rows += int64(len(rows))
	v.stats.LastRequests, v.stats.LastRows = requests, len(rows)
	v.notifyLocked()
	return nil
}

// advanceLocked moves the cursor after a sync whose newest row was
// stamped newest (by the cloud) and that took took (by this machine), so
// that no change is missed and a quiet cloud returns nothing. Only the
// cloud's stamps and durations are used: clock skew does not matter.
//
// Every change made after a listing started is stamped no earlier than the
// listing's newest stamp less the time it took, so when a sync brings a
// newer stamp the next one starts there. When it brings none, every stamp
// up to the newest has been read by a listing that started after it was
// made, and the next sync asks only for later ones. (A cloud with coarse
// stamps asks for an overlap on its side; see driver.ChangeLister.)
// v.mu must be held.
func (v *inventory) advanceLocked(newest time.Time, took time.Duration, full bool) {
	switch {
	case newest.After(v.newest):
		v.newest = newest
		if next := newest.Add(-took); full || next.After(v.cursor) {
			v.cursor = next
		}
	case full && !newest.IsZero():
		v.cursor = newest.Add(-took)
	case !v.newest.IsZero():
		if next := v.newest.Add(time.Nanosecond); next.After(v.cursor) {
			v.cursor = next
		}
	}
}

// gapAfter is how long between the end of a successful sync and the
// start of the next makes that one full: several intervals missed (a
// stopped process) may have lost what a listing of changes still returns.
// A slow sync is no gap.
func gapAfter(o options) time.Duration { return 5*o.syncInterval + time.Second }

// adopt turns a driver's instances into the user's model, with flavors and
// images filled in (shared between the instances, which never change them).
func (v *inventory) adopt(ctx context.Context, rows []driver.Instance) []Instance {
	insts := make([]Instance, len(rows))
	for i := range rows {
		insts[i] = v.c.adoptInstance(rows[i])
	}
	v.c.enrichShared(ctx, insts)
	return insts
}

// applyLocked puts what a sync that started at start read into the
// inventory. A full sync's absent instances are gone. An instance read
// again since start (a GET) keeps its fresher value. v.mu must be held.
func (v *inventory) applyLocked(insts []Instance, start time.Time, full bool) {
	var present map[string]bool
	if full {
		present = make(map[string]bool, len(insts))
	}
	for i := range insts {
		in := insts[i]
		if in.State == StateDeleted {
			v.removeLocked(in.RealID, start)
			continue
		}
		if full {
			present[in.RealID] = true
		}
		v.putLocked(in, start)
	}
	if full {
		for id, e := range v.items {
			if !present[id] && e.seen.Before(start) {
				v.removeLocked(id, start)
			}
		}
	}
}

// putLocked stores an instance read at seen and tells the watches, unless
// the inventory holds a value read later. v.mu must be held.
func (v *inventory) putLocked(in Instance, seen time.Time) {
	if t, ok := v.touched[in.RealID]; ok && !seen.Before(t) {
		delete(v.touched, in.RealID)
		v.markLocked()
	}
	old, ok := v.items[in.RealID]
	if ok && old.seen.After(seen) {
		return
	}
	if ok && sameInstance(old.inst, in) {
		old.seen = seen // readers never read seen without the lock
		return
	}
	e := &entry{inst: in, row: instanceRow(&in), inv: v, seen: seen}
	if ok && old.inst.ID != in.ID {
		delete(v.byID, old.inst.ID)
	}
	v.items[in.RealID], v.byID[in.ID], v.moved[in.RealID] = e, e, true
	instanceIndex.put(old, e)
	if !ok {
		v.publishLocked(Event{Kind: EventCreated, New: &e.inst})
	} else {
		v.publishLocked(Event{Kind: EventChanged, Old: &old.inst, New: &e.inst})
	}
}

// removeLocked drops an instance found gone by a read that started at
// seen, unless it was read again later. v.mu must be held.
func (v *inventory) removeLocked(realID string, seen time.Time) {
	if t, ok := v.touched[realID]; ok && !seen.Before(t) {
		delete(v.touched, realID)
		v.markLocked()
	}
	old, ok := v.items[realID]
	if !ok || old.seen.After(seen) {
		return
	}
	delete(v.items, realID)
	delete(v.byID, old.inst.ID)
	instanceIndex.remove(old)
	v.moved[realID] = true
	v.c.forget(old.inst.ID)
	v.publishLocked(Event{Kind: EventDeleted, Old: &old.inst})
}

// sameInstance reports whether two reads of an instance say the same.
func sameInstance(a, b Instance) bool { return reflect.DeepEqual(a, b) }

// notifyLocked wakes everything waiting for a change. v.mu must be held.
func (v *inventory) notifyLocked() {
	close(v.changed)
	v.changed = make(chan struct{})
}

// touch records that this library changed an instance, so that the next
// read of it asks the cloud (read-your-writes).
func (v *inventory) touch(realID string) {
	v.mu.Lock()
	if _, ok := v.items[realID]; ok {
		v.touched[realID] = time.Now()
		v.markLocked()
	}
	v.mu.Unlock()
}

// put stores instances this library has just read or made (a GET, a
// launch), read at seen.
func (v *inventory) put(insts []Instance, seen time.Time) {
	v.mu.Lock()
	for i := range insts {
		if insts[i].State == StateDeleted {
			v.removeLocked(insts[i].RealID, seen)
		} else {
			v.putLocked(insts[i], seen)
		}
	}
	v.notifyLocked()
	v.mu.Unlock()
}

// SyncStats says how current a Cloud's inventory of instances is and what
// keeping it so costs.
type SyncStats struct {
	// Synced says a sync has succeeded: reads are served from memory.
	Synced bool
	// Incremental says the cloud lists its changes (driver.ChangeLister);
	// otherwise every sync is a full listing.
	Incremental bool
	// Instances is how many instances the inventory holds.
	Instances int
	// LastSync is when the last successful sync started: the inventory is
	// the cloud as it was then, or later. Lag is how long ago that was.
	LastSync time.Time
	Lag      time.Duration
	// LastError is the last sync's error, nil when it succeeded; the
	// inventory keeps serving its last state meanwhile.
	LastError error
	// Syncs and FullSyncs count successful syncs, Failures the failed ones.
	Syncs, FullSyncs, Failures int64
	// LastRequests and LastRows are the requests the last successful sync
	// made (retries included) and the instances it read.
	LastRequests, LastRows int
	// Requests and Rows are the totals of every sync.
	Requests, Rows int64
	// Refreshes counts the single instances read again (after a change
	// made through this library, or older than a read allowed).
	Refreshes int64
	// Watches is how many watches are open.
	Watches int
}

// SyncStats returns how current the inventory of instances is and what
// its syncs cost.
func (c *Cloud) SyncStats() SyncStats {
	v := c.inv
	v.mu.RLock()
	defer v.mu.RUnlock()
	s := v.stats
	s.Synced, s.Instances, s.LastError, s.Watches = v.synced, len(v.items), v.lastErr, len(v.watches)
	if v.synced {
		s.LastSync, s.Lag = v.lastOK, time.Since(v.lastOK)
	}
	return s
}

// Sync asks the cloud what changed among its instances now, rather than
// at the next interval, lists again the metadata the inventory holds whose
// interval has passed (see WithCacheTTL), as the loop's next sync would,
// and returns when the inventory holds the answers.
func (c *Cloud) Sync(ctx context.Context) error {
	if ctx == nil {
		return invalidArg(OpList, "ctx", "is nil")
	}
	c.inv.start()
	err := c.inv.syncNow(ctx)
	return errors.Join(err, c.inv.syncMeta(ctx))
}

// changes returns a channel closed at the next change or sync.
func (v *inventory) changes() <-chan struct{} {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.changed
}

// failing reports whether the last sync failed.
func (v *inventory) failing() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.lastErr != nil
}

// waitBegin makes the loop sync fast until the matching waitEnd.
func (v *inventory) waitBegin() {
	v.start()
	v.mu.Lock()
	v.waiting++
	v.mu.Unlock()
	v.kick()
}

func (v *inventory) waitEnd() {
	v.mu.Lock()
	v.waiting--
	v.mu.Unlock()
}
