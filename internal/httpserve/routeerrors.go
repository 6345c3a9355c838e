package httpserve

import (
	"bytes"
	"fmt"
	"net/http"
	"unicode/utf8"
)

// RouteErrorFunc writes an API's own error answer: status is 404 (no
// route has the request's path) or 405 (a route has the path, not the
// method; w's Allow header already lists the methods it has), and message
// says so for the caller.
type RouteErrorFunc func(w http.ResponseWriter, r *http.Request, status int, message string)

// RouteErrors serves mux, but answers a request that no route matches, or
// matches only by path, with answer instead of the mux's plain-text "404
// page not found" and "Method Not Allowed", so that a client that reads
// JSON reads every answer. The mux decides what matches, and which
// methods the Allow header of a 405 lists; its redirects (to the path
// with a trailing slash, or cleaned) are sent as the mux sends them.
func RouteErrors(mux *http.ServeMux, answer RouteErrorFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// No route: h is the mux's 404, 405 or redirect handler, which
		// write a few bytes: record them, and answer 404 and 405 anew.
		rec := &fallbackRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusNotFound:
			answer(w, r, http.StatusNotFound, fmt.Sprintf("no route %s %s", shorten(r.Method), shorten(r.URL.Path)))
		case http.StatusMethodNotAllowed:
			allow := rec.header.Get("Allow")
			w.Header().Set("Allow", allow)
			answer(w, r, http.StatusMethodNotAllowed,
				fmt.Sprintf("method %s is not allowed on %s; allowed: %s", shorten(r.Method), shorten(r.URL.Path), allow))
		default:
			for k, vs := range rec.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
		}
	})
}

// fallbackRecorder records what one of the mux's own small handlers
// writes; it keeps at most maxFallbackBody bytes of the body.
type fallbackRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

const maxFallbackBody = 4 << 10

func (f *fallbackRecorder) Header() http.Header { return f.header }

func (f *fallbackRecorder) WriteHeader(code int) {
	if f.status == 0 {
		f.status = code
	}
}

func (f *fallbackRecorder) Write(b []byte) (int, error) {
	if f.status == 0 {
		f.status = http.StatusOK
	}
	if room := maxFallbackBody - f.body.Len(); room > 0 {
		f.body.Write(b[:min(len(b), room)])
	}
	return len(b), nil
}

// maxEchoed bounds how much of a request's path or method a message
// repeats: an answer never echoes a huge input.
const maxEchoed = 200

func shorten(s string) string {
	if len(s) <= maxEchoed {
		return s
	}
	cut := maxEchoed
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}
