package main

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/perspective-cloud/sdk/internal/apidoc"
)

// answer is the kind of success answer of a route; it decides the
// responses the OpenAPI document lists for it.
type answer int

const (
	answerBulk     answer = iota // 200/207 Task, 202 when async
	answerJSON                   // 200 with schema
	answerCreated                // 201 with schema
	answerNoBody                 // 204 (or 200 with an empty body for /ping)
	answerText                   // 200 text/plain
	answerRedirect               // 302 to the console
	answerHTML                   // 200 text/html
	answerTagged                 // 200 with schema and an ETag; 304 to If-None-Match
	answerStream                 // 200 text/event-stream of schema's events
)

// opDoc documents one route.
type opDoc struct {
	summary string
	tag     string
	body    string  // request body schema, "" for none
	ok      answer  // success answer
	schema  string  // success schema (answerJSON, answerCreated)
	errs    []int   // error statuses besides 500
	query   []param // query parameters
	// partial: a listing over several clouds, whose 200 answer names the
	// clouds that failed in failedCloudsHeader (partial.go)
	partial bool
}

// param is a query parameter.
type param struct{ name, desc string }

var asyncParam = param{"async", "true: answer 202 at once with the task, and let it run (same as Prefer: respond-async)"}

// Error statuses of the kinds of route.
var (
	bulkErrs  = []int{400, 403, 404, 405, 409, 413, 429, 501, 503}
	readErrs  = []int{404, 501, 503}
	writeErrs = []int{400, 403, 404, 409, 413, 501, 503}
)

func bulkDoc(summary, body string) opDoc {
	return opDoc{summary: summary, tag: "instances", body: body, ok: answerBulk, errs: bulkErrs, query: []param{asyncParam}}
}

// instanceDocs documents the instance routes relative to each of
// instancePrefixes; imageDocs likewise for imagePrefixes.
var instanceDocs = map[string]opDoc{
	"GET /instances/all": {summary: "List instances (filters: name substring, state, tag)", tag: "instances", ok: answerTagged,
		schema: "InstanceList", errs: []int{400, 403, 404, 503}, partial: true,
		query: []param{{"name", "keep names containing this"}, {"state", "keep this state (repeatable)"}, {"tag", "keep instances with this tag (repeatable)"}}},
	"POST /instances":                  bulkDoc("Launch instances (a list, as the original's client sends them)", "LaunchRequest"),
	"GET /instances/{id}":              {summary: "Show an instance (seed 001's shape)", tag: "instances", ok: answerJSON, schema: "Instance", errs: []int{404, 405, 503}},
	"GET /instances/{id}/console":      {summary: "Redirect to the instance's remote console", tag: "instances", ok: answerRedirect, errs: []int{404, 409, 501, 503}},
	"GET /instances/{id}/log":          {summary: "The instance's console log as text", tag: "instances", ok: answerText, errs: []int{400, 404, 409, 501, 503}, query: []param{{"lines", "keep the last N lines"}}},
	"POST /instances/delete":           bulkDoc("Delete instances", "IDList"),
	"DELETE /instances":                bulkDoc("Delete instances (seed 000's form)", "IDList"),
	"PUT /instances/reboot":            bulkDoc("Reboot instances", "IDList"),
	"PUT /instances/hard-reboot":       bulkDoc("Hard reboot (reset) instances", "IDList"),
	"PUT /instances/start":             bulkDoc("Start shut-off instances", "IDList"),
	"PUT /instances/shutdown":          bulkDoc("Shut instances down", "IDList"),
	"PUT /instances/pause":             bulkDoc("Pause instances", "IDList"),
	"PUT /instances/resume":            bulkDoc("Resume paused or suspended instances", "IDList"),
	"PUT /instances/suspend":           bulkDoc("Suspend instances", "IDList"),
	"PUT /instances/confirm-resize":    bulkDoc("Keep the new flavor of resized instances", "IDList"),
	"PUT /instances/revert-resize":     bulkDoc("Go back to the old flavor of resized instances", "IDList"),
	"PUT /instances/lock":              bulkDoc("Lock instances", "IDList"),
	"PUT /instances/unlock":            bulkDoc("Unlock instances", "IDList"),
	"PUT /instances/resize/{flavorId}": bulkDoc("Resize instances to a flavor", "Selection"),
	"PUT /instances/resize":            bulkDoc("Resize instances to the body's flavorId", "Selection"),
	"PUT /instances/rebuild/{imageId}": bulkDoc("Rebuild instances from an image", "Selection"),
	"PUT /instances/rebuild":           bulkDoc("Rebuild instances from the body's imageId", "Selection"),
	"PUT /instances/snapshot":          bulkDoc("Snapshot instances (optional name)", "Selection"),
	"POST /instances/tag":              bulkDoc("Add the body's tags to instances", "Selection"),
	"DELETE /instances/tag":            bulkDoc("Remove the body's tags from instances", "Selection"),
	"PUT /instances/ip":                bulkDoc("Add a floating IP to instances (optional address or network)", "Selection"),
	"DELETE /instances/ip":             bulkDoc("Remove a floating IP (the body's address, or all) from instances", "Selection"),
	"PUT /instances/rename":            bulkDoc("Rename instances", "RenameMap"),
}

