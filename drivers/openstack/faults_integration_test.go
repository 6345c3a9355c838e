//go:build integration

package openstack_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	osdrv "github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// The fault tests break the project's own stack (scripts/openstack-aio.sh,
// state in PERSPECTIVE_IT_AIO_STATE, default /tmp/os-aio) in the middle of a
// bulk operation and check that every item has a classified result, that
// the servers afterwards are exactly what the results say, that nothing is
// left running (goleak), and that the stack is healthy again afterwards.
// They need that stack: on another cloud they fail, saying so.

const faultServers = 50

var aioState = envOr("PERSPECTIVE_IT_AIO_STATE", "/tmp/os-aio")

// noLeaks checks, after every other cleanup of the test (its clouds are
// closed by then), that no goroutine of the library is left. Idle
// keep-alive connections of the HTTP transport are closed first; they are
// the transport's, not ours.
func noLeaks(t *testing.T) {
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		goleak.VerifyNone(t, before,
			goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"))
	})
}

// faultCloud opens the cloud with a retry policy that outlasts a restart
// of one service (about 10 s here).
func faultCloud(t *testing.T, mod ...func(*osdrv.Config)) (*perspective.Cloud, *osdrv.Driver) {
	t.Helper()
	d := openDriver(t, mod...)
	c, err := perspective.NewCloud(d, perspective.WithRetry(8, time.Second), perspective.WithConcurrency(16))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, d
}

// faultFleet launches n servers named prefix-* (or reuses them) and waits
// until they are all ACTIVE.
func faultFleet(t *testing.T, c *perspective.Cloud, prefix string, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	have, err := c.Instances().List(ctx, perspective.ListOptions{Name: prefix + "-"})
	require.NoError(t, err)
	var ids []string
	for _, in := range have {
		if in.State == perspective.StateLaunched && strings.HasPrefix(in.Name, prefix+"-") {
			ids = append(ids, in.ID)
		}
	}
	if len(ids) < n {
		rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: fmt.Sprintf("%s-%d", prefix, time.Now().Unix()),
			Count: n - len(ids), FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
		require.NoError(t, err)
		ids = append(ids, rep.IDs()...)
	}
	ids = ids[:n]
	rep, err := c.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	require.NoError(t, err, "the fleet of %d comes up", n)
	require.Equal(t, n, rep.Succeeded())
	return ids
}

// stopService stops one service of the project's stack by its pid file.
func stopService(t *testing.T, name string) {
	t.Helper()
	require.NoError(t, stopServiceErr(name), "these tests need scripts/openstack-aio.sh's stack (state in %s)", aioState)
}

func stopServiceErr(name string) error {
	b, err := os.ReadFile(filepath.Join(aioState, "pids", name+".pid"))
	if err != nil {
		return err
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return fmt.Errorf("%s: empty pid file", name)
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil {
		return err
	}
	// Each service runs in its own session: stop the whole group (uwsgi's workers too).
	return syscall.Kill(-pid, syscall.SIGKILL)
}

// heal runs the stack's script again: it starts what is not running and
// reuses the rest.
func heal(t *testing.T) {
	t.Helper()
	require.NoError(t, healErr(), "the stack heals")
}

func healErr() error {
	script, err := filepath.Abs("../../scripts/openstack-aio.sh")
	if err != nil {
		return err
	}
	out, err := exec.Command(script, "up", aioState).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, tail(string(out), 2000))
	}
	return nil
}

