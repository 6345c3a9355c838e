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
}

func defaultOptions() options {
	return options{concurrency: 16, pollMin: 100 * time.Millisecond, pollMax: 5 * time.Second,
		retries: DefaultRetries, retryBackoff: DefaultRetryBackoff}
}

// WithConcurrency sets how many calls a Cloud makes to its cloud at once in
// one bulk operation (default 16). Values below one mean one.
func WithConcurrency(n int) Option {
	return func(o *options) { o.concurrency = max(n, 1) }
}

// WithPolling sets the first and the longest interval between two looks at
// an instance while waiting for it (defaults 100 ms and 5 s); the interval
// doubles in between.
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

// CallOption tunes one bulk call; see Instances.With, Images.With and
// Keypairs.With.
type CallOption func(*callOptions)

type callOptions struct {
	concurrency int
	progress    func(done, total int)
	onResult    func(Result)
}

// Concurrency sets how many items of one call run at once on each cloud,
// overriding the Cloud's WithConcurrency for that call.
func Concurrency(n int) CallOption {
	return func(o *callOptions) { o.concurrency = max(n, 1) }
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
