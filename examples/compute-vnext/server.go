package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/internal/httpserve"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// deps is what the handlers of both addresses need.
type deps struct {
	cloud       *perspective.Cloud
	op          *operator.Operator
	tasks       *taskStore
	taskTimeout time.Duration
	log         *slog.Logger
}

// newConsumer returns the consumer API's handler.
func newConsumer(d *deps) http.Handler {
	mux := http.NewServeMux()
	addConsumerRoutes(mux, d)
	return guard(d, mux)
}

// newOperator returns the operator API's handler.
func newOperator(d *deps) http.Handler {
	mux := http.NewServeMux()
	addOperatorRoutes(mux, d)
	return guard(d, mux)
}

// guard puts mux behind request logging, JSON 404/405 answers and a guard
// that answers 500 instead of dropping the connection should a handler
// panic.
func guard(d *deps, mux *http.ServeMux) http.Handler {
	internal := httpjson.ValueHandler(http.StatusInternalServerError,
		errorBody{Error: errorDetail{Code: "internal", Message: "internal error"}})
	return httpserve.Guard(d.logger(), internal, httpserve.RouteErrors(mux, routeError))
}

func (d *deps) logger() *slog.Logger {
	if d.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.log
}

// handle makes an http.Handler of h, whose errors are answered as
// {"error": {"code", "message"}}.
func handle(d *deps, h httpjson.HandlerFunc) http.Handler {
	return httpjson.Handle(h, func(w http.ResponseWriter, err error) { writeError(w, d.logger(), err) })
}

// pathValue returns the path parameter name, refusing one longer than an
// id may be.
func pathValue(r *http.Request, name string) (string, error) {
	v := r.PathValue(name)
	if len(v) > maxIDBytes {
		return "", badRequest(fmt.Sprintf("%s: %d bytes; at most %d", name, len(v), maxIDBytes))
	}
	return v, nil
}

// maxBodyBytes bounds every request body.
const maxBodyBytes = 16 << 10

// bodyOptions is how request bodies are read: at most maxBodyBytes, and
// unknown fields are refused, so that a misspelt one is not silently
// ignored.
var bodyOptions = httpjson.Options{MaxBytes: maxBodyBytes}

// decode reads a JSON request body into a T and validates it; its errors
// are *apiError (400, or 413 for a body too large).
func decode[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	return httpjson.Decode[T](w, r, bodyOptions)
}
