package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIListsEveryRoute keeps routes.go and the OpenAPI document in
// step: every registered route is documented, and nothing else is.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t)
	doc := decodeJSON[map[string]any](t, e.mustGet("/openapi.json"))
	assert.Equal(t, "3.0.3", doc["openapi"])
	paths := doc["paths"].(map[string]any)

	registered := map[string]bool{}
	for _, pattern := range e.router.patterns {
		registered[pattern] = true
		method, path := openAPIPath(pattern)
		item, ok := paths[path].(map[string]any)
		require.True(t, ok, "route %q: path %q is not in the OpenAPI document", pattern, path)
		op, ok := item[method].(map[string]any)
		require.True(t, ok, "route %q: %s is not documented", pattern, method)

		responses := op["responses"].(map[string]any)
		var ok2xx, errs bool
		for code := range responses {
			ok2xx = ok2xx || code[0] == '2' || code[0] == '3'
			errs = errs || code[0] == '4' || code[0] == '5'
		}
		assert.True(t, ok2xx, "route %q documents no success answer", pattern)
		assert.True(t, errs, "route %q documents no error answer", pattern)
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			assert.Contains(t, paramNames(op), m[1], "route %q: path parameter %s undocumented", pattern, m[1])
		}
	}
	for pattern := range routeDocs() {
		assert.True(t, registered[pattern], "the OpenAPI document describes %q, which routes.go does not register", pattern)
	}
	n := 0
	for _, item := range paths {
		n += len(item.(map[string]any))
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

func paramNames(op map[string]any) []string {
	var out []string
	ps, _ := op["parameters"].([]any)
	for _, p := range ps {
		out = append(out, p.(map[string]any)["name"].(string))
	}
	return out
}

var refRE = regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([A-Za-z]+)"`)

// TestOpenAPIRefsResolve: every $ref names a schema of the document, and
// operation ids are unique.
func TestOpenAPIRefsResolve(t *testing.T) {
	b, err := json.Marshal(openAPI())
	require.NoError(t, err)
	s := schemas()
	for _, m := range refRE.FindAllStringSubmatch(string(b), -1) {
		assert.Contains(t, s, m[1])
	}
	var ids []string
	for pattern, doc := range routeDocs() {
		_, path := openAPIPath(pattern)
		ids = append(ids, operationDoc(pattern, path, doc)["operationId"].(string))
	}
	slices.Sort(ids)
	assert.Equal(t, len(ids), len(slices.Compact(slices.Clone(ids))), "duplicate operation ids")
}

// TestDocsPage: the docs page shows every path and loads nothing from
// elsewhere.
func TestDocsPage(t *testing.T) {
	e := newEnv(t)
	page := string(e.mustGet("/docs"))
	for pattern := range routeDocs() {
		_, path := openAPIPath(pattern)
		assert.Contains(t, page, "<code>"+path+"</code>")
	}
	for _, external := range []string{"<script", "src=", "http://", "https://", "@import"} {
		assert.NotContains(t, strings.ToLower(page), external)
	}
}
