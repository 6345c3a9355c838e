package main

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/perspective"
)

// apiError is an error with the HTTP status it is answered with (its
// Code is not part of the portal's answers); the request body decoder
// gives its errors as one.
type apiError = httpjson.Error

// errorBody is what every error answer carries, as Django REST framework
// writes it.
type errorBody struct {
	Detail string `json:"detail"`
}

func badRequest(msg string) error { return &apiError{Status: http.StatusBadRequest, Message: msg} }

func notFound(msg string) error { return &apiError{Status: http.StatusNotFound, Message: msg} }

func conflict(msg string) error { return &apiError{Status: http.StatusConflict, Message: msg} }

func forbidden(msg string) error { return &apiError{Status: http.StatusForbidden, Message: msg} }

func unsupported(msg string) error { return &apiError{Status: http.StatusNotImplemented, Message: msg} }

// statusOf maps the library's error codes onto HTTP statuses.
var statusOf = httpjson.Statuses{
	perspective.CodeNotFound:        http.StatusNotFound,
	perspective.CodeConflict:        http.StatusConflict,
	perspective.CodeInvalidState:    http.StatusConflict,
	perspective.CodeInvalidArgument: http.StatusBadRequest,
	perspective.CodeQuotaExceeded:   http.StatusBadRequest,
	perspective.CodeUnsupported:     http.StatusNotImplemented,
	perspective.CodeUnauthenticated: http.StatusBadGateway, // the portal's own credentials to the cloud
	perspective.CodeForbidden:       http.StatusBadGateway,
	perspective.CodeRateLimited:     http.StatusTooManyRequests,
	perspective.CodeTransient:       http.StatusServiceUnavailable,
	perspective.CodeCanceled:        http.StatusServiceUnavailable,
	perspective.CodeUnknown:         http.StatusBadGateway,
}

// writeError answers err as {"detail"}: an *apiError as it says (a 401
// asks for a token), a library error by its code, anything else as 500.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Token")
	}
	statusOf.WriteError(w, log, err, func(e *apiError) any { return errorBody{Detail: e.Message} })
}
