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
// handler panic. A path no route has is a 404, a method its route does
// not have a 405 with Allow, both {"code","message"} like every error.
func newServer(d *deps) http.Handler {
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	addRoutes(mux, d)
	routed := httpserve.RouteErrors(mux, func(w http.ResponseWriter, _ *http.Request, status int, msg string) {
		code := "not_found"
		if status == http.StatusMethodNotAllowed {
			code = "method_not_allowed"
		}
		httpjson.Write(w, status, errorBody{Code: code, Message: msg})
	})
	return httpserve.Guard(d.log, httpjson.ValueHandler(http.StatusInternalServerError, errorBody{Code: "internal", Message: "internal error"}), routed)
}
