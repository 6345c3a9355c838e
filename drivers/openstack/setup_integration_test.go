//go:build integration

package openstack_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gcopenstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/openstack"
)

// The integration tests run against any OpenStack named by the OS_*
// variables of a sourced openrc (scripts/openstack-aio.sh up writes one).
// These names match what that script seeds; override them for another cloud.
var (
	itFlavor    = envOr("PERSPECTIVE_IT_FLAVOR", "m1.tiny")
	itAltFlavor = envOr("PERSPECTIVE_IT_ALT_FLAVOR", "m1.small")
	itImage     = envOr("PERSPECTIVE_IT_IMAGE", "cirros-dummy")
	itNetwork   = envOr("PERSPECTIVE_IT_NETWORK", "private")
	itExternal  = envOr("PERSPECTIVE_IT_EXTERNAL_NETWORK", "public")
	itAltImage  = "perspective-it-alt-image"
	// itSecurityGroup is one the suite adds and removes: not "default",
	// which every server already has (Neutron refuses it twice).
	itSecurityGroup = envOr("PERSPECTIVE_IT_SECURITY_GROUP", "perspective-it")
)

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// requireCloud fails (never skips) when no cloud is configured.
func requireCloud(t *testing.T) openstack.Config {
	t.Helper()
	if os.Getenv("OS_AUTH_URL") == "" && os.Getenv("OS_CLOUD") == "" {
		t.Fatal("integration tests need an OpenStack: set OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, " +
			"OS_PROJECT_NAME, OS_USER_DOMAIN_NAME and OS_PROJECT_DOMAIN_NAME (source an openrc, e.g. " +
			"`sudo scripts/openstack-aio.sh up && source /tmp/os-aio/openrc`), or OS_CLOUD for clouds.yaml")
	}
	c, err := openstack.ConfigFromEnv(os.Getenv)
	require.NoError(t, err, "OS_* environment")
	return c
}

func openDriver(t *testing.T, mod ...func(*openstack.Config)) *openstack.Driver {
	t.Helper()
	c := requireCloud(t)
	for _, m := range mod {
		m(&c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := openstack.New(ctx, c)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

var altImageOnce sync.Once

// ensureAltImage makes the second image the rebuild scenario needs.
func ensureAltImage(t *testing.T, d *openstack.Driver) {
	t.Helper()
	var err error
	altImageOnce.Do(func() {
		ctx := context.Background()
		var imgs []driver.Image
		imgs, err = d.ListImages(ctx)
		if err != nil {
			return
		}
		for _, im := range imgs {
			if im.Name == itAltImage && im.State == driver.ImageSaved {
				return
			}
		}
		_, err = d.CreateImage(ctx, driver.ImageSpec{Name: itAltImage, Visibility: "public",
			Data: strings.NewReader("perspective integration image\n")})
	})
	require.NoError(t, err)
}

// waitFor polls an instance until it reaches one of states.
func waitFor(t *testing.T, d *openstack.Driver, id string, states ...driver.State) driver.Instance {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		inst, err := d.GetInstance(context.Background(), id)
		require.NoError(t, err)
		for _, s := range states {
			if inst.State == s {
				return inst
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s still %s (%s) after 2 minutes, want %v", id, inst.State, inst.Status, states)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// ensureSecurityGroup makes the security group the conformance suite adds
// to and removes from an instance, once.
func ensureSecurityGroup(t *testing.T, d *openstack.Driver) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nc, err := gcopenstack.NewNetworkV2(d.ProviderClient(), gophercloud.EndpointOpts{Region: d.Info().Region})
	require.NoError(t, err)
	pages, err := groups.List(nc, groups.ListOpts{Name: itSecurityGroup, ProjectID: d.Info().ProjectID}).AllPages(ctx)
	require.NoError(t, err)
	have, err := groups.ExtractGroups(pages)
	require.NoError(t, err)
	if len(have) > 0 {
		return
	}
	_, err = groups.Create(ctx, nc, groups.CreateOpts{Name: itSecurityGroup, Description: "perspective integration tests"}).Extract()
	require.NoError(t, err, "create security group %s", itSecurityGroup)
}
