package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildPCLI builds the pcli binary into a temporary directory.
func buildPCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pcli")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// pcliCommand is the built binary run on args, away from any real cloud.
func pcliCommand(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "OS_AUTH_URL=", "OS_CLOUD=", "TERM=xterm-256color")
	return cmd
}

func instanceNames(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = prefix + "-" + strconv.Itoa(i+1)
	}
	return names
}

// TestProgressBarOnTerminal runs pcli under a pseudo-terminal and checks
// what a person sees: a progress bar redrawn in place up to 21/21, the
// failed item printed above the bar as it fails (and no line for the items
// that succeed), then the per-item summary.
func TestProgressBarOnTerminal(t *testing.T) {
	bin := buildPCLI(t)
	args := append([]string{"--cloud", "mock://?latency=20ms", "--seed-instances", "web=20,batch=1:shutoff",
		"--concurrency", "2", "reboot", "batch"}, instanceNames("web", 20)...)
	cmd := pcliCommand(bin, args...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 120})
	require.NoError(t, err)
	defer tty.Close()

	var screen bytes.Buffer
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(&screen, tty)
		done <- err
	}()
	select {
	case err := <-done:
		// Linux reports the end of a pty whose other side closed as EIO.
		if err != nil && !errors.Is(err, syscall.EIO) {
			require.NoError(t, err)
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("pcli did not finish; the terminal shows:\n%s", screen.String())
	}
	err = cmd.Wait()
	out := screen.String()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, out)
	assert.Equal(t, exitFailed, exit.ExitCode())

	assert.Contains(t, out, "reboot", out)
	assert.Contains(t, out, "100%", "the bar reaches its end")
	assert.Contains(t, out, "(21/21", "the bar counts items")
	assert.Regexp(t, `\[=+>? *\]`, out, "a bar is drawn")
	assert.Contains(t, out, "\r", "the bar is redrawn in place")
	assert.NotRegexp(t, `reboot: \d+/21 `, out, "no plain progress lines on a terminal")
	assert.NotContains(t, out, "reboot: ok ", "items that succeed get no line of their own")
	// The refusal is printed on its own line, over the erased bar, while
	// the bar is still short of its end.
	failure := `reboot: failed batch: instance "batch" is shutoff; reboot is allowed only when launched`
	i := strings.Index(out, failure)
	require.GreaterOrEqual(t, i, 0, out)
	assert.Less(t, i, strings.Index(out, "100%"), "the failure is shown before the call ends")
	assert.Regexp(t, `\r *\r`+regexp.QuoteMeta(failure)+`\r?\n\r?reboot`, out, "the bar is erased, the line printed, the bar drawn again below")
	// The summary: a header, one row per instance, the total.
	assert.Regexp(t, `ID\s+NAME\s+RESULT\s+DETAIL`, out)
	for _, name := range instanceNames("web", 20) {
		assert.Regexp(t, regexp.MustCompile(`\s`+name+`\s+ok`), out)
	}
	assert.Regexp(t, `\sbatch\s+failed\s`, out)
	assert.Regexp(t, `reboot: 20 succeeded, 1 failed \(of 21\) in \d`, out)
}

// TestCtrlCCancels sends SIGINT to pcli in the middle of a slow bulk
// reboot: the instances not started are reported as canceled, the summary
// still prints, and the exit status is 1.
func TestCtrlCCancels(t *testing.T) {
	bin := buildPCLI(t)
	args := append([]string{"--cloud", "mock://?latency=100ms", "--seed-instances", "web=20", "--concurrency", "1", "reboot"},
		instanceNames("web", 20)...)
	cmd := pcliCommand(bin, args...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	stderrPipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	var stderr strings.Builder
	interrupted := false
	lines := bufio.NewScanner(stderrPipe)
	timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	for lines.Scan() {
		stderr.WriteString(lines.Text() + "\n")
		if !interrupted && strings.HasPrefix(lines.Text(), "reboot: 1/20 ok web-1") {
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
			interrupted = true
		}
	}
	err = cmd.Wait()
	require.True(t, interrupted, "no progress seen; stderr:\n%s", stderr.String())
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "stderr:\n%s", stderr.String())
	assert.Equal(t, exitFailed, exit.ExitCode())

	assert.Contains(t, stderr.String(), "reboot: interrupted after")
	m := regexp.MustCompile(`reboot: (\d+) succeeded, (\d+) canceled \(of 20\)`).FindStringSubmatch(stderr.String())
	require.NotNil(t, m, "no total line; stderr:\n%s", stderr.String())
	ok, _ := strconv.Atoi(m[1])
	canceled, _ := strconv.Atoi(m[2])
	assert.GreaterOrEqual(t, ok, 1)
	assert.GreaterOrEqual(t, canceled, 10, "most items never started")
	assert.Equal(t, 20, ok+canceled)
	// Every instance has its line in the summary; the canceled ones say so.
	assert.Equal(t, canceled, strings.Count(stdout.String(), " canceled "), stdout.String())
	for _, name := range instanceNames("web", 20) {
		assert.Regexp(t, regexp.MustCompile(`\s`+name+`\s+(ok|canceled)`), stdout.String())
	}
}
