package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// lockedBuffer is a Buffer safe for a writer and a reader at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// watching is a pcli watch running over a mock cloud the test can change
// behind pcli's back.
type watching struct {
	t      *testing.T
	drv    *mock.Driver
	set    *perspective.Set
	ids    map[string]string // name → global id
	out    *lockedBuffer
	cancel context.CancelFunc
	done   chan int
}

// startWatch launches the named instances, then runs pcli with args (a
// watch) on a cloud that syncs every 20 ms, and returns once the watch is
// open.
func startWatch(t *testing.T, names []string, args ...string) *watching {
	t.Helper()
	drv := mock.New(mock.WithDelay(0))
	c, err := perspective.NewCloud(drv, perspective.WithSync(20*time.Millisecond, time.Hour))
	require.NoError(t, err)
	set, err := perspective.NewSet(c)
	require.NoError(t, err)
	t.Cleanup(func() { _ = set.Close() })
	w := &watching{t: t, drv: drv, set: set, ids: map[string]string{}, out: &lockedBuffer{}, done: make(chan int, 1)}
	for _, n := range names {
		rep, err := set.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: n, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
		require.NoError(t, err)
		w.ids[n] = rep.IDs()[0]
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	stderr := &lockedBuffer{}
	go func() {
		a := &app{stdin: strings.NewReader(""), stdout: w.out, stderr: stderr, set: set}
		root := a.rootCommand()
		root.SetArgs(args)
		w.done <- a.exitStatus(root.ExecuteContext(ctx))
	}()
	require.Eventually(t, func() bool { return c.SyncStats().Watches == 1 }, 5*time.Second, 5*time.Millisecond,
		"the watch opens; stderr: %s", stderr)
	return w
}

// realID is the cloud's own id of the named instance.
func (w *watching) realID(name string) string {
	in, err := w.set.Instances().Get(context.Background(), w.ids[name])
	require.NoError(w.t, err)
	return in.RealID
}

// waitFor waits until the output holds s.
func (w *watching) waitFor(s string) {
	w.t.Helper()
	require.Eventually(w.t, func() bool { return strings.Contains(w.out.String(), s) }, 5*time.Second, 5*time.Millisecond,
		"%q in the output:\n%s", s, w.out)
}

// stop ends the watch as Ctrl-C does and returns its exit status.
func (w *watching) stop() int {
	w.cancel()
	select {
	case code := <-w.done:
		return code
	case <-time.After(5 * time.Second):
		w.t.Fatal("the watch did not end when its context did")
		return -1
	}
}

// TestWatchPrintsChangesBehindTheBack: a change and a deletion made by
// another client of the cloud are printed as they happen, a line each,
// and the watch ends with status 0 on Ctrl-C.
func TestWatchPrintsChangesBehindTheBack(t *testing.T) {
	w := startWatch(t, []string{"web-1"}, "watch")
	ctx := context.Background()
	w.waitFor("TIME          EVENT     ID")

	require.NoError(t, w.drv.Shutdown(ctx, w.realID("web-1")))
	w.waitFor("launched → shutoff")
	real := w.realID("web-1")
	require.NoError(t, w.drv.DeleteInstance(ctx, real))
	w.waitFor("deleted ")
	assert.Equal(t, exitOK, w.stop())

	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(w.out.String()), "\n")[1:] {
		f := strings.Fields(line)
		require.GreaterOrEqual(t, len(f), 4, line)
		assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3}$`, f[0])
		assert.Equal(t, w.ids["web-1"], f[2], line)
		assert.Equal(t, "web-1", f[3], line)
		kinds = append(kinds, f[1])
	}
	assert.Equal(t, "changed", kinds[0])
	assert.Equal(t, "deleted", kinds[len(kinds)-1])
}

// TestWatchWhereJSON: --where keeps the instances it selects, including
// the changes that take one out of the selection and back; -o json
// prints one object per line.
func TestWatchWhereJSON(t *testing.T) {
	w := startWatch(t, []string{"web-1", "web-2", "db-1"}, "watch", "--where", "name LIKE ? AND state <> 'paused'", "-p", "web-%", "-o", "json")
	ctx := context.Background()
	require.NoError(t, w.drv.Shutdown(ctx, w.realID("db-1"))) // never selected
	require.NoError(t, w.drv.Shutdown(ctx, w.realID("web-1")))
	require.NoError(t, w.drv.Pause(ctx, w.realID("web-2"))) // leaves the selection: printed
	w.waitFor(`"state":"shutoff"`)
	w.waitFor(`"state":"paused"`)
	require.NoError(t, w.drv.Unpause(ctx, w.realID("web-2"))) // back in the selection: printed
	require.NoError(t, w.drv.Start(ctx, w.realID("db-1")))    // never selected
	require.NoError(t, w.drv.Start(ctx, w.realID("web-1")))
	w.waitFor(`"kind":"changed","cloudId":"mock","id":"` + w.ids["web-1"] + `","old":{"id":"` + w.ids["web-1"] + `"`)
	require.NoError(t, w.drv.DeleteInstance(ctx, w.realID("web-1")))
	w.waitFor(`"kind":"deleted"`)
	assert.Equal(t, exitOK, w.stop())

	seen := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(w.out.String()), "\n") {
		var ev struct {
			Time time.Time
			Kind string
			ID   string
			Old  *perspective.Instance
			New  *perspective.Instance
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
		assert.False(t, ev.Time.IsZero(), line)
		st := ""
		if ev.New != nil {
			st = string(ev.New.State)
		}
		seen[ev.ID] = append(seen[ev.ID], ev.Kind+":"+st)
	}
	assert.NotContains(t, seen, w.ids["db-1"], "db-1 is not selected")
	assert.Contains(t, seen[w.ids["web-2"]], "changed:paused", "the change out of the selection is printed")
	assert.Contains(t, seen[w.ids["web-2"]], "changed:launched", "the change back into the selection is printed")
	assert.Contains(t, seen[w.ids["web-1"]], "deleted:")
}

// TestWatchCommandLine: the bounds of the command line, and a watch that
// ends on --timeout after its snapshot.
func TestWatchCommandLine(t *testing.T) {
	got := runPCLI(t, "", "--cloud", "mock", "--seed-instances", "web=2,db=1", "watch", "--snapshot", "--name", "web", "--timeout", "300ms")
	require.Equal(t, exitOK, got.code, got.stderr)
	assert.Equal(t, 2, strings.Count(got.stdout, " snapshot "), got.stdout)
	assert.NotContains(t, got.stdout, " db ")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"watch", "-o", "csv"}, "watch prints table or json lines"},
		{[]string{"watch", "--state", "running"}, "--state"},
		{[]string{"watch", "-p", "x"}, "there is no --where"},
		{[]string{"watch", "--where", "nme = 'x'"}, `did you mean "name"`},
	} {
		got := runPCLI(t, "", append([]string{"--cloud", "mock"}, tc.args...)...)
		assert.Equal(t, exitUsage, got.code, tc.args)
		assert.Contains(t, got.stderr, tc.want, tc.args)
	}
}
