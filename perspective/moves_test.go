package perspective_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

func TestSeed003StateRules(t *testing.T) {
	tests := []struct {
		op    perspective.Operation
		yes   []perspective.State
		never []perspective.State
	}{
		{perspective.OpShelve, []perspective.State{perspective.StateLaunched, perspective.StateShutoff},
			[]perspective.State{perspective.StateShelved, perspective.StateMigrating, perspective.StateSoftDeleted}},
		{perspective.OpShelveOffload, []perspective.State{perspective.StateShelved},
			[]perspective.State{perspective.StateLaunched, perspective.StateShelvedOffloaded}},
		{perspective.OpUnshelve, []perspective.State{perspective.StateShelved, perspective.StateShelvedOffloaded},
			[]perspective.State{perspective.StateLaunched, perspective.StateShelving}},
		{perspective.OpMigrate, []perspective.State{perspective.StateLaunched, perspective.StateShutoff},
			[]perspective.State{perspective.StatePaused, perspective.StateVerifyResize, perspective.StateError}},
		{perspective.OpLiveMigrate, []perspective.State{perspective.StateLaunched, perspective.StatePaused},
			[]perspective.State{perspective.StateShutoff, perspective.StateMigrating}},
		{perspective.OpRestore, []perspective.State{perspective.StateSoftDeleted},
			[]perspective.State{perspective.StateLaunched, perspective.StateDeleted}},
		{perspective.OpForceDelete, []perspective.State{perspective.StateSoftDeleted, perspective.StateLaunched, perspective.StateDeleting},
			[]perspective.State{perspective.StateDeleted}},
		{perspective.OpDelete, []perspective.State{perspective.StateLaunched}, []perspective.State{perspective.StateSoftDeleted}},
		{perspective.OpEvacuate, []perspective.State{perspective.StateLaunched, perspective.StateShutoff, perspective.StateError},
			[]perspective.State{perspective.StateMigrating, perspective.StateShelvedOffloaded}},
		{perspective.OpResetState, []perspective.State{perspective.StateMigrating, perspective.StateError, perspective.StateSoftDeleted},
			[]perspective.State{perspective.StateDeleted}},
	}
	for _, tt := range tests {
		for _, s := range tt.yes {
			assert.True(t, perspective.Admits(tt.op, s), "%s in %s", tt.op, s)
		}
		for _, s := range tt.never {
			assert.False(t, perspective.Admits(tt.op, s), "%s in %s", tt.op, s)
		}
	}
	for _, s := range []perspective.State{perspective.StateShelving, perspective.StateUnshelving, perspective.StateRestoring} {
		assert.True(t, s.Transitional(), s)
	}
	assert.False(t, perspective.StateSoftDeleted.Transitional())
	op, err := perspective.ParseOperation("evacuate")
	require.NoError(t, err)
	assert.Equal(t, perspective.OpEvacuate, op)
	assert.NotContains(t, perspective.AllOperations(), perspective.OpEvacuate, "the operator's operations are not a cloud's")
}

func TestMovesRefuseBeforeAnyCall(t *testing.T) {
	drv := mock.New(mock.WithAdmin(true))
	c, err := perspective.NewCloud(drv)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "m", Count: 2, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	ids := rep.IDs()
	a, err := c.Instances().Get(ctx, ids[0])
	require.NoError(t, err)
	require.NotEmpty(t, a.Host)

	before := drv.Mutations()
	rep, err = c.Instances().LiveMigrate(ctx, a.Host, ids[0])
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	assert.ErrorContains(t, rep.Results[0].Err, "already runs on")
	_, err = c.Instances().Unshelve(ctx, ids...)
	assert.ErrorIs(t, err, perspective.ErrInvalidState)
	_, err = c.Instances().Restore(ctx, ids...)
	assert.ErrorIs(t, err, perspective.ErrInvalidState)
	_, err = c.Instances().SetPassword(ctx, string(make([]byte, perspective.MaxPasswordBytes+1)), ids...)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	assert.Equal(t, before, drv.Mutations(), "nothing refused reached the cloud")

	rep, err = c.Instances().Backup(ctx, perspective.BackupSpec{Name: "nightly", Type: "daily", Rotation: 3}, ids...)
	require.NoError(t, err)
	names := []string{rep.Results[0].Image.Name, rep.Results[1].Image.Name}
	assert.ElementsMatch(t, []string{"nightly-m-1", "nightly-m-2"}, names, "several instances: name-<instance name>")
	_, err = c.Images().Get(ctx, rep.Results[0].Image.ID)
	assert.NoError(t, err, "the image cache knows the backup at once")
}
