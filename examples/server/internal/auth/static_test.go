package auth

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// testUsers returns a static back-end with cheap hashes, for speed.
func testUsers(t testing.TB) *Static {
	t.Helper()
	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		require.NoError(t, err)
		return string(h)
	}
	s, err := NewStatic([]StaticUser{
		{Name: "alice", PasswordHash: hash("alice-pass"), Grants: []Grant{{Project: "a", Role: RoleOperator}}},
		{Name: "bob", PasswordHash: hash("bob-pass"), Grants: []Grant{{Project: "b", Role: RoleOperator}}},
		{Name: "vera", PasswordHash: hash("vera-pass"), Grants: []Grant{{Project: "a", Role: RoleViewer}}},
		{Name: "nobody", PasswordHash: hash("nobody-pass")},
	})
	require.NoError(t, err)
	return s
}

func TestStaticAuthenticate(t *testing.T) {
	s := testUsers(t)
	tests := []struct {
		name, user, pass string
		wantErr          error
	}{
		{"good", "alice", "alice-pass", nil},
		{"bad password", "alice", "bob-pass", errBadCredentials},
		{"unknown user", "zed", "zed-pass", errUnknownUser},
		{"no grants", "nobody", "nobody-pass", errNoAccess},
		{"empty password", "alice", "", errInvalidRequest},
		{"empty user", " ", "x", errInvalidRequest},
		{"control characters", "al\nice", "x", errInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Authenticate(context.Background(), tt.user, tt.pass)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, p)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.user, p.Name)
			assert.Equal(t, []Grant{{Project: "a", Role: RoleOperator}}, p.Grants)
		})
	}
}

func TestParseStatic(t *testing.T) {
	h, err := HashPassword("pw")
	require.NoError(t, err)
	good := "users:\n  - name: alice\n    password_hash: " + h + "\n    grants:\n      - {project: demo, role: operator}\n"
	tests := []struct {
		name, text, wantErr string
	}{
		{"good", good, ""},
		{"not yaml", "users: [", "static users"},
		{"no name", "users:\n  - password_hash: " + h + "\n", "has no name"},
		{"duplicate", "users:\n  - {name: a, password_hash: " + h + "}\n  - {name: a, password_hash: " + h + "}\n", "appears twice"},
		{"plain password", "users:\n  - {name: a, password_hash: secret}\n", "not a bcrypt hash"},
		{"bad role", "users:\n  - name: a\n    password_hash: " + h + "\n    grants: [{role: king}]\n", `role "king"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseStatic([]byte(tt.text))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), h, "an error must not quote the hash")
				return
			}
			require.NoError(t, err)
			p, err := s.Authenticate(context.Background(), "alice", "pw")
			require.NoError(t, err)
			assert.Equal(t, RoleOperator, p.Grants[0].Role)
		})
	}
}

func TestLoadStatic(t *testing.T) {
	_, err := LoadStatic(filepath.Join(t.TempDir(), "missing.yaml"))
	require.ErrorIs(t, err, os.ErrNotExist)

	s, err := LoadStatic(filepath.Join("testdata", "users.yaml"))
	require.NoError(t, err)
	p, err := s.Authenticate(context.Background(), "demo", "demo")
	require.NoError(t, err)
	assert.Equal(t, []Grant{{Role: RoleOperator}}, p.Grants)
}
