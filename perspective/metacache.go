package perspective

import (
	"context"
	"github.com/perspective-cloud/sdk/driver"
	"time"

	"github.com/perspective-cloud/sdk/cache"
)

// Default metadata cache TTLs: flavors and networks rarely change; images
// and keypairs change more often and are cached briefly. A value may also be
// served for one more TTL while a single background refresh runs
// (stale-while-revalidate), and the Cloud's own changes invalidate at once.
const (
	DefaultFlavorTTL  = 5 * time.Minute
	DefaultNetworkTTL = 5 * time.Minute
	DefaultImageTTL   = 30 * time.Second
	DefaultKeypairTTL = 30 * time.Second
)

// WithCacheTTL sets how long the Cloud keeps its list of flavors, networks,
// images or keypairs (kind KindFlavor, KindNetwork, KindImage, KindKeypair)
// before reading it again. A non-positive ttl turns that cache off: every
// read goes to the cloud. Instance state is never cached.
func WithCacheTTL(kind Kind, ttl time.Duration) Option {
	return func(o *options) {
		if o.cacheTTL == nil {
			o.cacheTTL = map[Kind]time.Duration{}
		}
		o.cacheTTL[kind] = ttl
	}
}

// whole is the only key of a metadata cache: each caches one whole list.
type whole struct{}

// metaCache holds the Cloud's metadata caches; a nil field is a cache
// turned off.
type metaCache struct {
	flavors  *cache.Cache[whole, []Flavor]
	networks *cache.Cache[whole, []Network]
	images   *cache.Cache[whole, []Image]
	keypairs *cache.Cache[whole, []Keypair]
}

func ttlFor(o options, kind Kind, def time.Duration) time.Duration {
	if ttl, ok := o.cacheTTL[kind]; ok {
		return ttl
	}
	return def
}

// newCache returns a cache of one list with ttl, or nil when ttl is off.
func newCache[V any](ttl time.Duration, load func(ctx context.Context) (V, error)) *cache.Cache[whole, V] {
	if ttl <= 0 {
		return nil
	}
	return cache.New(func(ctx context.Context, _ whole) (V, error) { return load(ctx) },
		cache.WithTTL(ttl), cache.WithStaleWhileRevalidate(ttl), cache.WithMaxEntries(1))
}

func (c *Cloud) initCache() {
	o := c.opts
	c.meta = metaCache{
		flavors:  newCache(ttlFor(o, KindFlavor, DefaultFlavorTTL), c.loadFlavors),
		networks: newCache(ttlFor(o, KindNetwork, DefaultNetworkTTL), c.loadNetworks),
		images:   newCache(ttlFor(o, KindImage, DefaultImageTTL), c.loadImages),
		keypairs: newCache(ttlFor(o, KindKeypair, DefaultKeypairTTL), c.loadKeypairs),
	}
}

// closeCache waits for the caches' background refreshes.
func (c *Cloud) closeCache() {
	closeIf(c.meta.flavors)
	closeIf(c.meta.networks)
	closeIf(c.meta.images)
	closeIf(c.meta.keypairs)
}

func closeIf[V any](ch *cache.Cache[whole, V]) {
	if ch != nil {
		_ = ch.Close()
	}
}

// cached reads a list through its cache (or straight from load when the
// cache is off) and returns a copy the caller may change.
func cached[T any](ctx context.Context, ch *cache.Cache[whole, []T], load func(context.Context) ([]T, error), clone func(T) T) ([]T, error) {
	if ch == nil {
		return load(ctx)
	}
	list, err := ch.Get(ctx, whole{})
	if err != nil {
		return nil, err
	}
	out := make([]T, len(list))
	for i := range list {
		out[i] = clone(list[i])
	}
	return out, nil
}

// InvalidateCache drops the Cloud's cached lists of the given kinds (all of
// them when none is given), for programs that change the cloud by other
// means than this Cloud.
func (c *Cloud) InvalidateCache(kinds ...Kind) {
	if len(kinds) == 0 {
		kinds = []Kind{KindFlavor, KindNetwork, KindImage, KindKeypair}
	}
	for _, k := range kinds {
		c.invalidate(k)
	}
}

