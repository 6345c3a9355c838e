package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxLoginBody bounds a sign-in request body.
const maxLoginBody = 16 << 10

// signInTimeout bounds one sign-in (the directory or Keystone may hang).
const signInTimeout = 15 * time.Second

// Mux is where Register adds the sign-in routes (an *http.ServeMux or a
// wrapper of one).
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register adds the sign-in routes to m:
//
//	POST /auth/login   {"username","password"} → a browser session cookie
//	POST /auth/token   {"username","password"} → {"token": …} for API clients
//	POST /auth/logout  ends the session of the cookie or bearer token
//	GET  /auth/me      who is signed in, their grants and CSRF token
func (a *Auth) Register(m Mux) {
	m.Handle("POST /auth/login", a.handleSignIn(false))
	m.Handle("POST /auth/token", a.handleSignIn(true))
	m.Handle("POST /auth/logout", http.HandlerFunc(a.handleLogout))
	m.Handle("GET /auth/me", http.HandlerFunc(a.handleMe))
}

// credentials is a sign-in request.
type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// String hides the password from any log or %v.
func (c credentials) String() string { return fmt.Sprintf("{username:%q password:***}", c.Username) }

// readCredentials reads a sign-in request: JSON {"username","password"}
// whatever the Content-Type says (curl -d sends JSON as a form), or a
// form (username=…&password=…) when the body is one. Its errors say
// which field is missing or what is wrong with the body.
func readCredentials(w http.ResponseWriter, r *http.Request) (credentials, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLoginBody))
	if err != nil {
		return credentials{}, fmt.Errorf("%w: the body cannot be read (at most %d bytes): %v", errInvalidRequest, maxLoginBody, err)
	}
	trimmed := bytes.TrimSpace(body)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/x-www-form-urlencoded" && !bytes.HasPrefix(trimmed, []byte("{")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return credentials{}, fmt.Errorf("%w: the form cannot be read: %v", errInvalidRequest, err)
		}
		return credentials{Username: form.Get("username"), Password: form.Get("password")}, nil
	}
	if len(trimmed) == 0 {
		return credentials{}, fmt.Errorf("%w: the body is empty; expected JSON %s", errInvalidRequest, credentialsShape)
	}
	var c credentials
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%w: expected JSON %s (or a form username=…&password=…): %s",
			errInvalidRequest, credentialsShape, strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return c, fmt.Errorf("%w: expected one JSON object %s, and nothing after it", errInvalidRequest, credentialsShape)
	}
	return c, nil
}

// credentialsShape is the sign-in body, for error messages.
const credentialsShape = `{"username": "…", "password": "…"}`

// meView is what GET /auth/me and a sign-in answer.
type meView struct {
	User         string    `json:"user"`
	Backend      string    `json:"backend"`
	Grants       []Grant   `json:"grants"`
	Unrestricted bool      `json:"unrestricted"`
	Open         bool      `json:"open"`
	CSRF         string    `json:"csrf,omitempty"`
	Token        string    `json:"token,omitempty"`
	Expires      time.Time `json:"expires,omitzero"`
}

func viewOf(s *sessionRecord) meView {
	g := s.Principal.Grants
	if g == nil {
		g = []Grant{}
	}
	v := meView{User: s.Principal.Name, Backend: s.Principal.Backend, Grants: g, Expires: s.Expires}
	if !s.Bearer {
		v.CSRF = s.CSRF
	}
	return v
}

func (a *Auth) handleSignIn(bearer bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Open() {
			writeJSONError(w, http.StatusNotFound, "not_found", "this server runs open (no identity back-end is configured): no sign-in is needed")
			return
		}
		c, err := readCredentials(w, r)
		var p *Principal
		if err == nil {
			ctx, cancel := context.WithTimeout(r.Context(), signInTimeout)
			p, err = a.cfg.Identity.Authenticate(ctx, c.Username, c.Password)
			cancel()
		}
		if err != nil {
			status, code, msg := statusOf(err)
			// err names the user and the reason, never the password.
			a.cfg.Log.Warn("sign-in refused", "backend", a.cfg.Identity.Name(), "user", c.Username, "status", status, "reason", err.Error())
			writeJSONError(w, status, code, msg)
			return
		}
		tok, sess := a.sessions.Create(p, bearer)
		a.cfg.Log.Info("signed in", "backend", a.cfg.Identity.Name(), "user", p.Name, "bearer", bearer)
		v := viewOf(sess)
		if bearer {
			v.Token = tok
		} else {
			http.SetCookie(w, &http.Cookie{Name: cookieName, Value: tok, Path: "/", HttpOnly: true,
				Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: sess.Created.Add(a.cfg.MaxAge)})
		}
		writeJSON(w, http.StatusOK, v)
	})
}

func (a *Auth) handleLogout(w http.ResponseWriter, r *http.Request) {
	if a.Open() {
		writeJSON(w, http.StatusOK, map[string]string{"message": "this server runs open: there is no session to end"})
		return
	}
	sess, viaCookie, err := a.session(r)
	if err != nil || sess == nil {
		a.clearCookie(w, r)
		writeJSONError(w, http.StatusUnauthorized, "unauthenticated", "not signed in")
		return
	}
	if viaCookie && !sameToken(r.Header.Get(CSRFHeader), sess.CSRF) {
		writeJSONError(w, http.StatusForbidden, "forbidden", "missing or wrong "+CSRFHeader+" header")
		return
	}
	if viaCookie {
		c, _ := r.Cookie(cookieName)
		a.sessions.Revoke(c.Value)
		a.clearCookie(w, r)
	} else {
		a.sessions.Revoke(bearerToken(r.Header.Get("Authorization")))
	}
	a.cfg.Log.Info("signed out", "user", sess.Principal.Name)
	writeJSON(w, http.StatusOK, map[string]string{"message": "signed out"})
}

func (a *Auth) handleMe(w http.ResponseWriter, r *http.Request) {
	if a.Open() {
		writeJSON(w, http.StatusOK, meView{User: openPrincipal.Name, Backend: openPrincipal.Backend,
			Grants: []Grant{}, Unrestricted: true, Open: true})
		return
	}
	sess, _, err := a.session(r)
	if err != nil || sess == nil {
		msg := "not signed in"
		if err != nil {
			msg = err.Error()
		}
		writeJSONError(w, http.StatusUnauthorized, "unauthenticated", msg)
		return
	}
	writeJSON(w, http.StatusOK, viewOf(sess))
}

func (a *Auth) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// bearerToken returns the token of "Bearer <token>", or "".
func bearerToken(h string) string {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
