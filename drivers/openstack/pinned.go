package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/perspective-cloud/sdk/perspective"
)

// Microversions the operator operations need, or stop at.
const (
	mvEvacuateNoStorage = "2.14" // evacuate without onSharedStorage
	mvEvacuateToHost    = "2.29" // evacuate to a named host through the scheduler's checks
	mvLiveAuto          = "2.25" // live migration's block_migration "auto"
	mvLiveToHost        = "2.30" // live migration to a named host, checked by the scheduler
	mvHostsLast         = "2.42" // the last microversion with os-hosts
	mvDiagnostics       = "2.48" // diagnostics in a standard form
	mvServiceIDs        = "2.53" // services addressed by UUID (PUT /os-services/{id})
	mvFlavorDesc        = "2.55" // flavor descriptions
	mvMigrateToHost     = "2.56" // cold migration to a named host
	mvHypervisorUsage   = "2.87" // the last microversion whose hypervisors report usage
	mvEvacuateActive    = "2.94" // the last at which an evacuated server keeps running
)

// at returns the compute client pinned at microversion v when the
// negotiated one is higher: what some calls answer, or mean, changes
// after v. Otherwise it is the negotiated client.
func (d *Driver) at(v string) *gophercloud.ServiceClient {
	want, err := parseMicroversion(v)
	if err != nil || !want.less(d.mv) {
		return d.compute
	}
	c := *d.compute
	c.Microversion = want.String()
	return &c
}

// need returns an unsupported error when the negotiated microversion is
// below v.
func (d *Driver) need(op perspective.Operation, what, v string) error {
	if d.mv.atLeast(v) {
		return nil
	}
	return d.unsupported(op, what, v)
}

// serverAction posts body to a server's action URL with client c; reply,
// when not nil, receives the JSON answer.
func serverAction(ctx context.Context, c *gophercloud.ServiceClient, id string, body map[string]any, reply any, ok ...int) (*http.Response, error) {
	if len(ok) == 0 {
		ok = []int{202}
	}
	return c.Post(ctx, c.ServiceURL("servers", id, "action"), body, reply, &gophercloud.RequestOpts{OkCodes: ok})
}
