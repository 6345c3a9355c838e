package perspective

import (
	"context"
	"time"

	"github.com/perspective-cloud/sdk/bulk"
)

// Default retry policy of bulk operations: only transient and rate-limited
// errors are retried (see Retryable), never sooner than the cloud's
// retry-after.
const (
	DefaultRetries      = 3
	DefaultRetryBackoff = 250 * time.Millisecond
)

// WithRetry sets how many times an item of a bulk operation is retried after
// a transient or rate-limited error (0 turns retries off), and the wait
// before the first retry, which doubles on each further retry, with jitter.
// Other errors (not found, invalid state, quota, auth, …) are never retried.
func WithRetry(retries int, backoff time.Duration) Option {
	return func(o *options) {
		o.retries = max(retries, 0)
		if backoff > 0 {
			o.retryBackoff = backoff
		}
	}
}

// WithRateLimit caps the calls one Cloud's bulk operations make to rps per
// second, shared by all its concurrent bulk calls. Zero (the default) means
// no cap.
func WithRateLimit(rps float64) Option {
	return func(o *options) { o.rate = max(rps, 0) }
}

// initBulk builds the Cloud's executor from its options.
func (c *Cloud) initBulk() {
	c.exec = newExecutor(c.opts)
}

func newExecutor(o options) *bulk.Executor {
	return bulk.New(
		bulk.WithConcurrency(o.concurrency),
		bulk.WithRetry(o.retries, o.retryBackoff),
		bulk.WithRetryable(Retryable),
		bulk.WithRetryAfter(RetryAfter),
		bulk.WithRate(o.rate),
	)
}

// runBulk runs fn over keys with ex and the call's options. done, if not
// nil, is told each distinct key's final result as it completes; otherwise
// the call's own progress callback is told (done, total).
func runBulk(ctx context.Context, ex *bulk.Executor, keys []string, call callOptions,
	done func(bulk.Result), fn func(ctx context.Context, key string) error) bulk.Results {
	var opts []bulk.Option
	if call.concurrency > 0 {
		opts = append(opts, bulk.WithConcurrency(call.concurrency))
	}
	switch {
	case done != nil:
		opts = append(opts, bulk.WithResult(done))
	case call.progress != nil:
		opts = append(opts, bulk.WithProgress(call.progress))
	}
	return ex.Run(ctx, keys, fn, opts...)
}

// executorOf returns the executor for a call over clouds: the cloud's own
// for one cloud (so that its rate limit holds), and one with the first
// cloud's options otherwise.
func executorOf(clouds []*Cloud) *bulk.Executor {
	if len(clouds) == 1 {
		return clouds[0].exec
	}
	if len(clouds) == 0 {
		return newExecutor(defaultOptions())
	}
	return newExecutor(clouds[0].opts)
}

// retry runs one call to the cloud under the Cloud's retry policy and rate
// limit: the reads a bulk operation depends on (the instances' current
// states, the metadata lists) survive a transient fault as its items do.
func (c *Cloud) retry(ctx context.Context, call func(ctx context.Context) error) error {
	rs := c.exec.Run(ctx, []string{""}, func(ctx context.Context, _ string) error { return call(ctx) })
	return rs[0].Err
}
