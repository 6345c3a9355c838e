package apidoctest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/perspective-cloud/sdk/internal/apidoc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingT records the failures a check reports instead of failing.
type recordingT struct {
	testing.TB
	errors []string
}

func (r *recordingT) Helper() {}

func (r *recordingT) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

var patterns = []string{"GET /things/{id}", "POST /things/{$}", "GET /{$}"}

func doc(routes ...string) *apidoc.Doc {
	m := map[string]apidoc.Route{}
	for _, p := range routes {
		m[p] = apidoc.Route{Summary: p, OK: 200, Schema: apidoc.Ref("Thing"), Errors: []int{404}}
	}
	return apidoc.Build(apidoc.Info{Title: "t"}, m, nil, nil)
}

func docJSON(t *testing.T, routes ...string) []byte {
	b, err := json.Marshal(doc(routes...))
	require.NoError(t, err)
	return b
}

func TestRegistered(t *testing.T) {
	got := Registered(t, func(r apidoc.Registrar) {
		for _, p := range patterns {
			r.Handle(p, nil)
		}
	})
	assert.Equal(t, patterns, got)
}

func TestCheckRoutes(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte
		failed int
	}{
		{"exactly the routes", docJSON(t, patterns...), 0},
		{"one missing", docJSON(t, patterns[:2]...), 1},
		{"one more", docJSON(t, append([]string{"DELETE /things/{id}"}, patterns...)...), 1},
		{"not OpenAPI 3", []byte(`{"openapi":"2.0","paths":{}}`), 1 + len(patterns)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &recordingT{TB: t}
			CheckRoutes(rt, tt.body, patterns)
			assert.Len(t, rt.errors, tt.failed, "%q", rt.errors)
		})
	}
}

func TestCheckRefs(t *testing.T) {
	tests := []struct {
		name    string
		schemas map[string]apidoc.Schema
		failed  int
	}{
		{"all defined", map[string]apidoc.Schema{"Thing": {}, "Error": {}}, 0},
		{"Error missing", map[string]apidoc.Schema{"Thing": {}}, len(patterns)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &recordingT{TB: t}
			CheckRefs(rt, doc(patterns...), tt.schemas)
			assert.Len(t, rt.errors, tt.failed, "%q", rt.errors)
		})
	}
}

func TestCheckPage(t *testing.T) {
	form := `<form class="try" data-method="GET" data-path="/things/{id}"><form data-method="POST" data-path="/things/">` +
		`<form data-method="GET" data-path="/">`
	tests := []struct {
		name   string
		page   string
		failed int
	}{
		{"complete", form + "<script>", 0},
		{"no script", form, 1},
		{"a form missing", `<form data-method="GET" data-path="/"><script>`, 2},
		{"loads from elsewhere", form + `<script><img src="https://cdn.example/x.png">`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := &recordingT{TB: t}
			CheckPage(rt, tt.page, patterns, []string{"https://", "src="})
			assert.Len(t, rt.errors, tt.failed, "%q", rt.errors)
		})
	}
}
