package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/require"
)

// newMockServer serves a fresh mock cloud made with opts.
func newMockServer(t *testing.T, opts ...mock.Option) (*httptest.Server, *perspective.Cloud) {
	t.Helper()
	c, err := perspective.NewCloud(mock.New(opts...))
	require.NoError(t, err)
	src := fixedSource(c, "mock")
	srv := httptest.NewServer(newServer(&deps{cloud: src}))
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, src.Close())
	})
	return srv, c
}

// call makes a request and returns the status and body.
func call(t *testing.T, srv *httptest.Server, method, path, body string) (int, []byte) {
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
	return resp.StatusCode, b
}

// decodeAs unmarshals a JSON answer.
func decodeAs[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", b)
	return v
}
