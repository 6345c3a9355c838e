package cache

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Loader loads the value of one key. The context it receives carries the
// values of the Get that caused the load, and is canceled by Close rather
// than by that caller: a load shared by many callers finishes even when the
// first one gives up.
type Loader[K comparable, V any] func(ctx context.Context, key K) (V, error)

// Cache is a TTL cache of values loaded on demand. It is safe for
// concurrent use. Build it with New and Close it when done.
type Cache[K comparable, V any] struct {
	loader Loader[K, V]
	cfg    config

	mu      sync.RWMutex
	entries map[K]*entry[V]
	order   *list.List // keys, least recently loaded first
	flights map[K]*flight[V]
	closed  bool

	base   context.Context // canceled by Close; bounds every load
	cancel context.CancelFunc
	wg     sync.WaitGroup // loads and refreshes in flight

	hits, stale, misses, refreshes, loads, evictions atomic.Uint64
}

// entry is immutable once stored, except for the refreshing flag: a refresh
// stores a new entry instead of changing this one.
type entry[V any] struct {
	value      V
	expires    time.Time // zero: never
	elem       *list.Element
	refreshing atomic.Bool
}

// Stats are the cache's counters since New.
type Stats struct {
	// Hits counts Gets served from the cache, stale ones included.
	Hits uint64
	// StaleHits counts the Hits that served a stale value during
	// stale-while-revalidate.
	StaleHits uint64
	// Misses counts Gets that had to wait for a load.
	Misses uint64
	// Refreshes counts background refreshes started.
	Refreshes uint64
	// Loads counts loader calls, refreshes included.
	Loads uint64
	// Evictions counts entries dropped to respect WithMaxEntries.
	Evictions uint64
	// Entries is the number of entries now.
	Entries int
}

// New returns a cache that calls loader on misses.
func New[K comparable, V any](loader Loader[K, V], opts ...Option) *Cache[K, V] {
	cfg := config{ttl: DefaultTTL, clock: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	base, cancel := context.WithCancel(context.Background())
	return &Cache[K, V]{
		loader:  loader,
		cfg:     cfg,
		entries: make(map[K]*entry[V]),
		order:   list.New(),
		flights: make(map[K]*flight[V]),
		base:    base,
		cancel:  cancel,
	}
}

// Get returns the value of key: from the cache while it is fresh (or stale
// within the stale-while-revalidate window, starting one background
// refresh), and otherwise from the loader, shared with every concurrent Get
// of the same key. Loader errors are returned and not cached. If ctx ends
// first, Get returns ctx.Err() and the load goes on for the others.
func (c *Cache[K, V]) Get(ctx context.Context, key K) (V, error) {
	now := c.cfg.clock()
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e != nil {
		if e.expires.IsZero() || now.Before(e.expires) {
			c.hits.Add(1)
			return e.value, nil
		}
		if c.cfg.swr > 0 && now.Before(e.expires.Add(c.cfg.swr)) {
			c.hits.Add(1)
			c.stale.Add(1)
			if e.refreshing.CompareAndSwap(false, true) {
				c.refresh(ctx, key, e)
			}
			return e.value, nil
		}
	}
	c.misses.Add(1)
	return c.load(ctx, key)
}

// Invalidate drops key. A load of key already in flight still answers the
// callers waiting for it, but its value is not stored: the next Get loads
// anew.
func (c *Cache[K, V]) Invalidate(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.order.Remove(e.elem)
		delete(c.entries, key)
	}
	if f, ok := c.flights[key]; ok {
		f.discard = true
		delete(c.flights, key)
	}
}

// InvalidateAll drops every entry, as Invalidate does for one key.
func (c *Cache[K, V]) InvalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.order.Init()
	for k, f := range c.flights {
		f.discard = true
		delete(c.flights, k)
	}
}

// Len returns the number of entries, stale ones included.
func (c *Cache[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Stats returns the counters.
func (c *Cache[K, V]) Stats() Stats {
	return Stats{
		Hits:      c.hits.Load(),
		StaleHits: c.stale.Load(),
		Misses:    c.misses.Load(),
		Refreshes: c.refreshes.Load(),
		Loads:     c.loads.Load(),
		Evictions: c.evictions.Load(),
		Entries:   c.Len(),
	}
}

// Close cancels loads and refreshes in flight and waits for their
// goroutines to return. Entries already stored are still served; a miss
// after Close returns ErrClosed. Close is idempotent.
func (c *Cache[K, V]) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
	return nil
}

// storeLocked stores a freshly loaded value; c.mu must be held.
func (c *Cache[K, V]) storeLocked(key K, v V) {
	e := &entry[V]{value: v}
	if c.cfg.ttl > 0 {
		e.expires = c.cfg.clock().Add(c.cfg.ttl)
	}
	if old, ok := c.entries[key]; ok {
		e.elem = old.elem
		c.order.MoveToBack(e.elem)
	} else {
		for c.cfg.maxEntries > 0 && len(c.entries) >= c.cfg.maxEntries {
			oldest := c.order.Front()
			delete(c.entries, oldest.Value.(K))
			c.order.Remove(oldest)
			c.evictions.Add(1)
		}
		e.elem = c.order.PushBack(key)
	}
	c.entries[key] = e
}
