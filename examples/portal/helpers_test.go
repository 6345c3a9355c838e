package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// The sample directory's tokens.
const (
	staffToken = "fb8f753f5eddc4a6fdbfe9da5145d4c957541324"
	olgaToken  = "a64d9d8cc8dda61aadf82da601ac91bc620bbe35" // owner of Alpha Corp
	borisToken = "583cbf7e977d7594527a7b63823b2edb2313e547" // owner of Beta Ltd
	aliceToken = "d697b33f490004274a710424120992774160a5e4" // administrator of alpha-web
	mikeToken  = "cd30c44bdd033f055339f7daaa3d85f70245ddfc" // manager of alpha-web
	carolToken = "174d5a24da1db645f6595d68aab00b601aa1d6cc" // administrator of alpha-data
	bobToken   = "c165908c889b484ad79bceb60fac2ec034a2f937" // administrator of beta-prod

	alphaWeb  = "8c4c2f2434c744cfb02a787f102abae0"
	alphaData = "661ee58978d9487c8ac26c56836585e0"
	aliceKey  = "6fbd6b24246f4fb38715c29bafa2e5e7"
)

// sample returns the sample directory, changed by edit if not nil.
func sample(t *testing.T, edit func(*directoryFile)) *directoryFile {
	t.Helper()
	d, err := readDirectory(bytes.NewReader(sampleDirectory))
	require.NoError(t, err)
	if edit != nil {
		edit(d)
	}
	return d
}

// testPortal serves dir (with its demo instances launched).
type testPortal struct {
	srv    *httptest.Server
	portal *portal
}

func newTestPortal(t *testing.T, dir *directoryFile) *testPortal {
	t.Helper()
	require.NoError(t, dir.check())
	p, err := openPortal(context.Background(), dir)
	require.NoError(t, err)
	require.NoError(t, p.launchDemo(context.Background()))
	confirm := newConfirmer(p.set, nil)
	srv := httptest.NewServer(newServer(&deps{portal: p, confirm: confirm}))
	t.Cleanup(func() {
		srv.Close()
		confirm.Close()
		require.NoError(t, p.Close())
	})
	return &testPortal{srv: srv, portal: p}
}

// call makes a request with a token ("" for none) and returns the status and body.
func (tp *testPortal) call(t *testing.T, token, method, path, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, tp.srv.URL+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Token "+token)
	}
	resp, err := tp.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// list lists the instances token sees with query q.
func (tp *testPortal) list(t *testing.T, token, q string) []instanceJSON {
	t.Helper()
	status, body := tp.call(t, token, "GET", "/api/instances/"+q, "")
	require.Equal(t, 200, status, "%s", body)
	return decodeAs[[]instanceJSON](t, body)
}

// uuidOf returns the uuid of the instance called hostname.
func (tp *testPortal) uuidOf(t *testing.T, hostname string) string {
	t.Helper()
	for _, in := range tp.list(t, staffToken, "") {
		if in.Hostname == hostname {
			return in.UUID
		}
	}
	t.Fatalf("no instance %q", hostname)
	return ""
}

// get returns one instance as staff see it.
func (tp *testPortal) get(t *testing.T, uuid string) instanceJSON {
	t.Helper()
	status, body := tp.call(t, staffToken, "GET", "/api/instances/"+uuid+"/", "")
	require.Equal(t, 200, status, "%s", body)
	return decodeAs[instanceJSON](t, body)
}

func hostnames(list []instanceJSON) []string {
	out := make([]string, len(list))
	for i, in := range list {
		out[i] = in.Hostname
	}
	return out
}

func decodeAs[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v), "body: %s", b)
	return v
}

// detail returns the detail of an error answer.
func detail(t *testing.T, b []byte) string {
	t.Helper()
	return decodeAs[errorBody](t, b).Detail
}

// newRequest makes a request with a raw Authorization header ("" for none).
func newRequest(tp *testPortal, method, path, authorization string) (*http.Request, error) {
	req, err := http.NewRequest(method, tp.srv.URL+path, nil)
	if err == nil && authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return req, err
}

func decodeJSON(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
