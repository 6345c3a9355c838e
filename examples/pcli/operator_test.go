package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// session runs several pcli commands on one opened cloud, as an operator
// does in a shell against a real one (a mock lives as long as its process).
type session struct {
	t   *testing.T
	set *perspective.Set
}

func newSession(t *testing.T, rawURL string, names ...string) *session {
	t.Helper()
	ctx := context.Background()
	set, err := perspective.OpenSet(ctx, []string{rawURL})
	require.NoError(t, err)
	t.Cleanup(func() { _ = set.Close() })
	for _, n := range names {
		rep, err := set.Instances().Launch(ctx, perspective.LaunchSpec{Name: n, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
		require.NoError(t, err)
		_, err = set.Instances().WaitFor(ctx, rep.IDs(), perspective.StateLaunched)
		require.NoError(t, err)
	}
	return &session{t: t, set: set}
}

// run runs one pcli command line on the session's cloud.
func (s *session) run(args ...string) pcliRun {
	s.t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, set: s.set}
	root := a.rootCommand()
	root.SetArgs(args)
	code := a.exitStatus(root.ExecuteContext(context.Background()))
	return pcliRun{stdout: out.String(), stderr: errOut.String(), code: code}
}

func (s *session) host(name string) string {
	s.t.Helper()
	insts, err := s.set.Instances().With(perspective.MaxAge(0)).List(context.Background(), perspective.ListOptions{Name: name})
	require.NoError(s.t, err)
	require.Len(s.t, insts, 1)
	return insts[0].Host
}

// TestEvacuateAfterForceDown is the operator's flow: a host fails, its
// compute service is forced down, its instances are evacuated with
// --where on their host and waited for, and the service comes back.
func TestEvacuateAfterForceDown(t *testing.T) {
	s := newSession(t, "mock://?admin=true&delay=20ms", "web-1", "web-2", "web-3")
	require.Equal(t, "aio2", s.host("web-2"), "the mock spreads instances: web-2 on aio2")

	got := s.run("services", "force-down", "aio2", "-o", "json")
	require.Equal(t, exitOK, got.code, got.stderr)
	var svcs []serviceRow
	require.NoError(t, json.Unmarshal([]byte(got.stdout), &svcs))
	require.Len(t, svcs, 1)
	assert.True(t, svcs[0].ForcedDown)
	assert.Equal(t, "down", svcs[0].State)

	got = s.run("--concurrency", "1", "evacuate", "--where", "host = 'aio2'", "--wait")
	require.Equal(t, exitOK, got.code, got.stdout+got.stderr)
	assert.Contains(t, got.stdout, "web-2  ok      now launched")
	assert.Contains(t, got.stderr, "waiting for 1 instance to leave rebuilding")
	assert.Equal(t, "aio", s.host("web-2"), "evacuated by the scheduler to the only host up")

	got = s.run("hosts", "-o", "csv")
	require.Equal(t, exitOK, got.code, got.stderr)
	assert.Contains(t, got.stdout, "aio,aio,up,enabled,3/16,1536/32768,3/500,3,mock\n")
	assert.Contains(t, got.stdout, "aio2,aio2,down,enabled,0/16,0/32768,0/500,0,mock\n")

	// Nowhere left to go: every other host is down or the target.
	got = s.run("evacuate", "web-1", "--host", "aio")
	assert.Equal(t, exitFailed, got.code)
	assert.Contains(t, got.stdout, "the instance already runs on \"aio\"")

	got = s.run("services", "force-up", "aio2")
	require.Equal(t, exitOK, got.code, got.stderr)
	assert.Regexp(t, `nova-compute +aio2 +nova +enabled +up +no`, got.stdout)
}

// TestMigrateLiveMovesTheHost: migrate --live is live-migrate (no
// confirmation), migrate alone a cold move waiting for its confirmation.
func TestMigrateLiveMovesTheHost(t *testing.T) {
	s := newSession(t, "mock://?admin=true&delay=20ms", "a", "b")
	before := s.host("a")
	got := s.run("migrate", "a", "--live", "--wait")
	require.Equal(t, exitOK, got.code, got.stdout+got.stderr)
	assert.Contains(t, got.stderr, "live-migrate: 1 succeeded")
	assert.NotEqual(t, before, s.host("a"))

	got = s.run("migrate", "b", "--wait", "-o", "json")
	require.Equal(t, exitOK, got.code, got.stdout+got.stderr)
	var sum summary
	require.NoError(t, json.Unmarshal([]byte(got.stdout), &sum))
	assert.Equal(t, "migrate", sum.Operation)
	assert.Equal(t, "verify_resize", sum.Results[0].State, "a cold move waits for its confirmation")
}
