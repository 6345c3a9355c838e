package operator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

func open(t *testing.T, opts ...mock.Option) (*mock.Driver, *perspective.Cloud, *operator.Operator) {
	t.Helper()
	drv := mock.New(append([]mock.Option{mock.WithAdmin(true)}, opts...)...)
	c, err := perspective.NewCloud(drv)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	op, err := operator.New(c)
	require.NoError(t, err)
	return drv, c, op
}

func launch(t *testing.T, c *perspective.Cloud, n int) []string {
	t.Helper()
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: "t", Count: n, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	return rep.IDs()
}

func TestBadInputNeverReachesTheCloud(t *testing.T) {
	drv, c, op := open(t)
	ctx := context.Background()
	id := launch(t, c, 1)[0]
	before := drv.Mutations() + drv.Calls("CreateAggregate") + drv.Calls("CreateFlavor") + drv.Calls("UpdateService") +
		drv.Calls("SetAggregateMetadata") + drv.Calls("SetExtraSpecs")
	var nilCtx context.Context
	tests := map[string]func() error{
		"nil ctx":        func() error { _, err := op.Hypervisors(nilCtx); return err },
		"aggregate name": func() error { _, err := op.CreateAggregate(ctx, operator.AggregateSpec{Name: " "}); return err },
		"aggregate zone": func() error {
			_, err := op.CreateAggregate(ctx, operator.AggregateSpec{Name: "a", AvailabilityZone: "z\x1b"})
			return err
		},
		"update nothing":   func() error { _, err := op.UpdateAggregate(ctx, "1", operator.AggregateUpdate{}); return err },
		"metadata nothing": func() error { _, err := op.SetAggregateMetadata(ctx, "1", nil); return err },
		"metadata long key": func() error {
			_, err := op.SetAggregateMetadata(ctx, "1", map[string]string{strings.Repeat("k", 256): "v"})
			return err
		},
		"too many keys": func() error {
			m := map[string]string{}
			for i := range operator.MaxMetadataKeys + 1 {
				m[strings.Repeat("k", i+1)] = "v"
			}
			return op.SetExtraSpecs(ctx, "m1.tiny", m)
		},
		"flavor ram": func() error {
			_, err := op.CreateFlavor(ctx, operator.FlavorSpec{Name: "f", RAM: -1, VCPUs: 1})
			return err
		},
		"flavor vcpus": func() error {
			_, err := op.CreateFlavor(ctx, operator.FlavorSpec{Name: "f", RAM: 1, VCPUs: 1 << 40})
			return err
		},
		"disable reason":   func() error { _, err := op.DisableService(ctx, "x", strings.Repeat("r", 300)); return err },
		"service id":       func() error { _, err := op.EnableService(ctx, ""); return err },
		"reset to shutoff": func() error { _, err := op.ResetState(ctx, perspective.StateShutoff, id); return err },
		"evacuate no ids":  func() error { _, err := op.Evacuate(ctx, ""); return err },
		"evacuate host":    func() error { _, err := op.Evacuate(ctx, "a\nb", id); return err },
		"access project":   func() error { return op.AddFlavorAccess(ctx, "m1.tiny", "") },
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
			var pe *perspective.Error
			require.ErrorAs(t, err, &pe)
			assert.NotEmpty(t, pe.Op, "the error names the call")
		})
	}
	after := drv.Mutations() + drv.Calls("CreateAggregate") + drv.Calls("CreateFlavor") + drv.Calls("UpdateService") +
		drv.Calls("SetAggregateMetadata") + drv.Calls("SetExtraSpecs")
	assert.Equal(t, before, after, "bad input never reaches the cloud")
}

