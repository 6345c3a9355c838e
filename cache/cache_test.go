package cache_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/cache"
)

// countingLoader returns "<key>#<n>" where n counts its calls for that key.
type countingLoader struct {
	mu    sync.Mutex
	calls map[string]int
	total atomic.Int32
}

func newCountingLoader() *countingLoader { return &countingLoader{calls: map[string]int{}} }

func (l *countingLoader) load(_ context.Context, key string) (string, error) {
	l.total.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls[key]++
	return fmt.Sprintf("%s#%d", key, l.calls[key]), nil
}

func TestConcurrentMissesLoadOnce(t *testing.T) {
	const n = 1000
	release := make(chan struct{})
	var calls atomic.Int32
	c := cache.New(func(ctx context.Context, key string) (int, error) {
		calls.Add(1)
		<-release
		return 42, nil
	})
	defer c.Close()

	var wg sync.WaitGroup
	vals := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { vals[i], errs[i] = c.Get(context.Background(), "flavors") })
	}
	// Every goroutine has counted its miss before joining the flight, which
	// cannot finish before release: all n share it.
	require.Eventually(t, func() bool { return c.Stats().Misses == n }, 5*time.Second, time.Millisecond)
	close(release)
	wg.Wait()

	assert.Equal(t, int32(1), calls.Load(), "exactly one loader call")
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, 42, vals[i])
	}
	st := c.Stats()
	assert.Equal(t, uint64(1), st.Loads)
	assert.Equal(t, 1, st.Entries)

	v, err := c.Get(context.Background(), "flavors")
	require.NoError(t, err)
	assert.Equal(t, 42, v)
	assert.Equal(t, uint64(1), c.Stats().Hits)
}

func TestTTL(t *testing.T) {
	tests := []struct {
		name    string
		ttl     time.Duration
		advance time.Duration
		want    string
	}{
		{name: "fresh", ttl: time.Minute, advance: 59 * time.Second, want: "k#1"},
		{name: "expired", ttl: time.Minute, advance: time.Minute, want: "k#2"},
		{name: "no ttl never expires", ttl: 0, advance: 1000 * time.Hour, want: "k#1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &fakeClock{}
			l := newCountingLoader()
			c := cache.New(l.load, cache.WithTTL(tt.ttl), cache.WithClock(clk.Now))
			defer c.Close()
			v, err := c.Get(context.Background(), "k")
			require.NoError(t, err)
			require.Equal(t, "k#1", v)
			clk.Advance(tt.advance)
			v, err = c.Get(context.Background(), "k")
			require.NoError(t, err)
			assert.Equal(t, tt.want, v)
		})
	}
}

func TestDefaultTTL(t *testing.T) {
	clk := &fakeClock{}
	l := newCountingLoader()
	c := cache.New(l.load, cache.WithClock(clk.Now))
	defer c.Close()
	_, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	clk.Advance(cache.DefaultTTL - time.Second)
	v, _ := c.Get(context.Background(), "k")
	assert.Equal(t, "k#1", v)
	clk.Advance(time.Second)
	v, _ = c.Get(context.Background(), "k")
	assert.Equal(t, "k#2", v)
}

func TestLoaderErrorNotCached(t *testing.T) {
	errDown := errors.New("service unavailable")
	var calls atomic.Int32
	c := cache.New(func(context.Context, string) (string, error) {
		if calls.Add(1) == 1 {
			return "", errDown
		}
		return "ok", nil
	})
	defer c.Close()
	_, err := c.Get(context.Background(), "k")
	require.ErrorIs(t, err, errDown)
	assert.Zero(t, c.Len())
	v, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	assert.Equal(t, "ok", v)
	assert.Equal(t, int32(2), calls.Load())
}

func TestInvalidate(t *testing.T) {
	l := newCountingLoader()
	c := cache.New(l.load)
	defer c.Close()
	ctx := context.Background()
	for _, k := range []string{"a", "b"} {
		_, err := c.Get(ctx, k)
		require.NoError(t, err)
	}
	c.Invalidate("a")
	c.Invalidate("missing")
	va, _ := c.Get(ctx, "a")
	vb, _ := c.Get(ctx, "b")
	assert.Equal(t, "a#2", va)
	assert.Equal(t, "b#1", vb)

	c.InvalidateAll()
	assert.Zero(t, c.Len())
	va, _ = c.Get(ctx, "a")
	vb, _ = c.Get(ctx, "b")
	assert.Equal(t, "a#3", va)
	assert.Equal(t, "b#2", vb)
}

