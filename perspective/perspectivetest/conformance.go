package perspectivetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RunConformance runs the driver conformance suite: the same scenarios and
// the same expectations for every driver, ours or a user's. Call it from
// the driver's own tests:
//
//	func TestConformance(t *testing.T) {
//		perspectivetest.RunConformance(t, perspectivetest.Harness{
//			Open: func(t *testing.T) *perspective.Cloud { … },
//			Flavor: "m1.tiny", AltFlavor: "m1.small", Image: "cirros", AltImage: "cirros-2",
//		})
//	}
//
// Scenarios that need a capability the driver lacks check that the Cloud
// answers ErrUnsupported instead.
func RunConformance(t *testing.T, h Harness) {
	t.Helper()
	require.NotNil(t, h.Open, "Harness.Open is required")
	h.defaults()
	cloud := h.Open(t)
	require.NotNil(t, cloud, "Harness.Open returned a nil cloud")
	s := &suite{h: h, cloud: cloud, inst: cloud.Instances()}

	t.Run("Metadata", s.testMetadata)
	t.Run("BadInput", s.testBadInput)
	t.Run("NotFound", s.testNotFound)
	t.Run("Unsupported", s.testUnsupported)
	t.Run("Contract", s.testContract)
	t.Run("Lifecycle", s.testLifecycle)
	t.Run("Images", s.testImages)
	t.Run("Keypairs", s.testKeypairs)
	t.Run("Concurrent", s.testConcurrent)
	t.Run("Moves", s.testMoves)
	t.Run("Operator", s.testOperator)
}

func (s *suite) testMetadata(t *testing.T) {
	ctx := s.ctx(t)
	fs, err := s.cloud.Flavors().List(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, fs, "a cloud has flavors")
	for _, ref := range []string{s.h.Flavor, s.h.AltFlavor} {
		f, err := s.cloud.Flavors().Get(ctx, ref)
		require.NoError(t, err, "flavor %q", ref)
		assert.True(t, f.ID == ref || f.Name == ref)
		assert.Positive(t, f.RAM)
		assert.Positive(t, f.VCPUs)
		assert.Equal(t, s.cloud.Info().CloudID, f.CloudID)
	}
	imgs, err := s.cloud.Images().List(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, imgs)
	for _, img := range imgs {
		assert.Equal(t, perspective.GlobalID(s.cloud.Info().CloudID, perspective.KindImage, img.RealID), img.ID,
			"image ids are stable global ids")
	}
	img, err := s.cloud.Images().Get(ctx, s.h.Image)
	require.NoError(t, err)
	again, err := s.cloud.Images().Get(ctx, img.ID)
	require.NoError(t, err, "an image is found by its global id")
	assert.Equal(t, img.RealID, again.RealID)
	byReal, err := s.cloud.Images().Get(ctx, img.RealID)
	require.NoError(t, err, "an image is found by its real id")
	assert.Equal(t, img.ID, byReal.ID)

	ns, err := s.cloud.Networks().List(ctx)
	require.NoError(t, err)
	if s.h.Network != "" {
		n, err := s.cloud.Networks().Get(ctx, s.h.Network)
		require.NoError(t, err)
		assert.Contains(t, ns, n)
	}
	_, err = s.cloud.Keypairs().List(ctx)
	require.NoError(t, err)
	ps, err := s.cloud.Projects().List(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, ps)
}

func (s *suite) spec(name string, count int) perspective.LaunchSpec {
	sp := perspective.LaunchSpec{Name: s.h.Prefix + "-" + name, Count: count, FlavorID: s.h.Flavor, ImageID: s.h.Image}
	if s.h.Network != "" {
		sp.Networks = []string{s.h.Network}
	}
	return sp
}

