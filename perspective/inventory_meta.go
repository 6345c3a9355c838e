package perspective

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/cache"
)

// held is one kind of a cloud's metadata (its flavors, images, …) as the
// inventory holds it: a whole list, read by one listing and replaced whole
// by the next. A list is never changed in place (this library's own writes
// make a new one), so readers share it without copying; what a read hands
// to a caller is a copy.
//
// The first read lists the kind (and starts the inventory's loop); from
// then on the loop lists it again once every interval (see WithCacheTTL),
// and reads are served from memory. This library's writes are applied to
// the held list at once (read-your-writes); a write whose whole effect is
// not known (a backup's rotation, another program's change announced by
// InvalidateCache) marks the list dirty, and the next read lists it again.
type held[T any] struct {
	c     *Cloud
	kind  Kind
	every time.Duration // ≤ 0: not held, every read lists
	load  func(ctx context.Context) ([]T, error)
	key   func(*T) string // the index's key; nil: no index
	clone func(T) T       // a copy a caller may change

	sem chan struct{} // held by the one listing running

	mu    sync.Mutex
	cur   *heldList[T] // nil until the first listing
	dirty bool         // the next read lists again
	gen   uint64       // bumped by every write of this library
	tried time.Time    // when the last listing started
	stats cache.Stats
}

// heldList is one version of a held list: never changed once made.
type heldList[T any] struct {
	items []T
	index map[string]int // position in items by key
	read  time.Time      // when the listing it comes from started
}

// byKey returns the item with key k, shared, or nil.
func (l *heldList[T]) byKey(k string) *T {
	if l == nil {
		return nil
	}
	if i, ok := l.index[k]; ok {
		return &l.items[i]
	}
	return nil
}

// refresher is what the inventory's loop sees of a held kind.
type refresher interface {
	due(now time.Time) bool
	refresh(ctx context.Context) error
}

func newHeld[T any](c *Cloud, kind Kind, every time.Duration, load func(context.Context) ([]T, error),
	key func(*T) string, clone func(T) T) *held[T] {
	return &held[T]{c: c, kind: kind, every: every, load: load, key: key, clone: clone, sem: make(chan struct{}, 1)}
}

func (h *held[T]) newList(items []T, read time.Time) *heldList[T] {
	l := &heldList[T]{items: items, read: read}
	if h.key != nil {
		l.index = make(map[string]int, len(items))
		for i := range items {
			if k := h.key(&items[i]); k != "" {
				if _, dup := l.index[k]; !dup {
					l.index[k] = i
				}
			}
		}
	}
	return l
}

// view returns the held list, shared: callers must not change it. The
// first read (or one after the list was marked dirty) lists the kind.
func (h *held[T]) view(ctx context.Context) (*heldList[T], error) {
	if h.every <= 0 {
		start := time.Now()
		items, err := h.load(ctx)
		if err != nil {
			return nil, err
		}
		return h.newList(items, start), nil
	}
	h.c.inv.startLoop()
	h.mu.Lock()
	if l := h.cur; l != nil && !h.dirty {
		h.stats.Hits++
		if time.Since(l.read) > h.every {
			h.stats.StaleHits++
		}
		h.mu.Unlock()
		return l, nil
	}
	h.stats.Misses++
	h.mu.Unlock()
	return h.reload(ctx, false)
}

// held returns the list held now, as it is (nil when none), without
// listing or counting a read.
func (h *held[T]) held() *heldList[T] {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur
}

// peek returns the held list when a read may be served from it as it is
// (counted as a hit), or nil when the read must go through view.
func (h *held[T]) peek() *heldList[T] {
	if h.every <= 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	l := h.cur
	if l == nil || h.dirty {
		return nil
	}
	h.stats.Hits++
	if time.Since(l.read) > h.every {
		h.stats.StaleHits++
	}
	return l
}

// copies returns the held list as copies the caller may change.
func (h *held[T]) copies(ctx context.Context) ([]T, error) {
	l, err := h.view(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(l.items))
	for i := range l.items {
		out[i] = h.clone(l.items[i])
	}
	return out, nil
}

