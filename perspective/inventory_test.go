package perspective_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// seedDirect launches n instances straight through the driver, behind any
// Cloud's back.
func seedDirect(t testing.TB, d *mock.Driver, name string, n int) []driver.Instance {
	t.Helper()
	insts, err := d.LaunchInstances(context.Background(), driver.LaunchSpec{Name: name, Count: n, FlavorID: "1",
		ImageID: "00000000-0000-4000-8000-000000000001"})
	require.NoError(t, err)
	return insts
}

// syncedTwice waits until c has finished two more successful syncs than
// it had when called: a change made before the call is then in it.
func syncedTwice(t *testing.T, c *perspective.Cloud) {
	t.Helper()
	from := c.SyncStats().Syncs
	require.Eventually(t, func() bool { return c.SyncStats().Syncs >= from+2 }, 10*time.Second, time.Millisecond)
}

func byName(insts []perspective.Instance) map[string]perspective.Instance {
	m := map[string]perspective.Instance{}
	for _, in := range insts {
		m[in.Name] = in
	}
	return m
}

// After the first sync, reads cost no listing: 100 listings, 100 gets, a
// reboot of 2 and a wait on them add no row to ListInstances and a few to
// ListChanges, on a 10,000-instance project.
func TestReadsAreServedFromTheInventory(t *testing.T) {
	noLeaks(t)
	const n = 10_000
	drv := mock.New(mock.WithQuota(n), mock.WithDelay(30*time.Millisecond))
	insts := seedDirect(t, drv, "vm", n)
	c := openCloud(t, drv, perspective.WithPolling(5*time.Millisecond, 50*time.Millisecond),
		perspective.WithSync(20*time.Millisecond, time.Hour))
	ctx := context.Background()
	all, err := c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	require.Len(t, all, n)
	require.Equal(t, n, drv.Rows("ListInstances"), "the first sync lists the project once")
	// The first listing of changes reads again what changed while the full
	// listing ran (here: all 10,000, stamped alike when they settled).
	syncedTwice(t, c)
	listed, changed, gets := drv.Rows("ListInstances"), drv.Rows("ListChanges"), drv.Calls("GetInstance")

	for i := range 100 {
		opts := perspective.ListOptions{States: []perspective.State{perspective.StateError}}
		if i%10 == 0 {
			opts = perspective.ListOptions{}
		}
		_, err := c.Instances().List(ctx, opts)
		require.NoError(t, err)
		_, err = c.Instances().Get(ctx, all[i].ID)
		require.NoError(t, err)
	}
	res, err := c.Query(ctx, "SELECT name FROM instances WHERE state = 'launched'")
	require.NoError(t, err)
	assert.Equal(t, n, res.Count)
	ids := []string{all[7].ID, all[4242].ID}
	_, err = c.Instances().Reboot(ctx, ids...)
	require.NoError(t, err)
	rep, err := c.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	require.NoError(t, err)
	require.Len(t, rep.Results, 2)

	assert.Equal(t, listed, drv.Rows("ListInstances"), "no listing of the whole project after the first sync")
	assert.LessOrEqual(t, drv.Rows("ListChanges")-changed, 300, "only changes were read")
	assert.LessOrEqual(t, drv.Calls("GetInstance")-gets, 10, "the reboot's state check and read-your-writes: a GET per item")
	assert.Equal(t, 2, drv.Calls("Reboot"))
	_ = insts
}

