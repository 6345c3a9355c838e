package bulk_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-multierror"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/perspective-cloud/sdk/bulk"
)

// counter counts operation calls per key.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
}

func newCounter() *counter { return &counter{calls: map[string]int{}} }

func (c *counter) inc(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[key]++
	return c.calls[key]
}

func (c *counter) get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[key]
}

func TestRunOrderAndDuplicates(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		fail map[string]bool
	}{
		{name: "empty", keys: nil},
		{name: "one", keys: []string{"a"}},
		{name: "distinct", keys: []string{"c", "a", "b"}},
		{name: "duplicates", keys: []string{"a", "b", "a", "c", "b", "a"}, fail: map[string]bool{"b": true}},
		{name: "all same", keys: []string{"x", "x", "x"}, fail: map[string]bool{"x": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCounter()
			rs := bulk.Run(context.Background(), tt.keys, func(_ context.Context, k string) error {
				c.inc(k)
				if tt.fail[k] {
					return errPermanent
				}
				return nil
			}, bulk.WithConcurrency(2))

			require.Len(t, rs, len(tt.keys))
			byKey := map[string]bulk.Result{}
			for i, r := range rs {
				assert.Equal(t, tt.keys[i], r.Key, "position %d", i)
				assert.Equal(t, 1, c.get(r.Key), "key %s acted on once", r.Key)
				assert.Equal(t, 1, r.Attempts)
				if tt.fail[r.Key] {
					assert.ErrorIs(t, r.Err, errPermanent)
				} else {
					assert.NoError(t, r.Err)
				}
				if prev, ok := byKey[r.Key]; ok {
					assert.Equal(t, prev, r, "duplicate positions share one result")
				}
				byKey[r.Key] = r
			}
		})
	}
}

func TestRunTransientFaultsAllSucceed(t *testing.T) {
	ids := keys(1000)
	c := newCounter()
	faulty := map[string]int{} // key -> how many first attempts fail
	for i, k := range ids {
		if i%10 == 3 {
			faulty[k] = 1 + i%3 // 1 to 3 consecutive transient faults
		}
	}
	require.Len(t, faulty, 100)

	rs := bulk.Run(context.Background(), ids, func(_ context.Context, k string) error {
		if n := c.inc(k); n <= faulty[k] {
			return &transientError{key: k}
		}
		return nil
	}, bulk.WithConcurrency(50), bulk.WithRetry(3, time.Millisecond), bulk.WithRetryable(isTransient))

	require.Len(t, rs, len(ids))
	require.NoError(t, rs.Err())
	assert.Equal(t, len(ids), rs.Succeeded())
	for i, r := range rs {
		assert.Equal(t, ids[i], r.Key)
		assert.Equal(t, faulty[r.Key]+1, r.Attempts, "key %s", r.Key)
		assert.Equal(t, r.Attempts, c.get(r.Key), "one call per attempt for %s", r.Key)
	}
}

func TestRunPermanentFaultsAllReported(t *testing.T) {
	ids := keys(1000)
	c := newCounter()
	rs := bulk.Run(context.Background(), ids, func(_ context.Context, k string) error {
		c.inc(k)
		return errPermanent
	}, bulk.WithConcurrency(50), bulk.WithRetry(3, time.Millisecond), bulk.WithRetryable(isTransient))

	require.Len(t, rs, len(ids))
	assert.Len(t, rs.Failed(), len(ids))
	assert.Zero(t, rs.Succeeded())
	for i, r := range rs {
		assert.Equal(t, ids[i], r.Key)
		assert.ErrorIs(t, r.Err, errPermanent)
		assert.Equal(t, 1, r.Attempts, "permanent errors are not retried")
		assert.Equal(t, 1, c.get(r.Key))
	}

	err := rs.Err()
	require.Error(t, err)
	assert.ErrorIs(t, err, errPermanent)
	var merr *multierror.Error
	require.ErrorAs(t, err, &merr)
	require.Len(t, merr.Errors, len(ids))
	var item *bulk.ItemError
	require.ErrorAs(t, merr.Errors[7], &item)
	assert.Equal(t, ids[7], item.Key)
	assert.Equal(t, ids[7]+": permanent failure", item.Error())
}