var imageDocs = map[string]opDoc{
	"GET /images":         {summary: "List images", tag: "images", ok: answerJSON, schema: "ImageList", errs: []int{403, 404, 503}, partial: true},
	"GET /images/{id}":    {summary: "Show an image (global id, real id or name)", tag: "images", ok: answerJSON, schema: "Image", errs: []int{404, 503}},
	"POST /images":        {summary: "Add images: snapshots of instances (instanceId) or new images", tag: "images", body: "ImageRequest", ok: answerBulk, errs: bulkErrs, query: []param{asyncParam}},
	"PUT /images":         {summary: "Modify images", tag: "images", body: "ImageChanges", ok: answerBulk, errs: bulkErrs, query: []param{asyncParam}},
	"POST /images/delete": {summary: "Delete images", tag: "images", body: "IDList", ok: answerBulk, errs: bulkErrs, query: []param{asyncParam}},
	"DELETE /images":      {summary: "Delete images (seed 000's form)", tag: "images", body: "IDList", ok: answerBulk, errs: bulkErrs, query: []param{asyncParam}},
}

var keypairQuery = []param{{"cloud", "limit to this cloud id"}, {"project", "limit to this project"}, {"region", "limit to this region"}}

// globalDocs documents the routes that exist once.
var globalDocs = map[string]opDoc{
	"POST /query": {summary: "Run SQL queries over the inventory (seed 001)", tag: "query", body: "QueryRequest", ok: answerJSON,
		schema: "QueryResponse", errs: []int{400, 403, 413, 503}, partial: true},
	"GET /keypairs":           {summary: "List keypairs", tag: "keypairs", ok: answerJSON, schema: "KeypairList", errs: []int{403, 404, 501, 503}, query: keypairQuery, partial: true},
	"POST /keypairs":          {summary: "Add a keypair (generated when publicKey is empty)", tag: "keypairs", body: "KeypairRequest", ok: answerCreated, schema: "Keypair", errs: writeErrs, query: keypairQuery},
	"DELETE /keypairs/{name}": {summary: "Delete a keypair", tag: "keypairs", ok: answerNoBody, errs: []int{400, 403, 404, 501, 503}, query: keypairQuery},
	"GET /projects/list":      {summary: "List projects with their regions", tag: "projects", ok: answerJSON, schema: "ProjectList", errs: []int{403, 503}, partial: true},
	"GET /projects/{project}/access": {summary: "The project's service endpoints", tag: "projects", ok: answerJSON,
		schema: "EndpointList", errs: readErrs},
	"GET /projects/{project}/regions/{region}/rcfile": {summary: "An OpenStack RC file for the project and region", tag: "projects",
		ok: answerText, errs: readErrs},
	"GET /tasks":      {summary: "The bulk calls kept in memory, newest first", tag: "tasks", ok: answerJSON, schema: "TaskSummaryList"},
	"GET /tasks/{id}": {summary: "A bulk call's per-item progress and results", tag: "tasks", ok: answerJSON, schema: "Task", errs: []int{404}},
	"GET /events": {summary: "The instances' changes as Server-Sent Events (created, changed, deleted; resync then snapshot after falling behind)",
		tag: "instances", ok: answerStream, schema: "Event", errs: []int{400, 404, 503}, query: eventsQuery},
	"GET /ping":         {summary: "200 while a cloud answers and its inventory syncs, 503 when none does", tag: "service", ok: answerNoBody, errs: []int{503}},
	"GET /version":      {summary: "The API version, as plain text", tag: "service", ok: answerText},
	"GET /operations":   {summary: "Cloud type → the operations its clouds support", tag: "service", ok: answerJSON, schema: "Operations"},
	"GET /openapi.json": {summary: "This document", tag: "service", ok: answerJSON, schema: "OpenAPI"},
	"GET /docs":         {summary: "This document as a web page with a form to try each route", tag: "service", ok: answerHTML},
}

