//go:build integration && measure

package openstack_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/cache"
	"github.com/perspective-cloud/sdk/perspective"
)

// TestMeasureAgainstTheRealCloud produces the README's figures (not run in
// CI: go test -tags 'integration measure' -run Measure -v -timeout 60m):
// 50 reboots through one bulk call vs `openstack server reboot` run once per
// id, in the same run; and 500 instances listed from the API (cold) vs from
// a cache.Cache of the inventory (warm). Needs python3-openstackclient.
func TestMeasureAgainstTheRealCloud(t *testing.T) {
	requireCloud(t)
	ctx := context.Background()
	cloud, err := perspective.Open(ctx, "openstack://")
	require.NoError(t, err)
	defer cloud.Close()
	inst := cloud.Instances()

	// Reuse the instances of an earlier run (building 500 on the fake
	// hypervisor takes long on two cores); launch the rest in requests of 100.
	// Set PERSPECTIVE_MEASURE_KEEP=1 to keep them afterwards.
	// a /24 holds ~250 servers: PERSPECTIVE_MEASURE_NETWORK names a larger one
	// on a stack made before scripts/openstack-aio.sh widened private to /22
	measureNet := envOr("PERSPECTIVE_MEASURE_NETWORK", itNetwork)
	existing, err := inst.List(ctx, perspective.ListOptions{Name: "measure-"})
	require.NoError(t, err)
	var ids []string
	for _, in := range existing {
		switch in.State {
		case perspective.StateError, perspective.StateDeleting, perspective.StateDeleted:
		default:
			ids = append(ids, in.ID)
		}
	}
	if os.Getenv("PERSPECTIVE_MEASURE_KEEP") != "1" {
		defer func() {
			dctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
			defer cancel()
			_, _ = inst.Delete(dctx, ids...)
		}()
	}
	total := 500
	if n, err := strconv.Atoi(os.Getenv("PERSPECTIVE_MEASURE_COUNT")); err == nil && n >= 50 {
		total = n
	}
	start := time.Now()
	for b := 0; len(ids) < total; b++ {
		rep, err := inst.Launch(ctx, perspective.LaunchSpec{Name: fmt.Sprintf("measure-%d-%d", time.Now().Unix(), b),
			Count: min(100, total-len(ids)), FlavorID: itFlavor, ImageID: itImage, Networks: []string{measureNet}})
		require.NoError(t, err)
		ids = append(ids, rep.IDs()...)
	}
	t.Logf("%d instances (%d reused), launched in %s", len(ids), len(existing), time.Since(start).Round(time.Millisecond))

	if total >= 500 {
		listMeasure(ctx, t, inst)
	}

	wctx, cancel := context.WithTimeout(ctx, 50*time.Minute)
	defer cancel()
	start = time.Now()
	_, err = inst.WaitFor(wctx, ids, perspective.StateLaunched)
	require.NoError(t, err)
	t.Logf("all %d ACTIVE after another %s", len(ids), time.Since(start).Round(time.Second))

	fifty := ids[:50]
	start = time.Now()
	rep, err := inst.Reboot(ctx, fifty...)
	require.NoError(t, err, "%v", rep)
	sent := time.Since(start)
	_, err = inst.WaitFor(ctx, fifty, perspective.StateLaunched)
	require.NoError(t, err)
	lib := time.Since(start)
	t.Logf("library: reboot 50 in one bulk call: requests done in %s, all ACTIVE again in %s", sent.Round(time.Millisecond), lib.Round(time.Millisecond))

	real := make([]string, len(fifty))
	for i, id := range fifty {
		ref, ok := cloud.Resolve(id)
		require.True(t, ok)
		real[i] = ref.RealID
	}
	start = time.Now()
	for _, id := range real {
		out, err := exec.CommandContext(ctx, "openstack", "server", "reboot", id).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	cliSent := time.Since(start)
	_, err = inst.WaitFor(ctx, fifty, perspective.StateLaunched)
	require.NoError(t, err)
	cli := time.Since(start)
	t.Logf("CLI: `openstack server reboot` x50: sent in %s, all ACTIVE again in %s; ratio CLI/library %.1fx (until ACTIVE), %.1fx (sending)",
		cliSent.Round(time.Millisecond), cli.Round(time.Millisecond), cli.Seconds()/lib.Seconds(), cliSent.Seconds()/sent.Seconds())

}

// listMeasure lists the instances from the API (cold) and from a
// cache.Cache of the inventory (warm).
func listMeasure(ctx context.Context, t *testing.T, inst *perspective.Instances) {
	type all struct{}
	inventory := cache.New(func(ctx context.Context, _ all) ([]perspective.Instance, error) {
		return inst.List(ctx, perspective.ListOptions{Name: "measure-"})
	}, cache.WithTTL(time.Minute))
	start := time.Now()
	cold, err := inst.List(ctx, perspective.ListOptions{Name: "measure-"})
	require.NoError(t, err)
	coldT := time.Since(start)
	first, err := inventory.Get(ctx, all{})
	require.NoError(t, err)
	const warmRuns = 1000
	start = time.Now()
	for range warmRuns {
		got, err := inventory.Get(ctx, all{})
		require.NoError(t, err)
		require.Len(t, got, len(first))
	}
	warmT := time.Since(start) / warmRuns
	t.Logf("list %d instances: cold (API, every page) %s, cached %s per call; ratio %.0fx",
		len(cold), coldT.Round(time.Millisecond), warmT, coldT.Seconds()/warmT.Seconds())
	require.GreaterOrEqual(t, len(cold), 500)
}
