package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// authzEnv is a server with sign-in over two projects: alice operates
// project a, bob project b, vera may only look at project a.
type authzEnv struct {
	t        *testing.T
	srv      *httptest.Server
	shared   *router
	set      *perspective.Set
	drvA     *mock.Driver
	drvB     *mock.Driver
	tokens   map[string]string
	aliceVM  string
	bobVM    string
	bobImage string
}

const bobSecret = "bob-secret-vm-7f3"

func newAuthzEnv(t *testing.T) *authzEnv {
	e := &authzEnv{t: t, tokens: map[string]string{}}
	e.drvA = mock.New(mock.WithDelay(0), mock.WithCloudID("mock-a"), mock.WithProject("a", "project-a"))
	e.drvB = mock.New(mock.WithDelay(0), mock.WithCloudID("mock-b"), mock.WithProject("b", "project-b"))
	var clouds []*perspective.Cloud
	for _, d := range []*mock.Driver{e.drvA, e.drvB} {
		c, err := perspective.NewCloud(d, perspective.WithRetry(0, 0))
		require.NoError(t, err)
		clouds = append(clouds, c)
	}
	var err error
	e.set, err = perspective.NewSet(clouds...)
	require.NoError(t, err)

	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		require.NoError(t, err)
		return string(h)
	}
	ids, err := auth.NewStatic([]auth.StaticUser{
		{Name: "alice", PasswordHash: hash("alice-pw"), Grants: []auth.Grant{{Project: "a", Role: auth.RoleOperator}}},
		{Name: "bob", PasswordHash: hash("bob-pw"), Grants: []auth.Grant{{Project: "b", Role: auth.RoleOperator}}},
		{Name: "vera", PasswordHash: hash("vera-pw"), Grants: []auth.Grant{{Project: "a", Role: auth.RoleViewer}}},
	})
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	u := newUsers(auth.New(auth.Config{Identity: ids, Public: publicPaths, Log: log}), 64)
	tasks := newTaskStore(64)
	d := &deps{set: e.set, tasks: tasks, version: "v-test", log: log, users: u}
	e.shared = newRouter(d)
	e.srv = httptest.NewServer(withRecovery(log, d.guard(e.shared)))
	t.Cleanup(func() {
		e.srv.Close()
		u.Close()
		tasks.Close()
		require.NoError(t, e.set.Close())
	})

	ctx := context.Background()
	launch := func(project, name string) string {
		rep, err := e.set.Instances().In(perspective.Target{ProjectID: project}).Launch(ctx,
			perspective.LaunchSpec{Name: name, FlavorID: "m1.small", ImageID: "cirros-0.6.2"})
		require.NoError(t, err)
		return rep.IDs()[0]
	}
	e.aliceVM = launch("a", "alice-vm")
	e.bobVM = launch("b", bobSecret)
	_, err = e.set.Keypairs().In(perspective.Target{ProjectID: "b"}).Create(ctx, perspective.KeypairSpec{Name: "bobkey"})
	require.NoError(t, err)
	img, err := e.set.Images().In(perspective.Target{ProjectID: "b"}).Get(ctx, "cirros-0.6.2")
	require.NoError(t, err)
	e.bobImage = img.ID

	for _, user := range []string{"alice", "bob", "vera"} {
		status, b := e.call("", "POST", "/auth/token", `{"username":"`+user+`","password":"`+user+`-pw"}`)
		require.Equal(t, 200, status, string(b))
		var me struct{ Token string }
		require.NoError(t, json.Unmarshal(b, &me))
		e.tokens[user] = me.Token
	}
	return e
}

// call sends a request as user ("" for nobody).
func (e *authzEnv) call(user, method, path, body string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	require.NoError(e.t, err)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return resp.StatusCode, b
}

// projectB is everything of project b, to compare before and after.
func (e *authzEnv) projectB() string {
	ctx := context.Background()
	s := e.set
	t := perspective.Target{ProjectID: "b"}
	insts, err := s.Instances().In(t).List(ctx, perspective.ListOptions{})
	require.NoError(e.t, err)
	imgs, err := s.Images().In(t).List(ctx)
	require.NoError(e.t, err)
	keys, err := s.Keypairs().In(t).List(ctx)
	require.NoError(e.t, err)
	for i := range insts {
		insts[i].Updated = insts[i].Created
	}
	b, err := json.Marshal([]any{insts, imgs, keys})
	require.NoError(e.t, err)
	return string(b)
}

