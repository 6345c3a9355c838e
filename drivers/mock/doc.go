// Package mock is an in-memory cloud for tests, examples and demos. It
// follows the same instance state machine as every other driver, lets
// transitions take time (WithDelay), and can add latency and inject faults
// (WithLatency, WithFaultRate, WithFailing) so that callers see what a real
// cloud does to them. It implements every optional capability of
// driver.Driver and registers the "mock" URL scheme.
//
// It has two hosts ("aio" and "aio2", WithHosts), their compute services
// and hypervisors, host aggregates, and flavor access and extra specs, for
// package operator. Its credentials are a project member's unless
// WithAdmin(true) (URL "mock://demo?admin=true"): then operator calls,
// migrations and diagnostics succeed and instances show their host;
// otherwise they are forbidden, as Nova's default policy has it.
// WithSoftDelete (softdelete=true) keeps deleted instances for Restore.
//
// Typical use:
//
//	import (
//		"github.com/perspective-cloud/sdk/perspective"
//		_ "github.com/perspective-cloud/sdk/drivers/mock"
//	)
//
//	cloud, err := perspective.Open(ctx, "mock://demo?delay=2s")
//
// or, to keep a handle on the driver for assertions in tests:
//
//	drv := mock.New(mock.WithDelay(time.Second))
//	cloud, err := perspective.NewCloud(drv)
//	…
//	drv.Calls("Reboot") // how many reboots reached the cloud
package mock
