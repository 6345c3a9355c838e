package main

import (
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// registrar is what routes are added to: an *http.ServeMux, or a recorder
// in the tests that check the OpenAPI document lists every route.
type registrar interface {
	Handle(pattern string, h http.Handler)
}

// addRoutes lists every route of the portal, with Go 1.22 ServeMux
// patterns and Django's trailing slashes. Each one is described under the
// same pattern in routeDocs.
func addRoutes(mux registrar, d *deps) {
	mux.Handle("GET /api/instances/{$}", handleList(d))
	mux.Handle("POST /api/instances/{$}", handleCreate(d))
	mux.Handle("GET /api/instances/{uuid}/{$}", handleGet(d))
	mux.Handle("DELETE /api/instances/{uuid}/{$}", handleDelete(d))
	mux.Handle("POST /api/instances/{uuid}/start/{$}", handleAction(d, perspective.OpStart, "start"))
	mux.Handle("POST /api/instances/{uuid}/stop/{$}", handleAction(d, perspective.OpShutdown, "stop"))
	mux.Handle("POST /api/instances/{uuid}/restart/{$}", handleAction(d, perspective.OpReboot, "restart"))
	mux.Handle("POST /api/instances/{uuid}/resize/{$}", handleResize(d))
	mux.Handle("GET /api/instances/{uuid}/usage/{$}", handleUsage(d))
	mux.Handle("GET /openapi.json", handleOpenAPI())
	mux.Handle("GET /{$}", handleDocs())
}
