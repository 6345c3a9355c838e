// Package cache is a generic in-memory TTL cache with a loader: concurrent
// misses of one key cause a single loader call, a stale value can be served
// while exactly one background refresh runs, and entries can be invalidated
// explicitly and bounded in number.
//
// perspective.Cloud keeps one cache per cloud for flavors, networks, images
// and keypairs, and invalidates the images or keypairs entries when it
// changes them itself. A hit costs a read lock and a map lookup: no
// allocation.
//
// A typical use:
//
//	flavors := cache.New(func(ctx context.Context, region string) ([]Flavor, error) {
//		return driver.ListFlavors(ctx, region)
//	}, cache.WithTTL(5*time.Minute), cache.WithStaleWhileRevalidate(time.Minute))
//	defer flavors.Close() // waits for a background refresh still running
//
//	list, err := flavors.Get(ctx, "RegionOne")
//	...
//	flavors.Invalidate("RegionOne") // after creating a flavor
//
// Every goroutine the cache starts (a load or a refresh) is owned by it:
// Close cancels their context and waits for them.
package cache
