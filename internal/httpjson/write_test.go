package httpjson

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWrite(t *testing.T) {
	w := httptest.NewRecorder()
	Write(w, http.StatusCreated, map[string]any{"id": "a1", "n": 2})
	assert.Equal(t, http.StatusCreated, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "{\n  \"id\": \"a1\",\n  \"n\": 2\n}\n", w.Body.String())
}

func TestHandle(t *testing.T) {
	fail := func(w http.ResponseWriter, err error) {
		Write(w, http.StatusTeapot, map[string]string{"error": err.Error()})
	}
	tests := []struct {
		name   string
		h      HandlerFunc
		status int
		body   string
	}{
		{name: "value", h: func(http.ResponseWriter, *http.Request) (int, any, error) { return 200, []int{1}, nil },
			status: 200, body: "[\n  1\n]\n"},
		{name: "no value", h: func(http.ResponseWriter, *http.Request) (int, any, error) { return 204, nil, nil },
			status: 204, body: ""},
		{name: "error", h: func(http.ResponseWriter, *http.Request) (int, any, error) { return 200, 1, errors.New("boom") },
			status: http.StatusTeapot, body: "{\n  \"error\": \"boom\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			Handle(tt.h, fail).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.body, w.Body.String())
		})
	}
}

// TestWriteTagged: an ETag of the bytes; If-None-Match with it is a 304
// without a body, with another value the whole answer; an unencodable
// value is an error with nothing written.
func TestWriteTagged(t *testing.T) {
	serve := func(v any, ifNoneMatch string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/x", nil)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		rec := httptest.NewRecorder()
		require.NoError(t, WriteTagged(rec, req, v))
		return rec
	}
	first := serve([]int{1, 2}, "")
	assert.Equal(t, http.StatusOK, first.Code)
	assert.Equal(t, "[\n  1,\n  2\n]\n", first.Body.String(), "the bytes Write sends")
	tag := first.Header().Get("ETag")
	assert.Regexp(t, `^"[0-9a-f]{32}"$`, tag)
	assert.Equal(t, "private, no-cache", first.Header().Get("Cache-Control"))

	same := serve([]int{1, 2}, tag)
	assert.Equal(t, http.StatusNotModified, same.Code)
	assert.Empty(t, same.Body.String())

	changed := serve([]int{1, 2, 3}, tag)
	assert.Equal(t, http.StatusOK, changed.Code)
	assert.NotEqual(t, tag, changed.Header().Get("ETag"))

	rec := httptest.NewRecorder()
	assert.Error(t, WriteTagged(rec, httptest.NewRequest("GET", "/x", nil), make(chan int)))
	assert.Empty(t, rec.Body.String())
	assert.Empty(t, rec.Header().Get("ETag"))
}
