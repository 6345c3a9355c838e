package bulk_test

import (
	"errors"
	"fmt"
	"time"
)

// errPermanent stands for an error the caller never wants retried (not
// found, invalid state, quota...).
var errPermanent = errors.New("permanent failure")

// transientError stands for a transient cloud error.
type transientError struct{ key string }

func (e *transientError) Error() string { return fmt.Sprintf("transient failure on %s", e.key) }

// Temporary makes the error retryable under bulk's default classification.
func (e *transientError) Temporary() bool { return true }

// rateLimitedError stands for a 429 reply with a Retry-After.
type rateLimitedError struct{ after time.Duration }

func (e *rateLimitedError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s", e.after)
}

func isTransient(err error) bool {
	var t *transientError
	return errors.As(err, &t)
}

func retryAfter(err error) (time.Duration, bool) {
	var r *rateLimitedError
	if errors.As(err, &r) {
		return r.after, true
	}
	return 0, false
}

func keys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("id-%04d", i)
	}
	return out
}
