package auth

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"
)

// StaticUser is one user of a static users file.
type StaticUser struct {
	Name string `yaml:"name"`
	// PasswordHash is a bcrypt hash ($2a$…, $2b$…), e.g. from HashPassword.
	PasswordHash string  `yaml:"password_hash"`
	Grants       []Grant `yaml:"grants"`
}

// Static is the identity back-end of a static users file, for demos and
// small installations.
type Static struct {
	users map[string]StaticUser
}

// dummyHash is compared against when the user is unknown, so that an
// unknown user takes as long to refuse as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("perspective-dummy-password"), bcrypt.DefaultCost)

// NewStatic makes a Static back-end of users; it checks every hash and role.
func NewStatic(users []StaticUser) (*Static, error) {
	s := &Static{users: make(map[string]StaticUser, len(users))}
	for i, u := range users {
		if u.Name == "" {
			return nil, fmt.Errorf("static users: user %d has no name", i+1)
		}
		if _, dup := s.users[u.Name]; dup {
			return nil, fmt.Errorf("static users: user %q appears twice", u.Name)
		}
		if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
			return nil, fmt.Errorf("static users: user %q: password_hash is not a bcrypt hash: %v", u.Name, err)
		}
		for j, g := range u.Grants {
			r, err := parseRole(string(g.Role))
			if err != nil {
				return nil, fmt.Errorf("static users: user %q, grant %d: %w", u.Name, j+1, err)
			}
			u.Grants[j].Role = r
		}
		s.users[u.Name] = u
	}
	return s, nil
}

// staticFile is the layout of a static users file.
type staticFile struct {
	Users []StaticUser `yaml:"users"`
}

// LoadStatic reads a static users file (YAML or JSON):
//
//	users:
//	  - name: alice
//	    password_hash: $2a$10$…
//	    grants:
//	      - {project: demo, role: operator}
func LoadStatic(path string) (*Static, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("static users: %w", err)
	}
	return parseStatic(b)
}

// parseStatic reads the contents of a static users file.
func parseStatic(b []byte) (*Static, error) {
	var f staticFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("static users: %v", err)
	}
	return NewStatic(f.Users)
}

// HashPassword returns the bcrypt hash of password, for a static users file.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}

// Name implements Identity.
func (s *Static) Name() string { return "static" }

// Authenticate implements Identity.
func (s *Static) Authenticate(_ context.Context, user, password string) (*Principal, error) {
	if err := checkCredentials(user, password); err != nil {
		return nil, err
	}
	u, ok := s.users[user]
	if !ok {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, fmt.Errorf("static user %q: %w", user, errUnknownUser)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)); err != nil {
		if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) || errors.Is(err, bcrypt.ErrPasswordTooLong) {
			return nil, fmt.Errorf("static user %q: %w", user, errBadCredentials)
		}
		return nil, fmt.Errorf("static user %q: %w: %v", user, errUnavailable, err)
	}
	if len(u.Grants) == 0 {
		return nil, fmt.Errorf("static user %q: %w", user, errNoAccess)
	}
	return &Principal{Name: u.Name, Grants: append([]Grant(nil), u.Grants...), Backend: s.Name()}, nil
}
