package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// flakyLister is a mock cloud whose instance listings (full and changes)
// fail while failing is set, as a cloud whose compute API is down while
// the rest answers.
type flakyLister struct {
	*mock.Driver
	failing atomic.Bool
}

var errComputeDown = perspective.Errorf(perspective.CodeTransient, "compute API down")

func (f *flakyLister) ListInstances(ctx context.Context, o driver.ListOptions) ([]driver.Instance, error) {
	if f.failing.Load() {
		return nil, errComputeDown
	}
	return f.Driver.ListInstances(ctx, o)
}

func (f *flakyLister) ListChanges(ctx context.Context, since time.Time) ([]driver.Instance, error) {
	if f.failing.Load() {
		return nil, errComputeDown
	}
	return f.Driver.ListChanges(ctx, since)
}

// pingEnv serves the drivers with GET /ping calling an inventory stale
// after 150 ms of failing syncs (they sync every 10 ms).
func pingEnv(t *testing.T, drivers ...driver.Driver) (*httptest.Server, *perspective.Set) {
	t.Helper()
	var clouds []*perspective.Cloud
	for _, d := range drivers {
		c, err := perspective.NewCloud(d, perspective.WithRetry(0, 0), perspective.WithSync(10*time.Millisecond, time.Hour))
		require.NoError(t, err)
		clouds = append(clouds, c)
	}
	set, err := perspective.NewSet(clouds...)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	wait := warmInventories(ctx, set)
	d := &deps{set: set, tasks: newTaskStore(4), version: "v-test", log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		health: health{failingFor: 150 * time.Millisecond}}
	srv := httptest.NewServer(newRouter(d))
	t.Cleanup(func() {
		srv.Close()
		cancel()
		wait()
		d.tasks.Close()
		require.NoError(t, set.Close())
	})
	wait() // the first syncs have ended: their errors show in the stats
	return srv, set
}

func ping(t *testing.T, srv *httptest.Server) (int, errorBody) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/ping")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var body errorBody
	if len(b) > 0 {
		body = decodeJSON[errorBody](t, b)
	}
	return resp.StatusCode, body
}

// TestPingInventoryNeverSynced: a cloud that answers (its flavors list)
// but whose instances cannot be read is down for /ping.
func TestPingInventoryNeverSynced(t *testing.T) {
	down := perspective.Errorf(perspective.CodeTransient, "compute API down")
	drv := mock.New(mock.WithDelay(0), mock.WithFailing("ListInstances", down), mock.WithFailing("ListChanges", down))
	srv, _ := pingEnv(t, drv)
	status, body := ping(t, srv)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "unavailable", body.Code)
	assert.Contains(t, body.Message, "cloud mock: its instances were never read")
	assert.Contains(t, body.Message, "compute API down")
}

// TestPingInventoryStale: /ping answers 200 while the inventory syncs, at
// no cost to the cloud; 503 once its syncs have failed for several
// intervals; 200 again when they succeed.
func TestPingInventoryStale(t *testing.T) {
	drv := &flakyLister{Driver: mock.New(mock.WithDelay(0))}
	srv, set := pingEnv(t, drv)
	c := set.Clouds()[0]
	require.True(t, c.SyncStats().Synced)

	flavors := drv.Calls("ListFlavors")
	status, _ := ping(t, srv)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, flavors, drv.Calls("ListFlavors"), "a fresh inventory says the cloud answers: no ping request")

	drv.failing.Store(true)
	// A failed sync alone is not stale: the inventory is still current.
	require.Error(t, c.Sync(context.Background()))
	status, _ = ping(t, srv)
	assert.Equal(t, http.StatusOK, status, "one failed sync is not yet several intervals")

	var body errorBody
	require.Eventually(t, func() bool {
		status, body = ping(t, srv)
		return status == http.StatusServiceUnavailable
	}, 5*time.Second, 20*time.Millisecond)
	assert.Contains(t, body.Message, "cloud mock: its instances have not synced for")
	assert.Contains(t, body.Message, "compute API down")
	assert.Greater(t, c.SyncStats().Lag, 150*time.Millisecond)

	drv.failing.Store(false)
	require.Eventually(t, func() bool {
		status, _ = ping(t, srv)
		return status == http.StatusOK
	}, 5*time.Second, 20*time.Millisecond, "healed")
}

// TestPingOneStaleCloudOfTwo: with another cloud healthy, the server is
// degraded, not down, and says which cloud lags.
func TestPingOneStaleCloudOfTwo(t *testing.T) {
	bad := &flakyLister{Driver: mock.New(mock.WithDelay(0), mock.WithCloudID("bad"))}
	good := mock.New(mock.WithDelay(0), mock.WithCloudID("good"))
	srv, _ := pingEnv(t, bad, good)
	bad.failing.Store(true)
	var status int
	var body errorBody
	require.Eventually(t, func() bool {
		status, body = ping(t, srv)
		return body.Code == "degraded"
	}, 5*time.Second, 20*time.Millisecond)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body.Message, "cloud bad:")
	assert.NotContains(t, body.Message, "cloud good")
}

// TestHealthStale covers the rules one by one.
func TestHealthStale(t *testing.T) {
	h := health{failingFor: time.Second, stuckFor: time.Minute}
	failed := perspective.Errorf(perspective.CodeTransient, "down")
	for _, tc := range []struct {
		name  string
		st    perspective.SyncStats
		stale bool
	}{
		{"not started", perspective.SyncStats{}, false},
		{"never synced, failing", perspective.SyncStats{LastError: failed, Failures: 3}, true},
		{"synced", perspective.SyncStats{Synced: true, Lag: 500 * time.Millisecond}, false},
		{"failing briefly", perspective.SyncStats{Synced: true, Lag: 900 * time.Millisecond, LastError: failed}, false},
		{"failing long", perspective.SyncStats{Synced: true, Lag: 2 * time.Second, LastError: failed}, true},
		{"a long sync in progress", perspective.SyncStats{Synced: true, Lag: 30 * time.Second}, false},
		{"hung", perspective.SyncStats{Synced: true, Lag: 2 * time.Minute}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := h.stale("c", tc.st)
			assert.Equal(t, tc.stale, err != nil, "%v", err)
		})
	}
}
