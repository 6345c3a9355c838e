package main

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/internal/apidoc/apidoctest"
)

// TestOpenAPIListsEveryRoute keeps routes.go and the OpenAPI document in
// step: every registered route is documented, and nothing else is.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t)
	body := e.mustGet("/openapi.json")
	apidoctest.CheckRoutes(t, body, e.router.patterns)
	doc := openAPI()
	assert.Equal(t, "3.0.3", doc.OpenAPI)

	registered := map[string]bool{}
	for _, pattern := range e.router.patterns {
		registered[pattern] = true
		method, path := openAPIPath(pattern)
		op, ok := doc.Paths[path][method]
		require.True(t, ok, "route %q: %s %s is not documented", pattern, method, path)

		var ok2xx, errs bool
		for code := range op.Responses {
			ok2xx = ok2xx || code[0] == '2' || code[0] == '3'
			errs = errs || code[0] == '4' || code[0] == '5'
		}
		assert.True(t, ok2xx, "route %q documents no success answer", pattern)
		assert.True(t, errs, "route %q documents no error answer", pattern)
		var names []string
		for _, p := range op.Parameters {
			names = append(names, p.Name)
			if p.In == "path" {
				assert.NotEmpty(t, p.Description, "route %q: path parameter %s has no description", pattern, p.Name)
			}
		}
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			assert.Contains(t, names, m[1], "route %q: path parameter %s undocumented", pattern, m[1])
		}
	}
	for pattern := range routeDocs() {
		assert.True(t, registered[pattern], "the OpenAPI document describes %q, which routes.go does not register", pattern)
	}
	n := 0
	for _, item := range doc.Paths {
		n += len(item)
	}
	assert.Equal(t, len(e.router.patterns), n)
}

// TestOpenAPIBulkAnswers: every bulk route documents 200, 207 and the
// error statuses of the issue.
func TestOpenAPIBulkAnswers(t *testing.T) {
	for pattern, doc := range routeDocs() {
		if doc.ok != answerBulk {
			continue
		}
		rs := responses(doc)
		for _, code := range []string{"200", "202", "207", "400", "404", "409", "501"} {
			assert.Contains(t, rs, code, "%s", pattern)
		}
	}
}

// TestOpenAPIBounds: the document states the bounds the server enforces.
func TestOpenAPIBounds(t *testing.T) {
	s := schemas()
	for _, name := range []string{"IDList", "LaunchRequest", "ImageRequest", "ImageChanges"} {
		assert.Equal(t, maxItems, s[name]["maxItems"], name)
	}
	assert.Equal(t, maxItems, s["RenameMap"]["maxProperties"])
	assert.Equal(t, maxQueries, s["QueryRequest"]["maxItems"])
	launch := s["LaunchRequest"]["items"].(map[string]any)["properties"].(map[string]any)
	assert.Equal(t, maxNameBytes, launch["name"].(map[string]any)["maxLength"])
}

// TestOpenAPIRefsResolve: every $ref names a schema of the document, and
// operation ids are unique.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc := openAPI()
	apidoctest.CheckRefs(t, doc, schemas())
	var ids []string
	for _, item := range doc.Paths {
		for _, op := range item {
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	assert.Equal(t, len(ids), len(slices.Compact(slices.Clone(ids))), "duplicate operation ids")
}

// TestDocsPage: the docs page shows every path and loads nothing from
// elsewhere.
func TestDocsPage(t *testing.T) {
	e := newEnv(t)
	page := string(e.mustGet("/docs"))
	apidoctest.CheckPage(t, page, e.router.patterns, []string{"src=", "http://", "https://", "@import"})
	assert.Contains(t, page, `id="auth"`, "the page asks for the bearer token")
}

// TestOpenAPIListingsNameTheirFailedClouds: every route whose handler
// answers a partial failure (partial.go's answered) documents
// Perspective-Failed-Clouds on its success answers, and FailedClouds is
// a schema of the document.
func TestOpenAPIListingsNameTheirFailedClouds(t *testing.T) {
	var partial []string
	for pattern, doc := range routeDocs() {
		if !doc.partial {
			continue
		}
		partial = append(partial, pattern)
		rs := responses(doc)
		assert.Contains(t, rs["200"].Headers, failedCloudsHeader, pattern)
		if doc.ok == answerTagged {
			assert.Contains(t, rs["304"].Headers, failedCloudsHeader, pattern)
		}
		assert.Contains(t, rs, "403", "%s: the error of the only cloud, when none answered", pattern)
	}
	slices.Sort(partial)
	assert.Equal(t, []string{"GET /flavors", "GET /images", "GET /instances/all", "GET /keypairs", "GET /networks",
		"GET /projects/list", "GET /projects/{project}/images", "GET /projects/{project}/regions/{region}/flavors",
		"GET /projects/{project}/regions/{region}/images",
		"GET /projects/{project}/regions/{region}/instances/all", "GET /projects/{project}/regions/{region}/networks",
		"POST /query"}, partial)
	assert.Contains(t, schemas(), "FailedClouds")
}
