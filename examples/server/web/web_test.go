package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestHandler(t *testing.T) {
	tests := []struct {
		name, method, path string
		status             int
		contentType, body  string
	}{
		{"index", "GET", "/", 200, "text/html; charset=utf-8", `<script type="module" src="/ui/js/app.js">`},
		{"deep link reload", "GET", "/instances/abc", 200, "text/html; charset=utf-8", "<title>Perspective</title>"},
		{"script", "GET", "/ui/js/app.js", 200, "text/javascript; charset=utf-8", "import"},
		{"style", "GET", "/ui/css/app.css", 200, "text/css; charset=utf-8", ":root"},
		{"head", "HEAD", "/ui/js/api.js", 200, "text/javascript; charset=utf-8", ""},
		{"unknown asset", "GET", "/ui/js/nope.js", 404, "text/plain; charset=utf-8", "no such asset"},
		{"folder", "GET", "/ui/js", 404, "text/plain; charset=utf-8", "no such asset"},
		{"escape attempt", "GET", "/ui/../web.go", 404, "text/plain; charset=utf-8", "no such asset"},
		{"index by asset path", "GET", "/ui/index.html", 404, "text/plain; charset=utf-8", ""},
		{"post", "POST", "/", 405, "text/plain; charset=utf-8", "method not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.method, tt.path)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, tt.contentType, rec.Header().Get("Content-Type"))
			assert.Contains(t, rec.Body.String(), tt.body)
			if tt.status == 200 {
				assert.Equal(t, ContentSecurityPolicy, rec.Header().Get("Content-Security-Policy"))
				assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			}
		})
	}
}

// jsFiles returns every embedded script by name.
func jsFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, fs.WalkDir(Assets(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".js") {
			b, err := fs.ReadFile(Assets(), p)
			require.NoError(t, err)
			out[p] = string(b)
		}
		return err
	}))
	require.NotEmpty(t, out)
	return out
}

// TestImportsResolve checks that every module a script imports, or starts
// as a worker, is embedded: a typo would leave the page blank in the browser.
func TestImportsResolve(t *testing.T) {
	imp := regexp.MustCompile(`(?m)^import .* from '\./([a-z]+\.js)';$|new URL\('\./([a-z]+\.js)', import\.meta\.url\)`)
	workers := 0
	for name, src := range jsFiles(t) {
		for _, m := range imp.FindAllStringSubmatch(src, -1) {
			if m[2] != "" {
				workers++
				m[1] = m[2]
			}
			_, err := fs.Stat(Assets(), "js/"+m[1])
			assert.NoError(t, err, "%s imports %s", name, m[1])
		}
	}
	assert.Equal(t, 1, workers, "the instances table's poller worker is started by one script")
}

// TestElementsExist checks that every element a script looks up by id
// ($('#x')) is in index.html or created by a script.
func TestElementsExist(t *testing.T) {
	index, err := fs.ReadFile(Assets(), "index.html")
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`id="([^"]+)"`).FindAllStringSubmatch(string(index), -1) {
		ids[m[1]] = true
	}
	files := jsFiles(t)
	for _, src := range files {
		for _, m := range regexp.MustCompile(`id: '([^']+)'`).FindAllStringSubmatch(src, -1) {
			ids[m[1]] = true
		}
	}
	lookup := regexp.MustCompile(`\$\('#([a-z0-9-]+)'\)`)
	for name, src := range files {
		for _, m := range lookup.FindAllStringSubmatch(src, -1) {
			assert.True(t, ids[m[1]], "%s looks up #%s, which no page has", name, m[1])
		}
	}
}

// TestControlsLabelled checks that every form control of index.html has a
// label (for=) or an aria-label, for screen readers.
func TestControlsLabelled(t *testing.T) {
	index, err := fs.ReadFile(Assets(), "index.html")
	require.NoError(t, err)
	html := string(index)
	controls := regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`).FindAllString(html, -1)
	require.NotEmpty(t, controls)
	for _, c := range controls {
		if strings.Contains(c, "aria-label=") {
			continue
		}
		id := regexp.MustCompile(`id="([^"]+)"`).FindStringSubmatch(c)
		require.NotNil(t, id, "control without id: %s", c)
		assert.Contains(t, html, `<label for="`+id[1]+`"`, "control %s has no label", id[1])
	}
}

func BenchmarkHandlerAsset(b *testing.B) {
	h := Handler()
	req := httptest.NewRequest("GET", "/ui/js/instances.js", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
