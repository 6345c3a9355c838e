package main

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/perspective-cloud/sdk/internal/runtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

// TestRun starts the portal on a free port with the sample directory,
// calls it, and stops it through its context.
func TestRun(t *testing.T) {
	r := runtest.Start(t, run, []string{"portal", "-addr", "127.0.0.1:0"}, noEnv)
	assert.Contains(t, r.Out.String(), "7 users, 3 projects from the sample directory")

	req, err := http.NewRequest("GET", r.URL+"/api/instances/?o=-hostname", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+aliceToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{"web-2", "web-1"}, hostnames(decodeAs[[]instanceJSON](t, b)), "the demo instances")

	require.NoError(t, r.Stop(t))
	assert.Contains(t, r.Out.String(), "stopped")
	_, err = http.Get(r.URL + "/")
	assert.Error(t, err, "the listener is closed")
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-addr"}, "flag needs an argument"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-config", "/nonexistent/portal.json"}, "no such file"},
		{[]string{"-addr", "127.0.0.1:99999"}, "invalid port"},
	}
	for _, tt := range tests {
		err := run(context.Background(), append([]string{"portal", "-quiet"}, tt.args...), noEnv, io.Discard)
		assert.ErrorContains(t, err, tt.want, "%v", tt.args)
	}
	assert.NoError(t, run(context.Background(), []string{"portal", "-h"}, noEnv, io.Discard))
}
