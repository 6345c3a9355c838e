package main

import (
	"bytes"
	"context"
	"testing"

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
