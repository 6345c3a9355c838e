package apidoctest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/internal/apidoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Registered returns the patterns add registers, which must be some.
func Registered(t testing.TB, add func(apidoc.Registrar)) []string {
	t.Helper()
	var rec apidoc.Recorder
	add(&rec)
	require.NotEmpty(t, rec.Patterns)
	return rec.Patterns
}

// CheckRoutes checks that body, a served OpenAPI 3 document, lists every
// one of patterns and nothing that is not one of them.
func CheckRoutes(t testing.TB, body []byte, patterns []string) {
	t.Helper()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3."), doc.OpenAPI)
	seen := map[string]bool{}
	for _, pattern := range patterns {
		method, path := apidoc.SplitPattern(pattern)
		_, ok := doc.Paths[path][method]
		assert.True(t, ok, "route %q (%s %s) is missing from the OpenAPI document", pattern, method, path)
		seen[method+" "+path] = true
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			assert.True(t, seen[method+" "+path], "the document lists %s %s, which is not served", method, path)
		}
	}
}

// CheckRefs checks that every $ref of doc points at one of schemas.
func CheckRefs(t testing.TB, doc *apidoc.Doc, schemas map[string]apidoc.Schema) {
	t.Helper()
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	for _, part := range strings.Split(string(b), `"$ref":"#/components/schemas/`)[1:] {
		name := part[:strings.IndexByte(part, '"')]
		_, ok := schemas[name]
		assert.True(t, ok, "schema %q is referenced but not defined", name)
	}
}

// CheckPage checks that page, a served docs page, has a "try it" form for
// every one of patterns and a script, and holds none of external (such as
// "https://" or "src="): it loads nothing from elsewhere.
func CheckPage(t testing.TB, page string, patterns, external []string) {
	t.Helper()
	for _, pattern := range patterns {
		method, path := apidoc.SplitPattern(pattern)
		assert.Contains(t, page, `data-method="`+strings.ToUpper(method)+`" data-path="`+path+`"`, pattern)
	}
	assert.Contains(t, page, "<script>")
	for _, ext := range external {
		assert.NotContains(t, page, ext)
	}
}
