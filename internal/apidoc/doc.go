// Package apidoc documents an example HTTP API: it builds the OpenAPI 3
// document from a table of routes keyed by their http.ServeMux patterns,
// serves it as JSON, and renders it as a self-contained HTML page with a
// "try it" form per route (no asset or script from anywhere else).
//
// A typical API lists its routes once and describes them under the same
// patterns:
//
//	func addRoutes(mux apidoc.Registrar) {
//		mux.Handle("GET /api/v1/server/{id}", handleServer())
//		mux.Handle("GET /openapi.json", apidoc.JSONHandler(openAPI))
//		mux.Handle("GET /{$}", apidoc.PageHandler(openAPI, ""))
//	}
//
//	func openAPI() *apidoc.Doc {
//		return apidoc.Build(apidoc.Info{Title: "devstack-client", Version: "1.0"},
//			map[string]apidoc.Route{
//				"GET /api/v1/server/{id}": {Summary: "Get a server", Tag: "servers",
//					Params: map[string]string{"id": "the server's id"},
//					OK:     200, Schema: apidoc.Ref("Server"), Errors: []int{404}},
//				"GET /openapi.json": {Summary: "This document", Tag: "docs", OK: 200},
//				"GET /{$}":          {Summary: "API docs (HTML)", Tag: "docs", OK: 200},
//			},
//			map[string]apidoc.Schema{
//				"Error":  apidoc.Object(apidoc.Schema{"message": apidoc.String()}),
//				"Server": apidoc.Object(apidoc.Schema{"id": apidoc.String()}),
//			},
//			map[int]string{200: "OK", 404: "No such server"})
//	}
//
// A test then checks, with a Recorder in place of the ServeMux, that the
// document lists every registered route and nothing else.
package apidoc
