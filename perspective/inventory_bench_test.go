package perspective_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// BenchmarkFleet keeps 20 mock clouds × 5,000 instances (100,000) in
// their inventories while 1% of the instances change between syncs. The
// mock charges 20 µs a listed row (Nova: ~5 ms), so a full listing of one
// cloud costs 100 ms and a listing of its 50 changes 1 ms. One op is one
// sync of every cloud, concurrently.
//
// Metrics: req/sync and rows/sync per cloud per steady-state sync (1 and
// ≈ the changed ones: the cost follows the changes, not the fleet),
// ns/get for an indexed lookup by id through the Set (Instances.Get),
// bytes/instance held by the inventories.
func BenchmarkFleet(b *testing.B) {
	const clouds, per, changed = 20, 5000, 50
	ctx := context.Background()
	drvs := make([]*mock.Driver, clouds)
	for i := range drvs {
		drvs[i] = mock.New(mock.WithCloudID(fmt.Sprintf("cloud-%02d", i)), mock.WithQuota(per),
			mock.WithRowCost(20*time.Microsecond))
		seedDirect(b, drvs[i], "vm", per)
	}
	real := make([][]driver.Instance, clouds)
	for i, d := range drvs {
		all, err := d.ListChanges(ctx, time.Time{})
		require.NoError(b, err)
		real[i] = all
	}
	before := heap()
	cs := make([]*perspective.Cloud, clouds)
	for i, d := range drvs {
		c, err := perspective.NewCloud(d, perspective.WithSync(time.Hour, time.Hour))
		require.NoError(b, err)
		b.Cleanup(func() { _ = c.Close() })
		cs[i] = c
	}
	set, err := perspective.NewSet(cs...)
	require.NoError(b, err)
	first, err := set.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(b, err)
	require.Len(b, first, clouds*per)
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = first[i*len(first)/len(ids)].ID
	}
	first = nil
	held := heap() - before
	// Two rounds to reach the steady state: the first listing of changes
	// after a full listing reads again what changed while it ran (here the
	// launch of all 5,000, stamped alike).
	for range 2 {
		for _, c := range cs {
			require.NoError(b, c.Sync(ctx))
		}
	}

	var reqs, rows, syncs int64
	round := 0
	for b.Loop() {
		b.StopTimer()
		for i, d := range drvs {
			for k := range changed {
				id := real[i][(round*changed+k)%per].ID
				require.NoError(b, d.Rename(ctx, id, fmt.Sprintf("vm-r%d-%d", round, k)))
			}
		}
		round++
		b.StartTimer()
		var wg sync.WaitGroup
		for _, c := range cs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := c.Sync(ctx); err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		for _, c := range cs {
			st := c.SyncStats()
			reqs += int64(st.LastRequests)
			rows += int64(st.LastRows)
			syncs++
		}
	}
	b.ReportMetric(float64(reqs)/float64(syncs), "req/sync")
	b.ReportMetric(float64(rows)/float64(syncs), "rows/sync")
	b.ReportMetric(float64(held)/float64(clouds*per), "bytes/instance")

	in := set.Instances()
	const gets = 20_000
	runtime.GC() // the loop's garbage is not the lookups' cost
	start := time.Now()
	for i := range gets {
		if _, err := in.Get(ctx, ids[i%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/gets, "ns/get")
}

// heap returns the bytes in use on the heap after a collection.
func heap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkInventoryGet is one Instances.Get by global id on a synced
// 5,000-instance cloud: a map lookup and a copy, no request.
func BenchmarkInventoryGet(b *testing.B) {
	ctx := context.Background()
	d := mock.New(mock.WithQuota(5000))
	seedDirect(b, d, "vm", 5000)
	c, err := perspective.NewCloud(d, perspective.WithSync(time.Hour, time.Hour))
	require.NoError(b, err)
	b.Cleanup(func() { _ = c.Close() })
	all, err := c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(b, err)
	in := c.Instances()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := in.Get(ctx, all[i%len(all)].ID); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
