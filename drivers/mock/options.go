package mock

import (
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// Option configures a mock cloud.
type Option func(*config)

type config struct {
	cloudID, projectID, projectName, region string
	delay, latency                          time.Duration
	faultRate                               float64
	failing                                 map[perspective.Operation]error
	quota                                   int
	seed                                    uint64
	skew                                    time.Duration // see WithClockSkew
	tombstones                              time.Duration // see WithTombstones
	rowCost                                 time.Duration // see WithRowCost
	admin, softDelete                       bool
	hosts                                   []string
}

func defaultConfig() config {
	return config{cloudID: "mock", projectID: "demo", projectName: "demo", region: "RegionOne",
		quota: 1000, seed: 1, tombstones: DefaultTombstones, failing: map[perspective.Operation]error{},
		hosts: []string{"aio", "aio2"}}
}

// WithCloudID sets the cloud id (default "mock"); it is part of global ids.
func WithCloudID(id string) Option { return func(c *config) { c.cloudID = id } }

// WithProject sets the project id and name (default "demo").
func WithProject(id, name string) Option {
	return func(c *config) { c.projectID, c.projectName = id, name }
}

// WithRegion sets the region (default "RegionOne").
func WithRegion(r string) Option { return func(c *config) { c.region = r } }

// WithDelay makes every transition take d: an instance stays in the
// transitional state (rebooting, resizing, …) for d before it settles.
// Zero, the default, settles at once.
func WithDelay(d time.Duration) Option { return func(c *config) { c.delay = d } }

// WithLatency makes every call take at least d, like a remote API.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithFaultRate makes a fraction of calls (0 to 1) fail with a transient error.
func WithFaultRate(rate float64) Option { return func(c *config) { c.faultRate = rate } }

// WithFailing makes every call of op (an Operation, or a driver method name
// such as "ListInstances") fail with err.
func WithFailing(op perspective.Operation, err error) Option {
	return func(c *config) { c.failing[op] = err }
}

// WithQuota sets how many instances the project may have (default 1000).
func WithQuota(instances int) Option { return func(c *config) { c.quota = instances } }

// WithSeed seeds the random source of fault injection and usage figures.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// DefaultTombstones is how long the mock remembers a deleted instance for
// ListChanges (see WithTombstones).
const DefaultTombstones = time.Hour

// WithClockSkew shifts every timestamp the mock writes (Created, Updated,
// tombstones) by d from this machine's clock, as a cloud whose clock runs
// ahead (d > 0) or behind (d < 0) would.
func WithClockSkew(d time.Duration) Option { return func(c *config) { c.skew = d } }

// WithTombstones sets how long a deleted instance is remembered and
// returned by ListChanges as a tombstone (default DefaultTombstones); Nova
// keeps deleted servers until they are archived. Non-positive values mean
// the default.
func WithTombstones(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.tombstones = d
		}
	}
}

// WithRowCost makes every instance a listing returns (ListInstances,
// ListChanges, GetInstance) cost d more time, as Nova's listings do (about
// 5 ms a server on a small stack), so that a full listing of a big project
// is as slow as on a real cloud and a listing of changes is cheap.
func WithRowCost(d time.Duration) Option { return func(c *config) { c.rowCost = max(d, 0) } }
