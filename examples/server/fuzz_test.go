package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// fuzzDecoder checks a request decoder on arbitrary input: it never
// panics; a failure is a 400 (or 413) with a message; and a body it
// accepts encodes back to one it accepts and that encodes the same way.
func fuzzDecoder[T any](t *testing.T, data []byte) {
	v, err := decodeFrom[T](bytes.NewReader(data))
	if err != nil {
		status, code := statusOf(err)
		assert.Contains(t, []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge}, status, "error %v", err)
		assert.NotEmpty(t, code)
		assert.NotEmpty(t, err.Error())
		return
	}
	again, err := json.Marshal(v)
	require.NoError(t, err)
	w, err := decodeFrom[T](bytes.NewReader(again))
	require.NoError(t, err, "re-encoded body %s", again)
	// The same request either way: an empty list and no list encode alike.
	twice, err := json.Marshal(w)
	require.NoError(t, err)
	assert.JSONEq(t, string(again), string(twice))
}

func FuzzDecodeIDList(f *testing.F) {
	f.Add([]byte(`[ "id-one", "id-two" ]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[idList](t, data) })
}

func FuzzDecodeSelection(f *testing.F) {
	f.Add([]byte(`{"ids":["a"],"flavorId":"2","tags":["web"]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[selection](t, data) })
}

func FuzzDecodeRename(f *testing.F) {
	f.Add([]byte(`{ "id-one": "one-new-name", "id-two": "two-new-name" }`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[renameMap](t, data) })
}

func FuzzDecodeLaunch(f *testing.F) {
	f.Add([]byte(`[{"cloudId":"mock","cloudType":"mock","projectId":"demo","name":"web","flavor":{"id":2},"image":{"id":"x"},"networks":[{"id":"n"}],"keypairs":[{"name":"k"}],"isLocked":false,"metadata":{"entry":[{"key":"a","value":"b"}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[launchRequest](t, data) })
}

func FuzzDecodeImages(f *testing.F) {
	f.Add([]byte(`[{"name":"snap","instanceId":"i","projectId":["p"],"metadata":{"entry":[]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[imageRequest](t, data) })
}

func FuzzDecodeImageChanges(f *testing.F) {
	f.Add([]byte(`[{"id":"i","name":"n","minDisk":1,"removeMetadata":["k"]}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[imageChanges](t, data) })
}

func FuzzDecodeKeypair(f *testing.F) {
	f.Add([]byte(`{"name":"alice","publicKey":"ssh-ed25519 AAAA"}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[keypairRequest](t, data) })
}

func FuzzDecodeQuery(f *testing.F) {
	f.Add([]byte(`[{"sql":"select id, name from projects where name regexp :name: order by name asc","parameters":[{"name":"name","value":"selenium"}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder[queryRequest](t, data) })
}

// FuzzBulkRoutes sends arbitrary bodies to the routes that decode one, on
// a mock cloud: the server answers JSON and never a 5xx.
func FuzzBulkRoutes(f *testing.F) {
	f.Add(0, []byte(`["x"]`))
	f.Add(3, []byte(`{"ids":["x"],"tags":["t"]}`))
	routes := []struct{ method, path string }{
		{"PUT", "/instances/reboot"}, {"POST", "/instances"}, {"PUT", "/instances/rename"},
		{"POST", "/instances/tag"}, {"PUT", "/instances/resize/2"}, {"POST", "/images"},
		{"PUT", "/images"}, {"POST", "/keypairs"}, {"POST", "/query"}, {"PUT", "/projects/demo/regions/RegionOne/instances/ip"},
	}
	e := newEnv(f)
	h := e.router
	f.Fuzz(func(t *testing.T, route int, body []byte) {
		if route < 0 {
			route = -route
		}
		r := routes[route%len(routes)]
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(r.method, r.path, bytes.NewReader(body)))
		assert.Less(t, rec.Code, 500, "%s %s %q: %s", r.method, r.path, body, rec.Body)
		assert.True(t, json.Valid(rec.Body.Bytes()), "not JSON: %s", rec.Body)
	})
}

// TestDecodeErrorsAreClassified pins a few decoder answers the fuzz
// tests only check in general.
func TestDecodeErrorsAreClassified(t *testing.T) {
	tests := []struct {
		body   string
		decode func([]byte) error
		want   string
	}{
		{`[1]`, decodeAs[idList], "the body: expected a JSON string, got a JSON number"},
		{`{"a":1}`, decodeAs[idList], "the body: expected a JSON list of strings, got a JSON object"},
		{`{"ids":"a"}`, decodeAs[selection], "ids: expected a JSON list of strings, got a JSON string"},
		{`{"ids":["a"],"bogus":1}`, decodeAs[selection], `unknown field "bogus"; the fields are ids`},
		{`[{"name":"x","flavor":{"id":[1]},"image":{"id":"i"}}]`, decodeAs[launchRequest], "flavor.id: expected a JSON string or number, got a JSON list"},
		{`[{"name":"x","flavor":{"id":true},"image":{"id":"i"}}]`, decodeAs[launchRequest], "flavor.id: expected a JSON string or number, got true or false"},
		{`[{"name":"x","flavor":"2"}]`, decodeAs[launchRequest], "flavor: expected a JSON object, got a JSON string"},
		{`[{"name":"x","projectId":{}}]`, decodeAs[imageRequest], "projectId: expected a JSON list of strings, got a JSON object"},
		{`{"a":1}`, decodeAs[renameMap], "expected a JSON string, got a JSON number"},
		{`[]`, decodeAs[renameMap], "the body: expected a JSON object, got a JSON list"},
	}
	for _, tc := range tests {
		err := tc.decode([]byte(tc.body))
		assert.NotContains(t, fmt.Sprint(err), "main.", "%s: a Go type name", tc.body)
		assert.NotContains(t, fmt.Sprint(err), "[]string", "%s: a Go type name", tc.body)
		require.Error(t, err, tc.body)
		assert.Equal(t, perspective.CodeInvalidArgument, perspective.Code(err))
		assert.Contains(t, err.Error(), tc.want)
	}
}

// decodeAs decodes b as a T and returns the error.
func decodeAs[T any](b []byte) error {
	_, err := decodeFrom[T](bytes.NewReader(b))
	return err
}