// A change made behind the library's back (another Cloud on the same
// cloud, the driver itself) is in the inventory within two intervals,
// deletions too, whatever the cloud's clock says.
func TestChangesBehindTheBackAreSeen(t *testing.T) {
	for _, skew := range []time.Duration{0, 5 * time.Minute, -5 * time.Minute} {
		t.Run(fmt.Sprintf("skew %v", skew), func(t *testing.T) {
			noLeaks(t)
			drv := mock.New(mock.WithClockSkew(skew))
			seeded := seedDirect(t, drv, "vm", 5)
			watcher := openCloud(t, drv, perspective.WithSync(10*time.Millisecond, time.Hour))
			other := openCloud(t, drv)
			ctx := context.Background()
			_, err := watcher.Instances().List(ctx, perspective.ListOptions{})
			require.NoError(t, err)
			syncedTwice(t, watcher) // from here on, syncs are listings of changes

			ids := seededIDs(t, other, seeded)
			_, err = other.Instances().Rename(ctx, map[string]string{ids[0]: "renamed"})
			require.NoError(t, err)
			_, err = other.Instances().Shutdown(ctx, ids[1])
			require.NoError(t, err)
			_, err = other.Instances().Delete(ctx, ids[2])
			require.NoError(t, err)
			require.NoError(t, drv.DeleteInstance(ctx, seeded[3].ID))
			fresh := seedDirect(t, drv, "late", 1)
			syncedTwice(t, watcher)

			got := byName(mustList(t, watcher, perspective.ListOptions{}))
			assert.Contains(t, got, "renamed")
			assert.Equal(t, perspective.StateShutoff, got[seeded[1].Name].State)
			assert.NotContains(t, got, seeded[2].Name, "deleted through another Cloud")
			assert.NotContains(t, got, seeded[3].Name, "deleted through the driver")
			assert.Contains(t, got, fresh[0].Name, "launched through the driver")
			assert.Equal(t, seeded[4].Name, got[seeded[4].Name].Name)
			st := watcher.SyncStats()
			assert.Equal(t, int64(1), st.FullSyncs, "only the first sync was a full listing")
		})
	}
}

// seededIDs maps instances launched through the driver to their global
// ids in c.
func seededIDs(t *testing.T, c *perspective.Cloud, seeded []driver.Instance) []string {
	t.Helper()
	ids := make([]string, len(seeded))
	for i, s := range seeded {
		in, err := c.Instances().Get(context.Background(), s.ID)
		require.NoError(t, err)
		ids[i] = in.ID
	}
	return ids
}

// switchable fails its listings while failing is set, as a cloud that is
// down does.
type switchable struct {
	*mock.Driver
	failing atomic.Bool
}

func (s *switchable) ListInstances(ctx context.Context, o driver.ListOptions) ([]driver.Instance, error) {
	if s.failing.Load() {
		return nil, driver.Errorf(driver.CodeUnauthenticated, "the cloud is down")
	}
	return s.Driver.ListInstances(ctx, o)
}

func (s *switchable) ListChanges(ctx context.Context, since time.Time) ([]driver.Instance, error) {
	if s.failing.Load() {
		return nil, driver.Errorf(driver.CodeUnauthenticated, "the cloud is down")
	}
	return s.Driver.ListChanges(ctx, since)
}

// A failing sync keeps the last state served, with its age, and is
// followed by a full resync that loses nothing.
func TestFailingSyncKeepsServingThenResyncs(t *testing.T) {
	noLeaks(t)
	drv := &switchable{Driver: mock.New()}
	seeded := seedDirect(t, drv.Driver, "vm", 3)
	c := openCloud(t, drv, perspective.WithSync(10*time.Millisecond, time.Hour))
	ctx := context.Background()
	require.Len(t, mustList(t, c, perspective.ListOptions{}), 3)
	syncedTwice(t, c)

	drv.failing.Store(true)
	require.Eventually(t, func() bool { return c.SyncStats().LastError != nil }, 10*time.Second, time.Millisecond)
	require.NoError(t, drv.Rename(ctx, seeded[0].ID, "renamed-while-down"))
	require.NoError(t, drv.DeleteInstance(ctx, seeded[1].ID))
	time.Sleep(30 * time.Millisecond)
	st := c.SyncStats()
	assert.ErrorIs(t, st.LastError, perspective.ErrUnauthenticated)
	assert.GreaterOrEqual(t, st.Lag, 30*time.Millisecond, "the age of what is served shows")
	assert.Positive(t, st.Failures)
	assert.Len(t, mustList(t, c, perspective.ListOptions{}), 3, "the last state is served")
	_, err := c.Instances().With(perspective.MaxAge(time.Millisecond)).List(ctx, perspective.ListOptions{})
	assert.ErrorIs(t, err, perspective.ErrUnauthenticated, "a read that asks for fresh data learns it cannot have it")

	fulls := st.FullSyncs
	drv.failing.Store(false)
	syncedTwice(t, c)
	st = c.SyncStats()
	assert.NoError(t, st.LastError)
	assert.Greater(t, st.FullSyncs, fulls, "a full resync follows a failure")
	got := byName(mustList(t, c, perspective.ListOptions{}))
	assert.Contains(t, got, "renamed-while-down")
	assert.NotContains(t, got, seeded[1].Name)
	assert.Len(t, got, 2)
}

