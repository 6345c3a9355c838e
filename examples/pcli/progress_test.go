package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// TestItemLinesComeAsItemsFinish shows that each item's line is printed as
// the item is done, not when the call ends: on a slow cloud, one item at a
// time, the test cancels the call as soon as it reads the line of a failed
// item. Had the line come at the end, the cancel would find nothing left
// to stop; here the items after it are canceled, and the failure's line
// stands before theirs.
func TestItemLinesComeAsItemsFinish(t *testing.T) {
	tests := []struct {
		name    string
		cloud   string
		seed    string
		args    []string
		trigger string // the failed item's line
		before  []string
	}{
		{
			name:    "refused by the state machine",
			cloud:   "mock://?latency=40ms",
			seed:    "web=6,batch=1:shutoff",
			args:    append([]string{"web-1", "web-2", "batch"}, instanceNames("web", 6)[2:]...),
			trigger: `reboot: 1/7 failed batch: instance "batch" is shutoff; reboot is allowed only when launched` + "\n",
		},
		{
			name:  "failed by the cloud",
			cloud: "mock://?latency=40ms&fail=reboot:forbidden",
			seed:  "web=6",
			args:  instanceNames("web", 6),
			trigger: "reboot: 1/6 failed web-1: mock: reboot fails with forbidden (URL parameter fail=reboot:forbidden)" +
				"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stderr := &cancelOnWrite{trigger: tt.trigger, cancel: cancel}
			var stdout bytes.Buffer
			args := append([]string{"--cloud", tt.cloud, "--seed-instances", tt.seed, "--concurrency", "1", "-o", "json", "reboot"},
				tt.args...)
			code := run(ctx, args, strings.NewReader(""), &stdout, stderr)
			assert.Equal(t, exitFailed, code)
			log := stderr.buf.String()
			require.Contains(t, log, tt.trigger)

			var s summary
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &s), stdout.String())
			require.Len(t, s.Results, len(tt.args))
			assert.Equal(t, 1, s.Failed, "only the failure the test saw: %s", log)
			assert.GreaterOrEqual(t, s.Canceled, len(tt.args)-3, "the call was still running when the line came: %s", log)

			// One line per item, counted in order, the failure's first.
			lines := regexp.MustCompile(`(?m)^reboot: (\d+)/(\d+) (\S+) `).FindAllStringSubmatch(log, -1)
			require.Len(t, lines, len(tt.args), log)
			for i, m := range lines {
				assert.Equal(t, strconv.Itoa(i+1), m[1], log)
				assert.Equal(t, strconv.Itoa(len(tt.args)), m[2], log)
			}
			assert.Equal(t, statusFailed, lines[0][3])
			assert.Less(t, strings.Index(log, tt.trigger), strings.Index(log, " canceled "), log)
		})
	}
}

// TestProgressLinesAtDefaultConcurrency runs a bulk call with items acted
// on at once: the lines come in any order, but each item has exactly one,
// and the counts run 1, 2, … in the order the lines are printed.
func TestProgressLinesAtDefaultConcurrency(t *testing.T) {
	args := append([]string{"--cloud", "mock://?latency=5ms", "--seed-instances", "web=12,batch=1:shutoff", "reboot", "batch", "nope"},
		instanceNames("web", 12)...)
	got := runPCLI(t, "", args...)
	require.Equal(t, exitFailed, got.code, got.stderr)

	lines := regexp.MustCompile(`(?m)^reboot: (\d+)/14 (ok|failed) (\S+)(: .*)?$`).FindAllStringSubmatch(got.stderr, -1)
	require.Len(t, lines, 14, got.stderr)
	seen := map[string]string{}
	for i, m := range lines {
		assert.Equal(t, strconv.Itoa(i+1), m[1], got.stderr)
		_, dup := seen[m[3]]
		assert.False(t, dup, "one line for %s", m[3])
		seen[m[3]] = m[2]
	}
	want := map[string]string{"batch": statusFailed, "nope": statusFailed}
	for _, name := range instanceNames("web", 12) {
		want[name] = statusOK
	}
	assert.Equal(t, want, seen)
	assert.Contains(t, got.stderr, `failed batch: instance "batch" is shutoff; reboot is allowed only when launched`)
	assert.Contains(t, got.stderr, "failed nope: no such instance")
}

// TestProgressLine checks the words of one item's line in plain mode.
func TestProgressLine(t *testing.T) {
	refusal := &perspective.Error{Code: perspective.CodeInvalidState, Op: perspective.OpStart, ID: "id-1",
		Msg: `instance "web-1" is launched; start is allowed only when shutoff`}
	tests := []struct {
		name   string
		dryRun bool
		names  map[string]string
		result perspective.Result
		want   string
	}{
		{name: "ok, by name", names: map[string]string{"id-1": "web-1"},
			result: perspective.Result{ID: "id-1"}, want: "start: 1/1 ok web-1\n"},
		{name: "unknown id", result: perspective.Result{ID: "nope", Err: perspective.ErrNotFound},
			want: "start: 1/1 failed nope: " + perspective.ErrNotFound.Error() + "\n"},
		{name: "failed, with the reason", names: map[string]string{"id-1": "web-1"},
			result: perspective.Result{ID: "id-1", Err: refusal},
			want:   `start: 1/1 failed web-1: instance "web-1" is launched; start is allowed only when shutoff` + "\n"},
		{name: "dry run refused", dryRun: true, names: map[string]string{"id-1": "web-1"},
			result: perspective.Result{ID: "id-1", Err: refusal},
			want:   `start: 1/1 refused web-1: instance "web-1" is launched; start is allowed only when shutoff` + "\n"},
		{name: "dry run admitted", dryRun: true, names: map[string]string{"id-1": "web-1"},
			result: perspective.Result{ID: "id-1"}, want: "start: 1/1 admitted web-1\n"},
		{name: "a name two instances carry shows the id", names: map[string]string{"id-1": "web", "id-2": "web", "id-3": "db"},
			result: perspective.Result{ID: "id-2"}, want: "start: 1/1 ok web (id-2)\n"},
		{name: "canceled", names: map[string]string{"id-1": "web-1"},
			result: perspective.Result{ID: "id-1", Err: fmt.Errorf("start: %w", perspective.ErrCanceled)},
			want:   "start: 1/1 canceled web-1: start: " + perspective.ErrCanceled.Error() + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			a := &app{stderr: &w}
			p := a.newProgress("start", 1, tt.names, tt.dryRun)
			p.item(tt.result)
			assert.Empty(t, w.String(), "the line waits for its count")
			p.update(1, 1)
			assert.Equal(t, tt.want, w.String())
			p.finish(false)
			assert.Equal(t, tt.want, w.String(), "a finished call adds nothing")
		})
	}
}
