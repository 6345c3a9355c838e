package driver

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Code classifies an error so that callers can act on it without comparing
// strings. perspective.ErrorCode is this type.
type Code int

// The error codes. CodeOK is the code of a nil error; CodeUnknown is the code
// of an error nobody could classify (a bug or an unexpected reply).
const (
	CodeOK Code = iota
	CodeUnknown
	CodeNotFound
	CodeConflict
	CodeInvalidState
	CodeInvalidArgument
	CodeUnsupported
	CodeUnauthenticated
	CodeForbidden
	CodeQuotaExceeded
	CodeRateLimited
	CodeTransient
	CodeCanceled
)

var codeNames = [...]string{
	CodeOK:              "ok",
	CodeUnknown:         "unknown",
	CodeNotFound:        "not_found",
	CodeConflict:        "conflict",
	CodeInvalidState:    "invalid_state",
	CodeInvalidArgument: "invalid_argument",
	CodeUnsupported:     "unsupported",
	CodeUnauthenticated: "unauthenticated",
	CodeForbidden:       "forbidden",
	CodeQuotaExceeded:   "quota_exceeded",
	CodeRateLimited:     "rate_limited",
	CodeTransient:       "transient",
	CodeCanceled:        "canceled",
}

// String returns the code's snake_case name, e.g. "not_found".
func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("ErrorCode(%d)", int(c))
}

// Error is a classified error of a driver. The cloud's own error, when there
// is one, is Err and stays reachable with errors.As through every layer.
type Error struct {
	// Code classifies the failure.
	Code Code
	// Msg says what went wrong, in words for a person.
	Msg string
	// RetryAfter is the delay the cloud asked for (CodeRateLimited), or zero.
	RetryAfter time.Duration
	// Err is the underlying error, typically the cloud's own.
	Err error
}

// Error renders "message: cause", leaving out the empty parts.
func (e *Error) Error() string {
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
		body = e.Code.String()
	}
	return body
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target stands for e's code: perspective's sentinel
// errors (perspective.ErrNotFound, …) do, so errors.Is works on a driver's
// error even before the portable layer has classified it.
func (e *Error) Is(target error) bool {
	c, ok := target.(interface{ ErrorCode() Code })
	return ok && c.ErrorCode() == e.Code
}

// Errorf returns a classified error whose message is formatted as fmt.Errorf
// does; an error given with %w stays reachable with errors.Is and errors.As
// without its text being printed twice.
func Errorf(code Code, format string, args ...any) error {
	f := fmt.Errorf(format, args...)
	var cause error
	if u := errors.Unwrap(f); u != nil {
		cause = &quiet{u}
	}
	return &Error{Code: code, Msg: f.Error(), Err: cause}
}

// quiet keeps a cause reachable by errors.Is/As without repeating its text.
type quiet struct{ err error }

func (q *quiet) Error() string { return "" }
func (q *quiet) Unwrap() error { return q.err }

// Wrap classifies err with code and a message; err stays reachable.
// Wrap returns nil when err is nil.
func Wrap(code Code, err error, msg string) error {
	if err == nil {
		return nil
	}
	return &Error{Code: code, Msg: msg, Err: err}
}

// RateLimited returns a rate-limited error carrying the delay the cloud
// asked for (zero when it named none).
func RateLimited(retryAfter time.Duration, cause error) error {
	return &Error{Code: CodeRateLimited, RetryAfter: retryAfter, Msg: "rate limited", Err: cause}
}

// CodeOf returns the code of err: CodeOK for nil, the code of the first
// *Error in its chain, CodeCanceled for context errors, and CodeUnknown for
// anything else.
func CodeOf(err error) Code {
	if err == nil {
		return CodeOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return CodeCanceled
	}
	return CodeUnknown
}