// reload lists the kind now, or waits for a listing that started after
// the call, and holds what it read.
func (h *held[T]) reload(ctx context.Context, background bool) (*heldList[T], error) {
	asked := time.Now()
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, classify(ctx.Err(), OpList, h.kind, "")
	}
	defer func() { <-h.sem }()
	h.mu.Lock()
	if l := h.cur; l != nil && !h.dirty && !l.read.Before(asked) {
		h.mu.Unlock()
		return l, nil
	}
	gen := h.gen
	start := time.Now()
	h.tried = start
	h.mu.Unlock()
	items, err := h.load(ctx)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stats.Loads++
	if background {
		h.stats.Refreshes++
	}
	if err != nil {
		return nil, err
	}
	l := h.newList(items, start)
	// A write of this library while the listing ran may be missing from
	// it: hold it, but list again at the next read.
	h.cur, h.dirty = l, h.gen != gen
	return l, nil
}

// due reports whether the loop should list the kind again: it is held,
// and it was marked dirty or its interval has passed (after a failed
// listing, the next try waits the interval, at most 30 s).
func (h *held[T]) due(now time.Time) bool {
	if h.every <= 0 {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur != nil && (h.dirty ||
		now.Sub(h.cur.read) >= h.every && now.Sub(h.tried) >= min(h.every, 30*time.Second))
}

// refresh is the loop's listing of a due kind; on an error the held list
// stays as it was, served meanwhile, and the next sync tries again.
func (h *held[T]) refresh(ctx context.Context) error {
	_, err := h.reload(ctx, true)
	return err
}

// write applies a write of this library to the held list: f returns the
// new items, made without changing the ones it is given.
func (h *held[T]) write(f func(items []T) []T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	if h.cur != nil {
		h.cur = h.newList(f(h.cur.items), h.cur.read)
	}
}

// put holds v in place of the item with its key, or adds it.
func (h *held[T]) put(v T) {
	k := h.key(&v)
	h.write(func(items []T) []T {
		out := make([]T, 0, len(items)+1)
		for i := range items {
			if h.key(&items[i]) != k {
				out = append(out, items[i])
			}
		}
		return append(out, v)
	})
}

// drop removes the item with key k.
func (h *held[T]) drop(k string) {
	h.write(func(items []T) []T {
		out := make([]T, 0, len(items))
		for i := range items {
			if h.key(&items[i]) != k {
				out = append(out, items[i])
			}
		}
		return out
	})
}

// invalidate makes the next read list the kind again, and reports whether
// the kind is held.
func (h *held[T]) invalidate() bool {
	if h.every <= 0 {
		return false
	}
	h.mu.Lock()
	h.dirty = true
	h.gen++
	h.mu.Unlock()
	return true
}

// counters returns the kind's counters, and whether it is held at all.
func (h *held[T]) counters() (cache.Stats, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stats
	if h.cur != nil {
		s.Entries = 1
	}
	return s, h.every > 0
}

// refreshMetaDue starts a refresh of the held metadata whose interval has
// passed, unless one is running; the loop waits for it before it ends.
func (v *inventory) refreshMetaDue(ctx context.Context) {
	now := time.Now()
	var due []refresher
	v.c.meta.each(func(r refresher) {
		if r.due(now) {
			due = append(due, r)
		}
	})
	if len(due) == 0 || !v.metaBusy.CompareAndSwap(false, true) {
		return
	}
	v.metaWG.Add(1)
	go func() {
		defer v.metaWG.Done()
		defer v.metaBusy.Store(false)
		ctx, cancel := context.WithTimeout(ctx, syncTimeout)
		defer cancel()
		for _, r := range due {
			_ = r.refresh(ctx) // the list held stays; due again once its retry wait has passed
		}
	}()
}

// syncMeta refreshes the held metadata whose interval has passed, now,
// and returns their errors joined.
func (v *inventory) syncMeta(ctx context.Context) error {
	now := time.Now()
	var errs []error
	v.c.meta.each(func(r refresher) {
		if r.due(now) {
			errs = append(errs, r.refresh(ctx))
		}
	})
	return errors.Join(errs...)
}
