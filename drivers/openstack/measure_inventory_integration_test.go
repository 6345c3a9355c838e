//go:build integration && measure

package openstack_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gcopenstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// requestLog counts the requests a client sends to Nova, by kind.
type requestLog struct {
	next http.RoundTripper
	mu   sync.Mutex
	all  []string // "METHOD path?query", in order
}

func (l *requestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.all = append(l.all, r.Method+" "+r.URL.RequestURI())
	l.mu.Unlock()
	return l.next.RoundTrip(r)
}

// since returns the requests sent after the first n.
func (l *requestLog) since(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.all[n:])
}

func (l *requestLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.all)
}

// kindOf names a Nova request: a full listing, a change listing
// (changes-since), a GET of one server, an action, or another.
func kindOf(req string) string {
	switch {
	case strings.Contains(req, "/servers/detail") && strings.Contains(req, "changes-since"):
		return "change listing"
	case strings.Contains(req, "/servers/detail"), strings.HasPrefix(req, "GET ") && strings.Contains(req, "/servers?"):
		return "full listing"
	case strings.HasPrefix(req, "POST ") && strings.HasSuffix(req, "/action"):
		return "action"
	case strings.HasPrefix(req, "GET ") && strings.Contains(req, "/servers/"):
		return "get"
	default:
		return "other"
	}
}

// plainClient is what a hand-written gophercloud program would build.
func plainClient(t *testing.T, cfg openstack.Config) *gophercloud.ServiceClient {
	t.Helper()
	ctx := context.Background()
	p, err := gcopenstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{
		IdentityEndpoint: cfg.AuthURL, Username: cfg.Username, Password: cfg.Password,
		DomainName: cfg.UserDomainName, AllowReauth: true,
		Scope: &gophercloud.AuthScope{ProjectName: cfg.ProjectName, DomainName: cfg.ProjectDomainName},
	})
	require.NoError(t, err)
	c, err := gcopenstack.NewComputeV2(p, gophercloud.EndpointOpts{Region: cfg.Region})
	require.NoError(t, err)
	return c
}

// allActive lists the servers whose name starts with prefix and reports
// whether every one of ids is ACTIVE.
func allActive(ctx context.Context, c *gophercloud.ServiceClient, prefix string, ids []string) (bool, error) {
	pages, err := servers.List(c, servers.ListOpts{Name: "^" + prefix}).AllPages(ctx)
	if err != nil {
		return false, err
	}
	ss, err := servers.ExtractServers(pages)
	if err != nil {
		return false, err
	}
	status := make(map[string]string, len(ss))
	for _, s := range ss {
		status[s.ID] = s.Status
	}
	for _, id := range ids {
		if status[id] != "ACTIVE" {
			return false, nil
		}
	}
	return true, nil
}

// observer polls the cloud on its own client, one listing in flight at a
// time, at most every 100 ms, and marks when every server is ACTIVE again
// after a round's requests were sent.
type observer struct {
	c      *gophercloud.ServiceClient
	prefix string
	ids    []string
	armed  atomic.Pointer[arming]
}

// arming is one round's wait for the settle: only a listing started after
// at counts (one started before the round's requests may still show the
// servers ACTIVE from before the reboot).
type arming struct {
	at time.Time
	ch chan time.Time
}

func (o *observer) run(ctx context.Context) {
	for ctx.Err() == nil {
		start := time.Now()
		a := o.armed.Load()
		ok, err := allActive(ctx, o.c, o.prefix, o.ids)
		if err == nil && ok && a != nil && start.After(a.at) && o.armed.CompareAndSwap(a, nil) {
			a.ch <- time.Now()
		}
		if d := 100*time.Millisecond - time.Since(start); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
			}
		}
	}
}

// arm starts watching for the settle of a round whose requests have all
// been sent; the channel receives when the observer first sees it.
func (o *observer) arm() chan time.Time {
	a := &arming{at: time.Now(), ch: make(chan time.Time, 1)}
	o.armed.Store(a)
	return a.ch
}

