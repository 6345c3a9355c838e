// Package perspective is one fast, cloud-agnostic API for virtual machines
// across clouds: instances, images, keypairs, flavors, networks, projects
// and regions, with bulk operations on many instances at once, reads
// served from memory, a normalized instance state machine that refuses
// impossible operations before any call to the cloud, and classified
// errors.
//
// Open a cloud by URL, through a registered driver, as database/sql does:
//
//	import (
//		"github.com/perspective-cloud/sdk/perspective"
//		_ "github.com/perspective-cloud/sdk/drivers/mock"      // mock://
//		_ "github.com/perspective-cloud/sdk/drivers/openstack" // openstack://
//	)
//
//	cloud, err := perspective.Open(ctx, "openstack://?cloud=devstack")
//	rep, err := cloud.Instances().Launch(ctx, perspective.LaunchSpec{
//		Name: "web", Count: 3, FlavorID: "m1.small", ImageID: "ubuntu-24.04"})
//	rep, err = cloud.Instances().Reboot(ctx, rep.IDs()...)
//	for _, r := range rep.Results {
//		fmt.Println(r.ID, r.Err) // one result per instance
//	}
//
// Every operation that changes instances takes many ids and returns a
// Report with one Result per id; its error is nil when all succeeded.
// Errors carry an ErrorCode (Code(err)) and match sentinel values such as
// ErrNotFound, ErrInvalidState, ErrLocked or ErrQuotaExceeded with
// errors.Is; the cloud's own error stays reachable with errors.As.
//
// Ids are stable global ids (GlobalID): a name-based UUID of the cloud,
// the kind of object and the cloud's own id, so the same object has the
// same id across restarts and clouds never collide. Several clouds form a
// Set, which lists across all of them and routes each id to its cloud.
//
// Every instance read is served from memory: each Cloud keeps an
// inventory of its instances, filled by one full listing and then kept
// current by listings of what changed (driver.ChangeLister; Nova's
// changes-since) on an interval (WithSync), with a full resync now and
// then. List, Get, queries, the state check before an operation, routing
// and WaitFor read it; an operation's own changes are read back at once.
// It holds the cloud's flavors, images, networks, keypairs, projects,
// zones and quotas too, listed again by its loop once their interval has
// passed (WithCacheTTL). SyncStats says how current it is, and Watch
// delivers its changes:
//
//	w, err := cloud.Watch(ctx, perspective.WatchOptions{States: []perspective.State{perspective.StateError}})
//	defer w.Close()
//	for {
//		ev, err := w.Next(ctx) // created, changed (Old, New), deleted; resync + snapshot
//		…
//	}
//
// Writing a driver for another cloud means implementing the small Driver
// interface and whichever capability interfaces (Rebooter, Pauser,
// Resizer, …) the cloud supports; perspectivetest.RunConformance checks it.
package perspective
