package perspective

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFSMTable(t *testing.T) {
	tests := []struct {
		op      Operation
		allowed []State
		via, to State
	}{
		{OpReboot, []State{StateLaunched}, StateRebooting, StateLaunched},
		{OpStart, []State{StateShutoff}, StateStarting, StateLaunched},
		{OpShutdown, []State{StateLaunched, StateError}, StateShuttingDown, StateShutoff},
		{OpPause, []State{StateLaunched}, StatePausing, StatePaused},
		{OpResume, []State{StatePaused, StateSuspended}, StateResuming, StateLaunched},
		{OpSuspend, []State{StateLaunched}, StateSuspending, StateSuspended},
		{OpResize, []State{StateLaunched, StateShutoff}, StateResizing, StateVerifyResize},
		{OpConfirmResize, []State{StateVerifyResize}, StateResizing, StateLaunched},
		{OpRevertResize, []State{StateVerifyResize}, StateRevertingResize, StateLaunched},
		{OpRebuild, []State{StateLaunched, StateShutoff, StateError}, StateRebuilding, StateLaunched},
	}
	for _, tt := range tests {
		t.Run(string(tt.op), func(t *testing.T) {
			tr, ok := TransitionOf(tt.op)
			require.True(t, ok)
			assert.Equal(t, tt.via, tr.Via)
			assert.Equal(t, tt.to, tr.To)
			for _, s := range States() {
				want := slices.Contains(tt.allowed, s)
				assert.Equal(t, want, Admits(tt.op, s), "%s in %s", tt.op, s)
				err := Check(Instance{ID: "id-1", Name: "n", State: s}, tt.op)
				if want {
					assert.NoError(t, err)
				} else {
					require.ErrorIs(t, err, ErrInvalidState)
					var pe *Error
					require.ErrorAs(t, err, &pe)
					assert.Equal(t, s, pe.State)
					assert.Equal(t, tt.op, pe.Op)
					assert.Equal(t, "id-1", pe.ID)
				}
			}
		})
	}
}

func TestEveryInstanceOperationHasARule(t *testing.T) {
	for _, op := range InstanceOperations() {
		_, ok := TransitionOf(op)
		assert.True(t, ok, "%s has a state-machine rule", op)
		_, ok = operations[op]
		assert.True(t, ok || op == OpLaunch, "%s is in the table of driver calls", op)
	}
	for _, op := range InstanceOperations() {
		if op == OpLaunch || op == OpUsage {
			continue
		}
		assert.False(t, Admits(op, StateDeleted), "%s on a deleted instance", op)
	}
	assert.True(t, Admits(OpDelete, StateError), "an instance in error can be deleted")
	assert.ErrorIs(t, Check(Instance{State: StateLaunched}, OpLaunch), ErrInvalidArgument)
}

func TestParseStateAndOperation(t *testing.T) {
	for _, s := range States() {
		got, err := ParseState(string(s))
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	_, err := ParseState("running")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	for _, op := range AllOperations() {
		got, err := ParseOperation(string(op))
		require.NoError(t, err)
		assert.Equal(t, op, got)
	}
	_, err = ParseOperation("explode")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.True(t, StateRebooting.Transitional())
	assert.False(t, StateLaunched.Transitional())
	assert.False(t, OpConsole.Mutating())
	assert.True(t, OpTag.Mutating())
}

func TestGlobalID(t *testing.T) {
	a := GlobalID("cloud-a", KindInstance, "1234")
	assert.Equal(t, a, GlobalID("cloud-a", KindInstance, "1234"), "stable")
	assert.NotEqual(t, a, GlobalID("cloud-b", KindInstance, "1234"), "clouds never collide")
	assert.NotEqual(t, a, GlobalID("cloud-a", KindImage, "1234"), "kinds never collide")
	assert.NotEqual(t, GlobalID("ab", KindInstance, "c"), GlobalID("a", KindInstance, "bc"), "parts are separated")
	assert.Equal(t, byte('5'), a[14], "a version 5 UUID")
	// The namespace is part of the contract: this value must never change.
	assert.Equal(t, "90521775-a11a-5191-84ad-b17d95aa749f", GlobalID("test-cloud", KindInstance, "dec960ca-7507-445b-b993-e194f5eeec22"))
}
