package perspective_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCloud(t *testing.T, opts ...mock.Option) (*perspective.Cloud, *mock.Driver) {
	t.Helper()
	drv := mock.New(opts...)
	c, err := perspective.NewCloud(drv, perspective.WithPolling(time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, drv
}

func launchN(t *testing.T, c *perspective.Cloud, name string, n int) []string {
	t.Helper()
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: name, Count: n, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	return rep.IDs()
}

func TestRegistry(t *testing.T) {
	assert.Contains(t, perspective.Schemes(), "mock")
	assert.PanicsWithValue(t, "perspective: Register called twice for scheme mock", func() {
		perspective.Register("mock", mock.Open)
	})
	assert.Panics(t, func() { perspective.Register("nilopener", nil) })
	ctx := context.Background()
	for _, bad := range []string{"", "no-scheme", "nosuch://x", "mock://?delay=-1s", "mock://?bogus=1", "mock://?faults=2", "%zz://"} {
		_, err := perspective.Open(ctx, bad)
		assert.ErrorIs(t, err, perspective.ErrInvalidArgument, bad)
	}
	var noCtx context.Context
	_, err := perspective.Open(noCtx, "mock://")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	c, err := perspective.Open(ctx, "mock://lab?project=p1&region=r2")
	require.NoError(t, err)
	assert.Equal(t, perspective.CloudInfo{Type: "mock", CloudID: "lab", ProjectID: "p1", ProjectName: "p1", Region: "r2"}, c.Info())
	_, err = perspective.NewCloud(nil)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

// errOpener proves that a driver's open failure keeps its code.
func TestOpenFailureIsClassified(t *testing.T) {
	perspective.Register("failing-test", func(context.Context, *url.URL) (driver.Driver, error) {
		return nil, perspective.Errorf(perspective.CodeUnauthenticated, "bad password")
	})
	_, err := perspective.Open(context.Background(), "failing-test://x")
	assert.ErrorIs(t, err, perspective.ErrUnauthenticated)
	assert.Contains(t, err.Error(), "bad password")
}

func TestBulkReportsEveryIDInOrder(t *testing.T) {
	c, drv := newCloud(t)
	ctx := context.Background()
	ids := launchN(t, c, "web", 3)
	_, err := c.Instances().Shutdown(ctx, ids[1])
	require.NoError(t, err)
	before := drv.Calls("Reboot")
	in := []string{ids[0], "missing", ids[1], ids[0], "", ids[2]}
	rep, err := c.Instances().Reboot(ctx, in...)
	require.Error(t, err)
	require.Len(t, rep.Results, len(in))
	for i, r := range rep.Results {
		assert.Equal(t, in[i], r.ID)
	}
	assert.NoError(t, rep.Results[0].Err)
	assert.ErrorIs(t, rep.Results[1].Err, perspective.ErrNotFound)
	assert.ErrorIs(t, rep.Results[2].Err, perspective.ErrInvalidState, "shut off")
	assert.NoError(t, rep.Results[3].Err, "a duplicate shares the result")
	assert.ErrorIs(t, rep.Results[4].Err, perspective.ErrInvalidArgument, "empty id")
	assert.NoError(t, rep.Results[5].Err)
	assert.Equal(t, before+2, drv.Calls("Reboot"), "the duplicate is acted on once, the refused never")
	assert.Equal(t, 3, rep.Succeeded())
	assert.Len(t, rep.Failed(), 3)
}

func TestSetRoutesAcrossClouds(t *testing.T) {
	a, drvA := newCloud(t, mock.WithCloudID("a"))
	b, drvB := newCloud(t, mock.WithCloudID("b"), mock.WithProject("p2", "two"))
	set, err := perspective.NewSet(a, b)
	require.NoError(t, err)
	ctx := context.Background()
	idsA := launchN(t, a, "a", 2)
	idsB := launchN(t, b, "b", 2)

	all, err := set.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, all, 4)

	rep, err := set.Instances().Pause(ctx, idsA[0], idsB[1], idsA[1])
	require.NoError(t, err)
	assert.Equal(t, []string{idsA[0], idsB[1], idsA[1]}, rep.IDs())
	assert.Equal(t, 2, drvA.Calls("Pause"))
	assert.Equal(t, 1, drvB.Calls("Pause"))

	_, err = set.Instances().Launch(ctx, perspective.LaunchSpec{Name: "x", FlavorID: "1", ImageID: "cirros-0.6.2"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "a launch on a set needs a target")
	rep, err = set.Instances().In(perspective.Target{CloudID: "b"}).Launch(ctx, perspective.LaunchSpec{Name: "x", FlavorID: "1", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	assert.Equal(t, "b", rep.Results[0].Instance.CloudID)

	ops := set.Operations()
	assert.Contains(t, ops["mock"], perspective.OpReboot)
	require.NoError(t, set.Ping(ctx))

	ps, err := set.Projects().List(ctx)
	require.NoError(t, err)
	assert.Len(t, ps, 2)

	_, err = perspective.NewSet(a, a)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "the same cloud twice")
}

func TestWaitFor(t *testing.T) {
	c, drv := newCloud(t, mock.WithDelay(30*time.Millisecond))
	ctx := context.Background()
	ids := launchN(t, c, "w", 3)
	got, err := c.Instances().Get(ctx, ids[0])
	require.NoError(t, err)
	assert.Equal(t, perspective.StateLaunching, got.State, "launching takes time")

	rep, err := c.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	require.NoError(t, err)
	for _, r := range rep.Results {
		require.NotNil(t, r.Instance)
		assert.Equal(t, perspective.StateLaunched, r.Instance.State)
	}

	// An instance that fails makes the wait fail at once, with its fault.
	inst, err := c.Instances().Get(ctx, ids[1])
	require.NoError(t, err)
	_, err = c.Instances().Shutdown(ctx, ids[0], ids[1])
	require.NoError(t, err)
	require.NoError(t, drv.Fail(inst.RealID, "hypervisor on fire"))
	start := time.Now()
	rep, err = c.Instances().WaitFor(ctx, ids[:2], perspective.StateShutoff)
	require.Error(t, err)
	assert.Less(t, time.Since(start), time.Second)
	assert.NoError(t, rep.Results[0].Err)
	assert.ErrorIs(t, rep.Results[1].Err, perspective.ErrInvalidState)
	assert.Contains(t, rep.Results[1].Err.Error(), "hypervisor on fire")

	// Waiting for deletion counts a gone instance as reached.
	_, err = c.Instances().Delete(ctx, ids...)
	require.NoError(t, err)
	_, err = c.Instances().WaitFor(ctx, ids, perspective.StateDeleted)
	require.NoError(t, err)

	// A wait stops with the context and says what it was waiting for.
	more := launchN(t, c, "slow", 1)
	cctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel()
	rep, err = c.Instances().WaitFor(cctx, more, perspective.StateShutoff)
	assert.ErrorIs(t, err, perspective.ErrCanceled)
	assert.Contains(t, rep.Results[0].Err.Error(), "shutoff")
}

func TestCanceledBulkReportsEveryItem(t *testing.T) {
	c, _ := newCloud(t, mock.WithLatency(20*time.Millisecond))
	ids := launchN(t, c, "c", 8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	rep, err := c.Instances().With(perspective.Concurrency(1)).Reboot(ctx, ids...)
	require.Error(t, err)
	require.Len(t, rep.Results, len(ids))
	for _, r := range rep.Results {
		if r.Err != nil {
			assert.Contains(t, []perspective.ErrorCode{perspective.CodeCanceled}, perspective.Code(r.Err), r.Err.Error())
		}
	}
}

func TestProgress(t *testing.T) {
	c, _ := newCloud(t)
	ids := launchN(t, c, "p", 5)
	var seen []int
	_, err := c.Instances().With(perspective.Progress(func(done, total int) {
		assert.Equal(t, 6, total)
		seen = append(seen, done)
	})).Reboot(context.Background(), append(ids, "missing")...)
	require.Error(t, err)
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, seen)
}

func TestNoPanicOnBadInput(t *testing.T) {
	c, _ := newCloud(t)
	var noCtx context.Context
	in := c.Instances()
	assert.NotPanics(t, func() {
		_, _ = in.List(noCtx, perspective.ListOptions{})
		_, _ = in.Get(noCtx, "x")
		_, _ = in.Launch(noCtx, perspective.LaunchSpec{})
		_, _ = in.WaitFor(noCtx, nil)
		_, _ = in.Rename(context.Background(), nil)
		_, _ = in.SetMetadata(context.Background(), nil, "x")
		_, _ = in.UnsetMetadata(context.Background(), []string{""}, "x")
		_, _ = in.Usage(context.Background(), "", perspective.UsageQuery{Item: perspective.UsageCPU, Points: -1})
		_, _ = in.Log(context.Background(), "x", -1)
		_, _ = in.DryRun(context.Background(), perspective.OpLaunch, "x")
		_, _ = in.AddFloatingIP(context.Background(), perspective.FloatingIPRequest{Address: "1.2.3.4"}, "a", "b")
		_, _ = c.Images().Update(context.Background(), "", perspective.ImageUpdate{})
		_, _ = c.Images().Delete(context.Background())
		_, _ = c.Keypairs().Delete(context.Background(), "")
		_, _ = c.Projects().RCFile(context.Background(), "", "")
		_, _ = c.Projects().Endpoints(noCtx, "demo")
		_, _ = c.Flavors().Get(noCtx, "")
	})
	_, err := in.Launch(context.Background(), perspective.LaunchSpec{Name: "x", FlavorID: "1", ImageID: "cirros-0.6.2", Count: -3})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "count")
}

func TestQuotaExceeded(t *testing.T) {
	c, _ := newCloud(t, mock.WithQuota(2))
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: "q", Count: 3, FlavorID: "1", ImageID: "cirros-0.6.2"})
	require.ErrorIs(t, err, perspective.ErrQuotaExceeded)
	require.Len(t, rep.Results, 3, "every requested instance gets a result")
	for _, r := range rep.Results {
		assert.ErrorIs(t, r.Err, perspective.ErrQuotaExceeded)
	}
}

func TestProjectsEndpointsRC(t *testing.T) {
	c, _ := newCloud(t)
	ctx := context.Background()
	eps, err := c.Projects().Endpoints(ctx, "demo")
	require.NoError(t, err)
	assert.NotEmpty(t, eps)
	rc, err := c.Projects().RCFile(ctx, "demo", "RegionOne")
	require.NoError(t, err)
	assert.Contains(t, string(rc), "OS_PROJECT_ID=demo")
	assert.NotContains(t, string(rc), "OS_PASSWORD=secret")
	_, err = c.Projects().RCFile(ctx, "nope", "RegionOne")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	q, err := c.Projects().Quota(ctx, "demo")
	require.NoError(t, err)
	assert.Equal(t, 1000, q.Instances.Max)
}

func TestOnResultTellsEachItemAsItIsDone(t *testing.T) {
	c, _ := newCloud(t)
	ctx := context.Background()
	ids := launchN(t, c, "r", 3)
	_, err := c.Instances().Shutdown(ctx, ids[2])
	require.NoError(t, err)
	got := map[string]perspective.Result{}
	var progress []int
	rep, err := c.Instances().With(
		perspective.OnResult(func(r perspective.Result) {
			_, dup := got[r.ID]
			assert.False(t, dup, "told once: %s", r.ID)
			got[r.ID] = r
		}),
		perspective.Progress(func(done, total int) { progress = append(progress, done) }),
	).Reboot(ctx, ids[0], "missing", ids[1], ids[2])
	require.Error(t, err)
	require.Len(t, got, 4)
	for _, r := range rep.Results {
		assert.Equal(t, r.OK(), got[r.ID].OK(), r.ID)
		assert.Equal(t, perspective.Code(r.Err), perspective.Code(got[r.ID].Err), r.ID)
	}
	assert.ErrorIs(t, got["missing"].Err, perspective.ErrNotFound)
	assert.ErrorIs(t, got[ids[2]].Err, perspective.ErrInvalidState)
	assert.Equal(t, 1, got[ids[0]].Attempts)
	assert.Equal(t, []int{1, 2, 3, 4}, progress)
}

func TestQueryErrorsAreInvalidArguments(t *testing.T) {
	c, _ := newCloud(t)
	_, err := c.Query(context.Background(), "SELECT nmae FROM instances")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	assert.Contains(t, err.Error(), `did you mean "name"`)
	_, err = c.ListInstances(context.Background(), map[string][]string{"colour": {"red"}})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

func TestDeletedInstancesLeaveListings(t *testing.T) {
	c, _ := newCloud(t, mock.WithDelay(20*time.Millisecond))
	ctx := context.Background()
	ids := launchN(t, c, "gone", 2)
	_, err := c.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	require.NoError(t, err)
	rep, err := c.Instances().Delete(ctx, ids[0])
	require.NoError(t, err)
	wait, err := c.Instances().WaitFor(ctx, rep.IDs(), perspective.StateDeleted)
	require.NoError(t, err)
	require.NotNil(t, wait.Results[0].Instance, "the instance as last seen")
	assert.Equal(t, perspective.StateDeleted, wait.Results[0].Instance.State, "a reached deletion reports deleted")
	list := mustList(t, c, perspective.ListOptions{})
	require.Len(t, list, 1)
	assert.Equal(t, ids[1], list[0].ID)
}

func mustList(t *testing.T, c *perspective.Cloud, o perspective.ListOptions) []perspective.Instance {
	t.Helper()
	l, err := c.Instances().List(context.Background(), o)
	require.NoError(t, err)
	return l
}

func TestListOptionsHideDeleted(t *testing.T) {
	del := perspective.Instance{Name: "x", State: perspective.StateDeleted}
	assert.False(t, perspective.ListOptions{}.Match(del))
	assert.True(t, perspective.ListOptions{States: []perspective.State{perspective.StateDeleted}}.Match(del))
	assert.True(t, perspective.ListOptions{}.Match(perspective.Instance{State: perspective.StateLaunched}))
}

// deletedButShown answers GetInstance with a deleted instance, as Nova does
// for a while after a delete.
type deletedButShown struct{ *mock.Driver }

func (d deletedButShown) GetInstance(ctx context.Context, id string) (driver.Instance, error) {
	inst, err := d.Driver.GetInstance(ctx, id)
	inst.State = perspective.StateDeleted
	return inst, err
}

func TestGetOfADeletedInstanceIsNotFound(t *testing.T) {
	drv := mock.New()
	c, err := perspective.NewCloud(deletedButShown{drv})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: "x", FlavorID: "1", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	_, err = c.Instances().With(perspective.MaxAge(0)).Get(context.Background(), rep.IDs()[0])
	assert.ErrorIs(t, err, perspective.ErrNotFound, "a GET that says deleted")
}