func (s *suite) testBadInput(t *testing.T) {
	ctx := s.ctx(t)
	before := s.mutations()
	bad := map[string]perspective.LaunchSpec{
		"empty name":     func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.Name = ""; return sp }(),
		"negative count": s.spec("x", -1),
		"no flavor":      func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.FlavorID = ""; return sp }(),
		"no image":       func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.ImageID = ""; return sp }(),
		"unknown flavor": func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.FlavorID = "no-such-flavor"; return sp }(),
		"unknown image":  func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.ImageID = "no-such-image"; return sp }(),
		"unknown net":    func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.Networks = []string{"no-such-net"}; return sp }(),
		"unknown key":    func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.KeyName = "no-such-key"; return sp }(),
		"bad tag":        func() perspective.LaunchSpec { sp := s.spec("x", 1); sp.Tags = []string{"a/b"}; return sp }(),
		"huge count":     s.spec("x", perspective.MaxLaunchCount+1),
	}
	for name, sp := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := s.inst.Launch(ctx, sp)
			require.Error(t, err)
			assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
		})
	}
	var noCtx context.Context // a nil context is bad input too
	_, err := s.inst.Reboot(noCtx, "x")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.inst.Reboot(ctx)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "no ids")
	_, err = s.inst.Get(ctx, "")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.inst.AddTags(ctx, nil, "x")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.inst.Rename(ctx, map[string]string{"x": " "})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.inst.Resize(ctx, "", "x")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.inst.Usage(ctx, "x", perspective.UsageQuery{Item: "disk-io"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.inst.WaitFor(ctx, []string{"x"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "no target state")
	_, err = s.cloud.Images().Create(ctx, perspective.ImageSpec{})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = s.cloud.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "bad/name"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	if before >= 0 {
		assert.Equal(t, before, s.mutations(), "bad input never reaches the cloud")
	}
}

func (s *suite) testNotFound(t *testing.T) {
	ctx := s.ctx(t)
	unknown := perspective.GlobalID(s.cloud.Info().CloudID, perspective.KindInstance, "no-such-instance")
	_, err := s.inst.Get(ctx, unknown)
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	rep, err := s.inst.Reboot(ctx, unknown, "also-missing")
	require.Error(t, err)
	require.Len(t, rep.Results, 2, "one result per id")
	for _, r := range rep.Results {
		assert.ErrorIs(t, r.Err, perspective.ErrNotFound, r.ID)
	}
	_, err = s.cloud.Images().Get(ctx, "no-such-image")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	_, err = s.cloud.Flavors().Get(ctx, "no-such-flavor")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	_, err = s.cloud.Networks().Get(ctx, "no-such-network")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	_, err = s.cloud.Keypairs().Get(ctx, "no-such-keypair")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
}

// testContract checks the driver against the rule of package driver:
// it speaks in the cloud's own ids (a real id it hands out is accepted back
// as it is, and is never a global id), every instance is in a normalized
// state, and what it leaves empty the portable layer fills the same way.
func (s *suite) testContract(t *testing.T) {
	ctx := s.ctx(t)
	d := s.cloud.Driver()
	info := d.Info()
	assert.Equal(t, s.cloud.Info(), info, "the cloud reports what the driver says of itself")
	rep, err := s.inst.Launch(ctx, s.spec("contract", 1))
	require.NoError(t, err)
	launched := rep.IDs()
	t.Cleanup(func() { _, _ = s.inst.Delete(context.Background(), launched...) })
	require.Len(t, launched, 1)
	got, err := s.inst.Get(ctx, launched[0])
	require.NoError(t, err)

	raw, err := d.GetInstance(ctx, got.RealID)
	require.NoError(t, err, "the driver accepts the real id it handed out")
	assert.Equal(t, got.RealID, raw.ID, "Instance.ID of a driver is the cloud's own id")
	assert.NotEqual(t, got.ID, raw.ID, "a driver never sees or returns a global id")
	assert.Equal(t, got.Name, raw.Name)
	assert.NotEmpty(t, raw.Name)
	assert.Contains(t, perspective.States(), raw.State, "the driver maps the cloud's status onto a normalized state")
	if raw.ProjectID == "" {
		assert.Equal(t, info.ProjectID, got.ProjectID, "an empty ProjectID means the driver's own")
	}
	if raw.ImageID != "" {
		require.NotNil(t, got.Image)
		assert.Equal(t, raw.ImageID, got.Image.RealID, "ImageID is the image's real id")
	}
	_, err = d.GetInstance(ctx, got.ID)
	assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err), "a global id is not an id of the cloud: not found, classified")

	listed, err := d.ListInstances(ctx, driver.ListOptions{})
	require.NoError(t, err)
	for _, in := range listed {
		assert.NotEmpty(t, in.ID, "every listed instance has the cloud's id")
		assert.Contains(t, perspective.States(), in.State, "instance %s", in.ID)
	}
	fs, err := d.ListFlavors(ctx)
	require.NoError(t, err)
	for _, f := range fs {
		assert.NotEmpty(t, f.ID, "flavor %q has the cloud's id", f.Name)
	}
	imgs, err := d.ListImages(ctx)
	require.NoError(t, err)
	for _, img := range imgs {
		assert.NotEmpty(t, img.ID, "image %q has the cloud's id", img.Name)
		one, err := d.GetImage(ctx, img.ID)
		require.NoError(t, err, "image %q by its real id", img.Name)
		assert.Equal(t, img.ID, one.ID)
	}
}

