package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// userHandler is the body of an API handler for an authenticated user: it
// returns the status and value to answer with, or an error.
type userHandler func(ctx context.Context, u *user, w http.ResponseWriter, r *http.Request) (int, any, error)

// authenticate returns the user of the request's "Authorization: Token
// <key>" header, or a 401 in Django REST framework's words.
func (p *portal) authenticate(r *http.Request) (*user, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, &apiError{Status: http.StatusUnauthorized, Message: "Authentication credentials were not provided."}
	}
	scheme, key, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Token") {
		return nil, &apiError{Status: http.StatusUnauthorized, Message: "Invalid token header: use Authorization: Token <key>."}
	}
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " \t") {
		return nil, &apiError{Status: http.StatusUnauthorized, Message: "Invalid token header. Token string should not contain spaces."}
	}
	u, ok := p.users[key]
	if !ok {
		return nil, &apiError{Status: http.StatusUnauthorized, Message: "Invalid token."}
	}
	return u, nil
}

// withUser makes an http.Handler of h: it authenticates the request and
// writes h's answer.
func withUser(d *deps, h userHandler) http.Handler {
	return httpjson.Handle(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		u, err := d.portal.authenticate(r)
		if err != nil {
			return 0, nil, err
		}
		return h(r.Context(), u, w, r)
	}, func(w http.ResponseWriter, err error) { writeError(w, d.log, err) })
}
