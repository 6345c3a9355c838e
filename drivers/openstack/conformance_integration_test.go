//go:build integration

package openstack_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/perspective/perspectivetest"
)

// TestIntegrationConformance runs the portable conformance suite, unchanged,
// against the real cloud. The operator scenarios expect the administrator
// role when the openrc is the admin's (OS_USERNAME=admin) or
// PERSPECTIVE_IT_ADMIN=1; PERSPECTIVE_IT_SOFT_DELETE=1 says the cloud sets
// reclaim_instance_interval; PERSPECTIVE_IT_EVACUATE=1 runs the evacuation
// (it leaves the source host forced down until its nova-compute restarts).
func TestIntegrationConformance(t *testing.T) {
	ensureAltImage(t, openDriver(t))
	ensureSecurityGroup(t, openDriver(t))
	perspectivetest.RunConformance(t, perspectivetest.Harness{
		Open: func(t *testing.T) *perspective.Cloud {
			requireCloud(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c, err := perspective.Open(ctx, "openstack://")
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })
			return c
		},
		Flavor: itFlavor, AltFlavor: itAltFlavor,
		Image: itImage, AltImage: itAltImage,
		Network: itNetwork, ExternalNetwork: itExternal,
		Prefix:     "it-conformance",
		Timeout:    2 * time.Minute,
		Admin:      os.Getenv("OS_USERNAME") == "admin" || os.Getenv("PERSPECTIVE_IT_ADMIN") == "1",
		SoftDelete: os.Getenv("PERSPECTIVE_IT_SOFT_DELETE") == "1",
		Evacuate:   os.Getenv("PERSPECTIVE_IT_EVACUATE") == "1",
		// scripts/openstack-aio.sh runs one compute host in RegionOne.
		SingleHost:    os.Getenv("PERSPECTIVE_IT_HOSTS") == "" || os.Getenv("PERSPECTIVE_IT_HOSTS") == "1",
		SecurityGroup: itSecurityGroup,
	})
}