// Every operation is seen by a read right after it, without waiting for a
// sync (the interval here is an hour).
func TestReadYourWrites(t *testing.T) {
	noLeaks(t)
	drv := mock.New()
	c := openCloud(t, drv, perspective.WithSync(time.Hour, time.Hour))
	ctx := context.Background()
	in := c.Instances()
	ids := launchN(t, c, "rw", 1)
	id := ids[0]
	got := func() perspective.Instance {
		t.Helper()
		l := mustList(t, c, perspective.ListOptions{})
		i := slices.IndexFunc(l, func(x perspective.Instance) bool { return x.ID == id })
		require.GreaterOrEqual(t, i, 0, "listed")
		g, err := in.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, l[i].State, g.State, "List and Get agree")
		return l[i]
	}
	assert.Equal(t, perspective.StateLaunched, got().State, "a launch is listed at once")
	steps := []struct {
		name  string
		do    func() (*perspective.Report, error)
		check func(t *testing.T, i perspective.Instance)
	}{
		{"shutdown", func() (*perspective.Report, error) { return in.Shutdown(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateShutoff, i.State) }},
		{"start", func() (*perspective.Report, error) { return in.Start(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateLaunched, i.State) }},
		{"pause", func() (*perspective.Report, error) { return in.Pause(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StatePaused, i.State) }},
		{"resume paused", func() (*perspective.Report, error) { return in.Resume(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateLaunched, i.State) }},
		{"suspend", func() (*perspective.Report, error) { return in.Suspend(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateSuspended, i.State) }},
		{"resume suspended", func() (*perspective.Report, error) { return in.Resume(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateLaunched, i.State) }},
		{"resize", func() (*perspective.Report, error) { return in.Resize(ctx, "m1.small", id) },
			func(t *testing.T, i perspective.Instance) {
				assert.Equal(t, perspective.StateVerifyResize, i.State)
				assert.Equal(t, "m1.small", i.Flavor.Name)
			}},
		{"revert-resize", func() (*perspective.Report, error) { return in.RevertResize(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, "m1.tiny", i.Flavor.Name) }},
		{"resize again", func() (*perspective.Report, error) { return in.Resize(ctx, "m1.medium", id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateVerifyResize, i.State) }},
		{"confirm-resize", func() (*perspective.Report, error) { return in.ConfirmResize(ctx, id) },
			func(t *testing.T, i perspective.Instance) {
				assert.Equal(t, perspective.StateLaunched, i.State)
				assert.Equal(t, "m1.medium", i.Flavor.Name)
			}},
		{"rebuild", func() (*perspective.Report, error) { return in.Rebuild(ctx, "debian-12", id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, "debian-12", i.Image.Name) }},
		{"rename", func() (*perspective.Report, error) { return in.Rename(ctx, map[string]string{id: "rw-renamed"}) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, "rw-renamed", i.Name) }},
		{"tag", func() (*perspective.Report, error) { return in.AddTags(ctx, []string{"blue"}, id) },
			func(t *testing.T, i perspective.Instance) { assert.Contains(t, i.Tags, "blue") }},
		{"untag", func() (*perspective.Report, error) { return in.RemoveTags(ctx, []string{"blue"}, id) },
			func(t *testing.T, i perspective.Instance) { assert.NotContains(t, i.Tags, "blue") }},
		{"set-metadata", func() (*perspective.Report, error) { return in.SetMetadata(ctx, map[string]string{"k": "v"}, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, "v", i.Metadata["k"]) }},
		{"unset-metadata", func() (*perspective.Report, error) { return in.UnsetMetadata(ctx, []string{"k"}, id) },
			func(t *testing.T, i perspective.Instance) { assert.NotContains(t, i.Metadata, "k") }},
		{"add-ip", func() (*perspective.Report, error) { return in.AddFloatingIP(ctx, perspective.FloatingIPRequest{}, id) },
			func(t *testing.T, i perspective.Instance) { assert.Len(t, i.FloatingIPs(), 1) }},
		{"remove-ip", func() (*perspective.Report, error) { return in.RemoveFloatingIP(ctx, "", id) },
			func(t *testing.T, i perspective.Instance) { assert.Empty(t, i.FloatingIPs()) }},
		{"snapshot", func() (*perspective.Report, error) { return in.Snapshot(ctx, "snap", id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateLaunched, i.State) }},
		{"reboot", func() (*perspective.Report, error) { return in.Reboot(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.Equal(t, perspective.StateLaunched, i.State) }},
		{"lock", func() (*perspective.Report, error) { return in.Lock(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.True(t, i.Locked) }},
		{"unlock", func() (*perspective.Report, error) { return in.Unlock(ctx, id) },
			func(t *testing.T, i perspective.Instance) { assert.False(t, i.Locked) }},
	}
	for _, s := range steps {
		before := got().Updated
		_, err := s.do()
		require.NoError(t, err, s.name)
		after := got()
		t.Run(s.name, func(t *testing.T) {
			s.check(t, after)
			assert.True(t, after.Updated.After(before), "the read shows the instance after the operation")
		})
	}
	_, err := in.Delete(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, mustList(t, c, perspective.ListOptions{}), "a delete is seen at once")
	assert.Equal(t, int64(1), c.SyncStats().Syncs, "no sync but the first: the operations' own reads did it")
}

