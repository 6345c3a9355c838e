package main

import (
	"context"
	"net/http"
	"strings"
)

// userHandler is the body of an API handler for an authenticated user: it
// returns the status and value to answer with, or an error.
type userHandler func(ctx context.Context, u *user, w http.ResponseWriter, r *http.Request) (int, any, error)

// authenticate returns the user of the request's "Authorization: Token
// <key>" header, or a 401 in Django REST framework's words.
func (p *portal) authenticate(r *http.Request) (*user, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, &apiError{status: http.StatusUnauthorized, msg: "Authentication credentials were not provided."}
	}
	scheme, key, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Token") {
		return nil, &apiError{status: http.StatusUnauthorized, msg: "Invalid token header: use Authorization: Token <key>."}
	}
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " \t") {
		return nil, &apiError{status: http.StatusUnauthorized, msg: "Invalid token header. Token string should not contain spaces."}
	}
	u, ok := p.users[key]
	if !ok {
		return nil, &apiError{status: http.StatusUnauthorized, msg: "Invalid token."}
	}
	return u, nil
}

// withUser makes an http.Handler of h: it authenticates the request and
// writes h's answer.
func withUser(d *deps, h userHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := d.portal.authenticate(r)
		if err != nil {
			writeError(w, d.log, err)
			return
		}
		status, v, err := h(r.Context(), u, w, r)
		switch {
		case err != nil:
			writeError(w, d.log, err)
		case v == nil:
			w.WriteHeader(status)
		default:
			encode(w, status, v)
		}
	})
}
