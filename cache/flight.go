package cache

import (
	"context"
	"fmt"
)

// flight is one loader call that every concurrent miss of its key waits
// for: a typed singleflight whose goroutine the cache owns, so that Close
// can wait for it and a waiter can give up without canceling the others.
type flight[V any] struct {
	done    chan struct{} // closed when val and err are set
	val     V
	err     error
	discard bool      // invalidated while in flight: do not store (guarded by Cache.mu)
	stale   *entry[V] // for a refresh: the entry being refreshed
}

// load waits for the flight of key, starting it if there is none.
func (c *Cache[K, V]) load(ctx context.Context, key K) (V, error) {
	c.mu.Lock()
	f, ok := c.flights[key]
	if !ok {
		if e, hit := c.entries[key]; hit && (e.expires.IsZero() || c.cfg.clock().Before(e.expires)) {
			// Stored by a flight that finished since our read.
			c.mu.Unlock()
			return e.value, nil
		}
		var err error
		if f, err = c.startLocked(ctx, key, nil); err != nil {
			c.mu.Unlock()
			var zero V
			return zero, err
		}
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// refresh starts the background refresh of the stale entry e, unless a load
// of key is already in flight.
func (c *Cache[K, V]) refresh(ctx context.Context, key K, e *entry[V]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, busy := c.flights[key]; busy {
		e.refreshing.Store(false)
		return
	}
	if c.entries[key] != e {
		return // replaced or invalidated since our read
	}
	if _, err := c.startLocked(ctx, key, e); err != nil {
		e.refreshing.Store(false)
		return
	}
	c.refreshes.Add(1)
}

// startLocked registers and starts a flight for key; c.mu must be held, so
// that Close cannot start waiting between the closed check and wg.Add.
func (c *Cache[K, V]) startLocked(ctx context.Context, key K, stale *entry[V]) (*flight[V], error) {
	if c.closed {
		return nil, ErrClosed
	}
	if c.loader == nil {
		return nil, ErrNoLoader
	}
	f := &flight[V]{done: make(chan struct{}), stale: stale}
	c.flights[key] = f
	c.loads.Add(1)
	// The load keeps the caller's values but not its cancellation: other
	// callers may be waiting for it. Close cancels it.
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(c.base, cancel)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer cancel()
		defer stop()
		v, err := c.call(lctx, key)
		c.finish(key, f, v, err)
	}()
	return f, nil
}

// call runs the loader, turning a panic into an error: a loader bug must
// not take the whole program down from a goroutine the caller cannot see.
func (c *Cache[K, V]) call(ctx context.Context, key K) (v V, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: key %v: %v", ErrLoaderPanic, key, p)
		}
	}()
	return c.loader(ctx, key)
}

// finish records the flight's outcome, stores a good value unless the key
// was invalidated meanwhile, and wakes the waiters.
func (c *Cache[K, V]) finish(key K, f *flight[V], v V, err error) {
	c.mu.Lock()
	f.val, f.err = v, err
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	switch {
	case err == nil && !f.discard && !c.closed:
		c.storeLocked(key, v)
	case f.stale != nil:
		// Failed refresh: keep serving the stale value and let a later Get
		// try again.
		f.stale.refreshing.Store(false)
	}
	c.mu.Unlock()
	close(f.done)
}
