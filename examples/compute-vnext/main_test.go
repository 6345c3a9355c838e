package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/perspective-cloud/sdk/internal/runtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var operatorListening = regexp.MustCompile(`operator API on (http://127\.0\.0\.1:\d+)`)

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	return resp.StatusCode
}

// TestRun starts the program on free ports with the default mock, calls
// both addresses, and stops it through its context.
func TestRun(t *testing.T) {
	r := runtest.Start(t, run, []string{"compute-vnext", "-addr", "127.0.0.1:0", "-operator-addr", "127.0.0.1:0", "-quiet"}, nil)
	m := operatorListening.FindStringSubmatch(r.Out.String())
	require.NotNil(t, m, r.Out.String())
	assert.Contains(t, r.Out.String(), defaultMockURL)
	for url, want := range map[string]int{r.URL + "/": 200, r.URL + "/server_types": 200, r.URL + "/hypervisors": 404,
		m[1] + "/": 200, m[1] + "/hypervisors": 200, m[1] + "/server_types": 404} {
		assert.Equal(t, want, get(t, url), url)
	}
	require.NoError(t, r.Stop(t))
	assert.Contains(t, r.Out.String(), "stopped")
}

// TestRunOpenStack: an openrc in the (given) environment selects
// OpenStack, whose unreachable Keystone is an error at start-up.
func TestRunOpenStack(t *testing.T) {
	env := map[string]string{"OS_AUTH_URL": "http://127.0.0.1:1/identity", "OS_USERNAME": "u", "OS_PASSWORD": "p",
		"OS_PROJECT_NAME": "demo", "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default"}
	assert.Equal(t, "openstack://", defaultCloud(func(k string) string { return env[k] }))
	assert.Equal(t, "openstack://?cloud=aio", defaultCloud(func(k string) string { return map[string]string{"OS_CLOUD": "aio"}[k] }))
	err := run(context.Background(), []string{"compute-vnext", "-addr", "127.0.0.1:0", "-operator-addr", "127.0.0.1:0"},
		func(k string) string { return env[k] }, io.Discard)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "p\"", "the password is not echoed")
}

func TestRunBadFlags(t *testing.T) {
	none := func(string) string { return "" }
	for _, args := range [][]string{{"-addr"}, {"-tasks", "0"}, {"-running", "0"}, {"-task-timeout", "0s"}, {"extra"},
		{"-cloud", "nope://"}, {"-addr", "127.0.0.1:99999"}} {
		err := run(context.Background(), append([]string{"compute-vnext"}, args...), none, io.Discard)
		assert.Error(t, err, "%q", args)
	}
	assert.NoError(t, run(context.Background(), []string{"compute-vnext", "-h"}, none, io.Discard), "-h is not an error")
}
