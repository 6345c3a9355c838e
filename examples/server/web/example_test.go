package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/perspective-cloud/sdk/examples/server/web"
)

// Example mounts the application beside an API.
func Example() {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", web.Handler())
	mux.Handle("GET "+web.Prefix, web.Handler())
	mux.HandleFunc("GET /ping", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "pong") })

	for _, p := range []string{"/", "/ui/js/app.js", "/ping"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		fmt.Println(p, rec.Code, rec.Header().Get("Content-Type"))
	}
	// Output:
	// / 200 text/html; charset=utf-8
	// /ui/js/app.js 200 text/javascript; charset=utf-8
	// /ping 200 text/plain; charset=utf-8
}
