package main

import (
	"github.com/perspective-cloud/sdk/perspective"
)

// instancePrefixes are where the instance routes live: globally (seed
// 001) and limited to one project and region (seed 000).
var instancePrefixes = []string{"", "/projects/{project}/regions/{region}"}

// imagePrefixes are where the image routes live: globally and limited to
// one project (seed 000).
var imagePrefixes = []string{"", "/projects/{project}"}

// addRoutes lists every route of the API. openapi.go documents each one;
// a test keeps the two in step.
func addRoutes(m *router, d *deps) {
	m.Handle("POST /query", handleQuery(d))

	for _, p := range instancePrefixes {
		addInstanceRoutes(m, d, p)
	}
	for _, p := range imagePrefixes {
		m.Handle("GET "+p+"/images", handleListImages(d))
		m.Handle("GET "+p+"/images/{id}", handleGetImage(d))
		m.Handle("POST "+p+"/images", handleAddImages(d))
		m.Handle("PUT "+p+"/images", handleModifyImages(d))
		m.Handle("POST "+p+"/images/delete", handleDeleteImages(d))
		m.Handle("DELETE "+p+"/images", handleDeleteImages(d))
	}

	m.Handle("GET /keypairs", handleListKeypairs(d))
	m.Handle("POST /keypairs", handleAddKeypair(d))
	m.Handle("DELETE /keypairs/{name}", handleDeleteKeypair(d))

	m.Handle("GET /projects/list", handleListProjects(d))
	m.Handle("GET /projects/{project}/access", handleAccess(d))
	m.Handle("GET /projects/{project}/regions/{region}/rcfile", handleRCFile(d))

	m.Handle("GET /tasks", handleListTasks(d))
	m.Handle("GET /tasks/{id}", handleGetTask(d))

	m.Handle("GET /events", handleEvents(d)) // Server-Sent Events of the inventory (events.go)
	m.Handle("GET /ping", handlePing(d))
	m.Handle("GET /version", handleVersion(d))
	m.Handle("GET /operations", handleOperations(d))
	m.Handle("GET /openapi.json", handleOpenAPI())
	m.Handle("GET /docs", handleDocs())
	addUIRoutes(m, d) // the web application at /, sign-in, and the routes it needs (ui.go)
}

// addInstanceRoutes adds the instance routes under prefix p.
func addInstanceRoutes(m *router, d *deps, p string) {
	i := p + "/instances"
	m.Handle("GET "+i+"/all", handleListInstances(d))
	m.Handle("POST "+i, handleLaunch(d))
	m.Handle("GET "+i+"/{id}", handleGetInstance(d))
	m.Handle("GET "+i+"/{id}/console", handleConsole(d))
	m.Handle("GET "+i+"/{id}/log", handleLog(d))

	m.Handle("POST "+i+"/delete", handleIDsOp(d, perspective.OpDelete))
	m.Handle("DELETE "+i, handleIDsOp(d, perspective.OpDelete))
	m.Handle("PUT "+i+"/reboot", handleIDsOp(d, perspective.OpReboot))
	m.Handle("PUT "+i+"/hard-reboot", handleIDsOp(d, perspective.OpHardReboot))
	m.Handle("PUT "+i+"/start", handleIDsOp(d, perspective.OpStart))
	m.Handle("PUT "+i+"/shutdown", handleIDsOp(d, perspective.OpShutdown))
	m.Handle("PUT "+i+"/pause", handleIDsOp(d, perspective.OpPause))
	m.Handle("PUT "+i+"/resume", handleIDsOp(d, perspective.OpResume))
	m.Handle("PUT "+i+"/suspend", handleIDsOp(d, perspective.OpSuspend))
	m.Handle("PUT "+i+"/confirm-resize", handleIDsOp(d, perspective.OpConfirmResize))
	m.Handle("PUT "+i+"/revert-resize", handleIDsOp(d, perspective.OpRevertResize))
	m.Handle("PUT "+i+"/lock", handleIDsOp(d, perspective.OpLock))
	m.Handle("PUT "+i+"/unlock", handleIDsOp(d, perspective.OpUnlock))

	m.Handle("PUT "+i+"/resize/{flavorId}", handleSelectionOp(d, perspective.OpResize, needFlavor, resize))
	m.Handle("PUT "+i+"/resize", handleSelectionOp(d, perspective.OpResize, needFlavor, resize))
	m.Handle("PUT "+i+"/rebuild/{imageId}", handleSelectionOp(d, perspective.OpRebuild, needImage, rebuild))
	m.Handle("PUT "+i+"/rebuild", handleSelectionOp(d, perspective.OpRebuild, needImage, rebuild))
	m.Handle("PUT "+i+"/snapshot", handleSelectionOp(d, perspective.OpSnapshot, anyArgs, snapshot))
	m.Handle("POST "+i+"/tag", handleSelectionOp(d, perspective.OpTag, needTags, addTags))
	m.Handle("DELETE "+i+"/tag", handleSelectionOp(d, perspective.OpUntag, needTags, removeTags))
	m.Handle("PUT "+i+"/ip", handleSelectionOp(d, perspective.OpAddIP, anyArgs, addIP))
	m.Handle("DELETE "+i+"/ip", handleSelectionOp(d, perspective.OpRemoveIP, anyArgs, removeIP))
	m.Handle("PUT "+i+"/rename", handleRename(d))
}