// bare hides every optional capability of a driver. Closing it leaves the
// driver open: the suite's own Cloud still uses it.
type bare struct{ driver.Driver }

func (bare) Close() error { return nil }

func (s *suite) testUnsupported(t *testing.T) {
	ctx := s.ctx(t)
	c, err := perspective.NewCloud(bare{s.cloud.Driver()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() }) // its inventory's loop lists the cloud until then
	ops := c.Operations()
	assert.ElementsMatch(t, []perspective.Operation{perspective.OpLaunch, perspective.OpDelete}, ops,
		"a bare driver supports only the required operations")
	rep, err := c.Instances().Launch(ctx, s.spec("unsupported", 1))
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { _, _ = c.Instances().Delete(context.Background(), id) })
	_, err = c.Instances().WaitFor(ctx, []string{id}, perspective.StateLaunched)
	require.NoError(t, err)
	calls := map[string]func() error{
		"reboot":   func() error { _, err := c.Instances().Reboot(ctx, id); return err },
		"pause":    func() error { _, err := c.Instances().Pause(ctx, id); return err },
		"shutdown": func() error { _, err := c.Instances().Shutdown(ctx, id); return err },
		"lock":     func() error { _, err := c.Instances().Lock(ctx, id); return err },
		"tag":      func() error { _, err := c.Instances().AddTags(ctx, []string{"t"}, id); return err },
		"console":  func() error { _, err := c.Instances().Console(ctx, id); return err },
		"log":      func() error { _, err := c.Instances().Log(ctx, id, 0); return err },
		"usage": func() error {
			_, err := c.Instances().Usage(ctx, id, perspective.UsageQuery{Item: perspective.UsageCPU})
			return err
		},
		"snapshot": func() error { _, err := c.Instances().Snapshot(ctx, "s", id); return err },
		"image":    func() error { _, err := c.Images().Create(ctx, perspective.ImageSpec{Name: "x"}); return err },
		"shelve":   func() error { _, err := c.Instances().Shelve(ctx, id); return err },
		"migrate":  func() error { _, err := c.Instances().Migrate(ctx, "", id); return err },
		"live":     func() error { _, err := c.Instances().LiveMigrate(ctx, "", id); return err },
		"backup": func() error {
			_, err := c.Instances().Backup(ctx, perspective.BackupSpec{Name: "b", Type: "daily", Rotation: 1}, id)
			return err
		},
		"password":     func() error { _, err := c.Instances().SetPassword(ctx, "s3cret", id); return err },
		"group":        func() error { _, err := c.Instances().AddSecurityGroup(ctx, "default", id); return err },
		"diagnostics":  func() error { _, err := c.Instances().Diagnostics(ctx, id); return err },
		"force-delete": func() error { _, err := c.Instances().ForceDelete(ctx, id); return err },
		"keypair":      func() error { _, err := c.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "x"}); return err },
	}
	op, err := operator.New(c)
	require.NoError(t, err)
	assert.Empty(t, op.Operations(), "a bare driver has no operator calls")
	for name, call := range s.operatorCalls(ctx, op, id) {
		calls["operator "+string(name)] = call
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.ErrorIs(t, err, perspective.ErrUnsupported)
			assert.ErrorContains(t, err, "does not support", "the message says what the cloud lacks")
		})
	}
}

