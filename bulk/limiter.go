package bulk

import (
	"context"
	"sync"
	"time"
)

// limiter spaces events evenly at a fixed rate, without a goroutine or a
// ticker: each caller reserves the next free slot under a mutex and sleeps
// until it. A reservation abandoned because ctx ended is not given back,
// which only makes the limiter more conservative.
type limiter struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

// newLimiter returns a limiter for rps events per second, or nil (no limit)
// when rps is not positive.
func newLimiter(rps float64) *limiter {
	if rps <= 0 {
		return nil
	}
	return &limiter{interval: time.Duration(float64(time.Second) / rps)}
}

// wait blocks until the caller's slot comes or ctx ends. A nil limiter never
// blocks.
func (l *limiter) wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	slot := l.next
	if slot.Before(now) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	l.mu.Unlock()
	return sleep(ctx, slot.Sub(now))
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
