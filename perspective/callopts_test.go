package perspective_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// deleteGate is a mock cloud whose image and keypair deletes each take hold
// and count how many run at once, so that a test sees the concurrency a
// call really had.
type deleteGate struct {
	*mock.Driver
	hold           time.Duration
	inFlight, peak atomic.Int32
}

// occupy marks one more delete in flight for hold, or until ctx ends.
func (g *deleteGate) occupy(ctx context.Context) {
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	t := time.NewTimer(g.hold)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (g *deleteGate) DeleteImage(ctx context.Context, id string) error {
	g.occupy(ctx)
	return g.Driver.DeleteImage(ctx, id)
}

func (g *deleteGate) DeleteKeypair(ctx context.Context, name string) error {
	g.occupy(ctx)
	return g.Driver.DeleteKeypair(ctx, name)
}

// callLog records what a call's Progress and OnResult were told. It takes
// no lock: the race detector proves the calls are serialized.
type callLog struct {
	done, totals []int
	results      map[string][]perspective.Result
	order        []string
	when         map[string]time.Time // when OnResult was told of an id
}

func newCallLog() *callLog {
	return &callLog{results: map[string][]perspective.Result{}, when: map[string]time.Time{}}
}

func (l *callLog) options() []perspective.CallOption {
	return []perspective.CallOption{
		perspective.Progress(func(done, total int) {
			l.done = append(l.done, done)
			l.totals = append(l.totals, total)
		}),
		perspective.OnResult(func(r perspective.Result) {
			l.results[r.ID] = append(l.results[r.ID], r)
			l.order = append(l.order, r.ID)
			l.when[r.ID] = time.Now()
		}),
	}
}

// checkOnce asserts that Progress counted 1..total with a constant total
// and that OnResult saw each of ids exactly once, with the result the
// report carries for it; it stops the test when OnResult missed an id.
func (l *callLog) checkOnce(t *testing.T, rep *perspective.Report, ids []string) {
	t.Helper()
	want := make([]int, len(ids))
	for i := range want {
		want[i] = i + 1
	}
	assert.Equal(t, want, l.done, "progress counts each item once")
	assert.Equal(t, slices.Repeat([]int{len(ids)}, len(ids)), l.totals, "progress total")
	require.Len(t, l.results, len(ids), "OnResult saw %v", l.order)
	for _, id := range ids {
		got := l.results[id]
		require.Len(t, got, 1, "OnResult calls for %q", id)
		i := slices.Index(rep.IDs(), id)
		require.GreaterOrEqual(t, i, 0, "%q in the report", id)
		assert.Equal(t, rep.Results[i], got[0], "OnResult and the report agree on %q", id)
	}
}

func TestDeleteHonoursCallOptions(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const n, cloudLimit = 8, 5
	tests := []struct {
		name        string
		kind        perspective.Kind
		concurrency int  // 0: no Concurrency option, the cloud's limit holds
		narrow      bool // apply In after With: the options must survive
		wantPeak    int
	}{
		{"images at 2", perspective.KindImage, 2, false, 2},
		{"images at 1 after In", perspective.KindImage, 1, true, 1},
		{"images at the cloud's limit", perspective.KindImage, 0, false, cloudLimit},
		{"keypairs at 3", perspective.KindKeypair, 3, false, 3},
		{"keypairs at 2 after In", perspective.KindKeypair, 2, true, 2},
		{"keypairs at the cloud's limit", perspective.KindKeypair, 0, false, cloudLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			g := &deleteGate{Driver: mock.New(), hold: 10 * time.Millisecond}
			c := openCloud(t, g, perspective.WithConcurrency(cloudLimit))
			names := make([]string, n)
			for i := range names {
				names[i] = fmt.Sprintf("old-%d", i+1)
				var err error
				if tt.kind == perspective.KindImage {
					_, err = c.Images().Create(ctx, perspective.ImageSpec{Name: names[i]})
				} else {
					_, err = c.Keypairs().Create(ctx, perspective.KeypairSpec{Name: names[i]})
				}
				require.NoError(t, err)
			}
			log := newCallLog()
			opts := log.options()
			if tt.concurrency > 0 {
				opts = append(opts, perspective.Concurrency(tt.concurrency))
			}
			const missing = "no-such-object"
			ids := append(slices.Clone(names), missing, names[0], "")
			var rep *perspective.Report
			var err error
			var left int
			if tt.kind == perspective.KindImage {
				h := c.Images().With(opts...)
				if tt.narrow {
					h = h.In(perspective.Target{CloudID: "mock"})
				}
				rep, err = h.Delete(ctx, ids...)
				imgs, lerr := c.Images().List(ctx)
				require.NoError(t, lerr)
				for _, img := range imgs {
					if slices.Contains(names, img.Name) {
						left++
					}
				}
			} else {
				h := c.Keypairs().With(opts...)
				if tt.narrow {
					h = h.In(perspective.Target{CloudID: "mock"})
				}
				rep, err = h.Delete(ctx, ids...)
				kps, lerr := c.Keypairs().List(ctx)
				require.NoError(t, lerr)
				left = len(kps)
			}
			require.Error(t, err, "the missing and the empty item fail")
			require.Len(t, rep.Results, len(ids))
			assert.Zero(t, left, "every existing object is deleted")
			assert.Equal(t, int32(tt.wantPeak), g.peak.Load(), "deletes at once")

			log.checkOnce(t, rep, append(slices.Clone(names), missing))
			for _, name := range names {
				assert.NoError(t, log.results[name][0].Err, name)
				assert.Equal(t, 1, log.results[name][0].Attempts, name)
			}
			miss := log.results[missing][0].Err
			assert.ErrorIs(t, miss, perspective.ErrNotFound)
			assert.Contains(t, miss.Error(), missing)
			assert.Equal(t, rep.Results[0], rep.Results[n+1], "a repeated id is deleted once")
			assert.ErrorIs(t, rep.Results[n+2].Err, perspective.ErrInvalidArgument, "the empty id")
			assert.NotContains(t, log.results, "", "an empty id is refused, not counted")
		})
	}
}

