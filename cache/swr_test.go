package cache_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/cache"
)

// gatedLoader answers "v1" at once, then blocks each later call until the
// test lets it through with the value or error it sends.
type gatedLoader struct {
	calls atomic.Int32
	gate  chan result
}

type result struct {
	v   string
	err error
}

func (l *gatedLoader) load(ctx context.Context, _ string) (string, error) {
	if l.calls.Add(1) == 1 {
		return "v1", nil
	}
	select {
	case r := <-l.gate:
		return r.v, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func newSWR(t *testing.T) (*cache.Cache[string, string], *gatedLoader, *fakeClock) {
	t.Helper()
	clk := &fakeClock{}
	l := &gatedLoader{gate: make(chan result)}
	c := cache.New(l.load, cache.WithTTL(time.Minute), cache.WithStaleWhileRevalidate(30*time.Second), cache.WithClock(clk.Now))
	t.Cleanup(func() { c.Close() })
	v, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	require.Equal(t, "v1", v)
	return c, l, clk
}

func TestStaleWhileRevalidateOneRefresh(t *testing.T) {
	c, l, clk := newSWR(t)
	clk.Advance(70 * time.Second) // stale, inside the window

	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			v, err := c.Get(context.Background(), "k")
			assert.NoError(t, err)
			assert.Equal(t, "v1", v, "stale value served at once")
		})
	}
	wg.Wait() // returned although the refresh is still blocked
	require.Eventually(t, func() bool { return l.calls.Load() == 2 }, time.Second, time.Millisecond)
	st := c.Stats()
	assert.Equal(t, uint64(2), st.Loads, "exactly one background refresh")
	assert.Equal(t, uint64(1), st.Refreshes)
	assert.Equal(t, uint64(200), st.StaleHits)

	l.gate <- result{v: "v2"}
	require.Eventually(t, func() bool {
		v, _ := c.Get(context.Background(), "k")
		return v == "v2"
	}, time.Second, time.Millisecond)
	assert.Equal(t, int32(2), l.calls.Load())

	clk.Advance(59 * time.Second) // the refreshed value is fresh again
	v, _ := c.Get(context.Background(), "k")
	assert.Equal(t, "v2", v)
	assert.Equal(t, uint64(1), c.Stats().Refreshes)
}

func TestStaleWhileRevalidateFailedRefreshKeepsStale(t *testing.T) {
	c, l, clk := newSWR(t)
	clk.Advance(70 * time.Second)
	v, _ := c.Get(context.Background(), "k")
	require.Equal(t, "v1", v)
	l.gate <- result{err: errors.New("glance unavailable")}

	// The failure is not cached: a later Get serves the stale value and
	// starts a second refresh.
	require.Eventually(t, func() bool {
		v, _ := c.Get(context.Background(), "k")
		return v == "v1" && c.Stats().Refreshes == 2
	}, time.Second, time.Millisecond)
	l.gate <- result{v: "v3"}
	require.Eventually(t, func() bool {
		v, _ := c.Get(context.Background(), "k")
		return v == "v3"
	}, time.Second, time.Millisecond)
}

func TestStaleBeyondWindowIsAMiss(t *testing.T) {
	c, l, clk := newSWR(t)
	clk.Advance(90 * time.Second) // past TTL + window
	done := make(chan string)
	go func() {
		v, _ := c.Get(context.Background(), "k")
		done <- v
	}()
	select {
	case v := <-done:
		t.Fatalf("Get returned %q without waiting for the load", v)
	case <-time.After(20 * time.Millisecond):
	}
	l.gate <- result{v: "v2"}
	assert.Equal(t, "v2", <-done)
	assert.Zero(t, c.Stats().Refreshes)
}

func TestCloseWaitsForRefresh(t *testing.T) {
	clk := &fakeClock{}
	var calls atomic.Int32
	var refreshEnded atomic.Bool
	c := cache.New(func(ctx context.Context, _ string) (string, error) {
		if calls.Add(1) == 1 {
			return "v1", nil
		}
		<-ctx.Done() // a refresh that only Close ends
		time.Sleep(5 * time.Millisecond)
		refreshEnded.Store(true)
		return "", ctx.Err()
	}, cache.WithTTL(time.Second), cache.WithStaleWhileRevalidate(time.Hour), cache.WithClock(clk.Now))
	_, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	clk.Advance(2 * time.Second)
	v, err := c.Get(context.Background(), "k")
	require.NoError(t, err)
	assert.Equal(t, "v1", v)
	require.Eventually(t, func() bool { return calls.Load() == 2 }, time.Second, time.Millisecond)

	require.NoError(t, c.Close())
	assert.True(t, refreshEnded.Load(), "Close returned only after the refresh goroutine")
	v, err = c.Get(context.Background(), "k")
	require.NoError(t, err, "the stale value is still served after Close")
	assert.Equal(t, "v1", v)
	assert.Equal(t, int32(2), calls.Load(), "no refresh starts after Close")
}

func TestInvalidateDuringRefresh(t *testing.T) {
	c, l, clk := newSWR(t)
	clk.Advance(70 * time.Second)
	v, _ := c.Get(context.Background(), "k")
	require.Equal(t, "v1", v)
	require.Eventually(t, func() bool { return l.calls.Load() == 2 }, time.Second, time.Millisecond)
	c.Invalidate("k")
	l.gate <- result{v: "from-refresh"}

	got := make(chan string)
	go func() {
		v, _ := c.Get(context.Background(), "k")
		got <- v
	}()
	l.gate <- result{v: "after-invalidate"}
	assert.Equal(t, "after-invalidate", <-got)
}
