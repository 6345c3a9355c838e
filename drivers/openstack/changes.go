package openstack

import (
	"context"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/perspective-cloud/sdk/driver"
)

// ChangesOverlap is how much earlier than asked ListChanges starts Nova's
// changes-since listing. Nova stamps updated_at to the second, and a change
// stamped before a listing may commit after it (or come from an API host
// whose clock is a little behind), so the driver asks again for the last
// few seconds and drops what it already returns once.
const ChangesOverlap = 2 * time.Second

// ListChanges returns the servers changed at or after since (by Nova's
// clock, less ChangesOverlap), following every page, each server once.
// Nova includes the servers deleted since then, with status DELETED: they
// are the tombstones. A zero since lists every server. It implements
// driver.ChangeLister.
func (d *Driver) ListChanges(ctx context.Context, since time.Time) ([]driver.Instance, error) {
	lo := servers.ListOpts{Limit: serverPageSize}
	if !since.IsZero() {
		lo.ChangesSince = since.Add(-ChangesOverlap).UTC().Format(time.RFC3339)
	}
	return d.listServers(ctx, serverListOpts{ListOpts: lo}, func(driver.Instance) bool { return true })
}
