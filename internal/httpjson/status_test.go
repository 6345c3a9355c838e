package httpjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusesWriteError(t *testing.T) {
	statuses := Statuses{
		perspective.CodeNotFound:    http.StatusNotFound,
		perspective.CodeRateLimited: http.StatusTooManyRequests,
		perspective.CodeTransient:   http.StatusServiceUnavailable,
	}
	type body struct{ Code, Message string }
	tests := []struct {
		name       string
		err        error
		status     int
		want       body
		retryAfter string
		logged     bool
	}{
		{name: "own error", err: &Error{Status: 409, Code: "busy", Message: "the server is busy"},
			status: 409, want: body{"busy", "the server is busy"}},
		{name: "own error, wrapped, 5xx not logged", err: fmt.Errorf("launch: %w", &Error{Status: 503, Code: "canceled", Message: "gave up"}),
			status: 503, want: body{"canceled", "gave up"}},
		{name: "library code", err: perspective.Errorf(perspective.CodeNotFound, "no server %q", "x"),
			status: 404, want: body{"not_found", `no server "x"`}},
		{name: "rate limited", err: perspective.RateLimited(1500*time.Millisecond, errors.New("slow down")),
			status: 429, want: body{"rate_limited", "rate limited: slow down"}, retryAfter: "2"},
		{name: "5xx is logged", err: perspective.Errorf(perspective.CodeTransient, "keystone down"),
			status: 503, want: body{"transient", "keystone down"}, logged: true},
		{name: "code not mapped", err: perspective.Errorf(perspective.CodeConflict, "taken"),
			status: 500, want: body{"conflict", "taken"}, logged: true},
		{name: "plain error", err: errors.New("boom"), status: 500, want: body{"unknown", "boom"}, logged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logBuf bytes.Buffer
			w := httptest.NewRecorder()
			statuses.WriteError(w, slog.New(slog.NewTextHandler(&logBuf, nil)), tt.err,
				func(e *Error) any { return body{e.Code, e.Message} })
			assert.Equal(t, tt.status, w.Code)
			var got body
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.retryAfter, w.Header().Get("Retry-After"))
			assert.Equal(t, tt.logged, bytes.Contains(logBuf.Bytes(), []byte("request failed")), logBuf.String())
		})
	}
}

func TestStatusesWriteErrorNilLog(t *testing.T) {
	w := httptest.NewRecorder()
	Statuses{}.WriteError(w, nil, errors.New("boom"), func(e *Error) any { return e.Message })
	assert.Equal(t, 500, w.Code)
	assert.Equal(t, "\"boom\"\n", w.Body.String())
}

func TestValueHandler(t *testing.T) {
	w := httptest.NewRecorder()
	ValueHandler(http.StatusInternalServerError, map[string]string{"detail": "internal error"}).
		ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, 500, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "{\n  \"detail\": \"internal error\"\n}\n", w.Body.String())
}
