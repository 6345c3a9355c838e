package perspective_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// flaky is a mock cloud whose Reboot can be slowed down and made to fail,
// per instance and per attempt.
type flaky struct {
	*mock.Driver
	delay          time.Duration
	fail           func(realID string, attempt int) error
	mu             sync.Mutex
	calls          map[string]int
	inFlight, peak atomic.Int32
}

func newFlaky(opts ...mock.Option) *flaky {
	return &flaky{Driver: mock.New(opts...), calls: map[string]int{}}
}

func (f *flaky) Reboot(ctx context.Context, id string, hard bool) error {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	f.mu.Lock()
	f.calls[id]++
	attempt := f.calls[id]
	f.mu.Unlock()
	if f.delay > 0 {
		t := time.NewTimer(f.delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return driver.Wrap(driver.CodeCanceled, ctx.Err(), "reboot")
		case <-t.C:
		}
	}
	if f.fail != nil {
		if err := f.fail(id, attempt); err != nil {
			return err
		}
	}
	return f.Driver.Reboot(ctx, id, hard)
}

func (f *flaky) attempts(realID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[realID]
}

// noLeaks checks, once the test and its cleanups (Cloud.Close among them)
// are done, that no goroutine it started is left.
func noLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}

func openCloud(t *testing.T, d driver.Driver, opts ...perspective.Option) *perspective.Cloud {
	t.Helper()
	c, err := perspective.NewCloud(d, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// launch starts n instances and returns their global and real ids.
func launch(t *testing.T, c *perspective.Cloud, n int) (ids, realIDs []string) {
	t.Helper()
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{
		Name: "vm", Count: n, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	for _, r := range rep.Results {
		ids = append(ids, r.ID)
		realIDs = append(realIDs, r.Instance.RealID)
	}
	require.Len(t, ids, n)
	return ids, realIDs
}

func TestBulkRetriesTransientAndRateLimited(t *testing.T) {
	d := newFlaky()
	c := openCloud(t, d, perspective.WithRetry(3, time.Millisecond))
	ids, reals := launch(t, c, 100)
	faulty := map[string]bool{}
	for i, r := range reals {
		if i%10 == 0 {
			faulty[r] = true
		}
	}
	const wait = 30 * time.Millisecond
	d.fail = func(id string, attempt int) error {
		switch {
		case id == reals[5] && attempt == 1:
			return perspective.RateLimited(wait, nil)
		case faulty[id] && attempt == 1:
			return perspective.Errorf(perspective.CodeTransient, "503 Service Unavailable")
		}
		return nil
	}

	rep, err := c.Instances().Reboot(context.Background(), ids...)
	require.NoError(t, err)
	require.Len(t, rep.Results, len(ids))
	for i, r := range rep.Results {
		assert.Equal(t, ids[i], r.ID, "input order")
		want := 1
		if faulty[reals[i]] || i == 5 {
			want = 2
		}
		assert.Equal(t, want, r.Attempts, "instance %d", i)
		assert.Equal(t, want, d.attempts(reals[i]))
	}
	assert.GreaterOrEqual(t, rep.Results[5].Duration, wait, "retry-after honoured")
}

func TestBulkNeverRetriesPermanentErrors(t *testing.T) {
	tests := []struct {
		name string
		code perspective.ErrorCode
	}{
		{"quota", perspective.CodeQuotaExceeded},
		{"not found", perspective.CodeNotFound},
		{"forbidden", perspective.CodeForbidden},
		{"unauthenticated", perspective.CodeUnauthenticated},
		{"invalid state", perspective.CodeInvalidState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newFlaky()
			c := openCloud(t, d, perspective.WithRetry(3, time.Millisecond))
			ids, reals := launch(t, c, 5)
			d.fail = func(string, int) error { return perspective.Errorf(tt.code, "refused") }
			rep, err := c.Instances().Reboot(context.Background(), ids...)
			require.Error(t, err)
			require.Len(t, rep.Results, len(ids))
			for i, r := range rep.Results {
				assert.Equal(t, tt.code, perspective.Code(r.Err))
				assert.Equal(t, 1, r.Attempts)
				assert.Equal(t, 1, d.attempts(reals[i]))
			}
		})
	}
}

func TestBulkConcurrencyAndProgress(t *testing.T) {
	d := newFlaky()
	d.delay = 2 * time.Millisecond
	c := openCloud(t, d, perspective.WithConcurrency(4))
	ids, _ := launch(t, c, 24)

	rep, err := c.Instances().Reboot(context.Background(), ids...)
	require.NoError(t, err)
	assert.Equal(t, 24, rep.Succeeded())
	assert.Equal(t, int32(4), d.peak.Load(), "the cloud's default concurrency")

	d.peak.Store(0)
	var last, total int
	rep, err = c.Instances().With(perspective.Concurrency(2), perspective.Progress(func(done, tot int) {
		last, total = done, tot
	})).Reboot(context.Background(), append(ids, ids[0])...)
	require.NoError(t, err)
	assert.Len(t, rep.Results, 25)
	assert.Equal(t, rep.Results[0], rep.Results[24], "a duplicate id is acted on once")
	assert.Equal(t, int32(2), d.peak.Load(), "the call's concurrency")
	assert.Equal(t, 24, total)
	assert.Equal(t, 24, last)
}

func TestBulkCancelMidway(t *testing.T) {
	noLeaks(t)
	d := newFlaky()
	d.delay = 5 * time.Millisecond
	c := openCloud(t, d, perspective.WithConcurrency(5))
	ids, _ := launch(t, c, 200)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started atomic.Int32
	d.fail = func(string, int) error {
		if started.Add(1) == 20 {
			cancel()
		}
		return nil
	}
	rep, err := c.Instances().Reboot(ctx, ids...)
	require.Error(t, err)
	require.Len(t, rep.Results, len(ids))
	var ok, canceled int
	for i, r := range rep.Results {
		assert.Equal(t, ids[i], r.ID)
		switch perspective.Code(r.Err) {
		case perspective.CodeOK:
			ok++
		case perspective.CodeCanceled:
			canceled++
		default:
			t.Errorf("%s: %v", r.ID, r.Err)
		}
	}
	assert.Equal(t, len(ids), ok+canceled)
	assert.Greater(t, canceled, 150, "scheduling stopped")
}

func TestDryRunCallsNoOperation(t *testing.T) {
	d := newFlaky()
	c := openCloud(t, d)
	ids, _ := launch(t, c, 3)
	_, err := c.Instances().Shutdown(context.Background(), ids[1])
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		in, err := c.Instances().Get(context.Background(), ids[1])
		return err == nil && in.State == perspective.StateShutoff
	}, 5*time.Second, 5*time.Millisecond)

	rep, err := c.Instances().DryRun(context.Background(), perspective.OpReboot, ids...)
	require.Error(t, err)
	require.Len(t, rep.Results, 3)
	assert.NoError(t, rep.Results[0].Err)
	assert.Equal(t, perspective.CodeInvalidState, perspective.Code(rep.Results[1].Err))
	assert.NoError(t, rep.Results[2].Err)
	assert.Zero(t, d.Calls("Reboot"), "a dry run sends nothing to the cloud")
}

