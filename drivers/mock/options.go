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
	admin, softDelete                       bool
	hosts                                   []string
}

func defaultConfig() config {
	return config{cloudID: "mock", projectID: "demo", projectName: "demo", region: "RegionOne",
		quota: 1000, seed: 1, failing: map[perspective.Operation]error{},
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