// wait waits for ids to reach one of states and returns the instances.
func (s *suite) wait(t *testing.T, ids []string, states ...perspective.State) []perspective.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
	defer cancel()
	rep, err := s.inst.WaitFor(ctx, ids, states...)
	require.NoError(t, err, "waiting for %v", states)
	return rep.Instances()
}

// step runs one bulk operation on ids and waits for the state it leads to.
func (s *suite) step(t *testing.T, op perspective.Operation, ids []string, run func(ctx context.Context) (*perspective.Report, error)) []perspective.Instance {
	t.Helper()
	if !s.cloud.Supports(op) {
		_, err := run(s.ctx(t))
		assert.ErrorIs(t, err, perspective.ErrUnsupported, "%s is not in Operations(), so it is unsupported", op)
		return nil
	}
	rep, err := run(s.ctx(t))
	require.NoError(t, err, "%s", op)
	require.Len(t, rep.Results, len(ids))
	for i, r := range rep.Results {
		assert.Equal(t, ids[i], r.ID, "results come in input order")
		assert.True(t, r.OK())
		assert.GreaterOrEqual(t, r.Attempts, 1)
	}
	tr, _ := perspective.TransitionOf(op)
	if tr.To == "" {
		return s.wait(t, ids, perspective.StateLaunched, perspective.StateShutoff, perspective.StatePaused, perspective.StateSuspended)
	}
	return s.wait(t, ids, tr.To)
}

// refused checks that op is refused by the state machine without reaching the cloud.
func (s *suite) refused(t *testing.T, want error, run func(ctx context.Context) (*perspective.Report, error)) {
	t.Helper()
	before := s.mutations()
	rep, err := run(s.ctx(t))
	require.Error(t, err)
	assert.ErrorIs(t, err, want)
	for _, r := range rep.Results {
		assert.ErrorIs(t, r.Err, want)
		assert.Zero(t, r.Attempts, "a refused item is never attempted")
		var pe *perspective.Error
		if assert.True(t, errors.As(r.Err, &pe)) {
			assert.NotEmpty(t, pe.State, "the error names the state")
			assert.NotEmpty(t, pe.Op, "the error names the operation")
			assert.Contains(t, r.Err.Error(), r.ID, "the error names the instance")
		}
	}
	if before >= 0 {
		assert.Equal(t, before, s.mutations(), "a refused operation never reaches the cloud")
	}
}

