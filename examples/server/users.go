package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// users is sign-in and per-user narrowing: every request of a signed-in
// user is served by a router whose deps hold only the clouds the user may
// act on for that request (auth.Principal.Narrow) and the user's own task
// store, so no handler — /query and /tasks included — can reach another
// user's instances, images, keypairs or tasks.
type users struct {
	auth   *auth.Auth
	limits taskLimits // of each user's task store

	mu      sync.Mutex
	routers map[routerKey]*router
	tasks   map[string]*taskStore // by user name
}

type routerKey struct {
	p *auth.Principal
	a auth.Action
	// base is the set the router narrows: a refreshed fleet serves a new
	// one, and the routers of the old one are never used again.
	base *perspective.Set
}

// maxUserRouters bounds the cache of per-user routers; past it the cache
// starts afresh (a router is cheap to rebuild).
const maxUserRouters = 4096

// newUsers wraps a; each user keeps at most maxTasks tasks taking at most
// defaultTaskBytes.
func newUsers(a *auth.Auth, maxTasks int) *users {
	return newBoundedUsers(a, taskLimits{count: maxTasks, bytes: defaultTaskBytes})
}

// newBoundedUsers wraps a; each user's task store is within l.
func newBoundedUsers(a *auth.Auth, l taskLimits) *users {
	return &users{auth: a, limits: l, routers: map[routerKey]*router{}, tasks: map[string]*taskStore{}}
}

// loadUsers reads the auth configuration file; "" runs the server open.
func loadUsers(path string, getenv func(string) string, l taskLimits, log *slog.Logger) (*users, error) {
	cfg := auth.Config{}
	if path != "" {
		var err error
		if cfg, err = auth.LoadConfig(path, getenv); err != nil {
			return nil, err
		}
	}
	cfg.Public = publicPaths
	cfg.Log = log
	return newBoundedUsers(auth.New(cfg), l), nil
}

// publicPaths are served without a session: the application itself, the
// service routes and the API's documentation.
var publicPaths = []string{"/", "/ui/", "/ping", "/version", "/openapi.json", "/docs"}

// guard signs requests in, then serves each with the router of its user.
func (d *deps) guard(shared *router) http.Handler {
	if d.users == nil {
		return shared
	}
	u := d.users
	return u.auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := auth.FromContext(r.Context())
		if !ok || p.Unrestricted {
			shared.ServeHTTP(w, r)
			return
		}
		u.routerFor(d, p, auth.ActionOf(r.Method)).ServeHTTP(w, r)
	}))
}

// routerFor returns the router of p for requests doing a.
func (u *users) routerFor(d *deps, p *auth.Principal, a auth.Action) *router {
	k := routerKey{p, a, d.set}
	u.mu.Lock()
	defer u.mu.Unlock()
	if m, ok := u.routers[k]; ok {
		return m
	}
	if len(u.routers) >= maxUserRouters {
		u.routers = map[routerKey]*router{}
	}
	ts, ok := u.tasks[p.Backend+"/"+p.Name]
	if !ok {
		ts = newBoundedTaskStore(u.limits)
		u.tasks[p.Backend+"/"+p.Name] = ts
	}
	ud := *d
	ud.set = p.Narrow(d.set, a)
	if a == auth.ActionWrite {
		if seen := p.Narrow(d.set, auth.ActionRead); len(seen.Clouds()) > len(ud.set.Clouds()) {
			ud.readable = seen
		}
	}
	ud.tasks = ts
	m := newRouter(&ud)
	u.routers[k] = m
	return m
}

// forget drops the routers of sets other than base: the fleet was
// refreshed, and base is the set now served.
func (u *users) forget(base *perspective.Set) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for k := range u.routers {
		if k.base != base {
			delete(u.routers, k)
		}
	}
}

// Close ends every session and cancels the users' running tasks.
func (u *users) Close() {
	u.auth.Close()
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, ts := range u.tasks {
		ts.Close()
	}
	u.tasks = map[string]*taskStore{}
}

// checkOpenAddr refuses to serve an open server (no sign-in) beyond the
// loopback interface, and says at start-up that it runs open.
func checkOpenAddr(u *users, addr string, stdout io.Writer) error {
	if u != nil && !u.auth.Open() {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing to serve %s without sign-in: give -auth FILE (static users, LDAP or OpenStack), or listen on 127.0.0.1", addr)
	}
	fmt.Fprintln(stdout, "no -auth configured: the server runs OPEN (no sign-in), so it listens on the loopback interface only")
	return nil
}
