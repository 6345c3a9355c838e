package main

import (
	"log/slog"
	"net/http"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/perspective"
)

// apiError is an error with the HTTP status and code it is answered with;
// the request body decoder gives its errors as one.
type apiError = httpjson.Error

// errorBody is what every error answer carries: {"error": {"code", "message"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail is the code and message of an error answer.
type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func badRequest(msg string) error {
	return &apiError{Status: http.StatusBadRequest, Code: httpjson.CodeInvalidArgument, Message: msg}
}

// statusOf maps the library's error codes onto HTTP statuses. A wrong
// state (and a lock) is 409; what the cloud cannot do is 501.
var statusOf = httpjson.Statuses{
	perspective.CodeNotFound:        http.StatusNotFound,
	perspective.CodeConflict:        http.StatusConflict,
	perspective.CodeInvalidState:    http.StatusConflict,
	perspective.CodeInvalidArgument: http.StatusBadRequest,
	perspective.CodeQuotaExceeded:   http.StatusForbidden,
	perspective.CodeUnsupported:     http.StatusNotImplemented,
	perspective.CodeUnauthenticated: http.StatusUnauthorized,
	perspective.CodeForbidden:       http.StatusForbidden,
	perspective.CodeRateLimited:     http.StatusTooManyRequests,
	perspective.CodeTransient:       http.StatusServiceUnavailable,
	perspective.CodeCanceled:        http.StatusServiceUnavailable,
	perspective.CodeUnknown:         http.StatusBadGateway,
}

// writeError answers err as {"error": {"code", "message"}}: an *apiError
// as it says, a library error by its code, anything else as 500.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	statusOf.WriteError(w, log, err, func(e *apiError) any {
		return errorBody{Error: errorDetail{Code: e.Code, Message: e.Message}}
	})
}

// routeError answers a path no route has (404) or a method its route does
// not have (405), in the same shape as every other error.
func routeError(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	code := "not_found"
	if status == http.StatusMethodNotAllowed {
		code = "method_not_allowed"
	}
	httpjson.Write(w, status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}