func (s *suite) testLifecycle(t *testing.T) {
	ctx := s.ctx(t)
	rep, err := s.inst.Launch(ctx, s.spec("life", 2))
	require.NoError(t, err)
	require.Len(t, rep.Results, 2, "one result per launched instance")
	ids := rep.IDs()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
		defer cancel()
		_, _ = s.inst.Unlock(ctx, ids...)
		_, _ = s.inst.Delete(ctx, ids...)
	})
	for _, r := range rep.Results {
		require.NotNil(t, r.Instance)
		assert.Equal(t, perspective.GlobalID(s.cloud.Info().CloudID, perspective.KindInstance, r.Instance.RealID), r.ID)
		assert.True(t, strings.HasPrefix(r.Instance.Name, s.h.Prefix+"-life"))
	}
	insts := s.wait(t, ids, perspective.StateLaunched)
	require.Len(t, insts, 2)
	listed, err := s.inst.List(ctx, perspective.ListOptions{Name: s.h.Prefix + "-life"})
	require.NoError(t, err)
	for _, id := range ids {
		assert.True(t, slices.ContainsFunc(listed, func(i perspective.Instance) bool { return i.ID == id }), "List has %s", id)
	}
	got, err := s.inst.Get(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, perspective.StateLaunched, got.State)
	assert.NotEmpty(t, got.Status, "the raw status is kept")
	byReal, err := s.inst.Get(ctx, got.RealID)
	require.NoError(t, err, "an instance is found by its real id")
	assert.Equal(t, got.ID, byReal.ID)
	require.NotNil(t, got.Flavor)
	origFlavor := got.Flavor.ID

	t.Run("InvalidState", func(t *testing.T) {
		s.refused(t, perspective.ErrInvalidState, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Start(ctx, ids...) })
		s.refused(t, perspective.ErrInvalidState, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Resume(ctx, ids...) })
		if !s.cloud.Supports(perspective.OpConfirmResize) {
			_, err := s.inst.ConfirmResize(s.ctx(t), ids...)
			assert.ErrorIs(t, err, perspective.ErrUnsupported, "a cloud without resize has nothing to confirm")
			return
		}
		s.refused(t, perspective.ErrInvalidState, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.ConfirmResize(ctx, ids...)
		})
	})
	t.Run("DryRun", func(t *testing.T) {
		before := s.mutations()
		rep, err := s.inst.DryRun(ctx, perspective.OpStart, ids...)
		assert.ErrorIs(t, err, perspective.ErrInvalidState)
		assert.Len(t, rep.Results, 2)
		rep, err = s.inst.DryRun(ctx, perspective.OpReboot, ids...)
		if s.cloud.Supports(perspective.OpReboot) {
			assert.NoError(t, err)
		}
		assert.Len(t, rep.Results, 2)
		if before >= 0 {
			assert.Equal(t, before, s.mutations(), "a dry run changes nothing")
		}
	})
	t.Run("Reboot", func(t *testing.T) {
		s.step(t, perspective.OpReboot, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Reboot(ctx, ids...) })
		s.step(t, perspective.OpHardReboot, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.HardReboot(ctx, ids...) })
	})
	t.Run("Power", func(t *testing.T) {
		s.step(t, perspective.OpShutdown, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Shutdown(ctx, ids...) })
		s.step(t, perspective.OpStart, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Start(ctx, ids...) })
	})
	t.Run("Pause", func(t *testing.T) {
		s.step(t, perspective.OpPause, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Pause(ctx, ids...) })
		s.step(t, perspective.OpResume, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Resume(ctx, ids...) })
	})
	t.Run("Suspend", func(t *testing.T) {
		s.step(t, perspective.OpSuspend, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Suspend(ctx, ids...) })
		s.step(t, perspective.OpResume, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Resume(ctx, ids...) })
	})
	one := ids[:1]
	t.Run("Resize", func(t *testing.T) {
		insts := s.step(t, perspective.OpResize, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.Resize(ctx, s.h.AltFlavor, one...)
		})
		if insts == nil {
			return
		}
		insts = s.step(t, perspective.OpConfirmResize, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.ConfirmResize(ctx, one...)
		})
		require.NotNil(t, insts[0].Flavor)
		assert.NotEqual(t, origFlavor, insts[0].Flavor.ID, "confirm keeps the new flavor")
		s.step(t, perspective.OpResize, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.Resize(ctx, origFlavor, one...)
		})
		insts = s.step(t, perspective.OpRevertResize, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.RevertResize(ctx, one...)
		})
		require.NotNil(t, insts[0].Flavor)
		assert.NotEqual(t, origFlavor, insts[0].Flavor.ID, "revert goes back to the flavor before the resize")
	})
	t.Run("Rebuild", func(t *testing.T) {
		insts := s.step(t, perspective.OpRebuild, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.Rebuild(ctx, s.h.AltImage, one...)
		})
		if insts != nil && insts[0].Image != nil {
			alt, err := s.cloud.Images().Get(ctx, s.h.AltImage)
			require.NoError(t, err)
			assert.Equal(t, alt.RealID, insts[0].Image.RealID)
		}
	})
	t.Run("Rename", func(t *testing.T) {
		newName := s.h.Prefix + "-renamed"
		insts := s.step(t, perspective.OpRename, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.Rename(ctx, map[string]string{one[0]: newName})
		})
		if insts != nil {
			assert.Equal(t, newName, insts[0].Name)
		}
	})
	t.Run("Snapshot", func(t *testing.T) { s.snapshot(t, one) })
	t.Run("Lock", func(t *testing.T) { s.lock(t, ids) })
	t.Run("Tags", func(t *testing.T) { s.tags(t, ids) })
	t.Run("Metadata", func(t *testing.T) { s.metadata(t, ids) })
	t.Run("Console", func(t *testing.T) { s.console(t, ids[0]) })
	t.Run("FloatingIP", func(t *testing.T) { s.floatingIP(t, ids[0]) })
	t.Run("Delete", func(t *testing.T) {
		s.step(t, perspective.OpDelete, ids, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Delete(ctx, ids...) })
		if s.h.SoftDelete {
			// a soft-deleted instance stays until it is force-deleted
			_, err := s.inst.ForceDelete(ctx, ids...)
			require.NoError(t, err)
			s.wait(t, ids, perspective.StateDeleted)
		}
		_, err := s.inst.Get(ctx, ids[0])
		assert.ErrorIs(t, err, perspective.ErrNotFound, "a deleted instance is gone")
	})
}

