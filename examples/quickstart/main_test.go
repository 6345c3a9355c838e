package main

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/perspective-cloud/sdk/perspective"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, "mock://quickstart"))
	s := out.String()
	assert.Contains(t, s, "launched 3 instances")
	assert.Contains(t, s, "reboot all:            3 ok, 0 failed")
	assert.Contains(t, s, "pause all:             2 ok, 1 failed")
	assert.Contains(t, s, "invalid_state")
	assert.Contains(t, s, "web-1   shutoff")
	assert.Contains(t, s, "web-2   paused")
	assert.Contains(t, s, "all gone")
}

func TestRunFails(t *testing.T) {
	// Items that fail are printed, and the program goes on.
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, "mock://quickstart?fail=reboot:forbidden"))
	assert.Contains(t, out.String(), "reboot all:            0 ok, 3 failed")
	assert.Contains(t, out.String(), "(forbidden)")
	assert.Contains(t, out.String(), "all gone")

	// A launch that fails ends it, saying so.
	err := run(context.Background(), &out, "mock://quickstart?fail=launch:quota_exceeded")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "launch:")

	err = run(context.Background(), &out, "nope://")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown scheme")
}

func TestStep(t *testing.T) {
	var out bytes.Buffer
	err := step(&out, "reboot all", nil, errors.New("boom"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reboot all: boom")
	rep := &perspective.Report{Results: []perspective.Result{{ID: "abc"}, {ID: "x", Err: perspective.ErrLocked}}}
	require.NoError(t, step(&out, "lock", rep, rep.Err()))
	assert.Contains(t, out.String(), "lock:                  1 ok, 1 failed\n  x: ")
	assert.Equal(t, "12345678", short("1234567890"))
	assert.Equal(t, "x", short("x"))
}
