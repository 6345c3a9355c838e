package httpserve

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// textLog logs to buf without times, so that lines can be compared.
func textLog(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "took" {
			return slog.Attr{}
		}
		return a
	}}))
}

func TestLogRequests(t *testing.T) {
	tests := []struct {
		name string
		h    http.HandlerFunc
		want string
	}{
		{name: "status written", h: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(201) },
			want: "level=INFO msg=request method=POST path=/api/x status=201\n"},
		{name: "body only", h: func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") },
			want: "level=INFO msg=request method=POST path=/api/x status=200\n"},
		{name: "first status counts", h: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404); w.WriteHeader(500) },
			want: "level=INFO msg=request method=POST path=/api/x status=404\n"},
		{name: "nothing written", h: func(http.ResponseWriter, *http.Request) {},
			want: "level=INFO msg=request method=POST path=/api/x status=0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			LogRequests(textLog(&buf), tt.h).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/x", nil))
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

func TestLogRequestsUnwrap(t *testing.T) {
	var buf bytes.Buffer
	var flushErr error
	h := LogRequests(textLog(&buf), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		flushErr = http.NewResponseController(w).Flush()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	assert.NoError(t, flushErr, "the recorder underneath is reachable")
}

func TestRecoverPanics(t *testing.T) {
	answer := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "internal error")
	})
	tests := []struct {
		name   string
		h      http.HandlerFunc
		status int
		body   string
		log    string
	}{
		{name: "no panic", h: func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "fine") },
			status: 200, body: "fine"},
		{name: "panic", h: func(http.ResponseWriter, *http.Request) { panic("nil map") },
			status: 500, body: "internal error", log: "level=ERROR msg=\"handler panicked\" method=GET path=/p panic=\"nil map\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := httptest.NewRecorder()
			RecoverPanics(textLog(&buf), answer, tt.h).ServeHTTP(w, httptest.NewRequest("GET", "/p", nil))
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.body, w.Body.String())
			assert.Equal(t, tt.log, buf.String())
		})
	}
}

func TestRecoverPanicsLetsAbortThrough(t *testing.T) {
	var buf bytes.Buffer
	h := RecoverPanics(textLog(&buf), http.NotFoundHandler(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	require.PanicsWithValue(t, http.ErrAbortHandler, func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	})
	assert.Empty(t, buf.String())
}

func TestGuard(t *testing.T) {
	var buf bytes.Buffer
	answer := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	h := Guard(textLog(&buf), answer, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, 500, w.Code)
	assert.Equal(t, "level=ERROR msg=\"handler panicked\" method=GET path=/x panic=boom\n"+
		"level=INFO msg=request method=GET path=/x status=500\n", buf.String(), "the log line shows the answer")
}
