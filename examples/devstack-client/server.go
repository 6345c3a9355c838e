package main

import (
	"log/slog"
	"net/http"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/internal/httpserve"
)

// deps is what the handlers need.
type deps struct {
	cloud *source
	log   *slog.Logger
}

// newServer returns the API's handler: every route, behind request logging
// and a guard that answers 500 instead of dropping the connection should a
// handler panic.
func newServer(d *deps) http.Handler {
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	addRoutes(mux, d)
	return httpserve.Guard(d.log, httpjson.ValueHandler(http.StatusInternalServerError, errorBody{Code: "internal", Message: "internal error"}), mux)
}
