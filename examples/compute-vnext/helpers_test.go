package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/require"
)

// env is both APIs over httptest on a fresh mock cloud, recording which
// route patterns served a request.
type env struct {
	t                  *testing.T
	consumer, operator *httptest.Server
	cloud              *perspective.Cloud
	drv                *mock.Driver
	tasks              *taskStore

	mu   sync.Mutex
	hits map[string]bool // "consumer GET /servers/{id}" → served
}

// newEnv serves a mock with an administrator's credentials and soft
// delete (as the program's default), tuned by opts.
func newEnv(t *testing.T, opts ...mock.Option) *env {
	t.Helper()
	drv := mock.New(append([]mock.Option{mock.WithAdmin(true), mock.WithSoftDelete(true)}, opts...)...)
	c, err := perspective.NewCloud(drv)
	require.NoError(t, err)
	op, err := operator.New(c)
	require.NoError(t, err)
	e := &env{t: t, cloud: c, drv: drv, tasks: newTaskStore(defaultTaskLimits), hits: map[string]bool{}}
	d := &deps{cloud: c, op: op, tasks: e.tasks, taskTimeout: 10 * time.Second}
	cmux, omux := http.NewServeMux(), http.NewServeMux()
	addConsumerRoutes(cmux, d)
	addOperatorRoutes(omux, d)
	e.consumer = httptest.NewServer(e.record("consumer", cmux, guard(d, cmux)))
	e.operator = httptest.NewServer(e.record("operator", omux, guard(d, omux)))
	t.Cleanup(func() {
		e.consumer.Close()
		e.operator.Close()
		e.tasks.close()
		require.NoError(t, c.Close())
	})
	return e
}

// record notes the pattern of mux that serves each request h serves.
func (e *env) record(side string, mux *http.ServeMux, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			e.mu.Lock()
			e.hits[side+" "+pattern] = true
			e.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// call makes a request and returns the response (body read) and body.
func call(t *testing.T, srv *httptest.Server, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// do calls the consumer API and requires status.
func (e *env) do(method, path, body string, status int) []byte {
	e.t.Helper()
	resp, b := call(e.t, e.consumer, method, path, body)
	require.Equal(e.t, status, resp.StatusCode, "%s %s: %s", method, path, b)
	return b
}

// admin calls the operator API and requires status.
func (e *env) admin(method, path, body string, status int) []byte {
	e.t.Helper()
	resp, b := call(e.t, e.operator, method, path, body)
	require.Equal(e.t, status, resp.StatusCode, "%s %s: %s", method, path, b)
	return b
}

// launch launches one server called name and returns its id.
func (e *env) launch(name string) string {
	e.t.Helper()
	b := e.do("POST", "/projects/demo/servers", `{"name":"`+name+`","server_type":"m1.small","image":"cirros-0.6.2"}`, 202)
	l := decodeAs[launchedJSON](e.t, b)
	require.Len(e.t, l.Servers, 1)
	return l.Servers[0].ID
}

// task posts a task and waits for it to finish; it returns the task.
func (e *env) task(id, body string) taskJSON {
	e.t.Helper()
	t := decodeAs[taskJSON](e.t, e.do("POST", "/servers/"+id+"/tasks", body, 202))
	var got taskJSON
	require.Eventually(e.t, func() bool {
		got = decodeAs[taskJSON](e.t, e.do("GET", "/servers/"+id+"/tasks/"+t.ID, "", 200))
		return got.State == taskSucceeded || got.State == taskFailed
	}, 10*time.Second, 5*time.Millisecond)
	return got
}

// errorOf decodes an error answer.
func errorOf(t *testing.T, b []byte) errorDetail {
	t.Helper()
	return decodeAs[errorBody](t, b).Error
}

// decodeAs unmarshals a JSON answer.
func decodeAs[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", b)
	return v
}
