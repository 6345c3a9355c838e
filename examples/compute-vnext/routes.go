package main

import "github.com/perspective-cloud/sdk/internal/apidoc"

// addConsumerRoutes lists every route of the consumer API, with Go 1.22
// ServeMux patterns. Each one is described under the same pattern in
// consumerDocs.
func addConsumerRoutes(mux apidoc.Registrar, d *deps) {
	mux.Handle("GET /projects", handleProjects(d))
	mux.Handle("GET /images", handleImages(d))
	mux.Handle("GET /images/{id}", handleImage(d))
	mux.Handle("GET /projects/{project}/servers", handleServers(d))
	mux.Handle("POST /projects/{project}/servers", handleLaunch(d))
	mux.Handle("GET /servers/{id}", handleServer(d))
	mux.Handle("HEAD /servers/{id}", handleServerHead(d))
	mux.Handle("PATCH /servers/{id}", handlePatch(d))
	mux.Handle("POST /servers/{id}/tasks", handleStartTask(d))
	mux.Handle("GET /servers/{id}/tasks", handleTasks(d))
	mux.Handle("GET /servers/{id}/tasks/{task}", handleTask(d))
	mux.Handle("GET /servers/{id}/console_log", handleConsoleLog(d))
	mux.Handle("GET /servers/{id}/consoles/{type}", handleConsole(d))
	mux.Handle("GET /servers/{id}/diagnostics", handleDiagnostics(d))
	mux.Handle("GET /server_types", handleServerTypes(d))
	mux.Handle("POST /server_types", handleCreateServerType(d))
	mux.Handle("GET /server_types/{id}", handleServerType(d))
	mux.Handle("PATCH /server_types/{id}", handleUpdateServerType(d))
	mux.Handle("DELETE /server_types/{id}", handleDeleteServerType(d))
	mux.Handle("GET /openapi.json", apidoc.JSONHandler(consumerAPI))
	mux.Handle("GET /{$}", apidoc.PageHandler(consumerAPI, ""))
}

// addOperatorRoutes lists every route of the operator API, described under
// the same patterns in operatorDocs.
func addOperatorRoutes(mux apidoc.Registrar, d *deps) {
	mux.Handle("GET /hypervisors", handleHypervisors(d))
	mux.Handle("GET /services", handleServices(d))
	mux.Handle("PUT /services/{id}", handleUpdateService(d))
	mux.Handle("GET /hosts", handleHosts(d))
	mux.Handle("GET /aggregates", handleAggregates(d))
	mux.Handle("POST /aggregates", handleCreateAggregate(d))
	mux.Handle("GET /aggregates/{id}", handleAggregate(d))
	mux.Handle("DELETE /aggregates/{id}", handleDeleteAggregate(d))
	mux.Handle("POST /aggregates/{id}/hosts", handleAddAggregateHost(d))
	mux.Handle("DELETE /aggregates/{id}/hosts/{host}", handleRemoveAggregateHost(d))
	mux.Handle("POST /servers/{id}/evacuate", handleEvacuate(d))
	mux.Handle("POST /servers/{id}/reset_state", handleResetState(d))
	mux.Handle("POST /servers/{id}/force_delete", handleForceDelete(d))
	mux.Handle("GET /openapi.json", apidoc.JSONHandler(operatorAPI))
	mux.Handle("GET /{$}", apidoc.PageHandler(operatorAPI, ""))
}