// routeDocs returns the documentation of every route, by ServeMux pattern.
func routeDocs() map[string]opDoc {
	out := maps.Clone(globalDocs)
	expand := func(docs map[string]opDoc, prefixes []string, scopeNote string) {
		for key, doc := range docs {
			method, path, _ := strings.Cut(key, " ")
			for _, p := range prefixes {
				d := doc
				if p != "" {
					d.summary += scopeNote
				}
				out[method+" "+p+path] = d
			}
		}
	}
	expand(instanceDocs, instancePrefixes, ", limited to the project and region")
	expand(imageDocs, imagePrefixes, ", limited to the project")
	return out
}

var pathParam = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// pathParamDocs describes the path parameters of every route.
var pathParamDocs = map[string]string{
	"id":       "the object's id as /query or the list returns it",
	"project":  "the project id (or name)",
	"region":   "the region",
	"flavorId": "the flavor (flavors.id or name)",
	"imageId":  "the image (images.id, real id or name)",
	"name":     "the keypair's name",
}

// openAPIPath turns a ServeMux pattern into an OpenAPI method and path.
func openAPIPath(pattern string) (method, path string) { return apidoc.SplitPattern(pattern) }

// apiDescription is the document's description: the conventions every
// route follows.
const apiDescription = "One API for virtual machines across clouds, compatible with the original Perspective's clients. " +
	"Bulk calls answer 200 when every item succeeded, 207 Multi-Status when some failed (each item carries its " +
	"own status, code and message), and, when every item failed for one reason, that reason's status. Every bulk " +
	"call is a task (Location: /tasks/{id}) and takes at most 1000 ids or items. Errors are {\"code\",\"message\"}: " +
	"invalid_argument 400, unauthenticated 401, forbidden and quota_exceeded 403, not_found 404, " +
	"method_not_allowed 405 (with Allow), invalid_state and conflict 409, too_large 413, rate_limited 429, " +
	"unsupported 501, transient 503. A listing or query over several clouds of which some fail answers 200 with what " +
	"the others have and names the failed ones in the Perspective-Failed-Clouds header (a FailedClouds JSON object); " +
	"when none answers, it is the first one's error. With -auth, send Authorization: Bearer <token of POST /auth/token>."

// openAPI builds the OpenAPI 3 document of the routes with apidoc, then
// gives each operation the full list of its answers (responses).
func openAPI() *apidoc.Doc {
	docs := routeDocs()
	routes := make(map[string]apidoc.Route, len(docs))
	for pattern, doc := range docs {
		routes[pattern] = doc.route(pattern)
	}
	doc := apidoc.Build(apidoc.Info{Title: "Perspective REST API", Version: "1", Description: apiDescription},
		routes, schemas(), nil)
	for pattern, d := range docs {
		method, path := openAPIPath(pattern)
		op := doc.Paths[path][method]
		op.Responses = responses(d)
		if d.ok == answerTagged {
			op.Parameters = append(op.Parameters, apidoc.Parameter{Name: "If-None-Match", In: "header",
				Description: "the ETag of an earlier answer: 304 and no body while it is still the answer", Schema: apidoc.String()})
		}
	}
	return doc
}

// route is the apidoc description of the route pattern that doc documents.
func (doc opDoc) route(pattern string) apidoc.Route {
	_, path := openAPIPath(pattern)
	r := apidoc.Route{Summary: doc.summary, Tag: doc.tag, Body: doc.body, Example: bodyExamples[doc.body],
		Public: isPublic(path)}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		if r.Params == nil {
			r.Params = map[string]string{}
		}
		r.Params[m[1]] = pathParamDocs[m[1]]
	}
	for _, q := range doc.query {
		r.Query = append(r.Query, apidoc.Parameter{Name: q.name, Description: q.desc})
	}
	return r
}

// isPublic reports whether path is served without signing in.
func isPublic(path string) bool {
	return slices.Contains(publicPaths, path) || strings.HasPrefix(path, "/auth/")
}

