// Package auth signs users in to the Perspective REST API example server
// and tells every handler what the signed-in user may see and do.
//
// An identity back-end, chosen by the configuration file (LoadConfig),
// checks credentials: a static users file with bcrypt hashes (Static, for
// demos; examples/server/auth.sample.yaml is one), an LDAP directory whose
// groups map to projects and roles, or the OpenStack cloud itself with the
// user's Keystone credentials (the user's authenticated cloud session stays
// on the server, so no request fetches a token). With no back-end the
// server runs open.
//
// Browsers get a session cookie (HttpOnly, Secure over TLS, SameSite=Lax)
// and send the session's CSRF token in X-CSRF-Token on every mutating
// request; cross-origin mutating requests are refused as well
// (net/http.CrossOriginProtection). API clients get a bearer token from
// POST /auth/token. Sessions expire when idle and at a maximum age;
// signing out revokes them. Passwords and tokens never reach a log.
//
// Typical use in a server:
//
//	a := auth.New(auth.Config{Identity: users, Public: []string{"/", "/ui/", "/ping"}})
//	defer a.Close()
//	a.Register(mux)                  // POST /auth/login, /auth/token, /auth/logout; GET /auth/me
//	handler := a.Middleware(mux)
//
// and in a handler, narrow the clouds to what the user may do:
//
//	p, _ := auth.FromContext(r.Context())
//	set := p.Narrow(serverSet, auth.ActionOf(r.Method))
//	list, err := set.Instances().List(ctx, perspective.ListOptions{})
package auth
