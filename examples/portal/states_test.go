package main

import (
	"testing"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateTable: every library state has its seed-004 state, and the
// seed's thirteen states are distinct.
func TestStateTable(t *testing.T) {
	for _, s := range perspective.States() {
		sym, ok := stateTable[s]
		require.True(t, ok, "library state %s has no portal state", s)
		_, ok = parsePortalState(sym)
		assert.True(t, ok, "%s maps onto an unknown symbol %q", s, sym)
	}
	require.Len(t, portalStates, 13)
	seen := map[string]bool{}
	for _, st := range portalStates {
		for _, k := range []string{st.Symbol, st.Const, st.Name} {
			assert.False(t, seen[k], "%q twice", k)
			seen[k] = true
		}
	}
	tests := []struct {
		in   perspective.State
		want string
	}{
		{perspective.StateQueued, "Provisioning Scheduled"},
		{perspective.StateLaunching, "Provisioning"},
		{perspective.StateLaunched, "Online"},
		{perspective.StateShutoff, "Offline"},
		{perspective.StateStarting, "Starting"},
		{perspective.StateShuttingDown, "Stopping"},
		{perspective.StateError, "Erred"},
		{perspective.StateDeleting, "Deleting"},
		{perspective.StateResizing, "Resizing"},
		{perspective.StateVerifyResize, "Resizing"},
		{perspective.State("new-state"), "Erred"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stateOf(tt.in).Name, tt.in)
	}
}

func TestParsePortalState(t *testing.T) {
	for in, want := range map[string]string{"p": "p", "P": "P", "+": "+", "-": "-", "ONLINE": "+", "online": "+",
		"Resizing Scheduled": "r", "resizing_scheduled": "r", "DELETION_SCHEDULED": "d", "Erred": "e"} {
		st, ok := parsePortalState(in)
		require.True(t, ok, in)
		assert.Equal(t, want, st.Symbol, in)
	}
	for _, in := range []string{"", "x", "Running", "ONLINE ", "++"} {
		_, ok := parsePortalState(in)
		assert.False(t, ok, in)
	}
	assert.Equal(t, "Offline, Erred", statesNamed([]perspective.State{perspective.StateError, perspective.StateShutoff, perspective.StatePaused}))
}
