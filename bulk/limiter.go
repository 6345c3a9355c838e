package bulk

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// newLimiter returns a limiter that spaces events evenly at rps per second
// (a burst of one: no event is ever let through early), or nil (no limit)
// when rps is not positive (or not a number).
func newLimiter(rps float64) *rate.Limiter {
	if !(rps > 0) {
		return nil
	}
	return rate.NewLimiter(rate.Limit(rps), 1)
}

// waitTurn blocks until lim lets the next attempt start or ctx ends. A nil
// limiter never blocks. A wait cut short by ctx gives its slot back.
//
// When the next free slot falls after ctx's deadline, rate.Limiter refuses at
// once with an error of its own; waitTurn reports it as the deadline it is,
// so that the key counts as canceled (Result.Canceled) like any other key
// the deadline stopped.
func waitTurn(ctx context.Context, lim *rate.Limiter) error {
	if lim == nil {
		return ctx.Err()
	}
	err := lim.Wait(ctx)
	if err == nil || ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("%w: the rate limit's next free slot is after the deadline", context.DeadlineExceeded)
}

// sleep waits for d or until ctx ends, whichever comes first, and returns
// ctx.Err() in the latter case.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
