package perspective

import (
	"errors"
	"fmt"
	"github.com/perspective-cloud/sdk/driver"
	"strings"
	"time"
)

// ErrorCode classifies an error so that callers can act on it without
// comparing strings. Every error that leaves a Cloud carries one.
type ErrorCode = driver.Code

// The error codes. CodeOK is the code of a nil error; CodeUnknown is the code
// of an error nobody could classify (a bug or an unexpected reply).
const (
	CodeOK              = driver.CodeOK
	CodeUnknown         = driver.CodeUnknown
	CodeNotFound        = driver.CodeNotFound
	CodeConflict        = driver.CodeConflict
	CodeInvalidState    = driver.CodeInvalidState
	CodeInvalidArgument = driver.CodeInvalidArgument
	CodeUnsupported     = driver.CodeUnsupported
	CodeUnauthenticated = driver.CodeUnauthenticated
	CodeForbidden       = driver.CodeForbidden
	CodeQuotaExceeded   = driver.CodeQuotaExceeded
	CodeRateLimited     = driver.CodeRateLimited
	CodeTransient       = driver.CodeTransient
	CodeCanceled        = driver.CodeCanceled
)

// sentinel is the type of the Err… values: comparable targets for errors.Is.
type sentinel struct {
	code ErrorCode
	msg  string
}

func (s *sentinel) Error() string { return s.msg }

// ErrorCode is the code a driver's error must have to match s (see
// driver.Error.Is). ErrLocked needs more than a code, so no driver error
// matches it before the portable layer has classified it.
func (s *sentinel) ErrorCode() ErrorCode {
	if s == ErrLocked {
		return -1
	}
	return s.code
}

// Sentinel errors, one per code, for use with errors.Is. An error returned by
// this package matches the sentinel of its code (and ErrLocked matches
// ErrInvalidState too).
var (
	ErrUnknown         error = &sentinel{CodeUnknown, "unknown error"}
	ErrNotFound        error = &sentinel{CodeNotFound, "not found"}
	ErrConflict        error = &sentinel{CodeConflict, "conflict"}
	ErrInvalidState    error = &sentinel{CodeInvalidState, "invalid state"}
	ErrLocked          error = &sentinel{CodeInvalidState, "instance is locked"}
	ErrInvalidArgument error = &sentinel{CodeInvalidArgument, "invalid argument"}
	ErrUnsupported     error = &sentinel{CodeUnsupported, "unsupported operation"}
	ErrUnauthenticated error = &sentinel{CodeUnauthenticated, "unauthenticated"}
	ErrForbidden       error = &sentinel{CodeForbidden, "forbidden"}
	ErrQuotaExceeded   error = &sentinel{CodeQuotaExceeded, "quota exceeded"}
	ErrRateLimited     error = &sentinel{CodeRateLimited, "rate limited"}
	ErrTransient       error = &sentinel{CodeTransient, "temporarily unavailable"}
	ErrCanceled        error = &sentinel{CodeCanceled, "canceled"}
)

// Error is the classified error returned by this package.
// The cloud's own error, when there is one, is Err and stays reachable with
// errors.As.
type Error struct {
	// Code classifies the failure.
	Code ErrorCode
	// Op is the operation that failed, when known.
	Op Operation
	// Kind and ID name the object the operation was applied to, when known.
	Kind Kind
	ID   string
	// State is the instance state that refused the operation (CodeInvalidState).
	State State
	// Locked is true when the instance refused the operation because it is locked.
	Locked bool
	// RetryAfter is the delay the cloud asked for (CodeRateLimited), or zero.
	RetryAfter time.Duration
	// Msg says what went wrong, in words for a person.
	Msg string
	// Err is the underlying error, typically the cloud's own.
	Err error
}

