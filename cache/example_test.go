package cache_test

import (
	"context"
	"fmt"
	"time"

	"github.com/perspective-cloud/sdk/cache"
)

// Flavors cached per region: the second Get is a hit, an invalidation
// forces a new load.
func ExampleNew() {
	loads := 0
	flavors := cache.New(func(_ context.Context, region string) ([]string, error) {
		loads++
		return []string{region + "/m1.small", region + "/m1.large"}, nil
	}, cache.WithTTL(5*time.Minute))
	defer flavors.Close()

	ctx := context.Background()
	list, _ := flavors.Get(ctx, "RegionOne")
	fmt.Println(list)
	_, _ = flavors.Get(ctx, "RegionOne")
	flavors.Invalidate("RegionOne")
	_, _ = flavors.Get(ctx, "RegionOne")

	st := flavors.Stats()
	fmt.Printf("loads=%d hits=%d misses=%d\n", loads, st.Hits, st.Misses)
	// Output:
	// [RegionOne/m1.small RegionOne/m1.large]
	// loads=2 hits=1 misses=2
}

// Stale-while-revalidate: past its TTL the old value is served at once while
// one background refresh runs; Close waits for that refresh.
func ExampleWithStaleWhileRevalidate() {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	version := 0
	refreshed := make(chan struct{})
	images := cache.New(func(context.Context, string) (int, error) {
		version++
		if version == 2 {
			defer close(refreshed)
		}
		return version, nil
	},
		cache.WithTTL(30*time.Second),
		cache.WithStaleWhileRevalidate(time.Minute),
		cache.WithClock(func() time.Time { return now }))
	defer images.Close()

	ctx := context.Background()
	v, _ := images.Get(ctx, "images")
	fmt.Println("first:", v)
	now = now.Add(45 * time.Second) // stale, inside the window
	v, _ = images.Get(ctx, "images")
	fmt.Println("stale:", v)
	<-refreshed
	for v == 1 { // the refresh stores its value just after the loader returns
		v, _ = images.Get(ctx, "images")
	}
	fmt.Println("refreshed:", v)
	// Output:
	// first: 1
	// stale: 1
	// refreshed: 2
}
