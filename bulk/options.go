package bulk

import (
	"context"
	"time"
)

// Defaults used by New when no option overrides them.
const (
	// DefaultConcurrency is how many keys are worked on at once.
	DefaultConcurrency = 10
	// DefaultMaxRetries is how many times a retryable failure is retried.
	DefaultMaxRetries = 3
	// DefaultBaseBackoff is the wait before the first retry; it doubles on
	// each further retry.
	DefaultBaseBackoff = 200 * time.Millisecond
	// DefaultMaxBackoff caps the exponential backoff (not a server's
	// retry-after, which is always honoured).
	DefaultMaxBackoff = 30 * time.Second
)

// Op is the operation applied to one key. It must honour ctx: when ctx is
// canceled it should return promptly, so that Run can report the keys it
// never started.
type Op func(ctx context.Context, key string) error

// Option tunes an Executor (in New) or a single call (in Run and Plan).
type Option func(*config)

type config struct {
	concurrency int
	maxRetries  int
	baseBackoff time.Duration
	maxBackoff  time.Duration
	rate        float64
	progress    func(done, total int)
	onResult    func(Result)
	retryable   func(error) bool
	retryAfter  func(error) (time.Duration, bool)
	check       Op
	dryRun      bool
}

func defaultConfig() config {
	return config{
		concurrency: DefaultConcurrency,
		maxRetries:  DefaultMaxRetries,
		baseBackoff: DefaultBaseBackoff,
		maxBackoff:  DefaultMaxBackoff,
		retryable:   isTemporary,
	}
}

// WithConcurrency sets how many keys are worked on at once. Values below 1
// mean 1.
func WithConcurrency(n int) Option {
	return func(c *config) {
		c.concurrency = max(n, 1)
	}
}

// WithRetry sets how many times a retryable failure is retried (0 disables
// retries; negative values mean 0) and the backoff before the first retry,
// which doubles on each further retry, with jitter. A non-positive base
// means DefaultBaseBackoff.
func WithRetry(maxRetries int, base time.Duration) Option {
	return func(c *config) {
		c.maxRetries = max(maxRetries, 0)
		if base <= 0 {
			base = DefaultBaseBackoff
		}
		c.baseBackoff = base
	}
}

// WithMaxBackoff caps the exponential backoff between two attempts. A
// retry-after returned by WithRetryAfter's function is not capped: the
// server's word wins. A non-positive value means DefaultMaxBackoff.
func WithMaxBackoff(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			d = DefaultMaxBackoff
		}
		c.maxBackoff = d
	}
}

// WithRate limits attempts (first tries and retries alike) to rps per second,
// evenly spaced: no burst, each attempt starts at least 1/rps after the one
// before. A non-positive rps removes the limit. Set on an Executor, the limit
// is shared by all its concurrent Run calls; set on one call, it applies to
// that call only. A key whose next free slot falls after ctx's deadline is not
// waited for: it is reported at once with an error wrapping
// context.DeadlineExceeded.
func WithRate(rps float64) Option {
	return func(c *config) {
		c.rate = max(rps, 0)
	}
}

// WithProgress registers a callback told after each key completes how many
// distinct keys are done out of how many. Calls are serialized and done only
// grows, so the callback may drive a progress bar directly; keep it fast.
func WithProgress(fn func(done, total int)) Option {
	return func(c *config) {
		c.progress = fn
	}
}

// WithResult registers a callback told each distinct key's final Result as
// soon as the key completes (after its last attempt), before the progress
// callback. Calls are serialized; keep it fast.
func WithResult(fn func(Result)) Option {
	return func(c *config) {
		c.onResult = fn
	}
}

// WithRetryable says which errors are transient and worth another attempt.
// Errors for which WithRetryAfter's function reports a delay are retried too.
// Errors from the call's own context are never retried. Without this option
// an error is retryable when it (or an error it wraps) has a
// Temporary() bool method that returns true.
func WithRetryable(fn func(error) bool) Option {
	return func(c *config) {
		if fn == nil {
			fn = isTemporary
		}
		c.retryable = fn
	}
}

// WithRetryAfter tells how long the server asked the client to wait before
// trying again (a rate-limit reply's Retry-After). When fn reports ok the
// error is retried, and not before that delay has passed.
func WithRetryAfter(fn func(error) (time.Duration, bool)) Option {
	return func(c *config) {
		c.retryAfter = fn
	}
}

// WithCheck sets an admission check run at the start of every attempt,
// before the operation: when it fails the operation is not called for that
// attempt, and the check's error goes through the same retry rules.
func WithCheck(check Op) Option {
	return func(c *config) {
		c.check = check
	}
}

// WithDryRun makes each attempt run only the check set by WithCheck, never
// the operation: the Results say which keys the operation would be admitted
// for right now. With no check set every key succeeds.
func WithDryRun(dry bool) Option {
	return func(c *config) {
		c.dryRun = dry
	}
}
