package auth

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	users := filepath.Join("testdata", "users.yaml")
	tests := []struct {
		name, text, backend, wantErr string
		idle                         time.Duration
	}{
		{"static file", "backend: static\nstatic: {file: " + users + "}\nsession: {idle: 5m, max_age: 1h}\n", "static", "", 5 * time.Minute},
		{"ldap", "backend: ldap\nldap:\n  url: ldap://127.0.0.1:1389\n  user_base_dn: ou=people,dc=x\n  groups:\n    ops: [{project: demo, role: operator}]\n", "ldap", "", 0},
		{"openstack", "backend: openstack\nopenstack: {url: \"openstack://?cloud=devstack\"}\n", "openstack", "", 0},
		{"unknown backend", "backend: kerberos\n", "", "expected static, ldap or openstack", 0},
		{"no backend", "{}\n", "", "expected static, ldap or openstack", 0},
		{"bad duration", "backend: static\nsession: {idle: soon}\n", "", "session.idle", 0},
		{"ldap without groups", "backend: ldap\nldap: {url: ldap://h, user_base_dn: dc=x}\n", "", "groups is empty", 0},
		{"ldap without url", "backend: ldap\nldap: {user_base_dn: dc=x}\n", "", "url is required", 0},
		{"missing users file", "backend: static\nstatic: {file: /nonexistent/users.yaml}\n", "", "no such file", 0},
		{"both file and users", "backend: static\nstatic: {file: x, users: [{name: a}]}\n", "", "not both", 0},
		{"not yaml", "backend: [", "", "auth config", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig([]byte(tt.text), func(string) string { return "" })
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.backend, c.Identity.Name())
			assert.Equal(t, tt.idle, c.Idle)
		})
	}
	_, err := LoadConfig(filepath.Join(t.TempDir(), "none.yaml"), nil)
	assert.Error(t, err)
}

func TestSessionsLimit(t *testing.T) {
	now := time.Unix(0, 0)
	s := newSessionStore(time.Hour, time.Hour, 2, func() time.Time { now = now.Add(time.Second); return now })
	t1, _ := s.Create(&Principal{Name: "1"}, false)
	t2, _ := s.Create(&Principal{Name: "2"}, false)
	t3, _ := s.Create(&Principal{Name: "3"}, false)
	assert.Equal(t, 2, s.Len())
	_, ok := s.Lookup(t1)
	assert.False(t, ok, "the oldest session made room")
	for _, tok := range []string{t2, t3} {
		_, ok := s.Lookup(tok)
		assert.True(t, ok)
	}
	_, ok = s.Lookup("")
	assert.False(t, ok)
	assert.False(t, s.Revoke("unknown"))
	s.Close()
	assert.Zero(t, s.Len())
}
