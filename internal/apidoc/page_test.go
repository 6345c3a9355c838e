package apidoc

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPageOf(t *testing.T) {
	page := PageOf(testDoc(), "Token abc")
	assert.Equal(t, "t", page.Title)
	assert.Equal(t, "Token abc", page.AuthHint)
	require.Len(t, page.Groups, 2)
	assert.Equal(t, "other", page.Groups[0].Tag, "groups in order of first appearance by path: / comes first")
	assert.Equal(t, "things", page.Groups[1].Tag)
	ops := page.Groups[1].Ops
	require.Len(t, ops, 2)
	tests := []struct {
		name      string
		got, want any
	}{
		{"first path", ops[0].Path, "/things"},
		{"upper", ops[0].Upper, "POST"},
		{"example body", ops[0].Body, "{\n  \"name\": \"a\"\n}"},
		{"responses sorted", ops[0].Responses, []PageResponse{{"201", "Created"}, {"409", "Wrong state"}}},
		{"no body without a request body", ops[1].Body, ""},
		{"params", len(ops[1].Params), 4},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}
}

func TestPageOfBodyWithoutExample(t *testing.T) {
	doc := Build(Info{}, map[string]Route{"PUT /x": {Body: "X", OK: 200}, "PATCH /y": {Body: "Y", Example: func() {}, OK: 200}}, nil, nil)
	page := PageOf(doc, "")
	require.Len(t, page.Groups, 1)
	for _, op := range page.Groups[0].Ops {
		assert.Equal(t, "{}", op.Body, "%s %s: an empty object to start from", op.Method, op.Path)
	}
}

func TestHandlers(t *testing.T) {
	calls := 0
	doc := func() *Doc { calls++; return testDoc() }
	tests := []struct {
		name        string
		h           http.Handler
		contentType string
		contains    string
	}{
		{"json", JSONHandler(doc), "application/json", `"operationId": "get_things_id_"`},
		{"page", PageHandler(doc, "Token abc"), "text/html; charset=utf-8", `data-method="POST" data-path="/things"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = 0
			for range 2 {
				w := httptest.NewRecorder()
				tt.h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
				assert.Equal(t, 200, w.Code)
				assert.Equal(t, tt.contentType, w.Header().Get("Content-Type"))
				assert.Contains(t, w.Body.String(), tt.contains)
			}
			assert.Equal(t, 1, calls, "the document is built once")
		})
	}
}

func TestJSONHandlerUnmarshalable(t *testing.T) {
	doc := Build(Info{}, map[string]Route{"POST /x": {Body: "X", Example: make(chan int), OK: 200}}, nil, nil)
	w := httptest.NewRecorder()
	JSONHandler(func() *Doc { return doc }).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), "openapi document: json: unsupported type")
	assert.False(t, json.Valid(w.Body.Bytes()))
}

func TestRecorder(t *testing.T) {
	var r Recorder
	var reg Registrar = &r
	reg.Handle("GET /a", nil)
	reg.Handle("POST /b", http.NotFoundHandler())
	assert.Equal(t, []string{"GET /a", "POST /b"}, r.Patterns)
	var _ Registrar = http.NewServeMux()
}