// bodyExamples fill the docs page's forms.
var bodyExamples = map[string]any{
	"IDList":    []string{"<instance id>"},
	"Selection": map[string]any{"ids": []string{"<instance id>"}, "tags": []string{"web"}},
	"RenameMap": map[string]string{"<instance id>": "web-1"},
	"LaunchRequest": []any{map[string]any{"name": "web", "flavor": map[string]string{"id": "2"},
		"image": map[string]string{"id": "cirros-0.6.2"}}},
	"QueryRequest":   []any{map[string]any{"sql": "select id, name, state from instances", "parameters": []any{}}},
	"KeypairRequest": map[string]string{"name": "mykey"},
	"Credentials":    map[string]string{"username": "alice", "password": "…"},
	"DryRunRequest":  map[string]any{"ids": []string{"<instance id>"}, "operations": []string{"reboot"}},
}

func jsonContent(schema string) map[string]apidoc.MediaType {
	return map[string]apidoc.MediaType{"application/json": {Schema: apidoc.Ref(schema)}}
}

func textContent(mediaType string) map[string]apidoc.MediaType {
	return map[string]apidoc.MediaType{mediaType: {Schema: apidoc.String()}}
}

// responses returns every answer of the route doc documents: its success
// answers, its error statuses and 500.
func responses(doc opDoc) map[string]apidoc.Response {
	out := map[string]apidoc.Response{}
	switch doc.ok {
	case answerBulk:
		out["200"] = apidoc.Response{Description: "every item succeeded", Content: jsonContent("Task")}
		out["202"] = apidoc.Response{Description: "accepted (async): poll Location", Content: jsonContent("Task")}
		out["207"] = apidoc.Response{Description: "some items failed: see each result's status, code and message", Content: jsonContent("Task")}
	case answerJSON:
		out["200"] = apidoc.Response{Description: "OK", Content: jsonContent(doc.schema)}
	case answerCreated:
		out["201"] = apidoc.Response{Description: "created", Content: jsonContent(doc.schema)}
	case answerNoBody:
		out["200"] = apidoc.Response{Description: "OK"}
		out["204"] = apidoc.Response{Description: "done"}
	case answerText:
		out["200"] = apidoc.Response{Description: "OK", Content: textContent("text/plain")}
	case answerRedirect:
		out["302"] = apidoc.Response{Description: "redirect (Location)"}
	case answerHTML:
		out["200"] = apidoc.Response{Description: "OK", Content: textContent("text/html")}
	case answerStream:
		out["200"] = apidoc.Response{Description: "a stream of Server-Sent Events: each named by its kind, its data one " + doc.schema +
			" on one line; a comment every 15 s while nothing changes; it lasts until the client goes away",
			Content: map[string]apidoc.MediaType{"text/event-stream": {Schema: apidoc.Ref(doc.schema)}}}
	case answerTagged:
		out["200"] = apidoc.Response{Description: "OK, with an ETag header (the answer's version: send it back in If-None-Match)",
			Content: jsonContent(doc.schema)}
		out["304"] = apidoc.Response{Description: "not modified since the ETag of If-None-Match; no body"}
	}
	if doc.partial {
		for _, code := range []string{"200", "304"} {
			if r, ok := out[code]; ok {
				r.Headers = map[string]apidoc.Header{failedCloudsHeader: failedCloudsDoc}
				out[code] = r
			}
		}
	}
	for _, s := range append(slices.Clone(doc.errs), 500) {
		out[strconv.Itoa(s)] = apidoc.Response{Description: http.StatusText(s), Content: jsonContent("Error")}
	}
	return out
}

// failedCloudsDoc documents failedCloudsHeader.
var failedCloudsDoc = apidoc.Header{
	Description: "present when some of the clouds the answer covers failed: their objects are left out, and this " +
		"names them, as a FailedClouds JSON object on one line (non-ASCII characters escaped as \\uXXXX)",
	Schema: apidoc.String(),
}

// docsAuthHint is the placeholder of the docs page's Authorization field.
const docsAuthHint = "Bearer <token of POST /auth/token; empty on an open server>"

// handleOpenAPI serves GET /openapi.json.
func handleOpenAPI() http.Handler { return apidoc.JSONHandler(openAPI) }

// handleDocs serves GET /docs: the document as a page with a form per route.
func handleDocs() http.Handler { return apidoc.PageHandler(openAPI, docsAuthHint) }