// waitHealthy launches a probe server until one becomes ACTIVE and deletes
// it: Nova's services reconnect to RabbitMQ (and report in) a while after a
// restart, and the tests after these need a stack that builds servers.
func waitHealthy(t *testing.T, c *perspective.Cloud) {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for attempt := 1; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: fmt.Sprintf("it-probe-%d", attempt),
			FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
		if err == nil {
			_, err = c.Instances().WaitFor(ctx, rep.IDs(), perspective.StateLaunched)
			_, _ = c.Instances().Delete(context.Background(), rep.IDs()...)
		}
		cancel()
		if err == nil {
			t.Logf("the stack builds servers again (probe %d)", attempt)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stack does not build servers 4 minutes after the fault: %v", err)
		}
		t.Logf("probe %d: %v; trying again", attempt, err)
		time.Sleep(10 * time.Second)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// verifyMetadata reads every server again after the fault and checks that
// exactly the items whose result succeeded carry key=value, that a failed
// item's error is classified, and that every id has one result.
func verifyMetadata(t *testing.T, c *perspective.Cloud, ids []string, rep *perspective.Report, key, value string) {
	t.Helper()
	require.Len(t, rep.Results, len(ids), "one result per id")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ok := 0
	for i, r := range rep.Results {
		assert.Equal(t, ids[i], r.ID)
		in, err := c.Instances().With(perspective.MaxAge(0)).Get(ctx, r.ID) // the cloud's word, not an inventory's
		require.NoError(t, err)
		if r.Err == nil {
			ok++
			assert.Equal(t, value, in.Metadata[key], "%s succeeded, so the cloud has it", r.ID)
			continue
		}
		code := perspective.Code(r.Err)
		assert.NotEqual(t, perspective.CodeUnknown, code, "%s: a failure is classified: %v", r.ID, r.Err)
		t.Logf("%s failed (%s): %v", r.ID, code, r.Err)
	}
	t.Logf("%d of %d succeeded", ok, len(ids))
}

func TestIntegrationFaultNovaAPIStoppedMidBulk(t *testing.T) {
	noLeaks(t)
	c, _ := faultCloud(t)
	ids := faultFleet(t, c, "it-fault", faultServers)
	value := fmt.Sprintf("nova-down-%d", time.Now().UnixNano())
	var done atomic.Int32
	var once sync.Once
	stopped := make(chan struct{})
	healed := make(chan error, 1)
	var stopErr error
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, _ := c.Instances().With(perspective.Concurrency(4), perspective.OnResult(func(perspective.Result) {
		if done.Add(1) == 5 {
			once.Do(func() {
				stopErr = stopServiceErr("nova-api")
				close(stopped)
				// and started again while the call goes on
				go func() { healed <- healErr() }()
			})
		}
	})).SetMetadata(ctx, map[string]string{"fault": value}, ids...)
	select {
	case <-stopped:
		require.NoError(t, stopErr, "stop nova-api (these tests need scripts/openstack-aio.sh's stack in %s)", aioState)
	default:
		t.Fatal("nova-api was never stopped: the bulk call ended before 5 results")
	}
	require.NoError(t, <-healed, "the stack heals")
	waitHealthy(t, c)
	verifyMetadata(t, c, ids, rep, "fault", value)
	assert.Greater(t, rep.Succeeded(), len(ids)/2, "the items before and after the outage succeed: the retries outlast the restart")
}

// throttle answers 429 with Retry-After to a fraction of the requests to
// Nova, as a throttling reverse proxy in front of it would, and passes the
// rest on.
type throttle struct {
	next     http.RoundTripper
	host     string
	fraction float64
	mu       sync.Mutex
	rng      *rand.Rand
	refused  atomic.Int32
	passed   atomic.Int32
}

func (th *throttle) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == th.host {
		th.mu.Lock()
		refuse := th.rng.Float64() < th.fraction
		th.mu.Unlock()
		if refuse {
			th.refused.Add(1)
			return &http.Response{StatusCode: http.StatusTooManyRequests, Status: "429 Too Many Requests",
				Header: http.Header{"Retry-After": {"1"}, "Content-Type": {"application/json"}},
				Body:   http.NoBody, Request: req, ProtoMajor: 1, ProtoMinor: 1}, nil
		}
		th.passed.Add(1)
	}
	return th.next.RoundTrip(req)
}

