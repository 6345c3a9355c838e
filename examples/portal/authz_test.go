package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/ssh"
)

// access is what a role may do with an object: nothing (it does not see
// it), see it, or see and manage it.
type access int

const (
	none access = iota
	sees
	manages
)

func (a access) String() string { return [...]string{"none", "sees", "manages"}[a] }

// The four roles of seed 004, each with a key of its own (the sample
// gives staff, olga and mike none; withOwnKeys adds them).
var roles = []struct{ name, user, token string }{
	{"staff", "staff", staffToken},
	{"customer owner", "olga", olgaToken},          // owns Alpha Corp: alpha-web and alpha-data
	{"project administrator", "alice", aliceToken}, // administers alpha-web
	{"project manager", "mike", mikeToken},         // manages alpha-web
}

// objects are one instance in each kind of place relative to the roles:
// alice's and mike's project, another project of olga's customer, and a
// project of another customer.
var objects = []struct{ name, hostname, project string }{
	{"own project", "web-1", alphaWeb},
	{"same customer, other project", "db-1", alphaData},
	{"other customer", "api-1", "c3c546b92845431188636d8f97df223c"},
}

// grants is seed 004's rules, written out: what each role may do with
// each object.
var grants = map[string]map[string]access{
	"staff":                 {"own project": manages, "same customer, other project": manages, "other customer": manages},
	"customer owner":        {"own project": sees, "same customer, other project": sees, "other customer": none},
	"project administrator": {"own project": manages, "same customer, other project": none, "other customer": none},
	"project manager":       {"own project": sees, "same customer, other project": none, "other customer": none},
}

// authzRoute is one route of the API as the matrix calls it: the status it
// answers for each access, and what it needs the instance to be before
// (stopped, for start and delete).
type authzRoute struct {
	pattern   string // the route's pattern in addRoutes
	name      string
	method    string
	path      string // with {uuid}
	body      string // with {project} and {key}
	stopFirst bool
	changes   bool // an allowed call changes the instances' listing
	status    map[access]int
}

var authzRoutes = []authzRoute{
	{pattern: "GET /api/instances/{$}", name: "list", method: "GET", path: "/api/instances/",
		status: map[access]int{none: 200, sees: 200, manages: 200}},
	{pattern: "POST /api/instances/{$}", name: "create", method: "POST", path: "/api/instances/",
		body:    `{"hostname":"new-vm","template":"cirros-0.6.2","flavor":"m1.tiny","project":"{project}","ssh_public_key":"{key}"}`,
		changes: true, status: map[access]int{none: 400, sees: 403, manages: 201}},
	{pattern: "POST /api/instances/{$}", name: "create with another user's key", method: "POST", path: "/api/instances/",
		body:   `{"hostname":"new-vm","template":"cirros-0.6.2","flavor":"m1.tiny","project":"{project}","ssh_public_key":"{other key}"}`,
		status: map[access]int{none: 400, sees: 403, manages: 403}},
	{pattern: "GET /api/instances/{uuid}/{$}", name: "get", method: "GET", path: "/api/instances/{uuid}/",
		status: map[access]int{none: 404, sees: 200, manages: 200}},
	{pattern: "DELETE /api/instances/{uuid}/{$}", name: "delete", method: "DELETE", path: "/api/instances/{uuid}/",
		stopFirst: true, changes: true, status: map[access]int{none: 404, sees: 403, manages: 202}},
	{pattern: "POST /api/instances/{uuid}/start/{$}", name: "start", method: "POST", path: "/api/instances/{uuid}/start/",
		stopFirst: true, changes: true, status: map[access]int{none: 404, sees: 403, manages: 202}},
	{pattern: "POST /api/instances/{uuid}/stop/{$}", name: "stop", method: "POST", path: "/api/instances/{uuid}/stop/",
		changes: true, status: map[access]int{none: 404, sees: 403, manages: 202}},
	{pattern: "POST /api/instances/{uuid}/restart/{$}", name: "restart", method: "POST", path: "/api/instances/{uuid}/restart/",
		status: map[access]int{none: 404, sees: 403, manages: 202}},
	{pattern: "POST /api/instances/{uuid}/resize/{$}", name: "resize", method: "POST", path: "/api/instances/{uuid}/resize/",
		body: `{"flavor":"m1.large"}`, status: map[access]int{none: 404, sees: 403, manages: 202}},
	{pattern: "GET /api/instances/{uuid}/usage/{$}", name: "usage", method: "GET", path: "/api/instances/{uuid}/usage/?item=cpu",
		status: map[access]int{none: 404, sees: 200, manages: 200}},
}

