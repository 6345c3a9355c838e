package auth

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Default session lifetimes and limits.
const (
	defaultIdle        = 30 * time.Minute
	defaultMaxAge      = 12 * time.Hour
	defaultMaxSessions = 10000
	// cookieName is the browser session cookie.
	cookieName = "perspective_session"
	// CSRFHeader carries a browser session's CSRF token on mutating requests.
	CSRFHeader = "X-CSRF-Token"
)

// Config configures Auth.
type Config struct {
	// Identity checks credentials. Nil runs the server open: every request
	// acts as an unrestricted principal (for the mock cloud on loopback).
	Identity Identity
	// Idle and MaxAge bound a session's life (defaults defaultIdle,
	// defaultMaxAge); MaxSessions bounds how many are kept.
	Idle, MaxAge time.Duration
	MaxSessions  int
	// Public lists paths served without a session: an exact path, or a
	// prefix when it ends with "/" ("/" itself is only the root page).
	// The sign-in routes are always public.
	Public []string
	// Log receives sign-in and sign-out events (never a password or token).
	Log *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Auth signs users in and out and guards the routes of a server.
type Auth struct {
	cfg      Config
	sessions *sessionStore
	cop      *http.CrossOriginProtection
}

// New returns an Auth for cfg.
func New(cfg Config) *Auth {
	if cfg.Idle <= 0 {
		cfg.Idle = defaultIdle
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = defaultMaxAge
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = defaultMaxSessions
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	a := &Auth{cfg: cfg, sessions: newSessionStore(cfg.Idle, cfg.MaxAge, cfg.MaxSessions, cfg.Now)}
	a.cop = http.NewCrossOriginProtection()
	a.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSONError(w, http.StatusForbidden, "forbidden", "cross-origin request refused: "+r.Method+" "+r.URL.Path+" must come from this site")
	}))
	return a
}

// Open reports whether the server runs without an identity back-end.
func (a *Auth) Open() bool { return a.cfg.Identity == nil }

// store returns the session store (for tests and metrics).
func (a *Auth) store() *sessionStore { return a.sessions }

// Close ends every session and releases the users' cloud sessions.
func (a *Auth) Close() { a.sessions.Close() }

// openPrincipal is who everyone is on an open server.
var openPrincipal = &Principal{Name: "anonymous", Unrestricted: true, Backend: "open"}

// Middleware guards next: it finds the request's principal (from the
// bearer token or the session cookie), refuses requests without one
// (401) except on public paths, refuses cross-origin mutating requests
// and cookie-authenticated mutating requests without the session's CSRF
// token (403), and puts the principal in the request's context.
func (a *Auth) Middleware(next http.Handler) http.Handler {
	return a.cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Open() {
			next.ServeHTTP(w, r.WithContext(newContext(r.Context(), openPrincipal)))
			return
		}
		sess, viaCookie, err := a.session(r)
		if err != nil {
			writeJSONError(w, http.StatusUnauthorized, "unauthenticated", err.Error())
			return
		}
		if sess == nil {
			if a.public(r.URL.Path) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="perspective"`)
			writeJSONError(w, http.StatusUnauthorized, "unauthenticated",
				"sign in first: POST /auth/login (browser) or POST /auth/token, then send Authorization: Bearer <token>")
			return
		}
		if viaCookie && ActionOf(r.Method) == ActionWrite && !sameToken(r.Header.Get(CSRFHeader), sess.CSRF) {
			writeJSONError(w, http.StatusForbidden, "forbidden",
				"missing or wrong "+CSRFHeader+" header: a browser session must send the CSRF token GET /auth/me returns")
			return
		}
		next.ServeHTTP(w, r.WithContext(newContext(r.Context(), sess.Principal)))
	}))
}

// session finds the request's session. A bearer token that is not a live
// session is an error (the client meant to authenticate); a stale cookie
// is treated as no session, so public pages still load.
func (a *Auth) session(r *http.Request) (*sessionRecord, bool, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok := bearerToken(h)
		if tok == "" {
			return nil, false, errors.New("the Authorization header: expected \"Bearer <token>\"")
		}
		sess, ok := a.sessions.Lookup(tok)
		if !ok {
			return nil, false, errors.New("the bearer token is unknown, expired or revoked: sign in again")
		}
		return sess, false, nil
	}
	if c, err := r.Cookie(cookieName); err == nil {
		if sess, ok := a.sessions.Lookup(c.Value); ok {
			return sess, true, nil
		}
	}
	return nil, false, nil
}

// public reports whether path is served without a session.
func (a *Auth) public(path string) bool {
	if path == "/auth/login" || path == "/auth/token" || path == "/auth/me" || path == "/auth/logout" {
		return true
	}
	for _, p := range a.cfg.Public {
		// "/" is the root page only, never a prefix of every path.
		if path == p || (len(p) > 1 && strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return true
		}
	}
	return false
}

// errorBody is the JSON error shape of the server: {"code","message"}.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // messages quote bodies such as username=…&password=…
	_ = enc.Encode(v)
}
