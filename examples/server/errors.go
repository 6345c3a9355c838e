package main

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/perspective-cloud/sdk/perspective"
)

// errorBody is every error answer: {"code": "not_found", "message": "…"}.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiError is an error that only HTTP knows of (a body too large, a route
// that does not exist); everything else is a perspective error.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

// invalidf returns an invalid-argument error.
func invalidf(format string, args ...any) error {
	return perspective.Errorf(perspective.CodeInvalidArgument, format, args...)
}

// notFoundf returns a not-found error.
func notFoundf(format string, args ...any) error {
	return perspective.Errorf(perspective.CodeNotFound, format, args...)
}

// statusOf maps an error to its HTTP status and code. It is the one place
// where error kinds become statuses:
//
//	invalid_argument 400   unauthenticated 401   forbidden 403
//	quota_exceeded   403   not_found       404   conflict, invalid_state 409
//	rate_limited     429   unknown         500   unsupported 501
//	transient        503   canceled        503
func statusOf(err error) (int, string) {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.status, ae.code
	}
	code := perspective.Code(err)
	status := http.StatusInternalServerError
	switch code {
	case perspective.CodeOK:
		status = http.StatusOK
	case perspective.CodeInvalidArgument:
		status = http.StatusBadRequest
	case perspective.CodeUnauthenticated:
		status = http.StatusUnauthorized
	case perspective.CodeForbidden, perspective.CodeQuotaExceeded:
		status = http.StatusForbidden
	case perspective.CodeNotFound:
		status = http.StatusNotFound
	case perspective.CodeConflict, perspective.CodeInvalidState:
		status = http.StatusConflict
	case perspective.CodeRateLimited:
		status = http.StatusTooManyRequests
	case perspective.CodeUnsupported:
		status = http.StatusNotImplemented
	case perspective.CodeTransient, perspective.CodeCanceled:
		status = http.StatusServiceUnavailable
	}
	return status, code.String()
}

// writeError answers with err's status and {"code","message"}. A
// rate-limited error carries the cloud's Retry-After.
func writeError(w http.ResponseWriter, err error) {
	status, code := statusOf(err)
	if d, ok := perspective.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	}
	encode(w, status, errorBody{Code: code, Message: err.Error()})
}