// withOwnKeys gives every user of the sample a key of their own.
func withOwnKeys(t *testing.T) func(*directoryFile) {
	return func(d *directoryFile) {
		for i := range d.Users {
			u := &d.Users[i]
			if len(u.Keys) > 0 {
				continue
			}
			u.Keys = []keyEntry{{UUID: fmt.Sprintf("%032x", i+1), Name: u.Username + "-key", PublicKey: newPublicKey(t, u.Username)}}
		}
	}
}

// newPublicKey makes an ed25519 public key in authorized_keys form.
func newPublicKey(t *testing.T, comment string) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	sp, err := ssh.NewPublicKey(pub)
	require.NoError(t, err)
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))) + " " + comment + "@example.com"
}

// keyOf returns the uuid of a user's first key in dir.
func keyOf(t *testing.T, dir *directoryFile, username string) string {
	t.Helper()
	for _, u := range dir.Users {
		if u.Username == username {
			require.NotEmpty(t, u.Keys, username)
			return u.Keys[0].UUID
		}
	}
	t.Fatalf("no user %q", username)
	return ""
}

// fleet is what staff see of every instance: hostname, state and size.
func fleet(t *testing.T, tp *testPortal) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, in := range tp.list(t, staffToken, "") {
		out[in.Hostname] = fmt.Sprintf("%s %d cores %d MiB", in.State, in.Cores, in.RAM)
	}
	return out
}

// TestAuthorizationMatrix: every role × every route × an instance (or, for
// create, a project) in each place relative to the role answers what
// seed 004's rules say, and a refused call changes nothing.
func TestAuthorizationMatrix(t *testing.T) {
	covered := map[string]bool{}
	for _, rt := range authzRoutes {
		covered[rt.pattern] = true
	}
	for _, p := range registered(t) {
		if strings.Contains(p, "/api/") {
			assert.True(t, covered[p], "route %s is not in the matrix", p)
		}
	}
	for _, role := range roles {
		for _, obj := range objects {
			acc := grants[role.name][obj.name]
			for _, rt := range authzRoutes {
				want := rt.status[acc]
				t.Run(fmt.Sprintf("%s/%s/%s", role.name, obj.name, rt.name), func(t *testing.T) {
					dir := sample(t, withOwnKeys(t))
					tp := newTestPortal(t, dir)
					id := tp.uuidOf(t, obj.hostname)
					if rt.stopFirst {
						status, body := tp.call(t, staffToken, "POST", "/api/instances/"+id+"/stop/", "")
						require.Equal(t, 202, status, "%s", body)
					}
					other := keyOf(t, dir, "carol") // nobody in the matrix is carol
					body := strings.NewReplacer("{project}", obj.project, "{key}", keyOf(t, dir, role.user),
						"{other key}", other).Replace(rt.body)
					before := fleet(t, tp)

					status, got := tp.call(t, role.token, rt.method, strings.ReplaceAll(rt.path, "{uuid}", id), body)
					require.Equal(t, want, status, "%s (%s) %s %s: %s", role.name, acc, rt.method, rt.path, got)

					after := fleet(t, tp)
					switch {
					case status >= 400:
						assert.NotEmpty(t, detail(t, got), "an error says why")
						assert.Equal(t, before, after, "a refused call changes nothing")
					case rt.changes:
						assert.NotEqual(t, before, after, "an allowed %s does something", rt.name)
					}
					if rt.name == "list" {
						listed := hostnames(decodeAs[[]instanceJSON](t, got))
						assert.Equal(t, acc != none, contains(listed, obj.hostname), "list shows %s to %s: %v", obj.hostname, role.name, listed)
					}
				})
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
