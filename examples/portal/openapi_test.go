package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder records the patterns addRoutes registers.
type recorder struct{ patterns []string }

func (r *recorder) Handle(pattern string, _ http.Handler) { r.patterns = append(r.patterns, pattern) }

func registered(t *testing.T) []string {
	t.Helper()
	var rec recorder
	addRoutes(&rec, &deps{})
	require.NotEmpty(t, rec.patterns)
	return rec.patterns
}

// TestOpenAPIListsEveryRoute: every registered route is in the served
// OpenAPI document, and the document lists nothing that is not served.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	status, body := tp.call(t, "", "GET", "/openapi.json", "")
	require.Equal(t, 200, status)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3."), doc.OpenAPI)
	seen := map[string]bool{}
	for _, pattern := range registered(t) {
		method, path := splitPattern(pattern)
		_, ok := doc.Paths[path][method]
		assert.True(t, ok, "route %q (%s %s) is missing from the OpenAPI document", pattern, method, path)
		seen[method+" "+path] = true
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			assert.True(t, seen[method+" "+path], "the document lists %s %s, which is not served", method, path)
		}
	}
	assert.Len(t, routeDocs(), len(registered(t)), "one description per route")
}

// TestOpenAPIRefs: every $ref points at a schema of the components.
func TestOpenAPIRefs(t *testing.T) {
	b, err := json.Marshal(openAPI())
	require.NoError(t, err)
	s := string(b)
	for _, part := range strings.Split(s, `"$ref":"#/components/schemas/`)[1:] {
		name := part[:strings.IndexByte(part, '"')]
		_, ok := schemas()[name]
		assert.True(t, ok, "schema %q is referenced but not defined", name)
	}
}

// TestDocsPage: the index page documents every route with a form to try
// it, and loads nothing from elsewhere.
func TestDocsPage(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	status, body := tp.call(t, "", "GET", "/", "")
	require.Equal(t, 200, status)
	page := string(body)
	for _, pattern := range registered(t) {
		method, path := splitPattern(pattern)
		assert.Contains(t, page, `data-method="`+strings.ToUpper(method)+`" data-path="`+path+`"`, pattern)
	}
	assert.Contains(t, page, `&#34;hostname&#34;: &#34;test VM&#34;`, "the create form is filled with the example")
	assert.Contains(t, page, `id="auth"`, "the page asks for the token")
	assert.Contains(t, page, `name="o" data-in="query"`, "the list form has the ordering")
	assert.Contains(t, page, "<script>")
	for _, external := range []string{"https://", "src=", "//cdn"} {
		assert.NotContains(t, page, external)
	}
}

// TestOpenAPISecurity: the API needs a token, the docs do not.
func TestOpenAPISecurity(t *testing.T) {
	doc := openAPI()
	assert.Equal(t, []map[string][]string{{"token": {}}}, doc.Security)
	assert.Contains(t, doc.Components["securitySchemes"], "token")
	b, err := json.Marshal(doc.Paths["/openapi.json"]["get"])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"security":[]`)
	b, err = json.Marshal(doc.Paths["/api/instances/"]["get"])
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"security"`)
	for _, q := range []string{"hostname", "customer_name", "state", "project_name", "project_group_name", "template_name", "project", "project_group", "o"} {
		assert.Contains(t, string(b), `"name":"`+q+`","in":"query"`)
	}
}
