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

// errorBody is what every error answer carries.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func badRequest(msg string) error {
	return &apiError{Status: http.StatusBadRequest, Code: httpjson.CodeInvalidArgument, Message: msg}
}

func forbidden(msg string) error {
	return &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: msg}
}

// statusOf maps the library's error codes onto HTTP statuses. Over quota
// is 400, as seed 002 says.
var statusOf = httpjson.Statuses{
	perspective.CodeNotFound:        http.StatusNotFound,
	perspective.CodeConflict:        http.StatusConflict,
	perspective.CodeInvalidState:    http.StatusConflict,
	perspective.CodeInvalidArgument: http.StatusBadRequest,
	perspective.CodeQuotaExceeded:   http.StatusBadRequest,
	perspective.CodeUnsupported:     http.StatusNotImplemented,
	perspective.CodeUnauthenticated: http.StatusForbidden,
	perspective.CodeForbidden:       http.StatusForbidden,
	perspective.CodeRateLimited:     http.StatusTooManyRequests,
	perspective.CodeTransient:       http.StatusServiceUnavailable,
	perspective.CodeCanceled:        http.StatusServiceUnavailable,
	perspective.CodeUnknown:         http.StatusBadGateway,
}

// writeError answers err as {"code","message"}: an *apiError as it says,
// a library error by its code, anything else as 500.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	statusOf.WriteError(w, log, err, func(e *apiError) any { return errorBody{Code: e.Code, Message: e.Message} })
}
