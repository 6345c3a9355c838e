package perspective

import (
	"sync"
	"time"
)

// Option tunes a Cloud when it is made (NewCloud, Open).
type Option func(*options)

type options struct {
	concurrency  int
	pollMin      time.Duration
	pollMax      time.Duration
	retries      int                    // see WithRetry
	retryBackoff time.Duration          // see WithRetry
	rate         float64                // see WithRateLimit
	cacheTTL     map[Kind]time.Duration // see WithCacheTTL; absent kinds use the defaults
	syncInterval time.Duration          // see WithSync
	fullEvery    time.Duration          // see WithSync
	maxAge       time.Duration          // see WithMaxAge
}

func defaultOptions() options {
	return options{concurrency: 16, pollMin: 100 * time.Millisecond, pollMax: 5 * time.Second,
		retries: DefaultRetries, retryBackoff: DefaultRetryBackoff,
		syncInterval: DefaultSyncInterval, fullEvery: DefaultFullSyncEvery, maxAge: DefaultMaxAge}
}

// WithConcurrency sets how many calls a Cloud makes to its cloud at once in
// one bulk operation (default 16). Values below one mean one.
func WithConcurrency(n int) Option {
	return func(o *options) { o.concurrency = max(n, 1) }
}

// WithPolling sets how fast the inventory syncs while a WaitFor is in
// progress (defaults 100 ms and 5 s): every first, when the cloud lists its
// changes (driver.ChangeLister, each sync returns only what changed); when
// it does not, every sync is a full listing, so the interval starts at
// first and doubles up to longest.
func WithPolling(first, longest time.Duration) Option {
	return func(o *options) {
		if first > 0 {
			o.pollMin = first
		}
		if longest >= o.pollMin {
			o.pollMax = longest
		}
	}
}

// WithSync sets how often the Cloud's inventory of instances asks the
// cloud what changed (default DefaultSyncInterval) and how often it lists
// every instance again to heal what listings of changes might miss
// (default DefaultFullSyncEvery). A driver that cannot list its changes is
// synced by a full listing every interval. Non-positive values keep the
// defaults.
//
// The inventory also syncs in full at its start, after a failed sync, and
// after a gap of several intervals without a successful one.
func WithSync(interval, fullEvery time.Duration) Option {
	return func(o *options) {
		if interval > 0 {
			o.syncInterval = interval
		}
		if fullEvery > 0 {
			o.fullEvery = fullEvery
		}
	}
}

// WithMaxAge sets how old an instance's state may be, in the inventory,
// for the state check before an operation and for WaitFor (default
// DefaultMaxAge): an older one is read again with a GET of that instance
// alone. A negative value allows any age.
func WithMaxAge(d time.Duration) Option {
	return func(o *options) { o.maxAge = d }
}

// CallOption tunes one bulk call; see Instances.With, Images.With and
// Keypairs.With.
type CallOption func(*callOptions)

type callOptions struct {
	concurrency int
	progress    func(done, total int)
	onResult    func(Result)
	maxAge      time.Duration // see MaxAge
	hasMaxAge   bool
}

// Concurrency sets how many items of one call run at once on each cloud,
// overriding the Cloud's WithConcurrency for that call.
func Concurrency(n int) CallOption {
	return func(o *callOptions) { o.concurrency = max(n, 1) }
}

// MaxAge asks the reads of a handle (Instances.List, Get, the state check
// of an operation, WaitFor) for instances no older than d: when the
// inventory's last sync is older, List syncs first (and fails if it
// cannot); Get, the state check and WaitFor read the instances concerned
// again with a GET each. MaxAge(0) reads from the cloud every time.
func MaxAge(d time.Duration) CallOption {
	return func(o *callOptions) { o.maxAge, o.hasMaxAge = max(d, 0), true }
}

// listAge is the age a listing through the handle allows: any, unless
// MaxAge says otherwise.
func (o callOptions) listAge() time.Duration {
	if o.hasMaxAge {
		return o.maxAge
	}
	return -1
}

// stateAge is the age the state check and waits allow: MaxAge, or the
// Cloud's WithMaxAge.
func (o callOptions) stateAge(c *Cloud) time.Duration {
	if o.hasMaxAge {
		return o.maxAge
	}
	return c.opts.maxAge
}

// Progress asks for fn to be called after each item of a call finishes,
// with the number of items done so far and the total. Calls to fn are
// serialized.
func Progress(fn func(done, total int)) CallOption {
	return func(o *callOptions) { o.progress = fn }
}

// OnResult asks for fn to be told each item's final Result as soon as the
// item is done (refused, failed after its last attempt, or succeeded),
// before the Progress callback. Calls to fn are serialized.
func OnResult(fn func(Result)) CallOption {
	return func(o *callOptions) { o.onResult = fn }
}

// with returns a copy of o with opts applied; nil options are skipped.
func (o callOptions) with(opts []CallOption) callOptions {
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// tracker returns the function a call runs as each of its total items
// is done: it tells OnResult and Progress, serialized.
func (o callOptions) tracker(total int) func(*Result) {
	if o.progress == nil && o.onResult == nil {
		return func(*Result) {}
	}
	var mu sync.Mutex
	done := 0
	return func(r *Result) {
		mu.Lock()
		defer mu.Unlock()
		done++
		if o.onResult != nil {
			o.onResult(*r)
		}
		if o.progress != nil {
			o.progress(done, total)
		}
	}
}
