// Package apidoctest holds the checks every example API runs on its
// OpenAPI document and docs page: the document lists exactly the routes
// that are registered, every $ref resolves, and the page has a form per
// route and loads nothing from elsewhere.
//
// A typical test file of an API:
//
//	func registered(t *testing.T) []string {
//		return apidoctest.Registered(t, func(r apidoc.Registrar) { addRoutes(r, &deps{}) })
//	}
//
//	func TestOpenAPIListsEveryRoute(t *testing.T) {
//		status, body := call(t, "GET", "/openapi.json")
//		require.Equal(t, 200, status)
//		apidoctest.CheckRoutes(t, body, registered(t))
//	}
package apidoctest