func TestIntegrationFaultThrottledNova(t *testing.T) {
	noLeaks(t)
	plain, _ := faultCloud(t)
	ids := faultFleet(t, plain, "it-fault", faultServers)
	th := &throttle{next: http.DefaultTransport, host: "127.0.0.1:8774", fraction: 0.3, rng: rand.New(rand.NewPCG(1, 2))}
	c, _ := faultCloud(t, func(cfg *osdrv.Config) {
		cfg.HTTPClient = &http.Client{Transport: th, Timeout: time.Minute}
	})
	value := fmt.Sprintf("throttled-%d", time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := c.Instances().SetMetadata(ctx, map[string]string{"fault": value}, ids...)
	assert.NoError(t, err, "every item gets through a throttle of 30%% with Retry-After")
	assert.Positive(t, th.refused.Load(), "the throttle refused requests")
	t.Logf("throttle: %d refused, %d passed", th.refused.Load(), th.passed.Load())
	verifyMetadata(t, plain, ids, rep, "fault", value)
	assert.Equal(t, len(ids), rep.Succeeded())
}

func TestIntegrationFaultTokenRevokedMidBulk(t *testing.T) {
	noLeaks(t)
	c, d := faultCloud(t)
	ids := faultFleet(t, c, "it-fault", faultServers)
	pc := d.ProviderClient()
	identity, err := openstack.NewIdentityV3(pc, gcEndpoint(d))
	require.NoError(t, err)
	value := fmt.Sprintf("revoked-%d", time.Now().UnixNano())
	var done atomic.Int32
	var revoked atomic.Bool
	var revokeErr error
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := c.Instances().With(perspective.Concurrency(4), perspective.OnResult(func(perspective.Result) {
		if done.Add(1) == 10 {
			tok := pc.Token()
			revokeErr = tokens.Revoke(ctx, identity, tok).Err
			revoked.Store(true)
		}
	})).SetMetadata(ctx, map[string]string{"fault": value}, ids...)
	require.True(t, revoked.Load())
	require.NoError(t, revokeErr, "revoke the token in use")
	assert.NoError(t, err, "the driver re-authenticates when its token is revoked")
	verifyMetadata(t, c, ids, rep, "fault", value)
	assert.Equal(t, len(ids), rep.Succeeded())
}

func TestIntegrationFaultRabbitMQStoppedDuringLaunch(t *testing.T) {
	noLeaks(t)
	c, _ := faultCloud(t)
	name := fmt.Sprintf("it-rabbit-%d", time.Now().Unix())
	stopService(t, "rabbitmq")
	healed := false
	defer func() {
		if !healed {
			heal(t)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	healDone := make(chan error, 1)
	go func() {
		time.Sleep(5 * time.Second)
		healDone <- healErr()
	}()
	rep, lerr := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: name, Count: 10,
		FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
	require.NoError(t, <-healDone, "the stack heals")
	healed = true
	waitHealthy(t, c)
	t.Logf("launch while RabbitMQ was down: %d results, err %v", len(rep.Results), lerr)
	for _, r := range rep.Results {
		if r.Err != nil {
			assert.NotEqual(t, perspective.CodeUnknown, perspective.Code(r.Err), "classified: %v", r.Err)
		}
	}
	// Nothing done twice: the cloud has at most the servers the results name.
	listCtx, cancelList := context.WithTimeout(context.Background(), time.Minute)
	defer cancelList()
	got, err := c.Instances().List(listCtx, perspective.ListOptions{Name: name})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(got), 10, "a launch of 10 never makes more than 10")
	reported := map[string]bool{}
	for _, id := range rep.IDs() {
		reported[id] = true
	}
	for _, in := range got {
		assert.True(t, reported[in.ID], "server %s (%s) exists, so the results name it", in.Name, in.ID)
	}
	ids := make([]string, 0, len(got))
	for _, in := range got {
		ids = append(ids, in.ID)
	}
	if len(ids) > 0 {
		_, _ = c.Instances().Delete(listCtx, ids...)
	}
}
