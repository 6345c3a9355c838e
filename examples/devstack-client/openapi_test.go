package main

import (
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
	srv, _ := newMockServer(t)
	status, body := call(t, srv, "GET", "/openapi.json", "")
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
	srv, _ := newMockServer(t)
	status, body := call(t, srv, "GET", "/", "")
	require.Equal(t, 200, status)
	page := string(body)
	apidoctest.CheckPage(t, page, registered(t), []string{"http://", "https://", "src=", "//cdn"})
	assert.Contains(t, page, `&#34;image_id&#34;: &#34;cirros-0.6.2&#34;`, "the launch form is filled with the example")
}
