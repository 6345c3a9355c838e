//go:build ldap

package auth

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testLDAPConfig(url string) ldapConfig {
	return ldapConfig{
		URL: url, BindDN: testRootDN, BindPassword: testRootPW,
		UserBaseDN: "ou=people," + testSuffix, GroupBaseDN: "ou=groups," + testSuffix,
		Groups: map[string][]Grant{
			"ops":  {{Project: "demo", Role: RoleOperator}},
			"devs": {{Project: "staging", Role: RoleViewer}},
		},
		Timeout: 3 * time.Second,
	}
}

func TestLDAPSignIn(t *testing.T) {
	srv := startSlapd(t)
	l, err := newLDAP(testLDAPConfig(srv.URL))
	require.NoError(t, err)

	tests := []struct {
		name, user, pass string
		wantErr          error
		wantGrants       []Grant
	}{
		{"operator in two groups", "alice", "alice-pass", nil,
			[]Grant{{Project: "staging", Role: RoleViewer}, {Project: "demo", Role: RoleOperator}}},
		{"viewer", "bob", "bob-pass", nil, []Grant{{Project: "staging", Role: RoleViewer}}},
		{"bad password", "alice", "Wr0ng-pw-7731", errBadCredentials, nil},
		{"unknown user", "mallory", "whatever", errUnknownUser, nil},
		{"user in no group", "carol", "carol-pass", errNoAccess, nil},
		{"user in an unmapped group", "dave", "dave-pass", errNoAccess, nil},
		{"empty password is not an anonymous bind", "alice", "", errInvalidRequest, nil},
		{"filter injection", "*)(uid=*", "x", errUnknownUser, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := l.Authenticate(context.Background(), tt.user, tt.pass)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, p)
				if tt.pass != "" {
					assert.NotContains(t, err.Error(), tt.pass, "the password leaked into the error")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.user, p.Name)
			assert.Equal(t, "ldap", p.Backend)
			assert.ElementsMatch(t, tt.wantGrants, p.Grants)
		})
	}
}

func TestLDAPServerDown(t *testing.T) {
	srv := startSlapd(t)
	l, err := newLDAP(testLDAPConfig(srv.URL))
	require.NoError(t, err)
	_, err = l.Authenticate(context.Background(), "alice", "alice-pass")
	require.NoError(t, err, "the directory answers before it is stopped")

	srv.Stop()
	_, err = l.Authenticate(context.Background(), "alice", "alice-pass")
	require.ErrorIs(t, err, errUnavailable)
	assert.NotErrorIs(t, err, errBadCredentials)

	// A port where nothing ever listened, too.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	l2, err := newLDAP(testLDAPConfig("ldap://" + addr))
	require.NoError(t, err)
	_, err = l2.Authenticate(context.Background(), "alice", "alice-pass")
	require.ErrorIs(t, err, errUnavailable)
}

// TestLDAPSignInRoute checks what a browser sees for each failure: a
// clear message, the right status, and no session cookie.
func TestLDAPSignInRoute(t *testing.T) {
	srv := startSlapd(t)
	l, err := newLDAP(testLDAPConfig(srv.URL))
	require.NoError(t, err)
	a := New(Config{Identity: l})
	mux := http.NewServeMux()
	a.Register(mux)
	h := a.Middleware(mux)

	signIn := func(user, pass string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/auth/login", strings.NewReader(`{"username":"`+user+`","password":"`+pass+`"}`))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		return rec
	}
	tests := []struct {
		name, user, pass string
		status           int
		msg              string
	}{
		{"bad password", "alice", "nope", http.StatusUnauthorized, "wrong user name or password"},
		{"unknown user", "mallory", "nope", http.StatusUnauthorized, "wrong user name or password"},
		{"no group", "carol", "carol-pass", http.StatusForbidden, "access to no project"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := signIn(tt.user, tt.pass)
			assert.Equal(t, tt.status, rec.Code)
			assert.Contains(t, rec.Body.String(), tt.msg)
			assert.Empty(t, rec.Result().Cookies(), "a failed sign-in must not set a cookie")
		})
	}
	assert.Zero(t, a.store().Len())

	rec := signIn("alice", "alice-pass")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Len(t, rec.Result().Cookies(), 1)
	assert.Equal(t, 1, a.store().Len())

	srv.Stop()
	rec = signIn("alice", "alice-pass")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Contains(t, rec.Body.String(), "identity service is unavailable")
	assert.Empty(t, rec.Result().Cookies())
	assert.Equal(t, 1, a.store().Len())
}