// invalidate drops one kind's cached list and reports whether there was a
// cache to drop (so that a second, fresh look is worth making).
func (c *Cloud) invalidate(kind Kind) bool {
	switch kind {
	case KindFlavor:
		return invalidateIf(c.meta.flavors)
	case KindNetwork:
		return invalidateIf(c.meta.networks)
	case KindImage:
		return invalidateIf(c.meta.images)
	case KindKeypair:
		return invalidateIf(c.meta.keypairs)
	}
	return false
}

func invalidateIf[V any](ch *cache.Cache[whole, V]) bool {
	if ch == nil {
		return false
	}
	ch.InvalidateAll()
	return true
}

// CacheStats returns the counters of the Cloud's metadata caches that are
// on, by kind.
func (c *Cloud) CacheStats() map[Kind]cache.Stats {
	out := map[Kind]cache.Stats{}
	if c.meta.flavors != nil {
		out[KindFlavor] = c.meta.flavors.Stats()
	}
	if c.meta.networks != nil {
		out[KindNetwork] = c.meta.networks.Stats()
	}
	if c.meta.images != nil {
		out[KindImage] = c.meta.images.Stats()
	}
	if c.meta.keypairs != nil {
		out[KindKeypair] = c.meta.keypairs.Stats()
	}
	return out
}

// flavors, images, networks and keypairs read the cloud's metadata through
// the caches. They are the one place metadata is read.
func (c *Cloud) flavors(ctx context.Context) ([]Flavor, error) {
	return cached(ctx, c.meta.flavors, c.loadFlavors, Flavor.Clone)
}

func (c *Cloud) images(ctx context.Context) ([]Image, error) {
	return cached(ctx, c.meta.images, c.loadImages, Image.Clone)
}

func (c *Cloud) networks(ctx context.Context) ([]Network, error) {
	return cached(ctx, c.meta.networks, c.loadNetworks, Network.Clone)
}

func (c *Cloud) keypairs(ctx context.Context) ([]Keypair, error) {
	return cached(ctx, c.meta.keypairs, c.loadKeypairs, func(k Keypair) Keypair { return k })
}

func (c *Cloud) loadFlavors(ctx context.Context) ([]Flavor, error) {
	var fs []driver.Flavor
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		fs, err = c.drv.ListFlavors(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, OpList, KindFlavor, "")
	}
	return adoptAll(fs, c.adoptFlavor), nil
}

func (c *Cloud) loadImages(ctx context.Context) ([]Image, error) {
	var imgs []driver.Image
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		imgs, err = c.drv.ListImages(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, OpList, KindImage, "")
	}
	return adoptAll(imgs, c.adoptImage), nil
}

func (c *Cloud) loadNetworks(ctx context.Context) ([]Network, error) {
	var ns []driver.Network
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		ns, err = c.drv.ListNetworks(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, OpList, KindNetwork, "")
	}
	return adoptAll(ns, c.adoptNetwork), nil
}

func (c *Cloud) loadKeypairs(ctx context.Context) ([]Keypair, error) {
	var ks []driver.Keypair
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		ks, err = c.drv.ListKeypairs(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, OpList, KindKeypair, "")
	}
	return adoptAll(ks, c.adoptKeypair), nil
}

// findIn looks for an object in a cached list and, when it is not there,
// once more in a freshly read list: an object made by someone else since the
// list was cached is found, and "not found" is never an artefact of the
// cache.
func findIn[T any](ctx context.Context, c *Cloud, kind Kind, list func(context.Context) ([]T, error), match func([]T) (T, bool)) (T, bool, error) {
	for fresh := false; ; fresh = true {
		items, err := list(ctx)
		if err != nil {
			var zero T
			return zero, false, err
		}
		if v, ok := match(items); ok {
			return v, true, nil
		}
		if fresh || !c.invalidate(kind) {
			var zero T
			return zero, false, nil
		}
	}
}

// adoptAll turns what a driver listed into the user's model.
func adoptAll[D, U any](ds []D, adopt func(D) U) []U {
	out := make([]U, len(ds))
	for i := range ds {
		out[i] = adopt(ds[i])
	}
	return out
}
