package bulk

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// isTemporary is the default retry classification: an error that says of
// itself that it is temporary, as net.Error and many client libraries do.
func isTemporary(err error) bool {
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

// retryDelay decides whether err deserves another attempt after attempt
// attempts, and how long to wait first. It never retries the context's own
// errors: once the call is canceled there is nothing to wait for.
func (c *config) retryDelay(ctx context.Context, err error, attempt int) (time.Duration, bool) {
	if attempt > c.maxRetries || ctx.Err() != nil {
		return 0, false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	var after time.Duration
	hinted := false
	if c.retryAfter != nil {
		after, hinted = c.retryAfter(err)
	}
	if !hinted && (c.retryable == nil || !c.retryable(err)) {
		return 0, false
	}
	return max(backoff(c.baseBackoff, c.maxBackoff, attempt), after), true
}

// backoff returns the wait before retry number attempt (1-based): base
// doubled attempt-1 times, capped at limit, with "equal jitter" — a random
// value between half and all of it — so that keys failing together do not
// all come back at the same instant, yet never retry sooner than half the
// nominal delay.
func backoff(base, limit time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(d-half+1)
}
