package main

import (
	"github.com/perspective-cloud/sdk/internal/apidoc"
	"github.com/perspective-cloud/sdk/perspective"
)

// addRoutes lists every route of the portal, with Go 1.22 ServeMux
// patterns and Django's trailing slashes. Each one is described under the
// same pattern in routeDocs.
func addRoutes(mux apidoc.Registrar, d *deps) {
	mux.Handle("GET /api/instances/{$}", handleList(d))
	mux.Handle("POST /api/instances/{$}", handleCreate(d))
	mux.Handle("GET /api/instances/{uuid}/{$}", handleGet(d))
	mux.Handle("DELETE /api/instances/{uuid}/{$}", handleDelete(d))
	mux.Handle("POST /api/instances/{uuid}/start/{$}", handleAction(d, perspective.OpStart, "start"))
	mux.Handle("POST /api/instances/{uuid}/stop/{$}", handleAction(d, perspective.OpShutdown, "stop"))
	mux.Handle("POST /api/instances/{uuid}/restart/{$}", handleAction(d, perspective.OpReboot, "restart"))
	mux.Handle("POST /api/instances/{uuid}/resize/{$}", handleResize(d))
	mux.Handle("GET /api/instances/{uuid}/usage/{$}", handleUsage(d))
	mux.Handle("GET /openapi.json", apidoc.JSONHandler(openAPI))
	mux.Handle("GET /{$}", apidoc.PageHandler(openAPI, docsAuthHint))
}

// docsAuthHint is the placeholder of the docs page's Authorization field:
// the form the header takes (it is no token of the sample directory).
const docsAuthHint = "Token c84d653b9ec92c6cbac41c706593e66f567a7fa4"
