package apidoc

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
)

// JSONHandler serves the document doc returns as indented JSON. doc is
// called once, on the first request, and the bytes are kept.
func JSONHandler(doc func() *Doc) http.Handler {
	body := sync.OnceValues(func() ([]byte, error) { return json.MarshalIndent(doc(), "", "  ") })
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b, err := body()
		if err != nil {
			// Only an example that JSON cannot hold (a func, a channel) gets here.
			http.Error(w, "openapi document: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
}

// PageHandler serves the HTML docs page of the document doc returns (see
// PageOf for authHint). The page is rendered once, on the first request.
func PageHandler(doc func() *Doc, authHint string) http.Handler {
	body := sync.OnceValues(func() ([]byte, error) {
		var b bytes.Buffer
		err := pageTemplate.Execute(&b, PageOf(doc(), authHint))
		return b.Bytes(), err
	})
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b, err := body()
		if err != nil {
			http.Error(w, "docs page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
	})
}
