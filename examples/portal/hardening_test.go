package main

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestListMalformedQuery: a query string the standard library would parse
// with a pair dropped (and with it the filter: the listing of everything)
// is a 400 that says what is wrong, on the listing and on usage.
func TestListMalformedQuery(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	tests := []struct{ query, says string }{
		{"?hostname=web-1;x", "query string: ';' is not a separator"},
		{"?hostname=%zz", `query string: invalid %-escape "%zz"`},
		{"?hostname=web-1&state=%", `invalid %-escape "%"`},
		{"?o=hostname;x", "';' is not a separator"},
		{"?o=", `o: empty ordering field in ""`},
		{"?o=hostname,,state", `o: empty ordering field in "hostname,,state"`},
		{"?o=hostname,", "o: empty ordering field"},
		{"?o=--hostname", `unknown ordering field "-hostname"`},
		{"?o=host%20name", `unknown ordering field "host name"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := tp.call(t, staffToken, "GET", "/api/instances/"+tt.query, "")
			assert.Equal(t, 400, status, "%s", body)
			assert.Contains(t, detail(t, body), tt.says)
		})
	}
	web1 := tp.uuidOf(t, "web-1")
	for _, q := range []string{"?item=cpu;x", "?item=cpu&from=%zz"} {
		status, body := tp.call(t, staffToken, "GET", "/api/instances/"+web1+"/usage/"+q, "")
		assert.Equal(t, 400, status, "%s: %s", q, body)
		assert.Contains(t, detail(t, body), "query string:", q)
	}
	assert.Equal(t, []string{"web-1"}, hostnames(tp.list(t, staffToken, "?hostname=web-1")), "a well-formed filter still filters")
}

// repeated is "key=prefix0&key=prefix1&…" with n pairs.
func repeated(key, prefix string, n int, same bool) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(key + "=" + prefix)
		if !same {
			b.WriteString(strconv.Itoa(i))
		}
	}
	return b.String()
}

// listAttacks are the queries of issue 16 that blew the portal's memory
// (5,000 hostname values took it to 1.29 GB, one hostname and 9,999
// o=hostname to 666 MB), and their neighbours within one bound.
var listAttacks = []struct{ name, query, says string }{
	{"5,000 hostname values", "?" + repeated("hostname", "a", 5000, false), "query string: 5000 parameters; at most 100 per request"},
	{"3,000 hostname values", "?" + repeated("hostname", "a", 3000, false), "3000 parameters"},
	{"one hostname and 9,999 o=hostname", "?hostname=a0&" + repeated("o", "hostname", 9999, true), "10000 parameters"},
	{"51 hostname values", "?" + repeated("hostname", "a", 51, false), "hostname: 51 values; at most 50 per parameter"},
	{"51 o= values", "?" + repeated("o", "hostname", 51, true), "o: 51 values; at most 50"},
	{"11 ordering fields in one o=", "?o=" + strings.Repeat("hostname,", 10) + "state", "o: 11 ordering fields; at most 10"},
	{"11 ordering fields in several o=", "?" + repeated("o", "state", 11, true), "o: 11 ordering fields"},
	{"a 256-byte value", "?hostname=" + strings.Repeat("h", 256), "hostname: a value of 256 bytes; at most 255"},
	{"a 30,000-field o= value", "?o=" + strings.Repeat("a,", 30000), "o: a value of 60000 bytes"},
}

// TestListQueryBounds: every attack is a 400 naming the bound, and the
// bounds are not tighter than they say (50 values and 10 orderings pass).
func TestListQueryBounds(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	for _, tt := range listAttacks {
		t.Run(tt.name, func(t *testing.T) {
			status, body := tp.call(t, staffToken, "GET", "/api/instances/"+tt.query, "")
			assert.Equal(t, 400, status, "%.200s", body)
			assert.Contains(t, detail(t, body), tt.says)
		})
	}
	got := tp.list(t, staffToken, "?"+repeated("hostname", "web-", 50, false))
	assert.Equal(t, []string{"web-1", "web-2"}, hostnames(got), "50 values are allowed")
	got = tp.list(t, staffToken, "?o=-state,hostname,uuid&o=project_name&"+repeated("o", "customer_name", 6, true))
	assert.Len(t, got, 4, "10 ordering fields are allowed")
}

// TestListAttackHeap: the attacks of issue 16, each sent 10 times, cost the
// process at most 50 MB of heap in all, counted as every byte allocated
// while they are answered (an upper bound on the heap's growth, whatever
// the collector does meanwhile). Before the bounds, one of them alone
// grew the process by 666 MB to 1.29 GB.
func TestListAttackHeap(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	client := tp.srv.Client()
	reqs := make([]*http.Request, 0, len(listAttacks))
	for _, a := range listAttacks {
		req, err := newRequest(tp, "GET", "/api/instances/"+a.query, "Token "+staffToken)
		require.NoError(t, err)
		reqs = append(reqs, req)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 10 {
		for _, req := range reqs {
			resp, err := client.Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, 400, resp.StatusCode, req.URL.RawQuery[:40])
		}
	}
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d attacks: %.1f MB allocated in all, heap in use %.1f → %.1f MB", 10*len(reqs),
		float64(allocated)/(1<<20), float64(before.HeapInuse)/(1<<20), float64(after.HeapInuse)/(1<<20))
	assert.LessOrEqual(t, allocated, uint64(50<<20), "the attacks allocated more than 50 MB")
}

// BenchmarkListAttack answers the worst attack of issue 16 (5,000
// hostname values, a 74 KB URL) through the handler: it is refused after
// a scan of the query string, before any cloud call or compilation.
func BenchmarkListAttack(b *testing.B) {
	p, err := openPortal(context.Background(), sampleDirFor(b))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	h := newServer(&deps{portal: p})
	target := "/api/instances/?" + repeated("hostname", "a", 5000, false)
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{header: http.Header{}}
		req, _ := http.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Token "+staffToken)
		h.ServeHTTP(w, req)
		if w.status != 400 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// sampleDirFor reads the sample directory in a benchmark.
func sampleDirFor(b *testing.B) *directoryFile {
	d, err := readDirectory(strings.NewReader(string(sampleDirectory)))
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// discardWriter is a ResponseWriter that keeps only the status.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(s int)           { w.status = s }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// TestCreateRefusesDeceptiveNames: a hostname with NUL, ESC, a newline or
// a bidi override, and a description with ESC
// or a bidi override, are 400s that name the field, and nothing is
// launched; a description may have several lines.
func TestCreateRefusesDeceptiveNames(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	create := func(hostname, description string) (int, []byte) {
		body := `{"hostname":` + jsonString(t, hostname) + `,"description":` + jsonString(t, description) +
			`,"template":"cirros-0.6.2","flavor":"m1.tiny","project":"` + alphaWeb + `","ssh_public_key":"` + aliceKey + `"}`
		return tp.call(t, aliceToken, "POST", "/api/instances/", body)
	}
	before := fleet(t, tp)
	tests := []struct{ name, hostname, description, says string }{
		{"NUL", "web\x00", "", "hostname: control character U+0000"},
		{"ESC", "\x1b[2Jweb", "", "hostname: control character U+001B"},
		{"newline", "web\nroot", "", "hostname: control character U+000A"},
		{"bidi override", "\u202egnp.exe", "", "hostname: bidirectional control character U+202E"},
		{"zero-width space", "web\u200b1", "", "hostname: invisible format character U+200B"},
		{"description with ESC", "web-9", "\x1b]0;pwned\x07", "description: control character U+001B"},
		{"description with a bidi isolate", "web-9", "a\u2067b", "description: bidirectional control character U+2067"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := create(tt.hostname, tt.description)
			assert.Equal(t, 400, status, "%s", body)
			assert.Contains(t, detail(t, body), tt.says)
		})
	}
	assert.Equal(t, before, fleet(t, tp), "nothing was launched")
	status, body := create("web-9", "line one\nline two")
	require.Equal(t, 201, status, "%s", body)
	assert.Equal(t, "line one\nline two", decodeAs[instanceJSON](t, body).Description)
}

// TestCreateKeyConflict: a key pair of the key's name that holds another
// public key in the project's cloud is a 409, and nothing is launched.
func TestCreateKeyConflict(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	pr := tp.portal.projects[alphaWeb]
	_, err := tp.portal.set.Keypairs().In(pr.target).Create(context.Background(),
		perspective.KeypairSpec{Name: "alice-laptop", PublicKey: newPublicKey(t, "mallory")})
	require.NoError(t, err)
	before := fleet(t, tp)
	status, body := tp.call(t, aliceToken, "POST", "/api/instances/", `{"hostname":"web-9","template":"cirros-0.6.2",
		"flavor":"m1.tiny","project":"`+alphaWeb+`","ssh_public_key":"`+aliceKey+`"}`)
	assert.Equal(t, 409, status, "%s", body)
	assert.Contains(t, detail(t, body), `ssh_public_key: the cloud of project "alpha-web" has a key pair named "alice-laptop" with another public key`)
	assert.Equal(t, before, fleet(t, tp))
}

// TestRouteErrorsAreJSON: a path no route has is a 404, a method its
// route lacks a 405 with Allow, both {"detail"} JSON; every route answers
// a method it does not have so.
func TestRouteErrorsAreJSON(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	tests := []struct {
		method, path string
		status       int
		allow, says  string
	}{
		{"GET", "/nope", 404, "", "no route GET /nope"},
		{"GET", "/api/instances/x/y/z/", 404, "", "no route GET /api/instances/x/y/z/"},
		{"PUT", "/api/instances/", 405, "GET, HEAD, POST", "method PUT is not allowed on /api/instances/; allowed: GET, HEAD, POST"},
		{"GET", "/api/instances/x/start/", 405, "POST", "method GET is not allowed"},
		{"POST", "/api/instances/x/", 405, "DELETE, GET, HEAD", "allowed: DELETE, GET, HEAD"},
		{"DELETE", "/", 405, "GET, HEAD", "method DELETE is not allowed on /"},
		{"POST", "/openapi.json", 405, "GET, HEAD", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := newRequest(tp, tt.method, tt.path, "Token "+staffToken)
			require.NoError(t, err)
			resp, err := tp.srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			assert.Equal(t, tt.allow, resp.Header.Get("Allow"))
			var b errorBody
			require.NoError(t, decodeJSON(resp.Body, &b))
			assert.Contains(t, b.Detail, tt.says)
		})
	}
	for _, p := range registered(t) {
		method, path, _ := strings.Cut(p, " ")
		path = strings.NewReplacer("{uuid}", "x", "{$}", "").Replace(path)
		wrong := "PATCH"
		status, body := tp.call(t, staffToken, wrong, path, "")
		assert.Equal(t, 405, status, "%s %s", wrong, path)
		assert.Contains(t, detail(t, body), method, "%s %s: the Allow list names the route's method", wrong, path)
	}
}

// TestErrorTextsNameFields: a body of the wrong shape is told by field and
// JSON kind, never by a Go type.
func TestErrorTextsNameFields(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	web1 := tp.uuidOf(t, "web-1")
	tests := []struct{ path, body, says string }{
		{"/api/instances/", `[]`, "request body: expected an object, got a JSON array"},
		{"/api/instances/", `{"hostname":1}`, "hostname: expected a string, got a JSON number"},
		{"/api/instances/", `{"security_groups":"x"}`, "security_groups: expected an array, got a JSON string"},
		{"/api/instances/", `{"security_groups":[{"url":1}]}`, "security_groups.url: expected a string"},
		{"/api/instances/" + web1 + "/resize/", `{"flavor":true}`, "flavor: expected a string, got a JSON bool"},
		{"/api/instances/" + web1 + "/resize/", `{"disk_size":"big"}`, "disk_size: expected an integer, got a JSON string"},
		{"/api/instances/" + web1 + "/resize/", `"m1.small"`, "request body: expected an object, got a JSON string"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			status, body := tp.call(t, aliceToken, "POST", tt.path, tt.body)
			assert.Equal(t, 400, status)
			d := detail(t, body)
			assert.Contains(t, d, tt.says)
			for _, goish := range []string{"main.", "[]", "*string", "*int", "expected string", "expected int"} {
				assert.NotContains(t, d, goish)
			}
		})
	}
}

// jsonString writes s as a JSON string.
func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// TestCreateOutsideTheProject: a template of another project's cloud (by
// its global id, as the listing links it), a project the user does not
// see, and a key nobody has are 400s, and nothing is launched.
func TestCreateOutsideTheProject(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	beta := tp.portal.projects["c3c546b92845431188636d8f97df223c"]
	imgs, err := tp.portal.set.Images().In(beta.target).List(context.Background())
	require.NoError(t, err)
	require.NotEmpty(t, imgs)
	before := fleet(t, tp)
	body := func(template, project, key string) string {
		return `{"hostname":"web-9","template":"` + template + `","flavor":"m1.tiny","project":"` + project +
			`","ssh_public_key":"` + key + `"}`
	}
	tests := []struct{ name, body, says string }{
		{"another cloud's template", body(hexUUID(imgs[0].ID), alphaWeb, aliceKey), `template: no template "` + hexUUID(imgs[0].ID) + `" in the cloud of project "alpha-web"`},
		{"a project the user does not see", body("cirros-0.6.2", beta.UUID, aliceKey), `project: no project "` + beta.UUID + `"`},
		{"a key nobody has", body("cirros-0.6.2", alphaWeb, "00000000000000000000000000000000"), `ssh_public_key: no key "00000000000000000000000000000000"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got := tp.call(t, aliceToken, "POST", "/api/instances/", tt.body)
			assert.Equal(t, 400, status, "%s", got)
			assert.Contains(t, detail(t, got), tt.says)
		})
	}
	assert.Equal(t, before, fleet(t, tp), "nothing was launched")
}

// TestHugePathNotEchoed: a huge {uuid} is a 404 that does not repeat it.
func TestHugePathNotEchoed(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	status, body := tp.call(t, staffToken, "GET", "/api/instances/"+strings.Repeat("x", 100000)+"/", "")
	assert.Equal(t, 404, status)
	assert.Less(t, len(body), 200, "%.200s", body)
	assert.Contains(t, detail(t, body), "a uuid of 100000 bytes is not a uuid")
}
