package auth

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzSignInBody feeds arbitrary sign-in bodies through the sign-in route:
// it must answer with a status, never panic, and sign nobody in unless
// the credentials are right.
func FuzzSignInBody(f *testing.F) {
	for _, s := range []string{`{"username":"alice","password":"alice-pass"}`, `{}`, `[]`, `null`,
		`{"username":"alice","password":"x","extra":1}`, `{"username":1}`, "\x00", `{"username":"a\u0000b","password":"p"}`} {
		f.Add(s, "application/json")
	}
	f.Add("username=alice&password=alice-pass", "application/x-www-form-urlencoded")
	f.Add("%zz", "application/x-www-form-urlencoded")
	a := New(Config{Identity: testUsers(f)})
	mux := http.NewServeMux()
	a.Register(mux)
	h := a.Middleware(mux)
	f.Fuzz(func(t *testing.T, body, contentType string) {
		req := httptest.NewRequest("POST", "/auth/login", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			if !strings.Contains(body, "alice-pass") && !strings.Contains(body, "bob-pass") &&
				!strings.Contains(body, "vera-pass") && !strings.Contains(body, "pass") {
				t.Fatalf("signed in without a password: %q", body)
			}
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestEntityTooLarge:
			if len(rec.Result().Cookies()) != 0 {
				t.Fatalf("status %d set a cookie", rec.Code)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body.String())
		}
	})
}

// FuzzParseConfig feeds arbitrary configuration files to ParseConfig: an
// error or a config, never a panic.
func FuzzParseConfig(f *testing.F) {
	f.Add("backend: static\nstatic: {users: []}\n")
	f.Add("backend: ldap\nldap: {url: ldap://h, user_base_dn: dc=x, groups: {g: [{role: operator}]}}\n")
	f.Add("backend: openstack\nopenstack: {url: 'openstack://?cloud=x'}\n")
	f.Add("session: {idle: -1s}\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := parseConfig([]byte(text), func(string) string { return "" })
		if err == nil && c.Identity == nil {
			t.Fatalf("no error and no identity for %q", text)
		}
	})
}
