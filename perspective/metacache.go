package perspective

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/perspective-cloud/sdk/cache"
	"github.com/perspective-cloud/sdk/driver"
)

// Default refresh intervals of the metadata the inventory holds beside the
// instances: flavors, networks and projects (with their zones and quotas)
// rarely change; images and keypairs change more often. The inventory's
// sync loop lists a kind again once its interval has passed (so a change
// made elsewhere shows within the interval plus one sync interval), and
// this library's own changes show at once.
const (
	DefaultFlavorTTL  = 5 * time.Minute
	DefaultNetworkTTL = 5 * time.Minute
	DefaultImageTTL   = 30 * time.Second
	DefaultKeypairTTL = 30 * time.Second
	// DefaultProjectTTL is the interval of the projects, and of the
	// availability zones and project quotas, which the inventory reads
	// with them.
	DefaultProjectTTL = 5 * time.Minute
)

// WithCacheTTL sets how often the Cloud's inventory lists the flavors,
// networks, images, keypairs or projects (kind KindFlavor, KindNetwork,
// KindImage, KindKeypair, KindProject; the projects' interval also covers
// availability zones and quotas) again. Reads are served from memory in
// between, at no cost; the refresh runs on the inventory's sync loop (see
// WithSync), so an interval shorter than the sync interval means every
// sync. A non-positive ttl turns holding that kind off: every read goes to
// the cloud. Instances are kept by the inventory's syncs (WithSync).
func WithCacheTTL(kind Kind, ttl time.Duration) Option {
	return func(o *options) {
		if o.cacheTTL == nil {
			o.cacheTTL = map[Kind]time.Duration{}
		}
		o.cacheTTL[kind] = ttl
	}
}

// metaCache is the metadata a Cloud's inventory holds beside its
// instances: the objects the fifteen query tables show.
type metaCache struct {
	flavors  *held[Flavor]
	networks *held[Network]
	images   *held[Image]
	keypairs *held[Keypair]
	projects *held[Project]
	zones    *held[string]
	quotas   *held[projectQuota]
}

// projectQuota is the quota of one project, as the project_quota table
// shows it.
type projectQuota struct {
	ProjectID string
	Quota     Quota
}

func ttlFor(o options, kind Kind, def time.Duration) time.Duration {
	if ttl, ok := o.cacheTTL[kind]; ok {
		return ttl
	}
	return def
}

func (c *Cloud) initCache() {
	o := c.opts
	same := func(x string) string { return x }
	projectTTL := ttlFor(o, KindProject, DefaultProjectTTL)
	c.meta = metaCache{
		flavors: newHeld(c, KindFlavor, ttlFor(o, KindFlavor, DefaultFlavorTTL), c.loadFlavors,
			func(f *Flavor) string { return f.ID }, Flavor.Clone),
		networks: newHeld(c, KindNetwork, ttlFor(o, KindNetwork, DefaultNetworkTTL), c.loadNetworks,
			func(n *Network) string { return n.ID }, Network.Clone),
		images: newHeld(c, KindImage, ttlFor(o, KindImage, DefaultImageTTL), c.loadImages,
			func(i *Image) string { return i.RealID }, Image.Clone),
		keypairs: newHeld(c, KindKeypair, ttlFor(o, KindKeypair, DefaultKeypairTTL), c.loadKeypairs,
			func(k *Keypair) string { return k.Name }, func(k Keypair) Keypair { return k }),
		projects: newHeld(c, KindProject, projectTTL, c.loadProjects,
			func(p *Project) string { return p.ID }, Project.Clone),
		zones:  newHeld(c, KindProject, projectTTL, c.loadZones, nil, same),
		quotas: newHeld(c, KindProject, projectTTL, c.loadQuotas, nil, func(q projectQuota) projectQuota { return q }),
	}
}

// each calls fn with every held kind, as the inventory's loop refreshes them.
func (m *metaCache) each(fn func(refresher)) {
	for _, h := range []refresher{m.flavors, m.networks, m.images, m.keypairs, m.projects, m.zones, m.quotas} {
		fn(h)
	}
}

// InvalidateCache makes the Cloud's inventory list the given kinds of
// metadata again (all of them when none is given) at their next read, for
// programs that change the cloud by other means than this Cloud.
// KindProject covers the projects, availability zones and quotas.
func (c *Cloud) InvalidateCache(kinds ...Kind) {
	if len(kinds) == 0 {
		kinds = []Kind{KindFlavor, KindNetwork, KindImage, KindKeypair, KindProject}
	}
	for _, k := range kinds {
		c.invalidate(k)
	}
}

// invalidate makes one kind's list be read again at its next read, and
// reports whether the kind is held (so that a second, fresh look is worth
// making).
func (c *Cloud) invalidate(kind Kind) bool {
	switch kind {
	case KindFlavor:
		return c.meta.flavors.invalidate()
	case KindNetwork:
		return c.meta.networks.invalidate()
	case KindImage:
		return c.meta.images.invalidate()
	case KindKeypair:
		return c.meta.keypairs.invalidate()
	case KindProject:
		c.meta.zones.invalidate()
		c.meta.quotas.invalidate()
		return c.meta.projects.invalidate()
	}
	return false
}