func TestRunCancelMidway(t *testing.T) {
	defer goleak.VerifyNone(t)

	ids := keys(1000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var started atomic.Int32
	rs := bulk.Run(ctx, ids, func(ctx context.Context, k string) error {
		if started.Add(1) == 200 {
			cancel()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
			return nil
		}
	}, bulk.WithConcurrency(20))

	require.Len(t, rs, len(ids))
	var done, canceled, notStarted int
	for i, r := range rs {
		require.Equal(t, ids[i], r.Key)
		switch {
		case r.OK():
			done++
		case r.Canceled():
			canceled++
			assert.ErrorIs(t, r.Err, context.Canceled)
			if r.Attempts == 0 {
				notStarted++
			}
		default:
			t.Errorf("key %s: unexpected error %v", r.Key, r.Err)
		}
	}
	assert.Equal(t, len(ids), done+canceled)
	assert.Greater(t, done, 0)
	assert.Greater(t, notStarted, 700, "scheduling stops at cancel")
	assert.LessOrEqual(t, int(started.Load()), 200+20, "at most one more wave starts after cancel")
}

func TestRunDeadlineBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	rs := bulk.Run(ctx, keys(5), func(context.Context, string) error {
		called = true
		return nil
	})
	require.Len(t, rs, 5)
	assert.False(t, called)
	for _, r := range rs {
		assert.ErrorIs(t, r.Err, context.Canceled)
		assert.Zero(t, r.Attempts)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	const wait = 80 * time.Millisecond
	var mu sync.Mutex
	var times []time.Time
	rs := bulk.Run(context.Background(), []string{"a"}, func(context.Context, string) error {
		mu.Lock()
		defer mu.Unlock()
		times = append(times, time.Now())
		if len(times) == 1 {
			return &rateLimitedError{after: wait}
		}
		return nil
	}, bulk.WithRetry(2, time.Millisecond), bulk.WithRetryAfter(retryAfter), bulk.WithRetryable(isTransient))

	require.NoError(t, rs.Err())
	require.Len(t, times, 2)
	assert.Equal(t, 2, rs[0].Attempts)
	assert.GreaterOrEqual(t, times[1].Sub(times[0]), wait)
	assert.GreaterOrEqual(t, rs[0].Duration, wait)
}

func TestRetryRules(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		opts     []bulk.Option
		attempts int
	}{
		{name: "permanent not retried", err: errPermanent, opts: []bulk.Option{bulk.WithRetryable(isTransient)}, attempts: 1},
		{name: "transient retried to the limit", err: &transientError{key: "a"}, opts: []bulk.Option{bulk.WithRetryable(isTransient)}, attempts: 4},
		{name: "default classification uses Temporary", err: &transientError{key: "a"}, attempts: 4},
		{name: "default classification rejects plain errors", err: errPermanent, attempts: 1},
		{name: "retry-after retried", err: &rateLimitedError{after: time.Millisecond}, opts: []bulk.Option{bulk.WithRetryAfter(retryAfter), bulk.WithRetryable(func(error) bool { return false })}, attempts: 4},
		{name: "context error from op not retried", err: context.DeadlineExceeded, opts: []bulk.Option{bulk.WithRetryable(func(error) bool { return true })}, attempts: 1},
		{name: "retries disabled", err: &transientError{key: "a"}, opts: []bulk.Option{bulk.WithRetry(0, time.Millisecond)}, attempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			opts := append([]bulk.Option{bulk.WithRetry(3, time.Millisecond), bulk.WithMaxBackoff(2 * time.Millisecond)}, tt.opts...)
			rs := bulk.Run(context.Background(), []string{"a"}, func(context.Context, string) error {
				calls++
				return tt.err
			}, opts...)
			require.Len(t, rs, 1)
			assert.ErrorIs(t, rs[0].Err, tt.err)
			assert.Equal(t, tt.attempts, rs[0].Attempts)
			assert.Equal(t, tt.attempts, calls)
		})
	}
}

func TestCancelDuringBackoffKeepsLastError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	rs := bulk.Run(ctx, []string{"a"}, func(context.Context, string) error {
		return &transientError{key: "a"}
	}, bulk.WithRetry(5, time.Second))
	require.Len(t, rs, 1)
	assert.Equal(t, 1, rs[0].Attempts)
	assert.ErrorIs(t, rs[0].Err, context.DeadlineExceeded)
	var te *transientError
	assert.ErrorAs(t, rs[0].Err, &te)
	assert.True(t, rs[0].Canceled())
}

