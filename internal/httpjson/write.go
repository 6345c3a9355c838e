package httpjson

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// Write answers with status and v as indented JSON.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is sent: a failure here is a client gone away.
	_ = indented(w, v)
}

// WriteTagged answers with v as Write does (status 200), with an ETag of
// its bytes, and answers a request whose If-None-Match names that ETag
// with 304 Not Modified and no body (http.ServeContent's rules): a client
// that polls something it already holds reads and parses nothing until it
// changes. The answer is marked private, no-cache: it is the caller's own,
// and a cache revalidates it before each use. The error is v's encoding
// error, with nothing written.
func WriteTagged(w http.ResponseWriter, r *http.Request, v any) error {
	var buf bytes.Buffer
	if err := indented(&buf, v); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
	return nil
}

// indented writes v as JSON indented by two spaces.
func indented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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
