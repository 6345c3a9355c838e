package bulk

import (
	"errors"
	"fmt"
)

// ErrNilOp is the error every key reports when Run is given a nil operation
// outside a dry run.
var ErrNilOp = errors.New("bulk: nil operation")

var errNilOp = fmt.Errorf("%w (use WithDryRun to run only the check)", ErrNilOp)

// canceledAfter reports a key whose retries were cut short by the context:
// both the context's error and the last attempt's error stay reachable with
// errors.Is and errors.As.
func canceledAfter(ctxErr, last error) error {
	return fmt.Errorf("%w while waiting to retry; last error: %w", ctxErr, last)
}
