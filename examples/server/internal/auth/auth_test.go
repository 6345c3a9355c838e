package auth

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testServer is an Auth over a static back-end in front of a handler that
// echoes the principal's name.
type testServer struct {
	auth *Auth
	h    http.Handler
	logs *bytes.Buffer
	now  *time.Time
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ts := &testServer{logs: &bytes.Buffer{}, now: &now}
	ts.auth = New(Config{Identity: testUsers(t), Public: []string{"/", "/ping", "/ui/"},
		Idle: time.Minute, MaxAge: time.Hour, Log: slog.New(slog.NewTextHandler(ts.logs, nil)),
		Now: func() time.Time { return *ts.now }})
	t.Cleanup(ts.auth.Close)
	mux := http.NewServeMux()
	ts.auth.Register(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p, ok := FromContext(r.Context())
		name := "-"
		if ok {
			name = p.Name
		}
		_, _ = w.Write([]byte(name))
	})
	ts.h = ts.auth.Middleware(mux)
	return ts
}

// do sends a request with optional headers ("Cookie", "X-CSRF-Token", …).
func (ts *testServer) do(method, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	return rec
}

func (ts *testServer) login(t *testing.T, user, pass string) (cookie string, me meView) {
	t.Helper()
	rec := ts.do("POST", "/auth/login", `{"username":"`+user+`","password":"`+pass+`"}`, nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	cs := rec.Result().Cookies()
	require.Len(t, cs, 1)
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &me))
	return cookieName + "=" + cs[0].Value, me
}

