//go:build integration

package libvirt_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/perspective/perspectivetest"

	_ "github.com/perspective-cloud/sdk/drivers/libvirt"
)

// The integration tests run against the libvirt that scripts/libvirt-up.sh
// starts; .ci/libvirt-integration sets LIBVIRT_URL and LIBVIRT_TEST_IMAGE
// from its "env" output.
func target(t *testing.T, namespace string) (url, image string) {
	t.Helper()
	url, image = os.Getenv("LIBVIRT_URL"), os.Getenv("LIBVIRT_TEST_IMAGE")
	require.NotEmpty(t, url, "LIBVIRT_URL is not set: run .ci/libvirt-integration (or eval \"$(scripts/libvirt-up.sh env)\")")
	require.NotEmpty(t, image, "LIBVIRT_TEST_IMAGE is not set")
	return url + "&namespace=" + namespace, image
}

// openClean opens the cloud and deletes what an earlier run left in its namespace.
func openClean(t *testing.T, namespace string, opts ...perspective.Option) *perspective.Cloud {
	t.Helper()
	url, _ := target(t, namespace)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := perspective.Open(ctx, url, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	left, err := c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	var ids []string
	for _, in := range left {
		ids = append(ids, in.ID)
	}
	if len(ids) > 0 {
		_, _ = c.Instances().Unlock(ctx, ids...)
		_, err := c.Instances().Delete(ctx, ids...)
		require.NoError(t, err, "deleting what an earlier run left in namespace %s", namespace)
	}
	return c
}

func TestConformanceIntegration(t *testing.T) {
	_, image := target(t, "conformance")
	cloud := openClean(t, "conformance")
	perspectivetest.RunConformance(t, perspectivetest.Harness{
		Open:   func(t *testing.T) *perspective.Cloud { return cloud },
		Flavor: "tiny", AltFlavor: "small",
		Image: image, AltImage: image,
		Network: os.Getenv("LIBVIRT_TEST_NETWORK"),
		Timeout: 90 * time.Second,
	})
}

func virsh(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("virsh", append([]string{"-q", "-c", "qemu:///system"}, args...)...).CombinedOutput()
	require.NoError(t, err, "virsh %v: %s", args, out)
	return string(out)
}

// TestBehindTheBack: what virsh does to an instance is what the library
// sees next, and what the inventory shows within two syncs, by listings
// of changes (libvirt's events), not full listings; the console log holds
// the guest's boot lines; usage moves.
func TestBehindTheBackIntegration(t *testing.T) {
	_, image := target(t, "behind")
	const interval = time.Second
	c := openClean(t, "behind", perspective.WithSync(interval, time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "behind", FlavorID: "tiny", ImageID: image})
	require.NoError(t, err)
	id := rep.IDs()[0]
	inst, err := c.Instances().Get(ctx, id)
	require.NoError(t, err)
	t.Cleanup(func() {
		// the domain is undefined behind the library's back below: its
		// volumes stay, as they would for any virsh user
		for _, v := range []string{inst.RealID + ".overlay.qcow2", inst.RealID + ".console.log"} {
			_ = exec.Command("virsh", "-q", "-c", "qemu:///system", "vol-delete", "--pool", os.Getenv("LIBVIRT_TEST_POOL"), v).Run()
		}
	})
	assert.Equal(t, perspective.StateLaunched, inst.State)
	require.NoError(t, c.Sync(ctx))
	start := c.SyncStats()
	require.True(t, start.Incremental, "the libvirt driver lists its changes")

	// usage: the CPU counter moves while the guest boots (TCG: busy)
	now := time.Now()
	pts, err := c.Instances().Usage(ctx, id, perspective.UsageQuery{Item: perspective.UsageCPU, From: now.Add(-time.Minute), To: now, Points: 1})
	require.NoError(t, err)
	require.NotEmpty(t, pts.Points)
	assert.Equal(t, "%", pts.Unit)
	assert.Positive(t, pts.Points[len(pts.Points)-1].Value, "a booting guest uses CPU")
	mem, err := c.Instances().Usage(ctx, id, perspective.UsageQuery{Item: perspective.UsageMemory, From: now.Add(-time.Minute), To: time.Now(), Points: 1})
	require.NoError(t, err)
	require.NotEmpty(t, mem.Points)
	assert.Greater(t, mem.Points[0].Value, 10.0, "resident memory in MiB")

	// the guest's own boot lines reach the console log
	require.Eventually(t, func() bool {
		out, err := c.Instances().Log(ctx, id, 0)
		return err == nil && strings.Contains(out, "PERSPECTIVE: ready")
	}, 60*time.Second, time.Second, "the console log shows the guest booted")
	out, err := c.Instances().Log(ctx, id, 0)
	require.NoError(t, err)
	assert.Contains(t, out, "Linux version", "the kernel's first lines")
	assert.Contains(t, out, "PERSPECTIVE: disk vda", "the guest sees its overlay disk")

	// the inventory's copy, never a GET
	memory := c.Instances().With(perspective.MaxAge(time.Hour))
	inventory := func() (perspective.Instance, bool) {
		list, err := memory.List(ctx, perspective.ListOptions{})
		require.NoError(t, err)
		for _, in := range list {
			if in.ID == id {
				return in, true
			}
		}
		return perspective.Instance{}, false
	}
	// seen waits for the inventory to show what ok checks and checks it
	// came within two syncs (when within is set), by listings of changes
	seen := func(what string, within bool, ok func(perspective.Instance, bool) bool) {
		t.Helper()
		before := c.SyncStats()
		deadline := time.Now().Add(time.Minute)
		for !ok(inventory()) {
			require.True(t, time.Now().Before(deadline), "%s: not in the inventory after a minute", what)
			time.Sleep(20 * time.Millisecond)
		}
		after := c.SyncStats()
		if within {
			assert.LessOrEqual(t, after.Syncs-before.Syncs, int64(2), "%s: seen within two syncs", what)
		}
		assert.Equal(t, start.FullSyncs, after.FullSyncs, "%s: seen by listings of changes, no full listing", what)
	}
	// the DHCP lease the guest took (no libvirt event says so: the driver
	// reads the network's leases at each listing of changes)
	seen("the guest's address", false, func(in perspective.Instance, ok bool) bool { return ok && len(in.Addresses) > 0 })
	// the sync after a change reads it once more (the cursor's overlap):
	// let that pass, so that what follows is seen by its own change
	for range 2 {
		require.NoError(t, c.Sync(ctx))
	}

	// what virsh does is seen by the inventory's own sync (first: a read
	// from the cloud puts what it read into the inventory), and by the
	// next read that may not use the inventory's copy (MaxAge 0)
	fresh := c.Instances().With(perspective.MaxAge(0))

	// paused and resumed with virsh
	virsh(t, "suspend", inst.Name)
	seen("a pause with virsh", true, func(in perspective.Instance, ok bool) bool { return ok && in.State == perspective.StatePaused })
	got, err := fresh.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, perspective.StatePaused, got.State)
	virsh(t, "resume", inst.Name)
	seen("a resume with virsh", true, func(in perspective.Instance, ok bool) bool { return ok && in.State == perspective.StateLaunched })

	// destroyed with virsh: shut off; renamed with virsh; undefined with
	// virsh: gone
	virsh(t, "destroy", inst.Name)
	seen("a destroy with virsh", true, func(in perspective.Instance, ok bool) bool { return ok && in.State == perspective.StateShutoff })
	got, err = fresh.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, perspective.StateShutoff, got.State)
	virsh(t, "domrename", inst.Name, "behind-renamed")
	seen("a rename with virsh", true, func(in perspective.Instance, ok bool) bool { return ok && in.Name == "behind-renamed" })
	virsh(t, "undefine", "behind-renamed")
	seen("an undefine with virsh", true, func(_ perspective.Instance, ok bool) bool { return !ok })
	_, err = fresh.Get(ctx, id)
	assert.ErrorIs(t, err, perspective.ErrNotFound, "a domain undefined with virsh is gone")
	list, err := fresh.List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	for _, in := range list {
		assert.NotEqual(t, id, in.ID)
	}
}