// CacheStats returns the counters of the metadata the Cloud's inventory
// holds, by kind (the kinds held; KindProject counts the projects alone):
// Hits are reads served from memory (StaleHits those older than their
// interval, waiting for the sync loop), Misses reads that listed the kind
// (the first, one after InvalidateCache, a lookup that missed), Refreshes
// the sync loop's listings, Loads every listing; Entries is 1 while a
// list is held.
func (c *Cloud) CacheStats() map[Kind]cache.Stats {
	out := map[Kind]cache.Stats{}
	for kind, h := range map[Kind]interface{ counters() (cache.Stats, bool) }{KindFlavor: c.meta.flavors,
		KindNetwork: c.meta.networks, KindImage: c.meta.images, KindKeypair: c.meta.keypairs, KindProject: c.meta.projects} {
		if s, on := h.counters(); on {
			out[kind] = s
		}
	}
	return out
}

// flavors, images, networks, keypairs and projects return the cloud's
// metadata from its inventory, as copies the caller may change.
func (c *Cloud) flavors(ctx context.Context) ([]Flavor, error) { return c.meta.flavors.copies(ctx) }

func (c *Cloud) images(ctx context.Context) ([]Image, error) { return c.meta.images.copies(ctx) }

func (c *Cloud) networks(ctx context.Context) ([]Network, error) { return c.meta.networks.copies(ctx) }

func (c *Cloud) keypairs(ctx context.Context) ([]Keypair, error) { return c.meta.keypairs.copies(ctx) }

func (c *Cloud) projects(ctx context.Context) ([]Project, error) { return c.meta.projects.copies(ctx) }

func (c *Cloud) loadFlavors(ctx context.Context) ([]Flavor, error) {
	var fs []driver.Flavor
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		fs, err = c.drv.ListFlavors(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, OpList, KindFlavor, "")
	}
	out := adoptAll(fs, c.adoptFlavor)
	// The order Flavors.List gives and the flavors table shows.
	slices.SortStableFunc(out, func(a, b Flavor) int { return cmp.Or(cmp.Compare(a.RAM, b.RAM), cmp.Compare(a.Name, b.Name)) })
	return out, nil
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
	out := adoptAll(ks, c.adoptKeypair)
	for i := range out {
		out[i].PrivateKey = "" // a listing shows public parts only
	}
	return out, nil
}

// loadZones lists the cloud's availability zones; a driver without
// driver.ZoneLister has none.
func (c *Cloud) loadZones(ctx context.Context) ([]string, error) {
	zl, ok := c.drv.(driver.ZoneLister)
	if !ok {
		return nil, nil
	}
	var zones []string
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		zones, err = zl.AvailabilityZones(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, "zones", KindProject, c.info.ProjectID)
	}
	return zones, nil
}

// loadQuotas reads the quota of every project the cloud lists, one
// request each; a project whose quota the credentials cannot see is left
// out. A driver without driver.QuotaReporter has none.
func (c *Cloud) loadQuotas(ctx context.Context) ([]projectQuota, error) {
	qr, ok := c.drv.(driver.QuotaReporter)
	if !ok {
		return nil, nil
	}
	ps, err := c.meta.projects.view(ctx)
	if err != nil {
		return nil, err
	}
	var out []projectQuota
	seen := map[string]bool{}
	for _, p := range ps.items {
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		var q Quota
		err := c.retry(ctx, func(ctx context.Context) (err error) {
			q, err = qr.Quota(ctx, p.ID)
			return err
		})
		if err != nil {
			if err = classify(err, "quota", KindProject, p.ID); Code(err) == CodeUnsupported || Code(err) == CodeNotFound || Code(err) == CodeForbidden {
				continue // the credentials cannot see this project's quota
			}
			return nil, err
		}
		out = append(out, projectQuota{ProjectID: p.ID, Quota: q})
	}
	return out, nil
}

// findIn looks for an object in the list the inventory holds and, when it
// is not there, once more in a freshly read list: an object made by
// someone else since the list was read is found, and "not found" is never
// an artefact of holding the list. The object returned is a copy.
func findIn[T any](ctx context.Context, h *held[T], match func([]T) (int, bool)) (T, bool, error) {
	var zero T
	for fresh := false; ; fresh = true {
		var l *heldList[T]
		var err error
		if fresh {
			l, err = h.reload(ctx, false)
		} else {
			l, err = h.view(ctx)
		}
		if err != nil {
			return zero, false, err
		}
		if i, ok := match(l.items); ok {
			return h.clone(l.items[i]), true, nil
		}
		if fresh || h.every <= 0 {
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
