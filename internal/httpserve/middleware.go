package httpserve

import (
	"log/slog"
	"net/http"
	"time"
)

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// LogRequests logs one line per request at Info: method, path, status
// (0 when the handler wrote nothing) and how long it took.
func LogRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start))
	})
}

// RecoverPanics answers with answer, and logs an Error line, when next
// panics, instead of dropping the connection. http.ErrAbortHandler is let
// through: it is how a handler asks for the connection to be dropped.
func RecoverPanics(log *slog.Logger, answer http.Handler, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "panic", v)
				answer.ServeHTTP(w, r)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Guard puts next behind LogRequests and RecoverPanics with answer: every
// request is logged, and a handler's panic is answered (and logged as
// answered) instead of dropping the connection.
func Guard(log *slog.Logger, answer, next http.Handler) http.Handler {
	return LogRequests(log, RecoverPanics(log, answer, next))
}
