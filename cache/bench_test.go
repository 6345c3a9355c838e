package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/cache"
)

type flavor struct {
	ID, Name   string
	RAM, VCPUs int
}

// BenchmarkCacheHit measures Get on a fresh entry: the path every cached
// flavor or network read takes. Target: ≤ 100 ns/op, 0 allocs/op.
func BenchmarkCacheHit(b *testing.B) {
	c := cache.New(func(context.Context, string) ([]flavor, error) {
		return []flavor{{ID: "1", Name: "m1.small", RAM: 2048, VCPUs: 1}}, nil
	}, cache.WithTTL(time.Hour))
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Get(ctx, "RegionOne"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := c.Get(ctx, "RegionOne"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheHitParallel is BenchmarkCacheHit from every core at once.
func BenchmarkCacheHitParallel(b *testing.B) {
	c := cache.New(func(context.Context, int) (string, error) { return "v", nil }, cache.WithTTL(time.Hour))
	defer c.Close()
	ctx := context.Background()
	for k := range 64 {
		if _, err := c.Get(ctx, k); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		k := 0
		for pb.Next() {
			if _, err := c.Get(ctx, k&63); err != nil {
				b.Error(err)
				return
			}
			k++
		}
	})
}

// BenchmarkCacheMiss measures a load through the flight machinery, with the
// entry invalidated before each Get.
func BenchmarkCacheMiss(b *testing.B) {
	c := cache.New(func(context.Context, string) (string, error) { return "v", nil })
	defer c.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		c.Invalidate("k")
		if _, err := c.Get(ctx, "k"); err != nil {
			b.Fatal(err)
		}
	}
}
