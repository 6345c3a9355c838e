package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryCommandHasHelpWithExample walks the command tree: every command,
// cobra's own included, has a short description and an example.
func TestEveryCommandHasHelpWithExample(t *testing.T) {
	a := &app{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	root := a.rootCommand()
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		n++
		assert.NotEmpty(t, c.Short, "%s has no short description", c.CommandPath())
		assert.NotEmpty(t, c.Example, "%s has no example", c.CommandPath())
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	assert.Greater(t, n, 40, "the tree is smaller than the commands pcli has")
	for _, op := range bulkOps {
		got := runPCLI(t, "", string(op.op), "--help")
		assert.Equal(t, exitOK, got.code)
		assert.Contains(t, got.stdout, "Examples:", op.op)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		got := runPCLI(t, "", "completion", shell)
		require.Equal(t, exitOK, got.code, got.stderr)
		assert.Contains(t, got.stdout, "pcli", shell)
	}
	// Instance names complete from the cloud.
	got := runPCLI(t, "", "__complete", "--cloud", "mock", "--seed-instances", "web=2,db=1", "reboot", "we")
	require.Equal(t, exitOK, got.code, got.stderr)
	assert.Contains(t, got.stdout, "web-1\tlaunched")
	assert.Contains(t, got.stdout, "web-2\tlaunched")
	assert.NotContains(t, got.stdout, "db")
}

func TestKeypairGeneratedKeyIsWrittenOnce(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "ops.pem")

	got := runPCLI(t, "", "--cloud", "mock", "keypairs", "add", "ops", "--private-key", key)
	require.Equal(t, exitOK, got.code, got.stderr)
	assert.Contains(t, got.stdout, "ops")
	assert.NotContains(t, got.stdout, "PRIVATE KEY", "the key goes to the file only")
	st, err := os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	pem, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(pem), "-----BEGIN OPENSSH PRIVATE KEY-----"), string(pem))

	// An existing file is never overwritten, and nothing is generated.
	got = runPCLI(t, "", "--cloud", "mock", "keypairs", "add", "ops2", "--private-key", key)
	assert.Equal(t, exitUsage, got.code)
	assert.Contains(t, got.stderr, "never overwrites")
	again, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.Equal(t, pem, again)

	// A refused keypair leaves no empty file behind.
	bad := filepath.Join(dir, "bad.pem")
	got = runPCLI(t, "", "--cloud", "mock", "keypairs", "add", "bad/name", "--private-key", bad)
	assert.Equal(t, exitUsage, got.code, got.stderr)
	assert.NoFileExists(t, bad)

	// Without a file, the key alone goes to stdout; in JSON it is a field.
	got = runPCLI(t, "", "--cloud", "mock", "keypairs", "add", "ci")
	require.Equal(t, exitOK, got.code, got.stderr)
	assert.True(t, strings.HasPrefix(got.stdout, "-----BEGIN OPENSSH PRIVATE KEY-----"), got.stdout)
	assert.Contains(t, got.stderr, "the cloud keeps no copy")
	got = runPCLI(t, "", "--cloud", "mock", "-o", "json", "keypairs", "add", "ci")
	require.Equal(t, exitOK, got.code, got.stderr)
	var k struct{ Name, PrivateKey string }
	require.NoError(t, json.Unmarshal([]byte(got.stdout), &k))
	assert.Equal(t, "ci", k.Name)
	assert.Contains(t, k.PrivateKey, "PRIVATE KEY")

	got = runPCLI(t, "", "--cloud", "mock", "keypairs", "add", "x", "--private-key", key, "--public-key", "testdata/laptop.pub")
	assert.Equal(t, exitUsage, got.code)
}

func TestProjectsRCFileToFile(t *testing.T) {
	rc := filepath.Join(t.TempDir(), "demo-openrc.sh")
	got := runPCLI(t, "", "--cloud", "mock://?region=Lab", "projects", "--rc", rc)
	require.Equal(t, exitOK, got.code, got.stderr)
	b, err := os.ReadFile(rc)
	require.NoError(t, err)
	assert.Contains(t, string(b), `export OS_REGION_NAME="Lab"`)
	assert.NotContains(t, string(b), "OS_PASSWORD=secret")
	assert.Contains(t, got.stderr, "wrote "+rc)
}

func TestParseSeed(t *testing.T) {
	tests := []struct {
		in   string
		want []seedGroup
		bad  bool
	}{
		{in: "", want: nil},
		{in: "3", want: []seedGroup{{"vm", 3, "launched"}}},
		{in: "web=2,db=1:shutoff", want: []seedGroup{{"web", 2, "launched"}, {"db", 1, "shutoff"}}},
		{in: "x=1:locked", want: []seedGroup{{"x", 1, stateLocked}}},
		{in: "0", bad: true},
		{in: "1001", bad: true},
		{in: "web", bad: true},
		{in: "=2", bad: true},
		{in: "web=0", bad: true},
		{in: "web=2:deleting", bad: true},
		{in: "web=2,", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSeed(tt.in)
			if tt.bad {
				var ue *usageError
				assert.ErrorAs(t, err, &ue)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCloudURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mock", "mock://"},
		{"openstack", "openstack://"},
		{"mock://demo?seed=1", "mock://demo?seed=1"},
		{"openstack://?cloud=devstack", "openstack://?cloud=devstack"},
		{"devstack", "openstack://?cloud=devstack"},
		{"", ""},
		{"a b", ""},
		{"x?y=1", ""},
	}
	for _, tt := range tests {
		got, err := cloudURL(tt.in)
		if tt.want == "" {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
}

// cancelOnWrite cancels a context the first time trigger is written to it,
// as a person pressing Ctrl-C on seeing a progress line would.
type cancelOnWrite struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	trigger string
	cancel  context.CancelFunc
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.trigger) {
		w.cancel()
	}
	return len(p), nil
}

// TestCancelReportsItemsNotStarted cancels a bulk call after its first
// item: the summary still prints, the items not started are canceled with
// no attempt, and the exit status is 1.
func TestCancelReportsItemsNotStarted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &cancelOnWrite{trigger: "reboot: 1/30 ok web-1\n", cancel: cancel}
	var stdout bytes.Buffer
	args := []string{"--cloud", "mock://?latency=10ms", "--seed-instances", "web=30", "--concurrency", "1", "-o", "json", "reboot"}
	for i := 1; i <= 30; i++ {
		args = append(args, "web-"+strconv.Itoa(i))
	}
	code := run(ctx, args, strings.NewReader(""), &stdout, stderr)
	assert.Equal(t, exitFailed, code)

	var s summary
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &s), stdout.String())
	require.Len(t, s.Results, 30)
	assert.GreaterOrEqual(t, s.Succeeded, 1)
	assert.GreaterOrEqual(t, s.Canceled, 20, "most items never started")
	assert.Equal(t, 30, s.Succeeded+s.Failed+s.Canceled)
	for _, o := range s.Results {
		if o.Attempts == 0 {
			assert.Equal(t, statusCanceled, o.Status, o.Name)
			assert.Equal(t, "canceled", o.Code, o.Name)
		}
	}
	assert.Contains(t, stderr.buf.String(), "reboot: interrupted after")
	assert.Regexp(t, `reboot: \d+ succeeded, \d+ canceled \(of 30\)`, stderr.buf.String())
}

func TestTimeout(t *testing.T) {
	got := runPCLI(t, "", "--cloud", "mock://?latency=50ms", "--timeout", "10ms", "flavors")
	assert.Equal(t, exitFailed, got.code)
	assert.Contains(t, got.stderr, "deadline exceeded")
}