func TestConcurrencyBound(t *testing.T) {
	for _, limit := range []int{1, 4, 16} {
		var inFlight, peak atomic.Int32
		rs := bulk.Run(context.Background(), keys(64), func(context.Context, string) error {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			inFlight.Add(-1)
			return nil
		}, bulk.WithConcurrency(limit))
		require.NoError(t, rs.Err())
		assert.Equal(t, int32(limit), peak.Load(), "limit %d reached, never exceeded", limit)
	}
}

func TestExecutorDefaultsAndOverrides(t *testing.T) {
	ex := bulk.New(bulk.WithConcurrency(3))
	assert.Equal(t, 3, ex.Concurrency())
	assert.Equal(t, bulk.DefaultConcurrency, bulk.New().Concurrency())
	assert.Equal(t, 1, bulk.New(bulk.WithConcurrency(-5)).Concurrency())

	var inFlight, peak atomic.Int32
	rs := ex.Run(context.Background(), keys(20), func(context.Context, string) error {
		n := inFlight.Add(1)
		if n > peak.Load() {
			peak.Store(n)
		}
		time.Sleep(time.Millisecond)
		inFlight.Add(-1)
		return nil
	}, bulk.WithConcurrency(1))
	require.NoError(t, rs.Err())
	assert.Equal(t, int32(1), peak.Load(), "per-call option overrides the executor's")
}

func TestRateLimit(t *testing.T) {
	const n, rps = 11, 200.0 // 10 intervals of 5 ms
	start := time.Now()
	rs := bulk.Run(context.Background(), keys(n), func(context.Context, string) error { return nil },
		bulk.WithConcurrency(n), bulk.WithRate(rps))
	require.NoError(t, rs.Err())
	assert.GreaterOrEqual(t, time.Since(start), 45*time.Millisecond)
}

func TestRateLimitSharedByExecutor(t *testing.T) {
	ex := bulk.New(bulk.WithRate(200), bulk.WithConcurrency(10))
	start := time.Now()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			rs := ex.Run(context.Background(), keys(6), func(context.Context, string) error { return nil })
			assert.NoError(t, rs.Err())
		})
	}
	wg.Wait()
	// 12 attempts share one limiter: 11 intervals of 5 ms.
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
}

// TestRateLimitSpacesEveryAttempt checks that the limit lets no burst
// through and counts retries: with every key started at once, the k-th
// attempt (first tries and retries alike) starts no sooner than k intervals
// after the call began.
func TestRateLimitSpacesEveryAttempt(t *testing.T) {
	const rps = 100.0 // one attempt every 10 ms
	const interval = time.Second / rps
	var mu sync.Mutex
	var starts []time.Time
	tries := newCounter()
	begin := time.Now()
	rs := bulk.Run(context.Background(), keys(4), func(_ context.Context, key string) error {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		if tries.inc(key) == 1 {
			return &transientError{key: key} // one retry per key
		}
		return nil
	}, bulk.WithConcurrency(4), bulk.WithRate(rps), bulk.WithRetry(1, time.Microsecond))
	require.NoError(t, rs.Err())
	require.Len(t, starts, 8, "4 first tries and 4 retries")
	slices.SortFunc(starts, time.Time.Compare)
	for k, at := range starts {
		// The limiter's first slot is no earlier than begin; a millisecond
		// of slack absorbs the limiter's float arithmetic.
		assert.GreaterOrEqual(t, at.Sub(begin), time.Duration(k)*interval-time.Millisecond,
			"attempt %d started %s after the call began", k, at.Sub(begin))
	}
}

// TestRateLimitTurnAfterDeadline checks that a key whose turn under the rate
// limit comes after the call's deadline is reported at once as canceled by
// the deadline and never started, without waiting for the deadline.
func TestRateLimitTurnAfterDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var ran atomic.Int32
	rs := bulk.Run(ctx, keys(3), func(context.Context, string) error {
		ran.Add(1)
		return nil
	}, bulk.WithConcurrency(1), bulk.WithRate(1.0/3600)) // one attempt an hour
	require.Len(t, rs, 3)
	assert.Equal(t, int32(1), ran.Load(), "only the first key fits before the deadline")
	assert.NoError(t, rs[0].Err)
	for _, r := range rs[1:] {
		assert.ErrorIs(t, r.Err, context.DeadlineExceeded, r.Key)
		assert.True(t, r.Canceled(), r.Key)
		assert.Zero(t, r.Attempts, r.Key)
		assert.Contains(t, r.Err.Error(), "rate limit", r.Key)
	}
	assert.NoError(t, ctx.Err(), "reported before the deadline, not at it")
}