func TestWithLeavesTheHandleAlone(t *testing.T) {
	ctx := context.Background()
	c, _ := newCloud(t)
	log := newCallLog()
	h := c.Keypairs().With(log.options()...)
	_, err := c.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "k"})
	require.NoError(t, err)
	// The handle With returned carries the options; the one it came from
	// does not.
	_, err = c.Keypairs().Delete(ctx, "k")
	require.NoError(t, err)
	assert.Empty(t, log.order)
	_, err = h.Delete(ctx, "k")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	assert.Equal(t, []string{"k"}, log.order)
}

func TestWaitForHonoursCallOptions(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const perCloud = 3
	tests := []struct {
		name    string
		delay   time.Duration // how long the launch transition takes
		timeout time.Duration // how long the caller waits
		states  []perspective.State
		fault   bool // the first instance goes into the error state
		// want is the code of instance i (in launch order, both clouds).
		want        func(i int) perspective.ErrorCode
		wantMissing perspective.ErrorCode
	}{
		{
			name: "launched after the transition", delay: 40 * time.Millisecond, timeout: 10 * time.Second,
			states:      []perspective.State{perspective.StateLaunched},
			want:        func(int) perspective.ErrorCode { return perspective.CodeOK },
			wantMissing: perspective.CodeNotFound,
		},
		{
			name: "error state, then the caller gives up", delay: time.Hour, timeout: 60 * time.Millisecond,
			states: []perspective.State{perspective.StateLaunched}, fault: true,
			want: func(i int) perspective.ErrorCode {
				if i == 0 {
					return perspective.CodeInvalidState
				}
				return perspective.CodeCanceled
			},
			wantMissing: perspective.CodeNotFound,
		},
		{
			name: "a never seen instance counts as deleted", delay: 20 * time.Millisecond, timeout: 10 * time.Second,
			states:      []perspective.State{perspective.StateLaunched, perspective.StateDeleted},
			want:        func(int) perspective.ErrorCode { return perspective.CodeOK },
			wantMissing: perspective.CodeOK,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Two clouds: their waits run at once and both tell the callbacks.
			var clouds []*perspective.Cloud
			var drivers []*mock.Driver
			var ids []string
			launched := time.Now()
			for _, id := range []string{"east", "west"} {
				d := mock.New(mock.WithCloudID(id), mock.WithDelay(tt.delay))
				c := openCloud(t, d, perspective.WithPolling(time.Millisecond, 5*time.Millisecond))
				clouds, drivers = append(clouds, c), append(drivers, d)
				ids = append(ids, launchN(t, c, id, perCloud)...)
			}
			set, err := perspective.NewSet(clouds...)
			require.NoError(t, err)
			if tt.fault {
				inst, err := set.Instances().Get(context.Background(), ids[0])
				require.NoError(t, err)
				require.NoError(t, drivers[0].Fail(inst.RealID, "No valid host was found."))
			}
			const missing = "no-such-instance"
			all := append(slices.Clone(ids), missing, ids[1])

			log := newCallLog()
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			rep, err := set.Instances().With(log.options()...).WaitFor(ctx, all, tt.states...)
			require.Len(t, rep.Results, len(all))
			wantErr := tt.wantMissing != perspective.CodeOK
			for i := range ids {
				wantErr = wantErr || tt.want(i) != perspective.CodeOK
			}
			assert.Equal(t, wantErr, err != nil, "error: %v", err)

			log.checkOnce(t, rep, append(slices.Clone(ids), missing))
			assert.Equal(t, missing, log.order[0], "an unknown instance is done before any poll")
			assert.Equal(t, tt.wantMissing, perspective.Code(log.results[missing][0].Err))
			if tt.fault {
				assert.Equal(t, ids[0], log.order[1], "the failed instance is told at once, before the caller gives up")
			}
			for i, id := range ids {
				r := log.results[id][0]
				assert.Equal(t, tt.want(i), perspective.Code(r.Err), "instance %d: %v", i, r.Err)
				if r.Err == nil {
					require.NotNil(t, r.Instance, "a reached instance comes with the instance")
					assert.Contains(t, tt.states, r.Instance.State)
					assert.GreaterOrEqual(t, log.when[id].Sub(launched), tt.delay, "told only once the transition is over")
				} else {
					assert.Contains(t, r.Err.Error(), id, "the error names the instance")
				}
			}
		})
	}
}
