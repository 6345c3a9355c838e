package main

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/internal/apidoc/apidoctest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIListsEveryRoute: each address's document lists every route
// it registers, and nothing it does not serve.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t)
	for _, side := range []struct {
		srv      *httptest.Server
		patterns []string
		docs     int
	}{{e.consumer, consumerRoutes(t), len(consumerDocs())}, {e.operator, operatorRoutes(t), len(operatorDocs())}} {
		resp, body := call(t, side.srv, "GET", "/openapi.json", "")
		require.Equal(t, 200, resp.StatusCode)
		apidoctest.CheckRoutes(t, body, side.patterns)
		assert.Equal(t, len(side.patterns), side.docs, "one description per route")
	}
}

// TestOpenAPIRefs: every $ref points at a schema of the components.
func TestOpenAPIRefs(t *testing.T) {
	apidoctest.CheckRefs(t, consumerAPI(), schemas())
	apidoctest.CheckRefs(t, operatorAPI(), schemas())
}

// TestDocsPage: each docs page has a form for every route (but HEAD, which
// a form cannot show) and loads nothing from elsewhere.
func TestDocsPage(t *testing.T) {
	e := newEnv(t)
	for _, side := range []struct {
		srv      *httptest.Server
		patterns []string
	}{{e.consumer, consumerRoutes(t)}, {e.operator, operatorRoutes(t)}} {
		resp, body := call(t, side.srv, "GET", "/", "")
		require.Equal(t, 200, resp.StatusCode)
		patterns := slices.DeleteFunc(side.patterns, func(p string) bool { return strings.HasPrefix(p, "HEAD ") })
		apidoctest.CheckPage(t, string(body), patterns, []string{"http://", "https://", "src=", "//cdn"})
	}
}