// WaitFor follows the inventory and still fails at once when the cloud
// puts an instance into the error state, with its fault.
func TestWaitForFailsAtOnceOnError(t *testing.T) {
	noLeaks(t)
	drv := mock.New(mock.WithDelay(time.Hour))
	c := openCloud(t, drv, perspective.WithPolling(5*time.Millisecond, 50*time.Millisecond))
	ids := launchN(t, c, "doomed", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan *perspective.Report, 1)
	go func() {
		rep, _ := c.Instances().WaitFor(ctx, ids[:1], perspective.StateLaunched)
		done <- rep
	}()
	ref, _ := c.Resolve(ids[0])
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, drv.Fail(ref.RealID, "no valid host was found"))
	rep := <-done
	require.Len(t, rep.Results, 1)
	assert.ErrorIs(t, rep.Results[0].Err, perspective.ErrInvalidState)
	assert.Contains(t, rep.Results[0].Err.Error(), "no valid host was found")
	assert.NoError(t, ctx.Err(), "failed at once, not at the deadline")
	assert.Zero(t, drv.Calls("ListInstances")-1, "the wait listed nothing: one listing, the first sync")
}

// A watch delivers created, changed (old and new) and deleted events in
// order, filtered; a slow consumer gets a resync and a snapshot, never
// more than its buffer.
func TestWatch(t *testing.T) {
	noLeaks(t)
	drv := mock.New()
	c := openCloud(t, drv, perspective.WithSync(5*time.Millisecond, time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := c.Watch(ctx, perspective.WatchOptions{Name: "web"})
	require.NoError(t, err)
	defer w.Close()

	ids := launchN(t, c, "web", 1)
	launchN(t, c, "db", 1) // filtered out
	_, err = c.Instances().Shutdown(ctx, ids[0])
	require.NoError(t, err)
	_, err = c.Instances().List(ctx, perspective.ListOptions{}) // reads the shutdown back
	require.NoError(t, err)
	_, err = c.Instances().Delete(ctx, ids[0])
	require.NoError(t, err)
	_, err = c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)

	var kinds []perspective.EventKind
	for len(kinds) < 3 {
		ev, err := w.Next(ctx)
		require.NoError(t, err)
		require.Equal(t, "mock", ev.CloudID)
		kinds = append(kinds, ev.Kind)
		switch ev.Kind {
		case perspective.EventCreated:
			assert.Equal(t, "web", ev.New.Name)
		case perspective.EventChanged:
			assert.Equal(t, perspective.StateLaunched, ev.Old.State)
			assert.Equal(t, perspective.StateShutoff, ev.New.State)
		case perspective.EventDeleted:
			assert.Equal(t, ids[0], ev.Old.ID)
		}
	}
	assert.Equal(t, []perspective.EventKind{perspective.EventCreated, perspective.EventChanged, perspective.EventDeleted}, kinds)

	// A consumer that does not keep up.
	slow, err := c.Watch(ctx, perspective.WatchOptions{Buffer: 4})
	require.NoError(t, err)
	defer slow.Close()
	more := launchN(t, c, "burst", 20)
	assert.Positive(t, slow.Dropped(), "the watch dropped what it could not hold")
	ev, err := slow.Next(ctx)
	require.NoError(t, err)
	assert.Equal(t, perspective.EventResync, ev.Kind)
	snap := map[string]bool{}
	for range 21 { // db and the burst
		ev, err := slow.Next(ctx)
		require.NoError(t, err)
		require.Equal(t, perspective.EventSnapshot, ev.Kind)
		snap[ev.New.ID] = true
	}
	for _, id := range more {
		assert.True(t, snap[id], "the snapshot holds every instance")
	}

	_, err = c.Watch(ctx, perspective.WatchOptions{Buffer: -1})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = c.Watch(ctx, perspective.WatchOptions{States: []perspective.State{"bogus"}})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

// Closing a Cloud stops its sync loop and ends its watches.
func TestCloseStopsTheInventory(t *testing.T) {
	noLeaks(t)
	drv := mock.New(mock.WithDelay(time.Hour))
	c, err := perspective.NewCloud(drv, perspective.WithSync(time.Millisecond, time.Hour))
	require.NoError(t, err)
	ctx := context.Background()
	ids := launchN(t, c, "vm", 2)
	w, err := c.Watch(ctx, perspective.WatchOptions{})
	require.NoError(t, err)
	waitCtx, cancel := context.WithCancel(ctx)
	waited := make(chan error, 1)
	go func() {
		_, err := c.Instances().WaitFor(waitCtx, ids, perspective.StateLaunched)
		waited <- err
	}()
	next := make(chan error, 1)
	go func() {
		for {
			if _, err := w.Next(ctx); err != nil {
				next <- err
				return
			}
		}
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-waited, perspective.ErrCanceled)
	require.NoError(t, c.Close())
	assert.ErrorIs(t, <-next, perspective.ErrCanceled, "the watch ends with its cloud")
}

// A wait after an operation on instances of a cloud that lists its changes
// reads no instance with a GET: the instances this library just changed are
// pending until a listing of changes brings them (never their old settled
// state), and the listings come fast while the wait goes on. (On a loaded
// Nova a GET per instance beside the listings made the wait end seconds
// after the cloud had settled.) With the cloud's clock 5 minutes off either
// way, the wait still ends with every instance launched again.
func TestWaitAfterAnOperationReadsNoInstance(t *testing.T) {
	for _, skew := range []time.Duration{0, 5 * time.Minute, -5 * time.Minute} {
		t.Run(fmt.Sprintf("skew %v", skew), func(t *testing.T) {
			noLeaks(t)
			drv := mock.New(mock.WithQuota(1000), mock.WithDelay(200*time.Millisecond), mock.WithClockSkew(skew))
			seedDirect(t, drv, "vm", 200)
			c := openCloud(t, drv, perspective.WithPolling(5*time.Millisecond, 50*time.Millisecond),
				perspective.WithSync(time.Hour, time.Hour))
			ctx := context.Background()
			all, err := c.Instances().List(ctx, perspective.ListOptions{})
			require.NoError(t, err)
			ids := make([]string, 50)
			for i := range ids {
				ids[i] = all[i*4].ID
			}
			_, err = c.Instances().WaitFor(ctx, ids, perspective.StateLaunched) // launched by seedDirect
			require.NoError(t, err)
			gets := drv.Calls("GetInstance")
			start := time.Now()
			_, err = c.Instances().Reboot(ctx, ids...)
			require.NoError(t, err)
			rep, err := c.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond, "the wait did not take the old state for the new")
			for _, r := range rep.Results {
				require.NotNil(t, r.Instance)
				assert.Equal(t, perspective.StateLaunched, r.Instance.State)
			}
			assert.Equal(t, gets, drv.Calls("GetInstance"), "no GET: the listings of changes brought every instance")
		})
	}
}
