// Package openstack is the OpenStack driver of Perspective SDK: Nova,
// Glance, Neutron and Keystone v3 through gophercloud v2, with every
// optional capability of driver.Driver.
//
// Importing the package registers the URL scheme "openstack":
//
//	import (
//		"github.com/perspective-cloud/sdk/perspective"
//		_ "github.com/perspective-cloud/sdk/drivers/openstack"
//	)
//
//	cloud, err := perspective.Open(ctx, "openstack://?cloud=devstack") // clouds.yaml
//	cloud, err := perspective.Open(ctx, "openstack://")                // a sourced openrc (OS_*)
//
// or build a driver from a Config (ConfigFromEnv, ConfigFromCloudsYAML,
// ConfigFromURL, or by hand) and wrap it:
//
//	c, err := openstack.ConfigFromEnv(os.Getenv)
//	d, err := openstack.New(ctx, c)
//	cloud, err := perspective.NewCloud(d)
//
// A fleet is every project the credentials have a role on times every
// region of its catalog with a compute endpoint, one Cloud per pair, opened
// with one authentication (a token per project re-scoped from the user's):
//
//	fleet, err := perspective.OpenFleet(ctx, []string{"openstack://?projects=all&regions=all"})
//	fleet, err := perspective.OpenFleet(ctx, []string{"openstack://?cloud=prod&projects=web,db&regions=RegionOne"})
//	fleet, err := openstack.OpenFleet(ctx, c, openstack.Selection{Projects: []string{"web"}})
//	listing, err := fleet.List(ctx, perspective.ListOptions{}) // a refused pair is an entry of listing.Errors
//
// (see FleetFromURL and OpenFleet; a pair's CloudID is
// "<cloud id>/<project id>/<region>").
//
// Authentication: password with user and project domains (a standard
// openrc works as it is), application credentials, or a token. The token is
// renewed transparently when a service answers 401, once for all goroutines
// that hit the expiry together (gophercloud's ReauthFunc).
//
// The compute microversion is negotiated at Open: the highest that both the
// server and this driver (MaxComputeMicroversion) support. Lists follow every
// page. Replies 429 and 413 are retried after their Retry-After (or a fallback
// delay) through gophercloud's RetryBackoffFunc and RetryFunc. Every error is
// a classified perspective error (not found, conflict, invalid state, quota
// exceeded, forbidden, unauthenticated, rate limited, transient, …) whose
// cause, an *APIError wrapping gophercloud's error, stays reachable with
// errors.As. Passwords, secrets and tokens never appear in errors or logs.
//
// Server states map to perspective's normalized states with NormalizeState
// (status, task_state and vm_state); the raw status stays on the instance.
//
// Integration tests against a real OpenStack run with
//
//	source /tmp/os-aio/openrc   # written by scripts/openstack-aio.sh up
//	go test -tags integration ./drivers/openstack/...
package openstack
