package cache

import "time"

// DefaultTTL is how long a loaded value stays fresh when WithTTL is not
// given.
const DefaultTTL = time.Minute

// Option tunes a Cache at construction.
type Option func(*config)

type config struct {
	ttl        time.Duration
	swr        time.Duration
	maxEntries int
	clock      func() time.Time
}

// WithTTL sets how long a loaded value is served without asking the loader
// again. A non-positive ttl keeps values until they are invalidated or
// evicted.
func WithTTL(ttl time.Duration) Option {
	return func(c *config) { c.ttl = max(ttl, 0) }
}

// WithMaxEntries bounds the number of entries; storing one more evicts the
// least recently loaded entry. A non-positive n means no bound.
func WithMaxEntries(n int) Option {
	return func(c *config) { c.maxEntries = max(n, 0) }
}

// WithStaleWhileRevalidate lets Get serve a value for up to window after it
// went stale, returning at once while exactly one background refresh loads
// the new value. Past the window, Get waits for a fresh load as on a miss.
// A non-positive window disables it (the default).
func WithStaleWhileRevalidate(window time.Duration) Option {
	return func(c *config) { c.swr = max(window, 0) }
}

// WithClock replaces time.Now, for tests that move time by hand.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.clock = now
		}
	}
}
