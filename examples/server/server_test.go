package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// env is a server on mock clouds for one test.
type env struct {
	t      testing.TB
	set    *perspective.Set
	tasks  *taskStore
	router *router
	srv    *httptest.Server
}

// newEnv serves one mock cloud made with opts (transitions settle at once).
func newEnv(t testing.TB, opts ...mock.Option) *env {
	t.Helper()
	return newEnvOf(t, mock.New(append([]mock.Option{mock.WithDelay(0)}, opts...)...))
}

// newEnvOf serves the given drivers as one Set.
func newEnvOf(t testing.TB, drivers ...driver.Driver) *env {
	t.Helper()
	var clouds []*perspective.Cloud
	for _, d := range drivers {
		c, err := perspective.NewCloud(d, perspective.WithRetry(0, 0))
		require.NoError(t, err)
		clouds = append(clouds, c)
	}
	set, err := perspective.NewSet(clouds...)
	require.NoError(t, err)
	e := &env{t: t, set: set, tasks: newTaskStore(64)}
	d := &deps{set: set, tasks: e.tasks, version: "v-test", log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e.router = newRouter(d)
	e.srv = httptest.NewServer(withRecovery(d.log, e.router))
	t.Cleanup(func() {
		e.srv.Close()
		e.tasks.Close()
		require.NoError(t, set.Close())
	})
	return e
}

// do sends a request and returns the answer with its body read. Redirects
// are not followed.
func (e *env) do(method, path, body string, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.srv.URL+path, rd)
	require.NoError(e.t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return resp, b
}

// launch launches instances named names through the library and returns their ids.
func (e *env) launch(names ...string) []string {
	e.t.Helper()
	var ids []string
	for _, n := range names {
		rep, err := e.set.Instances().Launch(context.Background(),
			perspective.LaunchSpec{Name: n, FlavorID: "m1.small", ImageID: "cirros-0.6.2"})
		require.NoError(e.t, err)
		ids = append(ids, rep.IDs()...)
	}
	return ids
}

// decodeJSON decodes an answer body.
func decodeJSON[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", b)
	return v
}
