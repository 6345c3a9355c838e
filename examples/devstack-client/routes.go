package main

import "github.com/perspective-cloud/sdk/internal/apidoc"

// addRoutes lists every route of the API, with Go 1.22 ServeMux patterns.
// Each one is described under the same pattern in routeDocs.
func addRoutes(mux apidoc.Registrar, d *deps) {
	mux.Handle("GET /api/v1/image", handleImages(d))
	mux.Handle("GET /api/v1/image/{name}", handleImage(d))
	mux.Handle("GET /api/v1/flavor", handleFlavors(d))
	mux.Handle("GET /api/v1/flavor/{name}", handleFlavor(d))
	mux.Handle("GET /api/v1/network", handleNetworks(d))
	mux.Handle("GET /api/v1/network/{name}", handleNetwork(d))
	mux.Handle("GET /api/v1/server", handleServers(d))
	mux.Handle("POST /api/v1/server", handleLaunch(d))
	mux.Handle("POST /api/v1/server/{$}", handleLaunch(d)) // the README spells it with a slash
	mux.Handle("GET /api/v1/server/{id}", handleServer(d))
	mux.Handle("DELETE /api/v1/server/{id}", handleDelete(d))
	mux.Handle("GET /openapi.json", apidoc.JSONHandler(openAPI))
	mux.Handle("GET /{$}", apidoc.PageHandler(openAPI, ""))
}