func TestSetGroupsIdsPerCloud(t *testing.T) {
	da := newFlaky(mock.WithCloudID("east"))
	db := newFlaky(mock.WithCloudID("west"))
	a := openCloud(t, da)
	b := openCloud(t, db)
	set, err := perspective.NewSet(a, b)
	require.NoError(t, err)
	idsA, _ := launch(t, a, 3)
	idsB, _ := launch(t, b, 3)
	mixed := []string{idsB[0], idsA[0], idsA[1], idsB[1], idsB[2], idsA[2]}

	rep, err := set.Instances().Reboot(context.Background(), mixed...)
	require.NoError(t, err)
	assert.Equal(t, mixed, rep.IDs())
	assert.Equal(t, 3, da.Calls("Reboot"))
	assert.Equal(t, 3, db.Calls("Reboot"))
}

func TestMetadataIsCachedInstancesAreNot(t *testing.T) {
	d := mock.New()
	c := openCloud(t, d)
	ctx := context.Background()
	for range 3 {
		_, err := c.Flavors().List(ctx)
		require.NoError(t, err)
		_, err = c.Networks().List(ctx)
		require.NoError(t, err)
		_, err = c.Images().List(ctx)
		require.NoError(t, err)
		_, err = c.Keypairs().List(ctx)
		require.NoError(t, err)
		_, err = c.Instances().List(ctx, perspective.ListOptions{})
		require.NoError(t, err)
	}
	for _, m := range []string{"ListFlavors", "ListNetworks", "ListImages", "ListKeypairs"} {
		assert.Equal(t, 1, d.Calls(m), m)
	}
	assert.Equal(t, 1, d.Calls("ListInstances"), "instances come from the inventory: one listing, the first sync")
	st := c.CacheStats()
	assert.Equal(t, uint64(1), st[perspective.KindFlavor].Misses)
	assert.GreaterOrEqual(t, st[perspective.KindFlavor].Hits, uint64(2))

	// A caller changing what it got does not change the cache.
	fs, err := c.Flavors().List(ctx)
	require.NoError(t, err)
	name := fs[0].Name
	fs[0].Name = "changed"
	fs2, err := c.Flavors().List(ctx)
	require.NoError(t, err)
	assert.Equal(t, name, fs2[0].Name)
}