// TestUserCannotReachAnotherUsersInstances: alice calls every route of
// the server — every instance, image, keypair, project, query and task
// route, global and scoped — aimed at bob's instance, image, keypair,
// project and task. None shows her bob's instance, and nothing in bob's
// project changes.
func TestUserCannotReachAnotherUsersInstances(t *testing.T) {
	e := newAuthzEnv(t)
	// bob runs a task of his own.
	status, b := e.call("bob", "PUT", "/instances/reboot", `["`+e.bobVM+`"]`)
	require.Equal(t, 200, status, string(b))
	bobTask := decodeJSON[taskView](t, b).Task
	before, mutations := e.projectB(), e.drvB.Mutations()

	r := strings.NewReplacer("{id}", e.bobVM, "{project}", "b", "{region}", "RegionOne", "{flavorId}", "m1.small",
		"{imageId}", e.bobImage, "{name}", "bobkey", "{$}", "")
	bodies := []string{
		`["` + e.bobVM + `"]`,
		`["` + e.bobImage + `"]`,
		`{"ids":["` + e.bobVM + `"],"tags":["pwned"],"name":"pwned","flavorId":"m1.small","imageId":"` + e.bobImage + `","address":"10.0.0.9"}`,
		`{"` + e.bobVM + `":"pwned"}`,
		`[{"name":"pwned","projectId":"b","cloudId":"mock-b","flavor":{"id":"m1.small"},"image":{"id":"cirros-0.6.2"}}]`,
		`[{"id":"` + e.bobImage + `","name":"pwned"},{"name":"pwned","projectId":"b","instanceId":"` + e.bobVM + `"}]`,
		`{"name":"pwned","ids":["` + e.bobVM + `"],"operations":["reboot"]}`,
		`[{"sql":"select id, name, project_id from instances","parameters":[]}]`,
	}
	require.NotEmpty(t, e.shared.patterns)
	for _, pattern := range e.shared.patterns {
		method, path, _ := strings.Cut(pattern, " ")
		path = r.Replace(path)
		switch {
		case strings.HasPrefix(path, "/tasks/"):
			path = "/tasks/" + bobTask
		case path == "/ui/":
			path = "/ui/js/app.js"
		case strings.HasPrefix(path, "/auth/"):
			continue // sign-in routes are alice's own
		}
		path += "?project=b&cloud=mock-b&region=RegionOne&name=pwned"
		for _, body := range bodies {
			if method == "GET" && body != bodies[0] {
				break
			}
			status, b := e.call("alice", method, path, body)
			assert.NotContains(t, string(b), bobSecret, "%s %s answered (%d) with bob's instance", method, path, status)
			if strings.HasPrefix(path, "/tasks/") {
				assert.Equal(t, http.StatusNotFound, status, "alice reads bob's task: %s", b)
			}
		}
	}
	assert.Equal(t, before, e.projectB(), "alice changed project b")
	assert.Equal(t, mutations, e.drvB.Mutations(), "alice's calls reached bob's cloud")

	// The same calls work on her own instance, so the routes themselves do work.
	status, b = e.call("alice", "GET", "/instances/all", "")
	require.Equal(t, 200, status)
	assert.Contains(t, string(b), "alice-vm")
	status, b = e.call("alice", "POST", "/query", `[{"sql":"select id, name from instances","parameters":[]}]`)
	require.Equal(t, 200, status)
	assert.Contains(t, string(b), e.aliceVM)
	status, b = e.call("alice", "PUT", "/instances/reboot", `["`+e.aliceVM+`"]`)
	require.Equal(t, 200, status, string(b))
	aliceTask := decodeJSON[taskView](t, b).Task
	status, _ = e.call("alice", "GET", "/tasks/"+aliceTask, "")
	assert.Equal(t, 200, status)
	status, _ = e.call("bob", "GET", "/tasks/"+aliceTask, "")
	assert.Equal(t, 404, status, "bob reads alice's task")
	_, b = e.call("alice", "GET", "/tasks", "")
	assert.NotContains(t, string(b), bobTask)
	assert.Contains(t, string(b), aliceTask)
	status, b = e.call("bob", "GET", "/instances/"+e.bobVM, "")
	assert.Equal(t, 200, status)
	assert.Contains(t, string(b), bobSecret)
}

func TestViewerCannotAct(t *testing.T) {
	e := newAuthzEnv(t)
	status, b := e.call("vera", "GET", "/instances/all", "")
	require.Equal(t, 200, status)
	assert.Contains(t, string(b), "alice-vm", "a viewer sees the project")
	assert.NotContains(t, string(b), bobSecret)

	before := e.drvA.Mutations()
	for _, c := range []struct{ method, path, body string }{
		{"PUT", "/instances/reboot", `["` + e.aliceVM + `"]`},
		{"POST", "/instances/delete", `["` + e.aliceVM + `"]`},
		{"POST", "/instances", `[{"name":"x","flavor":{"id":"m1.small"},"image":{"id":"cirros-0.6.2"}}]`},
		{"POST", "/keypairs?project=a", `{"name":"k"}`},
	} {
		status, b := e.call("vera", c.method, c.path, c.body)
		assert.NotEqual(t, http.StatusOK, status, "%s %s: %s", c.method, c.path, b)
	}
	assert.Equal(t, before, e.drvA.Mutations(), "a viewer changed project a")
}

func TestSignInThroughServer(t *testing.T) {
	e := newAuthzEnv(t)
	status, b := e.call("", "GET", "/instances/all", "")
	assert.Equal(t, 401, status)
	assert.Contains(t, string(b), "sign in first")
	for _, p := range []string{"/", "/ui/js/app.js", "/ping", "/version", "/openapi.json", "/docs"} {
		status, _ := e.call("", "GET", p, "")
		assert.Equal(t, 200, status, p)
	}

	// A browser session: the cookie reads, a write needs the CSRF token.
	req, _ := http.NewRequest("POST", e.srv.URL+"/auth/login", strings.NewReader(`{"username":"alice","password":"alice-pw"}`))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var me struct{ CSRF string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&me))
	resp.Body.Close()
	cookie := resp.Cookies()[0]
	do := func(method, path, body, csrf string) int {
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
		req.AddCookie(cookie)
		if csrf != "" {
			req.Header.Set(auth.CSRFHeader, csrf)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 200, do("GET", "/instances/all", "", ""))
	assert.Equal(t, 403, do("PUT", "/instances/reboot", `["`+e.aliceVM+`"]`, ""))
	assert.Equal(t, 200, do("PUT", "/instances/reboot", `["`+e.aliceVM+`"]`, me.CSRF))
	assert.Equal(t, 200, do("POST", "/auth/logout", "", me.CSRF))
	assert.Equal(t, 401, do("GET", "/instances/all", "", ""))
	assert.True(t, slices.Contains(publicPaths, "/ui/"))
}