// Error renders "op kind id: message: cause", leaving out the empty parts.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(string(e.Op))
	}
	if e.Kind != "" || e.ID != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(e.Kind))
		if e.ID != "" {
			if e.Kind != "" {
				b.WriteByte(' ')
			}
			b.WriteString(e.ID)
		}
	}
	body := e.Msg
	if e.Err != nil {
		if cause := e.Err.Error(); cause != "" {
			if body != "" {
				body += ": "
			}
			body += cause
		}
	}
	if body == "" {
		body = strings.ReplaceAll(e.Code.String(), "_", " ")
	}
	if b.Len() == 0 {
		return body
	}
	b.WriteString(": ")
	b.WriteString(body)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's code, so that
// errors.Is(err, ErrNotFound) works on any classified error.
func (e *Error) Is(target error) bool {
	s, ok := target.(*sentinel)
	if !ok {
		return false
	}
	if s == ErrLocked {
		return e.Locked
	}
	return s.code == e.Code
}

// Errorf returns a classified error whose message is formatted as fmt.Errorf
// does; an error given with %w becomes the Err of the result.
func Errorf(code ErrorCode, format string, args ...any) error {
	f := fmt.Errorf(format, args...)
	return &Error{Code: code, Msg: f.Error(), Err: unwrapped(f)}
}

// unwrapped returns what %w wrapped, but only when the message already says
// it, so the cause is reachable without being printed twice.
func unwrapped(f error) error {
	if u := errors.Unwrap(f); u != nil {
		return &quiet{u}
	}
	return nil
}

// quiet keeps a cause reachable by errors.Is/As without repeating its text.
type quiet struct{ err error }

func (q *quiet) Error() string { return "" }
func (q *quiet) Unwrap() error { return q.err }

// RateLimited returns a rate-limited error carrying the delay the cloud asked
// for (zero when it named none).
func RateLimited(retryAfter time.Duration, cause error) error {
	return &Error{Code: CodeRateLimited, RetryAfter: retryAfter, Msg: "rate limited", Err: cause}
}

// Code returns the code of err: CodeOK for nil, the code of the first *Error
// or sentinel in its chain, CodeCanceled for context errors, and CodeUnknown
// for anything else.
func Code(err error) ErrorCode {
	if err == nil {
		return CodeOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var s *sentinel
	if errors.As(err, &s) {
		return s.code
	}
	return driver.CodeOf(err) // a driver's error, a context error, or unknown
}

// Retryable reports whether err is worth trying again: a transient failure
// or a rate limit. Nothing else is retried.
func Retryable(err error) bool {
	c := Code(err)
	return c == CodeTransient || c == CodeRateLimited
}

// RetryAfter returns the delay a rate-limited error asks for.
func RetryAfter(err error) (time.Duration, bool) {
	var e *Error
	if errors.As(err, &e) && e.Code == CodeRateLimited && e.RetryAfter > 0 {
		return e.RetryAfter, true
	}
	var de *driver.Error
	if errors.As(err, &de) && de.Code == CodeRateLimited && de.RetryAfter > 0 {
		return de.RetryAfter, true
	}
	return 0, false
}

// classify makes sure err carries a code and names the operation and the
// object it failed on. It never hides the original error.
func classify(err error, op Operation, kind Kind, id string) error {
	if err == nil {
		return nil
	}
	var inner *Error
	if errors.As(err, &inner) {
		if inner.Op == op && inner.ID == id && (inner.Kind == kind || inner.Kind == "") {
			if inner.Kind == "" {
				cp := *inner
				cp.Kind = kind
				return &cp
			}
			return err
		}
		return &Error{Code: inner.Code, Op: op, Kind: kind, ID: id, State: inner.State,
			Locked: inner.Locked, RetryAfter: inner.RetryAfter, Err: err}
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return &Error{Code: de.Code, Op: op, Kind: kind, ID: id, RetryAfter: de.RetryAfter, Err: err}
	}
	return &Error{Code: Code(err), Op: op, Kind: kind, ID: id, Err: err}
}

// invalidArg returns an invalid-argument error naming the argument.
func invalidArg(op Operation, arg, format string, args ...any) error {
	return &Error{Code: CodeInvalidArgument, Op: op, Msg: arg + ": " + fmt.Sprintf(format, args...)}
}
