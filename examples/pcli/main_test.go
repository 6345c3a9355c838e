package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// pcliRun is the outcome of one run of pcli.
type pcliRun struct {
	stdout, stderr string
	code           int
}

// runPCLI runs pcli in the test's process.
func runPCLI(t *testing.T, stdin string, args ...string) pcliRun {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return pcliRun{stdout: out.String(), stderr: errOut.String(), code: code}
}

var (
	uuidRE     = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRE     = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
	durationRE = regexp.MustCompile(`\) in [0-9.]+(ns|µs|ms|s|m[0-9.]+s)\n`)
	stampRE    = regexp.MustCompile(`-snapshot-\d{8}-\d{6}`)
)

// scrub replaces what changes from run to run: ids (numbered in order of
// appearance, so that the same id keeps its number), times and durations.
func scrub(s string) string {
	ids := map[string]string{}
	s = uuidRE.ReplaceAllStringFunc(s, func(id string) string {
		if n, ok := ids[id]; ok {
			return n
		}
		// As wide as an id, so that tables stay aligned.
		n := "<id-" + strconv.Itoa(len(ids)+1)
		n += strings.Repeat("-", len(id)-len(n)-1) + ">"
		ids[id] = n
		return n
	})
	s = timeRE.ReplaceAllString(s, "<time>")
	s = durationRE.ReplaceAllString(s, ") in <duration>\n")
	return stampRE.ReplaceAllString(s, "-snapshot-<stamp>")
}

// render is what a golden file holds: the exit status, stdout and stderr.
func (r pcliRun) render() string {
	return fmt.Sprintf("exit status %d\n--- stdout\n%s--- stderr\n%s", r.code, scrub(r.stdout), scrub(r.stderr))
}

// checkGolden compares got with testdata/name.golden (or writes it with -update).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./examples/pcli -update")
	assert.Equal(t, string(want), got)
}
