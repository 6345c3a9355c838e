package httpjson

import (
	"encoding/json"
	"net/http"
)

// Write answers with status and v as indented JSON.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The status is sent: a failure here is a client gone away.
	_ = enc.Encode(v)
}

// HandlerFunc is the body of a JSON handler: it returns the status and the
// value to answer with, or an error. A nil value answers with the status
// alone and no body (204, 202 without details).
type HandlerFunc func(w http.ResponseWriter, r *http.Request) (int, any, error)

// Handle makes an http.Handler of h: h's error is answered by fail, its
// value by Write.
func Handle(h HandlerFunc, fail func(http.ResponseWriter, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, v, err := h(w, r)
		switch {
		case err != nil:
			fail(w, err)
		case v == nil:
			w.WriteHeader(status)
		default:
			Write(w, status, v)
		}
	})
}

// ValueHandler answers every request with status and v, as Write does:
// the fixed answer to a handler's panic, for one.
func ValueHandler(status int, v any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { Write(w, status, v) })
}
