package bulk_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/bulk"
)

const (
	benchOps         = 1000
	benchConcurrency = 50
	benchLatency     = 20 * time.Millisecond
)

// slowOp stands for one cloud API call of benchLatency.
func slowOp(ctx context.Context, _ string) error {
	t := time.NewTimer(benchLatency)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// idealBulk is the wall time of perfect scheduling: ceil(ops/concurrency)
// waves of one latency each.
func idealBulk() time.Duration {
	return time.Duration(math.Ceil(float64(benchOps)/benchConcurrency)) * benchLatency
}

// BenchmarkBulk1000 runs 1,000 operations of 20 ms at concurrency 50 and
// reports wall time over the ideal ceil(1000/50)×20 ms as x-ideal.
func BenchmarkBulk1000(b *testing.B) {
	ids := keys(benchOps)
	ex := bulk.New(bulk.WithConcurrency(benchConcurrency))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		rs := ex.Run(context.Background(), ids, slowOp)
		if err := rs.Err(); err != nil {
			b.Fatal(err)
		}
	}
	wall := time.Since(start) / time.Duration(b.N)
	b.ReportMetric(float64(wall)/float64(idealBulk()), "x-ideal")
}

// BenchmarkSequential1000 runs the same 1,000 operations one by one, as a
// plain client loop does, then once through bulk, and reports the bulk
// speed-up. One iteration takes about 20 s: run it with -benchtime=1x.
func BenchmarkSequential1000(b *testing.B) {
	ids := keys(benchOps)
	b.ReportAllocs()
	var seq time.Duration
	for range b.N {
		start := time.Now()
		for _, id := range ids {
			if err := slowOp(context.Background(), id); err != nil {
				b.Fatal(err)
			}
		}
		seq += time.Since(start)
	}
	b.StopTimer()
	seq /= time.Duration(b.N)
	start := time.Now()
	rs := bulk.Run(context.Background(), ids, slowOp, bulk.WithConcurrency(benchConcurrency))
	par := time.Since(start)
	if err := rs.Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(seq)/float64(par), "x-speedup")
}