func TestCacheTTLOff(t *testing.T) {
	d := mock.New()
	c := openCloud(t, d, perspective.WithCacheTTL(perspective.KindFlavor, 0))
	for range 3 {
		_, err := c.Flavors().List(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, 3, d.Calls("ListFlavors"))
	assert.NotContains(t, c.CacheStats(), perspective.KindFlavor)
}

// This library's own writes of images and keypairs are seen by the next
// read at once, in the listings and in the query tables, without listing
// the kind again (the inventory applies them to the list it holds).
func TestOwnMetadataWritesAreReadAtOnce(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		list   string // the driver's listing of the kind
		table  string
		mutate func(t *testing.T, c *perspective.Cloud) (name string, present bool)
	}{
		{"image create", "ListImages", "images", func(t *testing.T, c *perspective.Cloud) (string, bool) {
			_, err := c.Images().Create(ctx, perspective.ImageSpec{Name: "new-image"})
			require.NoError(t, err)
			return "new-image", true
		}},
		{"image update", "ListImages", "images", func(t *testing.T, c *perspective.Cloud) (string, bool) {
			name := "renamed-image"
			_, err := c.Images().Update(ctx, "debian-12", perspective.ImageUpdate{Name: &name})
			require.NoError(t, err)
			return name, true
		}},
		{"image delete", "ListImages", "images", func(t *testing.T, c *perspective.Cloud) (string, bool) {
			_, err := c.Images().Delete(ctx, "ubuntu-24.04")
			require.NoError(t, err)
			return "ubuntu-24.04", false
		}},
		{"snapshot", "ListImages", "images", func(t *testing.T, c *perspective.Cloud) (string, bool) {
			ids, _ := launch(t, c, 1)
			_, err := c.Instances().Snapshot(ctx, "snap", ids...)
			require.NoError(t, err)
			return "snap", true
		}},
		{"keypair create", "ListKeypairs", "keypairs", func(t *testing.T, c *perspective.Cloud) (string, bool) {
			k, err := c.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "k1"})
			require.NoError(t, err)
			assert.NotEmpty(t, k.PrivateKey, "the reply to a create that generated the key has it")
			ks, err := c.Keypairs().List(ctx)
			require.NoError(t, err)
			for _, k := range ks {
				assert.Empty(t, k.PrivateKey, "a listing never shows a private key")
			}
			return "k1", true
		}},
		{"keypair delete", "ListKeypairs", "keypairs", func(t *testing.T, c *perspective.Cloud) (string, bool) {
			_, err := c.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "k2"})
			require.NoError(t, err)
			_, err = c.Keypairs().Delete(ctx, "k2")
			require.NoError(t, err)
			return "k2", false
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mock.New()
			c := openCloud(t, d, perspective.WithSync(time.Hour, time.Hour))
			names := func() (listed, queried []string) {
				t.Helper()
				if tt.list == "ListImages" {
					imgs, err := c.Images().List(ctx)
					require.NoError(t, err)
					for _, i := range imgs {
						listed = append(listed, i.Name)
					}
				} else {
					ks, err := c.Keypairs().List(ctx)
					require.NoError(t, err)
					for _, k := range ks {
						listed = append(listed, k.Name)
					}
				}
				res, err := c.Query(ctx, "SELECT name FROM "+tt.table)
				require.NoError(t, err)
				return listed, column(res, 0)
			}
			names() // the first read lists the kind
			name, present := tt.mutate(t, c)
			calls := d.Calls(tt.list)
			listed, queried := names()
			assert.Equal(t, calls, d.Calls(tt.list), "the write is seen without listing the kind again")
			if present {
				assert.Contains(t, listed, name)
				assert.Contains(t, queried, name)
			} else {
				assert.NotContains(t, listed, name)
				assert.NotContains(t, queried, name)
			}
		})
	}
}

func TestLookupRefreshesOnMiss(t *testing.T) {
	d := mock.New()
	c := openCloud(t, d)
	ctx := context.Background()
	_, err := c.Images().List(ctx)
	require.NoError(t, err)
	// Made behind the Cloud's back: not in the cached list.
	_, err = d.CreateImage(ctx, perspective.ImageSpec{Name: "from-elsewhere"})
	require.NoError(t, err)

	img, err := c.Images().Get(ctx, "from-elsewhere")
	require.NoError(t, err)
	assert.Equal(t, "from-elsewhere", img.Name)
	_, err = c.Images().Get(ctx, "nowhere")
	assert.Equal(t, perspective.CodeNotFound, perspective.Code(err))
}

func TestInvalidateCache(t *testing.T) {
	d := mock.New()
	c := openCloud(t, d)
	ctx := context.Background()
	_, err := c.Flavors().List(ctx)
	require.NoError(t, err)
	c.InvalidateCache(perspective.KindFlavor)
	_, err = c.Flavors().List(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, d.Calls("ListFlavors"))
	c.InvalidateCache()
	_, err = c.Flavors().List(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, d.Calls("ListFlavors"))
}