func TestInvalidateDuringLoadDiscardsValue(t *testing.T) {
	for _, all := range []bool{false, true} {
		t.Run(fmt.Sprintf("all=%v", all), func(t *testing.T) {
			release := make(chan struct{})
			var calls atomic.Int32
			c := cache.New(func(context.Context, string) (int, error) {
				n := calls.Add(1)
				if n == 1 {
					<-release
				}
				return int(n), nil
			})
			defer c.Close()
			got := make(chan int)
			go func() {
				v, _ := c.Get(context.Background(), "k")
				got <- v
			}()
			require.Eventually(t, func() bool { return calls.Load() == 1 }, time.Second, time.Millisecond)
			if all {
				c.InvalidateAll()
			} else {
				c.Invalidate("k")
			}
			close(release)
			assert.Equal(t, 1, <-got, "the waiter still gets the answer it asked for")
			v, err := c.Get(context.Background(), "k")
			require.NoError(t, err)
			assert.Equal(t, 2, v, "the value loaded before the invalidation was not stored")
		})
	}
}

func TestMaxEntriesEvictsLeastRecentlyLoaded(t *testing.T) {
	l := newCountingLoader()
	c := cache.New(l.load, cache.WithMaxEntries(2))
	defer c.Close()
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		_, err := c.Get(ctx, k)
		require.NoError(t, err)
	}
	st := c.Stats()
	assert.Equal(t, 2, st.Entries)
	assert.Equal(t, uint64(1), st.Evictions)
	vb, _ := c.Get(ctx, "b")
	vc, _ := c.Get(ctx, "c")
	va, _ := c.Get(ctx, "a") // evicts b
	assert.Equal(t, "b#1", vb)
	assert.Equal(t, "c#1", vc)
	assert.Equal(t, "a#2", va)
	vb, _ = c.Get(ctx, "b")
	assert.Equal(t, "b#2", vb)
}

func TestWaiterGivesUpLoadGoesOn(t *testing.T) {
	release := make(chan struct{})
	c := cache.New(func(ctx context.Context, _ string) (string, error) {
		select {
		case <-release:
			return "v", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
	defer c.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, "k")
	require.ErrorIs(t, err, context.DeadlineExceeded)

	close(release)
	require.Eventually(t, func() bool { return c.Len() == 1 }, time.Second, time.Millisecond)
	v, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	assert.Equal(t, "v", v)
	assert.Equal(t, uint64(1), c.Stats().Loads)
}

func TestLoaderSeesCallerValues(t *testing.T) {
	type ctxKey struct{}
	c := cache.New(func(ctx context.Context, _ string) (string, error) {
		s, _ := ctx.Value(ctxKey{}).(string)
		return s, nil
	})
	defer c.Close()
	v, err := c.Get(context.WithValue(context.Background(), ctxKey{}, "trace-7"), "k")
	require.NoError(t, err)
	assert.Equal(t, "trace-7", v)
}

func TestClose(t *testing.T) {
	l := newCountingLoader()
	c := cache.New(l.load)
	v, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "idempotent")

	got, err := c.Get(context.Background(), "k")
	require.NoError(t, err, "stored entries are still served")
	assert.Equal(t, v, got)
	_, err = c.Get(context.Background(), "other")
	assert.ErrorIs(t, err, cache.ErrClosed)
}

func TestCloseCancelsAndWaitsForLoads(t *testing.T) {
	started := make(chan struct{})
	var returned atomic.Bool
	c := cache.New(func(ctx context.Context, _ string) (string, error) {
		close(started)
		<-ctx.Done()
		time.Sleep(5 * time.Millisecond) // Close must wait for this
		returned.Store(true)
		return "", ctx.Err()
	})
	errc := make(chan error, 1)
	go func() {
		_, err := c.Get(context.Background(), "k")
		errc <- err
	}()
	<-started
	require.NoError(t, c.Close())
	assert.True(t, returned.Load(), "Close waited for the loader")
	assert.ErrorIs(t, <-errc, context.Canceled)
}

func TestBadConstruction(t *testing.T) {
	var nilLoader cache.Loader[string, int]
	c := cache.New(nilLoader, cache.WithTTL(-time.Second), cache.WithMaxEntries(-1), cache.WithClock(nil))
	defer c.Close()
	_, err := c.Get(context.Background(), "k")
	assert.ErrorIs(t, err, cache.ErrNoLoader)
}

func TestLoaderPanicBecomesError(t *testing.T) {
	c := cache.New(func(context.Context, string) (int, error) { panic("boom") })
	defer c.Close()
	_, err := c.Get(context.Background(), "k")
	require.ErrorIs(t, err, cache.ErrLoaderPanic)
	assert.Contains(t, err.Error(), "boom")
	assert.Contains(t, err.Error(), "key k")
}
