package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestListNotModified: the instance list carries an ETag; asking again
// with it gets 304 and no body while nothing changed, and the new list
// with a new ETag once an instance changed or a filter differs.
func TestListNotModified(t *testing.T) {
	e := newEnv(t)
	ids := e.launch("a", "b")

	resp, body := e.do("GET", "/instances/all", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	tag := resp.Header.Get("ETag")
	require.Regexp(t, `^"[0-9a-f]{32}"$`, tag)
	assert.Equal(t, "private, no-cache", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Len(t, decodeJSON[[]instanceView](t, body), 2)

	resp, body = e.do("GET", "/instances/all", "", "If-None-Match", tag)
	require.Equal(t, http.StatusNotModified, resp.StatusCode)
	assert.Empty(t, body)
	assert.Equal(t, tag, resp.Header.Get("ETag"))

	// Another ETag, a list of several, a weak comparison: RFC 9110's rules.
	resp, _ = e.do("GET", "/instances/all", "", "If-None-Match", `"other", W/`+tag)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)
	resp, body = e.do("GET", "/instances/all", "", "If-None-Match", `"other"`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, decodeJSON[[]instanceView](t, body), 2)

	// A filter is another list: another ETag.
	resp, _ = e.do("GET", "/instances/all?name=a", "", "If-None-Match", tag)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	// A change: the old ETag no longer matches.
	_, err := e.set.Instances().Shutdown(context.Background(), ids[0])
	require.NoError(t, err)
	resp, body = e.do("GET", "/instances/all", "", "If-None-Match", tag)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEqual(t, tag, resp.Header.Get("ETag"))
	assert.Contains(t, string(body), `"shutoff"`)
}
