package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpserve"
	"github.com/perspective-cloud/sdk/perspective"
)

// deps is what the handlers need.
type deps struct {
	set     *perspective.Set
	fleet   *perspective.Fleet // when serving a fleet URL (fleet.go); nil otherwise
	tasks   *taskStore
	version string
	log     *slog.Logger
	users   *users // sign-in and per-user narrowing (users.go); nil: open
	// readable, for a signed-in user's changing request, holds the clouds
	// the user may see, set those they may act in (authz.go); nil otherwise.
	readable *perspective.Set
	events   *eventStreams // GET /events (events.go); newRouter makes it
	health   health        // when /ping calls an inventory stale (health.go)
}

// router is a ServeMux that remembers the patterns registered on it, so
// that the OpenAPI document can be checked against them.
type router struct {
	*http.ServeMux
	patterns []string
}

// Handle registers h for pattern.
func (m *router) Handle(pattern string, h http.Handler) {
	m.ServeMux.Handle(pattern, h)
	m.patterns = append(m.patterns, pattern)
}

// ServeHTTP routes r, except that a path some other method serves by name
// is a 405 with Allow for the methods that do, not a wildcard's answer:
// GET /instances/reboot is no instance called "reboot".
func (m *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := m.ServeMux.Handler(r); strings.Contains(pattern, "{") {
		if allow := m.namedBy(r, strings.Count(pattern, "{")); len(allow) > 0 {
			methodNotAllowed(w, r, allow)
			return
		}
	}
	m.ServeMux.ServeHTTP(w, r)
}

// namedBy returns the other methods whose route for r's path has fewer
// than wildcards wildcards.
func (m *router) namedBy(r *http.Request, wildcards int) []string {
	var allow []string
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if method == r.Method || (method == http.MethodGet && r.Method == http.MethodHead) {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = method
		if _, p := m.ServeMux.Handler(probe); p != "/" && p != "" && strings.Count(p, "{") < wildcards {
			allow = append(allow, method)
		}
	}
	return allow
}

// methodNotAllowed answers 405 with Allow.
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed",
		msg: fmt.Sprintf("%s %s: method not allowed; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", "))})
}

// newServer returns the Perspective REST API over d.set.
func newServer(d *deps) http.Handler {
	return httpserve.Guard(d.log, internalError, d.guard(newRouter(d)))
}

// newRouter returns the routes of the API, and JSON errors for the rest.
func newRouter(d *deps) *router {
	m := &router{ServeMux: http.NewServeMux()}
	if d.events == nil {
		d.events = newEventStreams(context.Background()) // no shutdown of its own; shared by the per-user routers, which copy d
	}
	addRoutes(m, d)
	m.ServeMux.Handle("/", handleUnrouted(m.ServeMux))
	return m
}

// handleUnrouted answers what no route matches: 405 with Allow when the
// path exists under another method, 404 otherwise, both as JSON errors.
func handleUnrouted(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "/" && pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			methodNotAllowed(w, r, allow)
			return
		}
		writeError(w, &apiError{status: http.StatusNotFound, code: "not_found",
			msg: fmt.Sprintf("no route %s %s; see /docs", r.Method, r.URL.Path)})
	})
}

// internalError answers a request whose handler panicked: a 500 JSON
// error naming the request, never the panic's value.
var internalError = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{status: http.StatusInternalServerError, code: "unknown",
		msg: "internal error while serving " + r.Method + " " + r.URL.Path})
})

// withRecovery turns a panic in a handler into a 500 JSON error, so that
// one bad request never takes the server down.
func withRecovery(log *slog.Logger, next http.Handler) http.Handler {
	return httpserve.RecoverPanics(log, internalError, next)
}

// targetOf returns the project and region a scoped route names
// (/projects/{project}/regions/{region}/…), empty for the global routes.
func targetOf(r *http.Request) perspective.Target {
	return perspective.Target{ProjectID: r.PathValue("project"), Region: r.PathValue("region")}
}

// scope checks that some cloud serves the route's project and region.
func (d *deps) scope(r *http.Request) (perspective.Target, error) {
	t := d.byProjectName(targetOf(r))
	if t == (perspective.Target{}) {
		return t, nil
	}
	if _, ok := d.set.Cloud(t); !ok {
		if d.readOnly() {
			if _, seen := d.readable.Cloud(t); seen {
				return t, forbiddenf("%s: changing anything there needs the %s role; you may only view it", t, roleToAct)
			}
		}
		return t, notFoundf("no cloud serves %s", t)
	}
	return t, nil
}

// instances returns the instance handle of the route's scope.
func (d *deps) instances(r *http.Request) (*perspective.Instances, error) {
	t, err := d.scope(r)
	if err != nil {
		return nil, err
	}
	if id := r.PathValue("id"); id != "" {
		if err := d.inScope(r, id); err != nil {
			return nil, err
		}
	}
	return d.set.Instances().In(t), nil
}

// images returns the image handle of the route's scope.
func (d *deps) images(r *http.Request) (*perspective.Images, perspective.Target, error) {
	t, err := d.scope(r)
	if err != nil {
		return nil, t, err
	}
	return d.set.Images().In(t), t, nil
}

// hasCloudType reports whether a cloud of type typ matches t.
func (d *deps) hasCloudType(t perspective.Target, typ string) bool {
	return slices.ContainsFunc(d.set.Clouds(), func(c *perspective.Cloud) bool {
		i := c.Info()
		return i.Type == typ && (t.CloudID == "" || t.CloudID == i.CloudID) &&
			(t.ProjectID == "" || t.ProjectID == i.ProjectID) && (t.Region == "" || t.Region == i.Region)
	})
}
