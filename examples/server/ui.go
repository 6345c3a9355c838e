package main

import (
	"io/fs"
	"maps"
	"net/http"
	"path"
	"strings"

	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/examples/server/web"
	"github.com/perspective-cloud/sdk/internal/apidoc"
)

// addUIRoutes adds the web application, the sign-in routes and the
// routes the application needs beyond seed 000/001's API (flavors and
// networks for the launch dialog, the dry run that says which bulk
// actions a selection admits, usage figures, tags, image upload).
func addUIRoutes(m *router, d *deps) {
	app := web.Handler()
	m.Handle("GET /{$}", app)
	m.Handle("GET "+web.Prefix, assetOrNotFound(app))
	if d.users != nil {
		d.users.auth.Register(m)
	} else {
		// An open server still answers the sign-in routes: /auth/me says
		// it is open, and signing in is needless.
		auth.New(auth.Config{}).Register(m)
	}
	for _, p := range instancePrefixes {
		i := p + "/instances"
		m.Handle("POST "+i+"/dryrun", handleDryRun(d))
		m.Handle("GET "+i+"/{id}/usage", handleUsage(d))
		m.Handle("GET "+i+"/{id}/tags", handleTags(d))
		m.Handle("GET "+p+"/flavors", handleListFlavors(d))
		m.Handle("GET "+p+"/networks", handleListNetworks(d))
	}
	// The launch dialog of a project and region lists the images that
	// pair's cloud has (seed 000's image routes are per project).
	m.Handle("GET /projects/{project}/regions/{region}/images", handleListImages(d))
	m.Handle("POST /images/upload", handleUploadImage(d))
}

// assetOrNotFound serves the application's assets with app, and a JSON
// 404 for a path under web.Prefix that is none.
func assetOrNotFound(app http.Handler) http.Handler {
	assets := web.Assets()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean(strings.TrimPrefix(r.URL.Path, web.Prefix))
		if st, err := fs.Stat(assets, name); err != nil || st.IsDir() || name == "index.html" {
			writeError(w, notFoundf("no asset %s; the application is at /", shortQuote(r.URL.Path)))
			return
		}
		app.ServeHTTP(w, r)
	})
}

var uiInstanceDocs = map[string]opDoc{
	"POST /instances/dryrun": {summary: "Which of the ids each operation admits, without doing anything (the state machine's dry run)",
		tag: "instances", body: "DryRunRequest", ok: answerJSON, schema: "DryRunAnswer", errs: []int{400, 404, 413, 503}},
	"GET /instances/{id}/usage": {summary: "Usage figures (seed 004): item=cpu|memory|storage, from/to as Unix seconds, datapoints",
		tag: "instances", ok: answerJSON, schema: "UsageSeries", errs: []int{400, 404, 501, 503},
		query: []param{{"item", "cpu (percent), memory (MiB) or storage (GiB)"}, {"from", "start, Unix seconds (default: an hour ago)"},
			{"to", "end, Unix seconds (default: now)"}, {"datapoints", "how many intervals (default 6, at most 1000)"}}},
	"GET /instances/{id}/tags": {summary: "The instance's tags", tag: "instances", ok: answerJSON, schema: "TagList", errs: []int{404, 503}},
	"GET /flavors":             {summary: "List flavors", tag: "instances", ok: answerJSON, schema: "FlavorList", errs: []int{403, 404, 503}, partial: true},
	"GET /networks":            {summary: "List networks", tag: "instances", ok: answerJSON, schema: "NetworkList", errs: []int{403, 404, 503}, partial: true},
}

