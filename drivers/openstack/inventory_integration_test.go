//go:build integration

package openstack_test

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// openstackCLI runs the openstack CLI (python3-openstackclient) with the
// test's own OS_* environment: another client of the same cloud, behind
// the library's back.
func openstackCLI(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("openstack")
	require.NoError(t, err, "the openstack CLI (python3-openstackclient) changes the cloud behind the library's back")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	require.NoError(t, err, "openstack %v: %s", args, out)
	return string(out)
}

// TestIntegrationInventoryBehindTheBack: a server renamed, given a property
// and deleted with the openstack CLI shows in the inventory within two sync
// intervals of the CLI's return, through Nova's changes-since listings
// alone (no full listing, no GET of the instance), and a watch delivers
// the change and the deletion.
func TestIntegrationInventoryBehindTheBack(t *testing.T) {
	cfg := requireCloud(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	const interval = 2 * time.Second // perspective.DefaultSyncInterval, named here so the bound reads plainly
	d, err := openstack.New(ctx, cfg)
	require.NoError(t, err)
	cloud, err := perspective.NewCloud(d, perspective.WithSync(interval, time.Hour))
	require.NoError(t, err)
	defer cloud.Close()
	in := cloud.Instances()

	name := fmt.Sprintf("it-behind-%d", time.Now().UnixNano()%1e9)
	rep, err := in.Launch(ctx, perspective.LaunchSpec{Name: name, FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { _, _ = cloud.Instances().Delete(context.Background(), id) })
	_, err = in.WaitFor(ctx, []string{id}, perspective.StateLaunched)
	require.NoError(t, err)
	ref, ok := cloud.Resolve(id)
	require.True(t, ok)
	require.NoError(t, cloud.Sync(ctx))

	w, err := cloud.Watch(ctx, perspective.WatchOptions{Name: name})
	require.NoError(t, err)
	defer w.Close()
	before := cloud.SyncStats()
	require.True(t, before.Incremental, "Nova lists its changes (changes-since)")

	// seen reports how long after the CLI returned the inventory showed
	// what ok wants of the listing of our server's name (from memory: a
	// Get of an id the inventory no longer holds would ask the cloud), or
	// fails after two intervals.
	seen := func(what string, ok func(found *perspective.Instance) bool) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			l, err := in.List(ctx, perspective.ListOptions{Name: name})
			require.NoError(t, err)
			var found *perspective.Instance
			for i := range l {
				if l[i].ID == id {
					found = &l[i]
				}
			}
			if ok(found) {
				took := time.Since(start)
				t.Logf("%s: in the inventory %s after the CLI returned", what, took.Round(time.Millisecond))
				return took
			}
			if time.Since(start) > 2*interval {
				t.Fatalf("%s: not in the inventory within two intervals (%s): %+v", what, 2*interval, found)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	renamed := name + "-renamed"
	openstackCLI(t, "server", "set", "--name", renamed, "--property", "behind=back", ref.RealID)
	seen("rename and property", func(i *perspective.Instance) bool {
		return i != nil && i.Name == renamed && i.Metadata["behind"] == "back"
	})
	openstackCLI(t, "server", "delete", "--wait", ref.RealID)
	seen("deletion", func(i *perspective.Instance) bool { return i == nil })

	after := cloud.SyncStats()
	assert.Equal(t, before.FullSyncs, after.FullSyncs, "no full listing: changes-since only")
	assert.Equal(t, before.Refreshes, after.Refreshes, "no GET of the instance: the reads were from memory")
	assert.Greater(t, after.Syncs, before.Syncs)
	t.Logf("%d change listings, %d requests, %d rows in all", after.Syncs-before.Syncs, after.Requests-before.Requests, after.Rows-before.Rows)

	// The watch saw the rename (old and new) and the deletion, in order.
	var kinds []perspective.EventKind
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	for len(kinds) == 0 || kinds[len(kinds)-1] != perspective.EventDeleted {
		ev, err := w.Next(wctx)
		require.NoError(t, err, "events so far: %v", kinds)
		kinds = append(kinds, ev.Kind)
		if ev.Kind == perspective.EventChanged && ev.New.Name == renamed && ev.Old.Name == name {
			assert.Equal(t, "back", ev.New.Metadata["behind"])
		}
	}
	assert.Contains(t, kinds, perspective.EventChanged)
	assert.NotContains(t, kinds, perspective.EventResync)
}