func TestEvacuateReportsPerIDInOrder(t *testing.T) {
	drv, c, op := open(t)
	ctx := context.Background()
	ids := launch(t, c, 2)
	// both on aio and aio2: force down aio2's compute only
	svcs, err := op.Services(ctx)
	require.NoError(t, err)
	for _, s := range svcs {
		if s.Binary == "nova-compute" && s.Host == "aio2" {
			_, err := op.ForceDown(ctx, s.ID, true)
			require.NoError(t, err)
		}
	}
	a, err := c.Instances().Get(ctx, ids[0])
	require.NoError(t, err)
	b, err := c.Instances().Get(ctx, ids[1])
	require.NoError(t, err)
	require.Equal(t, []string{"aio", "aio2"}, []string{a.Host, b.Host}, "the scheduler spreads instances")
	_, err = c.Instances().Lock(ctx, b.ID)
	require.NoError(t, err)
	calls := drv.Calls("Evacuate")
	rep, err := op.Evacuate(ctx, "", b.ID, "", "no-such-instance", a.ID, b.ID)
	require.Error(t, err)
	require.Len(t, rep.Results, 5)
	assert.NoError(t, rep.Results[0].Err, "a locked instance is evacuated by an operator")
	assert.ErrorIs(t, rep.Results[1].Err, perspective.ErrInvalidArgument, "an empty id")
	assert.ErrorIs(t, rep.Results[2].Err, perspective.ErrNotFound)
	assert.Zero(t, rep.Results[2].Attempts)
	assert.ErrorIs(t, rep.Results[3].Err, perspective.ErrConflict, "aio is up")
	assert.ErrorContains(t, rep.Results[3].Err, "still in use")
	assert.Equal(t, rep.Results[0], rep.Results[4], "a repeated id shares its result")
	assert.Equal(t, calls+2, drv.Calls("Evacuate"), "b once, a once; the unknown id never")
	got, err := c.Instances().Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, "aio", got.Host)
	assert.True(t, got.Locked)
}

func TestResetStateIsCheckedAgainstTheStateMachine(t *testing.T) {
	drv, c, op := open(t, mock.WithSoftDelete(true))
	ctx := context.Background()
	id := launch(t, c, 1)[0]
	_, err := op.ResetState(ctx, perspective.StateError, id)
	require.NoError(t, err)
	rep, err := c.Instances().WaitFor(ctx, []string{id}, perspective.StateLaunched)
	require.Error(t, err, "a wait fails on an instance in error")
	assert.ErrorIs(t, rep.Results[0].Err, perspective.ErrInvalidState)
	_, err = op.ResetState(ctx, perspective.StateLaunched, id)
	require.NoError(t, err)
	_, err = c.Instances().ForceDelete(ctx, id)
	require.NoError(t, err)
	calls := drv.Calls("ResetState")
	rep, err = op.ResetState(ctx, perspective.StateLaunched, id)
	assert.ErrorIs(t, err, perspective.ErrNotFound, "a deleted instance is gone")
	assert.Zero(t, rep.Results[0].Attempts)
	assert.Equal(t, calls, drv.Calls("ResetState"))
}

func TestForbiddenWithoutTheRole(t *testing.T) {
	drv := mock.New()
	c, err := perspective.NewCloud(drv)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	op, err := operator.New(c)
	require.NoError(t, err)
	assert.Equal(t, operator.Operations(), op.Operations(), "the mock has every capability; the role is the cloud's to check")
	_, err = op.Services(context.Background())
	assert.ErrorIs(t, err, perspective.ErrForbidden)
	assert.ErrorContains(t, err, "services service: Policy doesn't allow")
	_, err = operator.New(nil)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

// TestDryRunEvacuateChangesNothing: the dry run admits and refuses as
// Evacuate would (host down or not is the cloud's to say, at the call),
// and makes no call but the reads.
func TestDryRunEvacuateChangesNothing(t *testing.T) {
	drv, c, op := open(t)
	ctx := context.Background()
	ids := launch(t, c, 2)
	a, err := c.Instances().Get(ctx, ids[0])
	require.NoError(t, err)
	_, err = c.Instances().Shutdown(ctx, ids[1])
	require.NoError(t, err)
	_, err = c.Instances().WaitFor(ctx, ids[1:], perspective.StateShutoff)
	require.NoError(t, err)

	before := drv.Mutations()
	rep, err := op.DryRunEvacuate(ctx, a.Host, ids[0], ids[1], "no-such-instance")
	require.Error(t, err)
	require.Len(t, rep.Results, 3)
	assert.ErrorIs(t, rep.Results[0].Err, perspective.ErrInvalidArgument, "already on the target host")
	assert.NoError(t, rep.Results[1].Err, "a shut-off instance may be evacuated")
	assert.Zero(t, rep.Results[1].Attempts)
	assert.ErrorIs(t, rep.Results[2].Err, perspective.ErrNotFound)
	assert.Equal(t, before, drv.Mutations(), "a dry run changes nothing")
	assert.Zero(t, drv.Calls("Evacuate"))

	rep, err = op.DryRunEvacuate(ctx, "", ids[0])
	require.NoError(t, err)
	assert.Equal(t, ids[0], rep.Results[0].ID)
	_, err = op.DryRunEvacuate(ctx, "a\nb", ids[0])
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	assert.Zero(t, drv.Calls("Evacuate"))
}
