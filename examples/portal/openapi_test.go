package main

import (
	"encoding/json"
	"testing"

	"github.com/perspective-cloud/sdk/internal/apidoc"
	"github.com/perspective-cloud/sdk/internal/apidoc/apidoctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// registered returns the patterns addRoutes registers.
func registered(t *testing.T) []string {
	t.Helper()
	return apidoctest.Registered(t, func(r apidoc.Registrar) { addRoutes(r, &deps{}) })
}

// TestOpenAPIListsEveryRoute: every registered route is in the served
// OpenAPI document, and the document lists nothing that is not served.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	status, body := tp.call(t, "", "GET", "/openapi.json", "")
	require.Equal(t, 200, status)
	apidoctest.CheckRoutes(t, body, registered(t))
	assert.Len(t, routeDocs(), len(registered(t)), "one description per route")
}

// TestOpenAPIRefs: every $ref points at a schema of the components.
func TestOpenAPIRefs(t *testing.T) {
	apidoctest.CheckRefs(t, openAPI(), schemas())
}

// TestDocsPage: the index page documents every route with a form to try
// it, and loads nothing from elsewhere.
func TestDocsPage(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	status, body := tp.call(t, "", "GET", "/", "")
	require.Equal(t, 200, status)
	page := string(body)
	apidoctest.CheckPage(t, page, registered(t), []string{"https://", "src=", "//cdn"})
	assert.Contains(t, page, `&#34;hostname&#34;: &#34;test VM&#34;`, "the create form is filled with the example")
	assert.Contains(t, page, `id="auth"`, "the page asks for the token")
	assert.Contains(t, page, `name="o" data-in="query"`, "the list form has the ordering")
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