func (s *suite) snapshot(t *testing.T, ids []string) {
	ctx := s.ctx(t)
	name := fmt.Sprintf("%s-snap-%d", s.h.Prefix, time.Now().UnixNano())
	if !s.cloud.Supports(perspective.OpSnapshot) {
		_, err := s.inst.Snapshot(ctx, name, ids...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	rep, err := s.inst.Snapshot(ctx, name, ids...)
	require.NoError(t, err)
	img := rep.Results[0].Image
	require.NotNil(t, img, "a snapshot result carries its image")
	assert.Equal(t, name, img.Name)
	t.Cleanup(func() { _, _ = s.cloud.Images().Delete(context.Background(), img.ID) })
	got, err := s.cloud.Images().Get(ctx, img.ID)
	require.NoError(t, err)
	assert.Equal(t, img.RealID, got.RealID)
	s.wait(t, ids, perspective.StateLaunched)
}

func (s *suite) lock(t *testing.T, ids []string) {
	if !s.cloud.Supports(perspective.OpLock) {
		_, err := s.inst.Lock(s.ctx(t), ids...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	ctx := s.ctx(t)
	_, err := s.inst.Lock(ctx, ids...)
	require.NoError(t, err)
	got, err := s.inst.Get(ctx, ids[0])
	require.NoError(t, err)
	assert.True(t, got.Locked)
	s.refused(t, perspective.ErrLocked, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Reboot(ctx, ids...) })
	s.refused(t, perspective.ErrLocked, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Delete(ctx, ids...) })
	_, err = s.inst.Unlock(ctx, ids...)
	require.NoError(t, err)
	got, err = s.inst.Get(ctx, ids[0])
	require.NoError(t, err)
	assert.False(t, got.Locked)
}

func (s *suite) tags(t *testing.T, ids []string) {
	ctx := s.ctx(t)
	if !s.cloud.Supports(perspective.OpTag) {
		_, err := s.inst.AddTags(ctx, []string{"a"}, ids...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	_, err := s.inst.AddTags(ctx, []string{"web", "prod"}, ids...)
	require.NoError(t, err)
	tagged, err := s.inst.List(ctx, perspective.ListOptions{Tags: []string{"web", "prod"}})
	require.NoError(t, err)
	for _, id := range ids {
		assert.True(t, slices.ContainsFunc(tagged, func(i perspective.Instance) bool { return i.ID == id }))
	}
	_, err = s.inst.RemoveTags(ctx, []string{"prod"}, ids...)
	require.NoError(t, err)
	got, err := s.inst.Get(ctx, ids[0])
	require.NoError(t, err)
	assert.Contains(t, got.Tags, "web")
	assert.NotContains(t, got.Tags, "prod")
}

func (s *suite) metadata(t *testing.T, ids []string) {
	ctx := s.ctx(t)
	md := map[string]string{"owner": "conformance", "tier": "web"}
	if !s.cloud.Supports(perspective.OpSetMetadata) {
		_, err := s.inst.SetMetadata(ctx, md, ids...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	_, err := s.inst.SetMetadata(ctx, md, ids...)
	require.NoError(t, err)
	got, err := s.inst.Get(ctx, ids[1])
	require.NoError(t, err)
	assert.Equal(t, "web", got.Metadata["tier"])
	_, err = s.inst.UnsetMetadata(ctx, []string{"tier"}, ids...)
	require.NoError(t, err)
	got, err = s.inst.Get(ctx, ids[1])
	require.NoError(t, err)
	assert.NotContains(t, got.Metadata, "tier")
	assert.Equal(t, "conformance", got.Metadata["owner"])
}

func (s *suite) console(t *testing.T, id string) {
	ctx := s.ctx(t)
	con, err := s.inst.Console(ctx, id)
	if !s.cloud.Supports(perspective.OpConsole) {
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
	} else {
		require.NoError(t, err)
		assert.Regexp(t, `^(https?|vnc|spice)://[^/]+`, con.URL, "a web console (http) or a viewer's display (vnc, spice)")
	}
	out, err := s.inst.Log(ctx, id, 5)
	if !s.cloud.Supports(perspective.OpLog) {
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
	} else {
		require.NoError(t, err)
		assert.LessOrEqual(t, strings.Count(strings.TrimRight(out, "\n"), "\n"), 4, "at most 5 lines")
	}
	now := time.Now()
	series, err := s.inst.Usage(ctx, id, perspective.UsageQuery{Item: perspective.UsageCPU, From: now.Add(-time.Hour), To: now, Points: 4})
	if !s.cloud.Supports(perspective.OpUsage) {
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	if perspective.Code(err) == perspective.CodeUnsupported || perspective.Code(err) == perspective.CodeForbidden {
		t.Logf("usage figures are not available to these credentials: %v", err)
		return
	}
	require.NoError(t, err)
	assert.Equal(t, perspective.UsageCPU, series.Item)
	assert.Equal(t, "%", series.Unit, "cpu figures are in percent")
	assert.NotEmpty(t, series.Source, "a series says where its figures came from")
	assert.LessOrEqual(t, len(series.Points), 4, "at most the asked number of intervals")
	if len(series.Points) == 0 {
		assert.NotEmpty(t, series.Note, "a series without points says why")
	}
	for _, p := range series.Points {
		assert.False(t, p.To.Before(p.From))
		assert.False(t, p.From.Before(now.Add(-time.Hour).Add(-time.Second)), "inside the asked range")
	}
}

func (s *suite) floatingIP(t *testing.T, id string) {
	ctx := s.ctx(t)
	req := perspective.FloatingIPRequest{Network: s.h.ExternalNetwork}
	if !s.cloud.Supports(perspective.OpAddIP) {
		_, err := s.inst.AddFloatingIP(ctx, req, id)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	rep, err := s.inst.AddFloatingIP(ctx, req, id)
	require.NoError(t, err)
	addr := rep.Results[0].Address
	require.NotEmpty(t, addr)
	require.Eventually(t, func() bool {
		got, err := s.inst.Get(ctx, id)
		return err == nil && slices.Contains(got.FloatingIPs(), addr)
	}, s.h.Timeout, 200*time.Millisecond, "the instance shows its floating IP %s", addr)
	_, err = s.inst.RemoveFloatingIP(ctx, addr, id)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		got, err := s.inst.Get(ctx, id)
		return err == nil && !slices.Contains(got.FloatingIPs(), addr)
	}, s.h.Timeout, 200*time.Millisecond, "the floating IP is gone")
}

func (s *suite) testImages(t *testing.T) {
	ctx := s.ctx(t)
	name := fmt.Sprintf("%s-image-%d", s.h.Prefix, time.Now().UnixNano())
	spec := perspective.ImageSpec{Name: name, DiskFormat: "raw", ContainerFormat: "bare",
		Metadata: map[string]string{"purpose": "conformance"}, Data: strings.NewReader("not really a disk")}
	if !s.cloud.Supports(perspective.OpAddImage) {
		_, err := s.cloud.Images().Create(ctx, spec)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	img, err := s.cloud.Images().Create(ctx, spec)
	require.NoError(t, err)
	assert.Equal(t, name, img.Name)
	assert.Equal(t, perspective.GlobalID(s.cloud.Info().CloudID, perspective.KindImage, img.RealID), img.ID)
	got, err := s.cloud.Images().Get(ctx, img.ID)
	require.NoError(t, err)
	assert.Equal(t, "conformance", got.Metadata["purpose"])
	newName := name + "-renamed"
	upd, err := s.cloud.Images().Update(ctx, img.ID, perspective.ImageUpdate{Name: &newName,
		Metadata: map[string]string{"stage": "two"}, RemoveMetadata: []string{"purpose"}})
	require.NoError(t, err)
	assert.Equal(t, newName, upd.Name)
	assert.Equal(t, "two", upd.Metadata["stage"])
	assert.NotContains(t, upd.Metadata, "purpose")
	rep, err := s.cloud.Images().Delete(ctx, img.ID, "no-such-image")
	require.Error(t, err)
	require.Len(t, rep.Results, 2)
	assert.NoError(t, rep.Results[0].Err)
	assert.ErrorIs(t, rep.Results[1].Err, perspective.ErrNotFound)
	_, err = s.cloud.Images().Get(ctx, img.ID)
	assert.ErrorIs(t, err, perspective.ErrNotFound)
}

func (s *suite) testKeypairs(t *testing.T) {
	ctx := s.ctx(t)
	gen := fmt.Sprintf("%s-gen-%d", s.h.Prefix, time.Now().UnixNano()%1e9)
	if !s.cloud.Supports(perspective.OpAddKeypair) {
		_, err := s.cloud.Keypairs().Create(ctx, perspective.KeypairSpec{Name: gen})
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	k, err := s.cloud.Keypairs().Create(ctx, perspective.KeypairSpec{Name: gen})
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = s.cloud.Keypairs().Delete(context.Background(), gen) })
	assert.Contains(t, k.PrivateKey, "PRIVATE KEY", "a generated key is returned once")
	assert.NotEmpty(t, k.PublicKey)
	assert.NotEmpty(t, k.Fingerprint)
	listed, err := s.cloud.Keypairs().Get(ctx, gen)
	require.NoError(t, err)
	assert.Empty(t, listed.PrivateKey, "the cloud keeps no private key")
	assert.Equal(t, k.Fingerprint, listed.Fingerprint)

	imp := gen + "-imp"
	k2, err := s.cloud.Keypairs().Create(ctx, perspective.KeypairSpec{Name: imp, PublicKey: k.PublicKey})
	require.NoError(t, err)
	assert.Empty(t, k2.PrivateKey)
	assert.Equal(t, k.Fingerprint, k2.Fingerprint, "an imported key has the same fingerprint")
	_, err = s.cloud.Keypairs().Create(ctx, perspective.KeypairSpec{Name: imp, PublicKey: k.PublicKey})
	assert.ErrorIs(t, err, perspective.ErrConflict, "a keypair name is unique")
	_, err = s.cloud.Keypairs().Create(ctx, perspective.KeypairSpec{Name: gen + "-bad", PublicKey: "ssh-rsa not-a-key"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)

	rep, err := s.cloud.Keypairs().Delete(ctx, gen, imp)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Succeeded())
	rep, err = s.cloud.Keypairs().Delete(ctx, gen)
	require.Error(t, err)
	assert.ErrorIs(t, rep.Results[0].Err, perspective.ErrNotFound)
}

func (s *suite) testConcurrent(t *testing.T) {
	ctx := s.ctx(t)
	rep, err := s.inst.Launch(ctx, s.spec("conc", 2))
	require.NoError(t, err)
	ids := rep.IDs()
	t.Cleanup(func() { _, _ = s.inst.Delete(context.Background(), ids...) })
	s.wait(t, ids, perspective.StateLaunched)
	var wg sync.WaitGroup
	errs := make(chan error, s.h.Concurrency*3)
	for range s.h.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.inst.List(ctx, perspective.ListOptions{}); err != nil {
				errs <- err
			}
			if _, err := s.inst.Get(ctx, ids[0]); err != nil {
				errs <- err
			}
			if _, err := s.cloud.Flavors().List(ctx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	// Concurrent reboots of the same instances: each either reboots or is
	// refused by the state machine because another one is under way.
	if s.cloud.Supports(perspective.OpReboot) {
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, _ := s.inst.Reboot(ctx, ids...)
				for _, r := range rep.Results {
					if r.Err != nil {
						c := perspective.Code(r.Err)
						assert.Contains(t, []perspective.ErrorCode{perspective.CodeInvalidState, perspective.CodeConflict}, c, r.Err.Error())
					}
				}
			}()
		}
		wg.Wait()
		s.wait(t, ids, perspective.StateLaunched)
	}
	_, err = s.inst.Delete(ctx, ids...)
	require.NoError(t, err)
	s.wait(t, ids, perspective.StateDeleted)
}
