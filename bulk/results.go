package bulk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-multierror"
)

// Result is the outcome of the operation for one key.
type Result struct {
	// Key is the input key.
	Key string
	// Err is nil on success, the last attempt's error on failure, or
	// ctx.Err() for a key that was never started because ctx was canceled.
	Err error
	// Attempts counts the attempts made: 0 for a key never started, 1 for a
	// first-try success or a non-retryable failure, more after retries.
	Attempts int
	// Duration is the time from the start of the first attempt to the end of
	// the last, backoff waits included.
	Duration time.Duration
}

// OK reports whether the operation succeeded for this key.
func (r Result) OK() bool { return r.Err == nil }

// Canceled reports whether the key failed because the call's context was
// canceled or timed out, whether or not it had started.
func (r Result) Canceled() bool {
	return errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)
}

// Results holds one Result per input key, in input order.
type Results []Result

// Failed returns the results whose operation failed, in input order.
func (rs Results) Failed() Results {
	var out Results
	for _, r := range rs {
		if r.Err != nil {
			out = append(out, r)
		}
	}
	return out
}

// Succeeded counts the results whose operation succeeded.
func (rs Results) Succeeded() int {
	n := 0
	for _, r := range rs {
		if r.Err == nil {
			n++
		}
	}
	return n
}

// Err returns nil when every key succeeded, and otherwise one error that
// aggregates every failure (a *multierror.Error of *ItemError, one per failed
// position). errors.Is and errors.As see through it to each item's error.
func (rs Results) Err() error {
	var merr *multierror.Error
	for _, r := range rs {
		if r.Err != nil {
			merr = multierror.Append(merr, &ItemError{Key: r.Key, Err: r.Err})
		}
	}
	return merr.ErrorOrNil()
}

// ItemError is one key's failure inside the aggregate returned by
// Results.Err.
type ItemError struct {
	// Key is the key the operation failed for.
	Key string
	// Err is the operation's error for that key.
	Err error
}

// Error names the key and its error.
func (e *ItemError) Error() string {
	return fmt.Sprintf("%s: %v", e.Key, e.Err)
}

// Unwrap returns the item's own error.
func (e *ItemError) Unwrap() error { return e.Err }
