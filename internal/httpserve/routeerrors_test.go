package httpserve

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRouteErrors: unknown paths are 404 and known paths with another
// method 405 with the mux's Allow, both in the API's own words; routes
// and the mux's redirects are served as the mux serves them.
func TestRouteErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{$}", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("list")) })
	mux.HandleFunc("POST /items/{$}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(201) })
	mux.HandleFunc("DELETE /items/{id}", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
	mux.HandleFunc("GET /missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	h := RouteErrors(mux, func(w http.ResponseWriter, _ *http.Request, status int, message string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": message})
	})
	tests := []struct {
		method, path string
		status       int
		allow, body  string
	}{
		{"GET", "/items/", 200, "", "list"},
		{"POST", "/items/", 201, "", ""},
		{"DELETE", "/items/7", 204, "", ""},
		{"GET", "/nope", 404, "", `{"error":"no route GET /nope"}`},
		{"PUT", "/items/", 405, "GET, HEAD, POST", `{"error":"method PUT is not allowed on /items/; allowed: GET, HEAD, POST"}`},
		{"GET", "/items/7", 405, "DELETE", `{"error":"method GET is not allowed on /items/7; allowed: DELETE"}`},
		{"GET", "/missing", 404, "", "404 page not found"}, // a route's own 404 is its business
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.allow, rec.Header().Get("Allow"))
			assert.Equal(t, tt.body, strings.TrimSpace(rec.Body.String()))
		})
	}
	// The mux's redirects pass as they are.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/items", nil))
	assert.Equal(t, http.StatusTemporaryRedirect, rec.Code)
	assert.Equal(t, "/items/", rec.Header().Get("Location"))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/a/../items/", nil))
	require.Equal(t, http.StatusTemporaryRedirect, rec.Code)
	assert.Equal(t, "/items/", rec.Header().Get("Location"))
}

// TestRouteErrorsShortensEchoes: a huge path is not echoed whole.
func TestRouteErrorsShortensEchoes(t *testing.T) {
	var got string
	h := RouteErrors(http.NewServeMux(), func(w http.ResponseWriter, _ *http.Request, status int, message string) {
		got = message
		w.WriteHeader(status)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+strings.Repeat("é", 50000), nil))
	assert.Equal(t, 404, rec.Code)
	assert.Less(t, len(got), 300)
	assert.Contains(t, got, "(100001 bytes)")
}