func TestProgress(t *testing.T) {
	var seen []int
	total := -1
	in := append(keys(30), "id-0001", "id-0002")
	rs := bulk.Run(context.Background(), in, func(context.Context, string) error { return nil },
		bulk.WithConcurrency(8),
		bulk.WithProgress(func(done, tot int) {
			seen = append(seen, done) // calls are serialized: no lock needed
			total = tot
		}))
	require.Len(t, rs, 32)
	assert.Equal(t, 30, total, "total counts distinct keys")
	require.Len(t, seen, 30)
	for i, d := range seen {
		assert.Equal(t, i+1, d)
	}
}

func TestProgressCountsCanceledKeys(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	last := 0
	bulk.Run(ctx, keys(10), func(context.Context, string) error { return nil },
		bulk.WithProgress(func(done, _ int) { last = done }))
	assert.Equal(t, 10, last)
}

func TestDryRun(t *testing.T) {
	errState := errors.New("instance is shutoff")
	check := func(_ context.Context, k string) error {
		if k == "id-0002" {
			return errState
		}
		return nil
	}
	opCalled := atomic.Bool{}
	op := func(context.Context, string) error { opCalled.Store(true); return nil }

	tests := []struct {
		name string
		run  func() bulk.Results
	}{
		{name: "Plan", run: func() bulk.Results {
			return bulk.New().Plan(context.Background(), keys(4), check)
		}},
		{name: "WithDryRun", run: func() bulk.Results {
			return bulk.Run(context.Background(), keys(4), op, bulk.WithCheck(check), bulk.WithDryRun(true))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := tt.run()
			require.Len(t, rs, 4)
			assert.False(t, opCalled.Load())
			assert.Equal(t, 3, rs.Succeeded())
			assert.ErrorIs(t, rs[2].Err, errState)
		})
	}
}

func TestCheckGuardsOperation(t *testing.T) {
	errState := errors.New("locked")
	c := newCounter()
	rs := bulk.Run(context.Background(), keys(3), func(_ context.Context, k string) error {
		c.inc(k)
		return nil
	}, bulk.WithCheck(func(_ context.Context, k string) error {
		if k == "id-0001" {
			return errState
		}
		return nil
	}))
	require.Len(t, rs, 3)
	assert.ErrorIs(t, rs[1].Err, errState)
	assert.Equal(t, 0, c.get("id-0001"))
	assert.Equal(t, 1, c.get("id-0000"))
	assert.Equal(t, 1, c.get("id-0002"))
}

func TestNilOp(t *testing.T) {
	rs := bulk.Run(context.Background(), keys(2), nil)
	require.Len(t, rs, 2)
	for _, r := range rs {
		assert.ErrorIs(t, r.Err, bulk.ErrNilOp)
	}
}

func TestResultsErrNilWhenAllOK(t *testing.T) {
	rs := bulk.Results{{Key: "a", Attempts: 1}, {Key: "b", Attempts: 1}}
	assert.Nil(t, rs.Err())
	assert.Empty(t, rs.Failed())
	assert.Nil(t, bulk.Results(nil).Err())
}

func TestWithResultTellsEachKeyOnceWithItsFinalResult(t *testing.T) {
	keys := []string{"a", "b", "a", "c", "d"}
	fails := map[string]int{"b": 2} // b fails twice, then succeeds
	var mu sync.Mutex
	attempts := map[string]int{}
	seen := map[string]bulk.Result{}
	var order []string
	rs := bulk.New(bulk.WithConcurrency(2), bulk.WithRetry(3, time.Millisecond),
		bulk.WithRetryable(func(error) bool { return true })).
		Run(context.Background(), keys, func(_ context.Context, k string) error {
			mu.Lock()
			defer mu.Unlock()
			attempts[k]++
			if k == "d" {
				return errors.New("permanent")
			}
			if attempts[k] <= fails[k] {
				return errors.New("transient")
			}
			return nil
		}, bulk.WithResult(func(r bulk.Result) {
			_, dup := seen[r.Key]
			assert.False(t, dup, "each distinct key is told once: %s", r.Key)
			seen[r.Key] = r
			order = append(order, r.Key)
		}))
	require.Len(t, seen, 4)
	assert.ElementsMatch(t, []string{"a", "b", "c", "d"}, order)
	for _, r := range rs {
		assert.Equal(t, r, seen[r.Key], "the callback saw the final result of %s", r.Key)
	}
	assert.Equal(t, 3, seen["b"].Attempts)
	assert.Error(t, seen["d"].Err)
}