var uiGlobalDocs = map[string]opDoc{
	"GET /projects/{project}/regions/{region}/images": {summary: "List images, limited to the project and region (the launch dialog's)",
		tag: "images", ok: answerJSON, schema: "ImageList", errs: []int{403, 404, 503}, partial: true},
	"GET /{$}": {summary: "The web application (sign-in, instances, images, keypairs, projects)", tag: "service", ok: answerHTML},
	"GET /ui/": {summary: "The web application's scripts and styles", tag: "service", ok: answerText, errs: []int{404}},
	"POST /images/upload": {summary: "Upload an image file (the body) with name, diskFormat, containerFormat, visibility, cloud, project, region in the query",
		tag: "images", ok: answerCreated, schema: "Image", errs: []int{400, 403, 404, 413, 501, 503},
		query: []param{{"name", "the image name (required)"}, {"diskFormat", "qcow2, raw, …"}, {"containerFormat", "bare, …"},
			{"visibility", "private, shared or public"}, {"cloud", "the cloud id"}, {"project", "the project"}, {"region", "the region"}}},
}

// authDocs documents the sign-in routes, present when -auth is given.
var authDocs = map[string]opDoc{
	"POST /auth/login":  {summary: "Sign in from a browser: a session cookie (HttpOnly, SameSite=Lax)", tag: "auth", body: "Credentials", ok: answerJSON, schema: "Me", errs: []int{400, 401, 403, 503}},
	"POST /auth/token":  {summary: "Sign in from an API client: a bearer token", tag: "auth", body: "Credentials", ok: answerJSON, schema: "Me", errs: []int{400, 401, 403, 503}},
	"POST /auth/logout": {summary: "Sign out: the session of the cookie or bearer token ends", tag: "auth", ok: answerJSON, schema: "Message", errs: []int{401, 403}},
	"GET /auth/me":      {summary: "Who is signed in, their grants and (for a browser) the CSRF token to send in X-CSRF-Token", tag: "auth", ok: answerJSON, schema: "Me", errs: []int{401}},
}

func init() {
	maps.Copy(instanceDocs, uiInstanceDocs)
	maps.Copy(globalDocs, uiGlobalDocs)
	maps.Copy(globalDocs, authDocs)
}

// withUISchemas adds the schemas of the routes above to s.
func withUISchemas(s map[string]apidoc.Schema) map[string]apidoc.Schema {
	s["DryRunRequest"] = obj([]string{"ids"}, map[string]any{"ids": maxItemsOf(arr(str("")), maxDryRunIDs), "operations": arr(str("reboot, start, delete, … (default: every instance operation)")),
		"limit": integer()})
	s["DryRunAnswer"] = obj([]string{"operations"}, map[string]any{"operations": map[string]any{"type": "object",
		"additionalProperties": obj([]string{"admitted", "refusedCount", "refused"}, map[string]any{"admitted": integer(), "refusedCount": integer(),
			"refused": arr(obj(nil, map[string]any{"id": str(""), "code": str(""), "message": str("why the state machine refuses")}))})}})
	s["UsageSeries"] = obj([]string{"item", "unit", "source", "points"}, map[string]any{
		"item": str("cpu, memory or storage"), "unit": str("%, MiB or GiB"),
		"source": str("gnocchi (measured), allocation (what the flavor allocates), diagnostics (present only), or the driver's word"),
		"note":   str("what the figures are, in words"),
		"points": arr(obj([]string{"from", "to", "value"}, map[string]any{"from": dateTime(), "to": dateTime(), "value": number()}))})
	s["TagList"] = arr(str(""))
	s["FlavorList"] = arr(ref("Flavor"))
	s["NetworkList"] = arr(obj(nil, map[string]any{"id": str(""), "name": str(""), "state": str(""), "isShared": boolean()}))
	s["Credentials"] = obj([]string{"username", "password"}, map[string]any{"username": str(""), "password": str("")})
	s["Me"] = obj([]string{"user"}, map[string]any{"user": str(""), "backend": str(""), "grants": arr(obj(nil, map[string]any{
		"cloudId": str(""), "project": str(""), "region": str(""), "role": str("viewer or operator")})),
		"csrf": str("browser sessions: send in X-CSRF-Token"), "token": str("POST /auth/token: the bearer token"), "open": boolean()})
	s["Message"] = obj(nil, map[string]any{"message": str("")})
	return s
}
