//go:build integration

package openstack_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/perspective/perspectivetest"
)

// TestIntegrationConformance runs the portable conformance suite, unchanged,
// against the real cloud.
func TestIntegrationConformance(t *testing.T) {
	ensureAltImage(t, openDriver(t))
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
		Prefix:  "it-conformance",
		Timeout: 2 * time.Minute,
	})
}