func TestCookieAttributes(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.do("POST", "/auth/login", `{"username":"alice","password":"alice-pass"}`, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	c := rec.Result().Cookies()[0]
	assert.True(t, c.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.False(t, c.Secure, "plain HTTP on loopback")
	assert.Equal(t, "/", c.Path)
	assert.NotContains(t, rec.Body.String(), c.Value, "a browser sign-in must not hand the session token to scripts")

	req := httptest.NewRequest("POST", "https://example.org/auth/login", strings.NewReader(`{"username":"alice","password":"alice-pass"}`))
	rec = httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.True(t, rec.Result().Cookies()[0].Secure, "Secure over TLS")
}

func TestMiddleware(t *testing.T) {
	ts := newTestServer(t)
	cookie, me := ts.login(t, "alice", "alice-pass")
	require.NotEmpty(t, me.CSRF)
	tokRec := ts.do("POST", "/auth/token", `{"username":"bob","password":"bob-pass"}`, nil)
	require.Equal(t, http.StatusOK, tokRec.Code)
	var tv meView
	require.NoError(t, json.Unmarshal(tokRec.Body.Bytes(), &tv))
	require.NotEmpty(t, tv.Token)
	assert.Empty(t, tokRec.Result().Cookies())

	tests := []struct {
		name, method, path string
		hdr                map[string]string
		status             int
		body               string
	}{
		{"no session", "GET", "/instances/all", nil, 401, "sign in first"},
		{"public path", "GET", "/ping", nil, 200, "-"},
		{"public prefix", "GET", "/ui/app.js", nil, 200, "-"},
		{"root page", "GET", "/", nil, 200, "-"},
		{"the root is no prefix", "GET", "/instances/all", nil, 401, "sign in first"},
		{"cookie read", "GET", "/instances/all", map[string]string{"Cookie": cookie}, 200, "alice"},
		{"cookie write without CSRF", "PUT", "/instances/reboot", map[string]string{"Cookie": cookie}, 403, "X-CSRF-Token"},
		{"cookie write with wrong CSRF", "PUT", "/instances/reboot", map[string]string{"Cookie": cookie, CSRFHeader: "nope"}, 403, "X-CSRF-Token"},
		{"cookie write with CSRF", "PUT", "/instances/reboot", map[string]string{"Cookie": cookie, CSRFHeader: me.CSRF}, 200, "alice"},
		{"cross-origin write", "PUT", "/instances/reboot", map[string]string{"Cookie": cookie, CSRFHeader: me.CSRF, "Sec-Fetch-Site": "cross-site"}, 403, "cross-origin"},
		{"other origin write", "POST", "/instances", map[string]string{"Cookie": cookie, CSRFHeader: me.CSRF, "Origin": "https://evil.example"}, 403, "cross-origin"},
		{"bearer write needs no CSRF", "PUT", "/instances/reboot", map[string]string{"Authorization": "Bearer " + tv.Token}, 200, "bob"},
		{"lower-case scheme", "GET", "/x", map[string]string{"Authorization": "bearer " + tv.Token}, 200, "bob"},
		{"unknown bearer", "GET", "/x", map[string]string{"Authorization": "Bearer abc"}, 401, "unknown, expired or revoked"},
		{"basic auth", "GET", "/x", map[string]string{"Authorization": "Basic YTpi"}, 401, "expected"},
		{"stale cookie on public path", "GET", "/ping", map[string]string{"Cookie": cookieName + "=stale"}, 200, "-"},
		{"stale cookie", "GET", "/x", map[string]string{"Cookie": cookieName + "=stale"}, 401, "sign in first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do(tt.method, tt.path, "", tt.hdr)
			assert.Equal(t, tt.status, rec.Code)
			assert.Contains(t, rec.Body.String(), tt.body)
		})
	}
}

func TestSignInErrors(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, body string
		status     int
		msg        string
	}{
		{"bad password", `{"username":"alice","password":"Secr3t-guess"}`, 401, "wrong user name or password"},
		{"unknown user", `{"username":"zed","password":"Secr3t-guess"}`, 401, "wrong user name or password"},
		{"no grants", `{"username":"nobody","password":"nobody-pass"}`, 403, "access to no project"},
		{"not JSON", `username=alice`, 400, "expected JSON"},
		{"unknown field", `{"user":"alice","password":"x"}`, 400, "unknown field"},
		{"empty password", `{"username":"alice","password":""}`, 400, "password is empty"},
		{"no username", `{"password":"x"}`, 400, "username is empty or missing"},
		{"no password", `{"username":"alice"}`, 400, "password is empty or missing"},
		{"malformed JSON", `{"username":"alice",`, 400, "expected JSON"},
		{"two objects", `{"username":"alice","password":"x"} {}`, 400, "nothing after it"},
		{"empty body", ``, 400, "the body is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do("POST", "/auth/login", tt.body, nil)
			assert.Equal(t, tt.status, rec.Code)
			assert.Contains(t, rec.Body.String(), tt.msg)
			assert.Empty(t, rec.Result().Cookies())
		})
	}
	assert.Zero(t, ts.auth.store().Len())
	assert.NotContains(t, ts.logs.String(), "Secr3t-guess", "a password reached the log")
	assert.Contains(t, ts.logs.String(), "sign-in refused")
}

func TestFormSignIn(t *testing.T) {
	ts := newTestServer(t)
	req := httptest.NewRequest("POST", "/auth/login", strings.NewReader("username=alice&password=alice-pass"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

// TestSignInContentTypes: JSON is read whatever the Content-Type says
// (curl -d sends application/x-www-form-urlencoded), a form as a form, and
// a form without its password says so.
func TestSignInContentTypes(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		contentType, body string
		status            int
		msg               string
	}{
		{"application/x-www-form-urlencoded", `{"username":"alice","password":"alice-pass"}`, 200, `"user"`},
		{"text/plain", `{"username":"alice","password":"alice-pass"}`, 200, `"user"`},
		{"", ` {"username":"alice","password":"alice-pass"}`, 200, `"user"`},
		{"application/json; charset=utf-8", `{"username":"alice","password":"alice-pass"}`, 200, `"user"`},
		{"application/x-www-form-urlencoded", `username=alice&password=alice-pass`, 200, `"user"`},
		{"application/x-www-form-urlencoded", `username=alice`, 400, "password is empty or missing"},
		{"application/x-www-form-urlencoded", `password=x`, 400, "username is empty or missing"},
		{"application/x-www-form-urlencoded", `username=%zz`, 400, "the form cannot be read"},
		{"application/x-www-form-urlencoded", `{"username":"alice"`, 400, "expected JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.contentType+" "+tt.body, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/auth/token", strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			ts.h.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code, rec.Body.String())
			assert.Contains(t, rec.Body.String(), tt.msg)
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		})
	}
}

