package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkMiddlewareBearer measures the cost auth adds to every API call:
// finding the session of a bearer token and putting the principal in the
// request's context.
func BenchmarkMiddlewareBearer(b *testing.B) {
	a := New(Config{Identity: testUsers(b)})
	tok, _ := a.store().Create(&Principal{Name: "alice", Grants: []Grant{{Role: RoleOperator}}}, true)
	h := a.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	req := httptest.NewRequest("GET", "/instances/all", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}

// BenchmarkNarrow measures narrowing a Set of two clouds to a user's grants.
func BenchmarkNarrow(b *testing.B) {
	set := twoProjects(b)
	p := &Principal{Name: "alice", Grants: []Grant{{Project: "a", Role: RoleOperator}}}
	b.ReportAllocs()
	for b.Loop() {
		p.Narrow(set, ActionWrite)
	}
}
