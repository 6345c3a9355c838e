//go:build integration

package libvirt

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

// TestTestDriver drives libvirt's own test driver (test:///default, opened
// by libvirtd): no guest runs, so it is fast. Its state lives as long as
// this one connection.
func TestTestDriver(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u, _ := url.Parse("libvirt:///system?uri=test:///default&pool=default-pool&network=default&namespace=unit&shutdown_timeout=10s")
	c, err := ParseURL(u)
	require.NoError(t, err)
	d, err := New(ctx, c)
	require.NoError(t, err)
	defer d.Close()
	l, err := d.conn(ctx)
	require.NoError(t, err)
	pool, err := l.StoragePoolLookupByName("default-pool")
	require.NoError(t, err)
	_, err = createVolume(l, pool, "base.img", 1<<20, "raw", nil)
	require.NoError(t, err)

	imgs, err := d.ListImages(ctx)
	require.NoError(t, err)
	assert.Contains(t, ids(imgs), "base.img")

	// test:///default comes with a domain "test" that is not ours
	insts, err := d.ListInstances(ctx, driver.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, insts, "a domain without the namespace's element is no instance")

	got, err := d.LaunchInstances(ctx, driver.LaunchSpec{Name: "u", Count: 2, FlavorID: "tiny", ImageID: "base.img",
		Tags: []string{"t1"}, Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "u-1", got[0].Name)
	id := got[0].ID
	assert.Equal(t, driver.StateLaunched, got[0].State)
	assert.Equal(t, "base.img", got[0].ImageID)
	assert.Equal(t, []string{"t1"}, got[0].Tags)
	assert.Equal(t, "v", got[0].Metadata["k"])
	require.NotNil(t, got[0].Flavor)
	assert.Equal(t, 256, got[0].Flavor.RAM)

	_, err = d.LaunchInstances(ctx, driver.LaunchSpec{Name: "u-1", Count: 1, FlavorID: "tiny", ImageID: "base.img"})
	assert.Equal(t, driver.CodeConflict, driver.CodeOf(err), "domain names are unique")
	_, err = d.LaunchInstances(ctx, driver.LaunchSpec{Name: "x", Count: 1, FlavorID: "huge", ImageID: "base.img"})
	assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err))
	_, err = d.LaunchInstances(ctx, driver.LaunchSpec{Name: "x", Count: 1, FlavorID: "tiny", ImageID: "nope"})
	assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err))

	state := func() driver.State {
		t.Helper()
		in, err := d.GetInstance(ctx, id)
		require.NoError(t, err)
		return in.State
	}
	require.NoError(t, d.Pause(ctx, id))
	assert.Equal(t, driver.StatePaused, state())
	require.NoError(t, d.Unpause(ctx, id))
	assert.Equal(t, driver.StateLaunched, state())
	require.NoError(t, d.Suspend(ctx, id))
	assert.Equal(t, driver.StateSuspended, state())
	require.NoError(t, d.Resume(ctx, id))
	assert.Equal(t, driver.StateLaunched, state())
	require.NoError(t, d.Shutdown(ctx, id))
	assert.Equal(t, driver.StateShutoff, state())
	require.NoError(t, d.Rename(ctx, id, "renamed-off"))
	in, err := d.GetInstance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "renamed-off", in.Name)
	_, err = l.DomainLookupByName("renamed-off")
	assert.NoError(t, err, "a shut-off domain is renamed in libvirt")
	require.NoError(t, d.Reboot(ctx, id, true), "a hard reboot starts a shut-off instance")
	assert.Equal(t, driver.StateLaunched, state())
	require.NoError(t, d.Rename(ctx, id, "renamed-on"))
	in, err = d.GetInstance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "renamed-on", in.Name, "a running domain gets the name in the metadata")

	require.NoError(t, d.Lock(ctx, id))
	require.NoError(t, d.AddTags(ctx, id, []string{"t2"}))
	require.NoError(t, d.RemoveTags(ctx, id, []string{"t1"}))
	require.NoError(t, d.SetMetadata(ctx, id, map[string]string{"a": "b"}))
	require.NoError(t, d.UnsetMetadata(ctx, id, []string{"k"}))
	in, err = d.GetInstance(ctx, id)
	require.NoError(t, err)
	assert.True(t, in.Locked)
	assert.Equal(t, []string{"t2"}, in.Tags)
	assert.Equal(t, map[string]string{"a": "b"}, in.Metadata)
	// kept in the persistent config too: still there after a stop
	dom, err := l.DomainLookupByName("renamed-off")
	require.NoError(t, err)
	require.NoError(t, l.DomainDestroy(dom))
	in, err = d.GetInstance(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, driver.StateShutoff, in.State)
	assert.True(t, in.Locked)
	assert.Equal(t, []string{"t2"}, in.Tags)

	listed, err := d.ListInstances(ctx, driver.ListOptions{Tags: []string{"t2"}})
	require.NoError(t, err)
	require.Len(t, listed, 1)
	assert.Equal(t, id, listed[0].ID)

	for _, g := range got {
		require.NoError(t, d.DeleteInstance(ctx, g.ID))
		_, err := d.GetInstance(ctx, g.ID)
		assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err))
	}
	_, err = d.GetInstance(ctx, "not-a-uuid")
	assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err))
	err = d.Pause(ctx, id)
	assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err))
	vols, _, err := l.StoragePoolListAllVolumes(pool, 1, 0)
	require.NoError(t, err)
	for _, v := range vols {
		assert.True(t, isImageVolume(v.Name), "delete removed %s", v.Name)
	}
}

func ids(imgs []driver.Image) []string {
	var out []string
	for _, i := range imgs {
		out = append(out, i.ID)
	}
	return out
}