func TestLogoutRevokes(t *testing.T) {
	ts := newTestServer(t)
	cookie, me := ts.login(t, "alice", "alice-pass")
	assert.Equal(t, 403, ts.do("POST", "/auth/logout", "", map[string]string{"Cookie": cookie}).Code, "sign-out needs the CSRF token")
	rec := ts.do("POST", "/auth/logout", "", map[string]string{"Cookie": cookie, CSRFHeader: me.CSRF})
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, -1, rec.Result().Cookies()[0].MaxAge, "the cookie is cleared")
	assert.Equal(t, 401, ts.do("GET", "/x", "", map[string]string{"Cookie": cookie}).Code, "the old cookie is dead")

	rec = ts.do("POST", "/auth/token", `{"username":"bob","password":"bob-pass"}`, nil)
	var tv meView
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &tv))
	bearer := map[string]string{"Authorization": "Bearer " + tv.Token}
	require.Equal(t, 200, ts.do("POST", "/auth/logout", "", bearer).Code)
	assert.Equal(t, 401, ts.do("GET", "/x", "", bearer).Code)
	assert.Zero(t, ts.auth.store().Len())
	assert.NotContains(t, ts.logs.String(), tv.Token, "a token reached the log")
}

func TestSessionExpiry(t *testing.T) {
	ts := newTestServer(t)
	cookie, _ := ts.login(t, "alice", "alice-pass")
	hdr := map[string]string{"Cookie": cookie}
	for range 3 { // used every 50 s, the session outlives its 1 min idle time
		*ts.now = ts.now.Add(50 * time.Second)
		require.Equal(t, 200, ts.do("GET", "/x", "", hdr).Code)
	}
	*ts.now = ts.now.Add(61 * time.Second)
	assert.Equal(t, 401, ts.do("GET", "/x", "", hdr).Code, "idle too long")

	cookie, _ = ts.login(t, "alice", "alice-pass")
	hdr = map[string]string{"Cookie": cookie}
	for range 80 { // used every 50 s, it still ends at its 1 h maximum age
		*ts.now = ts.now.Add(50 * time.Second)
		if ts.do("GET", "/x", "", hdr).Code != 200 {
			break
		}
	}
	assert.Equal(t, 401, ts.do("GET", "/x", "", hdr).Code, "past the maximum age")
}

func TestMe(t *testing.T) {
	ts := newTestServer(t)
	assert.Equal(t, 401, ts.do("GET", "/auth/me", "", nil).Code)
	cookie, me := ts.login(t, "vera", "vera-pass")
	rec := ts.do("GET", "/auth/me", "", map[string]string{"Cookie": cookie})
	require.Equal(t, 200, rec.Code)
	var again meView
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &again))
	assert.Equal(t, me.CSRF, again.CSRF)
	assert.Equal(t, "vera", again.User)
	assert.Equal(t, []Grant{{Project: "a", Role: RoleViewer}}, again.Grants)
	assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
}

func TestOpenServer(t *testing.T) {
	a := New(Config{})
	require.True(t, a.Open())
	mux := http.NewServeMux()
	a.Register(mux)
	var got *Principal
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { got, _ = FromContext(r.Context()) })
	h := a.Middleware(mux)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("PUT", "/instances/reboot", nil))
	assert.Equal(t, 200, rec.Code)
	require.NotNil(t, got)
	assert.True(t, got.Unrestricted)

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/auth/me", nil))
	assert.Contains(t, rec.Body.String(), `"open":true`)

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/auth/login", strings.NewReader(`{}`)))
	assert.Equal(t, 404, rec.Code)
	assert.Contains(t, rec.Body.String(), "runs open")
}
