//go:build integration

package libvirt

import (
	"context"
	"encoding/xml"
	"net/url"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// TestTestDriverChanges keeps a Cloud's inventory over libvirt's test
// driver current by listings of changes: what another libvirt client does
// to the domains (pause, metadata, rename, undefine) shows within two
// syncs with no full listing, and a lost connection makes the next sync a
// full listing that sees what happened meanwhile.
func TestTestDriverChanges(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// the other client: its connection keeps the test driver's state for
	// the whole test (the state resets when the last client disconnects)
	other := golibvirt.NewWithDialer(dialers.NewLocal(dialers.WithLocalTimeout(5 * time.Second)))
	require.NoError(t, other.ConnectToURI(golibvirt.TestDefault))
	defer other.Disconnect()

	u, _ := url.Parse("libvirt:///system?uri=test:///default&pool=default-pool&network=default&namespace=changes&shutdown_timeout=10s")
	cfg, err := ParseURL(u)
	require.NoError(t, err)
	d, err := New(ctx, cfg)
	require.NoError(t, err)
	const interval = 200 * time.Millisecond
	c, err := perspective.NewCloud(d, perspective.WithSync(interval, time.Hour))
	require.NoError(t, err)
	defer c.Close()

	pool, err := other.StoragePoolLookupByName("default-pool")
	require.NoError(t, err)
	if _, err := other.StorageVolLookupByName(pool, "changes.img"); err != nil {
		_, err = createVolume(other, pool, "changes.img", 1<<20, "raw", nil)
		require.NoError(t, err)
	}
	rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "chg", Count: 3, FlavorID: "tiny", ImageID: "changes.img"})
	require.NoError(t, err)
	require.NoError(t, rep.Err())
	var ids []string // real ids: domain UUIDs
	for _, in := range rep.Instances() {
		ids = append(ids, in.RealID)
	}
	require.Len(t, ids, 3)
	t.Cleanup(func() {
		for _, id := range ids {
			_ = d.DeleteInstance(context.Background(), id)
		}
	})
	require.NoError(t, c.Sync(ctx))
	st := c.SyncStats()
	require.True(t, st.Incremental, "the libvirt driver lists its changes")

	dom := func(id string) golibvirt.Domain {
		t.Helper()
		dm, err := other.DomainLookupByUUID(golibvirt.UUID(uuid.MustParse(id)))
		require.NoError(t, err)
		return dm
	}
	memory := c.Instances().With(perspective.MaxAge(time.Hour)) // the inventory's copy, never a GET
	inventory := func() map[string]perspective.Instance {
		list, err := memory.List(ctx, perspective.ListOptions{})
		require.NoError(t, err)
		out := map[string]perspective.Instance{}
		for _, in := range list {
			out[in.RealID] = in
		}
		return out
	}
	// seen waits for the inventory to show what ok checks, and checks it
	// came within two syncs, by listings of changes only
	seen := func(what string, ok func(map[string]perspective.Instance) bool) {
		t.Helper()
		before := c.SyncStats()
		deadline := time.Now().Add(30 * time.Second)
		for !ok(inventory()) {
			require.True(t, time.Now().Before(deadline), "%s: not in the inventory after 30 s", what)
			time.Sleep(10 * time.Millisecond)
		}
		after := c.SyncStats()
		assert.LessOrEqual(t, after.Syncs-before.Syncs, int64(2), "%s: seen within two syncs", what)
		assert.Equal(t, before.FullSyncs, after.FullSyncs, "%s: seen by listings of changes, no full listing", what)
		assert.Zero(t, after.Failures-before.Failures, what)
	}

	// paused by the other client
	require.NoError(t, other.DomainSuspend(dom(ids[0])))
	seen("a pause", func(m map[string]perspective.Instance) bool { return m[ids[0]].State == perspective.StatePaused })

	// the driver's metadata element changed by the other client: tags and a lock
	raw, err := other.DomainGetMetadata(dom(ids[1]), int32(golibvirt.DomainMetadataElement), golibvirt.OptString{XMLNamespace}, golibvirt.DomainAffectLive)
	require.NoError(t, err)
	var m meta // libvirt hands the element back without its namespace
	require.NoError(t, xml.Unmarshal([]byte(raw), &m), raw)
	require.Equal(t, "changes", m.Namespace)
	m.Tags, m.Locked = []string{"from-virsh"}, true
	x, err := m.marshal()
	require.NoError(t, err)
	require.NoError(t, other.DomainSetMetadata(dom(ids[1]), int32(golibvirt.DomainMetadataElement), golibvirt.OptString{x},
		golibvirt.OptString{MetadataKey}, golibvirt.OptString{XMLNamespace}, golibvirt.DomainAffectLive|golibvirt.DomainAffectConfig))
	seen("tags and a lock", func(m map[string]perspective.Instance) bool {
		in := m[ids[1]]
		return in.Locked && len(in.Tags) == 1 && in.Tags[0] == "from-virsh"
	})

	// stopped and renamed by the other client
	require.NoError(t, other.DomainDestroy(dom(ids[2])))
	_, err = other.DomainRename(dom(ids[2]), golibvirt.OptString{"chg-renamed"}, 0)
	require.NoError(t, err)
	seen("a stop and a rename", func(m map[string]perspective.Instance) bool {
		in := m[ids[2]]
		return in.State == perspective.StateShutoff && in.Name == "chg-renamed"
	})

	// undefined by the other client: a tombstone
	require.NoError(t, other.DomainDestroy(dom(ids[0])))
	require.NoError(t, other.DomainUndefineFlags(dom(ids[0]), golibvirt.DomainUndefineManagedSave))
	seen("an undefine", func(m map[string]perspective.Instance) bool { _, ok := m[ids[0]]; return !ok })
	ids = ids[1:]

	// the driver's connection is lost: the events of the meantime may be
	// lost too, so the next sync must be a full listing, and what the
	// other client did meanwhile shows
	before := c.SyncStats()
	d.mu.Lock()
	lost := d.l
	d.mu.Unlock()
	require.NoError(t, lost.Disconnect())
	require.NoError(t, other.DomainDestroy(dom(ids[0])))
	require.Eventually(t, func() bool { return inventory()[ids[0]].State == perspective.StateShutoff },
		30*time.Second, 10*time.Millisecond, "a stop made while the connection was down")
	after := c.SyncStats()
	assert.Greater(t, after.FullSyncs, before.FullSyncs, "a lost connection forces a full listing")
	// and then listings of changes again
	require.NoError(t, other.DomainCreate(dom(ids[0])))
	seen("a start after the reconnection", func(m map[string]perspective.Instance) bool {
		return m[ids[0]].State == perspective.StateLaunched
	})

	// the driver on its own: a zero since lists every instance
	all, err := d.ListChanges(ctx, time.Time{})
	require.NoError(t, err)
	var live []string
	for _, in := range all {
		if in.State != driver.StateDeleted {
			live = append(live, in.ID)
		}
	}
	assert.ElementsMatch(t, ids, live)
}