// TestMeasureInventoryAgainstPlainGophercloud produces issue 13's figures
// (not run in CI; go test -tags 'integration measure' -run
// MeasureInventory -v -timeout 90m ./drivers/openstack/):
//
//  1. With ≥ 200 servers in the project (PERSPECTIVE_MEASURE_COUNT,
//     default 200): after the inventory's first sync, a reboot of 2 and a
//     wait for them send a bounded number of requests to Nova, none of
//     them a full listing, whatever the project's size.
//  2. Reboot 50 servers until all ACTIVE: the library (one bulk call, then
//     WaitFor) against a plain gophercloud program (50 requests in flight,
//     then a listing every 200 ms), interleaved, PERSPECTIVE_MEASURE_ROUNDS
//     (default 5) rounds each, with an independent observer marking when
//     the cloud settled; each is reported whole and as how long after the
//     settle it returned.
func TestMeasureInventoryAgainstPlainGophercloud(t *testing.T) {
	cfg := requireCloud(t)
	ctx := context.Background()
	total := 200
	if n, err := strconv.Atoi(os.Getenv("PERSPECTIVE_MEASURE_COUNT")); err == nil && n >= 50 {
		total = n
	}
	rounds := 5
	if n, err := strconv.Atoi(os.Getenv("PERSPECTIVE_MEASURE_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	log := &requestLog{next: http.DefaultTransport}
	lcfg := cfg
	lcfg.HTTPClient = &http.Client{Transport: log, Timeout: 60 * time.Second}
	d, err := openstack.New(ctx, lcfg)
	require.NoError(t, err)
	cloud, err := perspective.NewCloud(d)
	require.NoError(t, err)
	defer cloud.Close()
	inst := cloud.Instances()

	// Reuse the servers of an earlier run; launch the rest 100 at a time.
	const prefix = "mi-"
	existing, err := inst.List(ctx, perspective.ListOptions{Name: prefix})
	require.NoError(t, err)
	var ids []string
	for _, in := range existing {
		if strings.HasPrefix(in.Name, prefix) && in.State != perspective.StateError && in.State != perspective.StateDeleting {
			ids = append(ids, in.ID)
		}
	}
	if os.Getenv("PERSPECTIVE_MEASURE_KEEP") != "1" {
		defer func() {
			dctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
			defer cancel()
			_, _ = inst.Delete(dctx, ids...)
		}()
	}
	for b := 0; len(ids) < total; b++ {
		rep, err := inst.Launch(ctx, perspective.LaunchSpec{Name: fmt.Sprintf("%s%d-%d", prefix, time.Now().Unix(), b),
			Count: min(100, total-len(ids)), FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
		require.NoError(t, err)
		ids = append(ids, rep.IDs()...)
	}
	wctx, cancel := context.WithTimeout(ctx, 60*time.Minute)
	defer cancel()
	start := time.Now()
	_, err = inst.WaitFor(wctx, ids, perspective.StateLaunched)
	require.NoError(t, err)
	t.Logf("%d servers ACTIVE (%d reused) after %s", len(ids), len(existing), time.Since(start).Round(time.Second))

	// 1. Requests of a reboot of 2 and its wait, in a project of len(ids).
	require.NoError(t, cloud.Sync(ctx))
	mark := log.len()
	start = time.Now()
	two := ids[:2]
	_, err = inst.Reboot(ctx, two...)
	require.NoError(t, err)
	_, err = inst.WaitFor(wctx, two, perspective.StateLaunched)
	require.NoError(t, err)
	took := time.Since(start)
	reqs := log.since(mark)
	byKind := map[string]int{}
	for _, r := range reqs {
		byKind[kindOf(r)]++
	}
	t.Logf("reboot 2 + wait in a project of %d servers: %d requests in %s: %v", len(ids), len(reqs), took.Round(time.Millisecond), byKind)
	assert.Zero(t, byKind["full listing"], "no full listing: %v", reqs)
	assert.Equal(t, 2, byKind["action"])
	assert.LessOrEqual(t, byKind["get"], 2, "at most a GET per id")
	// the change listings follow the wait (every 100 ms while it waits), not the project's size
	assert.LessOrEqual(t, byKind["change listing"], int(took/(100*time.Millisecond))+2)

	// 2. Reboot 50: the library against a plain gophercloud program.
	fifty := ids[:50]
	real := make([]string, len(fifty))
	for i, id := range fifty {
		ref, ok := cloud.Resolve(id)
		require.True(t, ok)
		real[i] = ref.RealID
	}
	plain := plainClient(t, cfg)
	obs := &observer{c: plainClient(t, cfg), prefix: prefix, ids: real}
	octx, ostop := context.WithCancel(ctx)
	defer ostop()
	go obs.run(octx)

	type outcome struct {
		whole, afterSettle time.Duration
	}
	var lib, hand []outcome
	libRound := func() outcome {
		start := time.Now()
		rep, err := inst.Reboot(ctx, fifty...)
		require.NoError(t, err, "%v", rep)
		settled := obs.arm()
		_, err = inst.WaitFor(wctx, fifty, perspective.StateLaunched)
		require.NoError(t, err)
		end := time.Now()
		s := <-settled
		return outcome{end.Sub(start), end.Sub(s)}
	}
	plainRound := func() outcome {
		start := time.Now()
		g, gctx := errgroup.WithContext(ctx)
		for _, id := range real { // 50 requests in flight
			g.Go(func() error {
				return servers.Reboot(gctx, plain, id, servers.RebootOpts{Type: servers.SoftReboot}).ExtractErr()
			})
		}
		require.NoError(t, g.Wait())
		settled := obs.arm()
		for {
			ok, err := allActive(wctx, plain, prefix, real)
			require.NoError(t, err)
			if ok {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		end := time.Now()
		s := <-settled
		return outcome{end.Sub(start), end.Sub(s)}
	}
	for r := range rounds {
		// alternate which goes first, so that neither always meets a warmer cloud
		if r%2 == 0 {
			lib = append(lib, libRound())
			time.Sleep(2 * time.Second)
			hand = append(hand, plainRound())
		} else {
			hand = append(hand, plainRound())
			time.Sleep(2 * time.Second)
			lib = append(lib, libRound())
		}
		t.Logf("round %d: library %s (%+.2fs after the settle), plain gophercloud %s (%+.2fs after the settle)", r+1,
			lib[r].whole.Round(10*time.Millisecond), lib[r].afterSettle.Seconds(),
			hand[r].whole.Round(10*time.Millisecond), hand[r].afterSettle.Seconds())
		time.Sleep(2 * time.Second)
	}
	median := func(o []outcome, f func(outcome) time.Duration) time.Duration {
		v := make([]time.Duration, len(o))
		for i := range o {
			v[i] = f(o[i])
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	whole := func(o outcome) time.Duration { return o.whole }
	after := func(o outcome) time.Duration { return o.afterSettle }
	t.Logf("median of %d rounds: library %s whole, %+.2fs after the settle; plain %s whole, %+.2fs after the settle",
		rounds, median(lib, whole).Round(10*time.Millisecond), median(lib, after).Seconds(),
		median(hand, whole).Round(10*time.Millisecond), median(hand, after).Seconds())
	assert.LessOrEqual(t, median(lib, after), median(hand, after)+500*time.Millisecond,
		"the library returns no later than the plain program, within 0.5 s")
}
