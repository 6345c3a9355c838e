package httpjson

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
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
