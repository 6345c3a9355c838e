//go:build integration

package openstack_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
	"github.com/gophercloud/gophercloud/v2/openstack/utils"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	gcopenstack "github.com/gophercloud/gophercloud/v2/openstack"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

func launchOne(t *testing.T, d *openstack.Driver, name string) driver.Instance {
	t.Helper()
	ctx := context.Background()
	flavors, err := d.ListFlavors(ctx)
	require.NoError(t, err)
	i := slices.IndexFunc(flavors, func(f driver.Flavor) bool { return f.Name == itFlavor || f.ID == itFlavor })
	require.GreaterOrEqual(t, i, 0, "flavor %s", itFlavor)
	imgs, err := d.ListImages(ctx)
	require.NoError(t, err)
	j := slices.IndexFunc(imgs, func(im driver.Image) bool { return im.Name == itImage })
	require.GreaterOrEqual(t, j, 0, "image %s", itImage)
	insts, err := d.LaunchInstances(ctx, driver.LaunchSpec{Name: name, FlavorID: flavors[i].ID,
		ImageID: imgs[j].ID, Networks: []string{itNetwork}})
	require.NoError(t, err)
	require.Len(t, insts, 1)
	t.Cleanup(func() { _ = d.DeleteInstance(context.Background(), insts[0].ID) })
	return waitFor(t, d, insts[0].ID, driver.StateLaunched)
}

func TestIntegrationFloatingIPs(t *testing.T) {
	d := openDriver(t)
	ctx := context.Background()
	inst := launchOne(t, d, "it-fip")
	ip, err := d.AddFloatingIP(ctx, inst.ID, driver.FloatingIPRequest{Network: itExternal})
	require.NoError(t, err)
	require.NotEmpty(t, ip)
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := d.GetInstance(ctx, inst.ID)
		require.NoError(t, err)
		if slices.Contains(got.FloatingIPs(), ip) {
			break
		}
		require.True(t, time.Now().Before(deadline), "floating IP %s never showed on the server", ip)
		time.Sleep(500 * time.Millisecond)
	}
	// the default pool (the only external network) works too, and the
	// address a caller names is associated as it is
	require.NoError(t, d.RemoveFloatingIP(ctx, inst.ID, ip))
	err = d.RemoveFloatingIP(ctx, inst.ID, ip)
	assert.ErrorIs(t, err, perspective.ErrNotFound, "released after removal")
	ip2, err := d.AddFloatingIP(ctx, inst.ID, driver.FloatingIPRequest{})
	require.NoError(t, err)
	require.NoError(t, d.RemoveFloatingIP(ctx, inst.ID, ip2))
}

func TestIntegrationIdentity(t *testing.T) {
	d := openDriver(t)
	ctx := context.Background()
	info := d.Info()
	projects, err := d.ListProjects(ctx)
	require.NoError(t, err)
	i := slices.IndexFunc(projects, func(p driver.Project) bool { return p.ID == info.ProjectID })
	require.GreaterOrEqual(t, i, 0, "own project listed")
	require.NotEmpty(t, projects[i].Regions)
	assert.True(t, slices.ContainsFunc(projects[i].Regions, func(r driver.Region) bool { return r.ID == info.Region }))

	eps, err := d.Endpoints(ctx, info.ProjectID)
	require.NoError(t, err)
	for _, svc := range []string{"compute", "image", "identity", "network"} {
		assert.True(t, slices.ContainsFunc(eps, func(e driver.Endpoint) bool {
			return e.Service == svc && e.Interface == "public" && e.URL != ""
		}), "public %s endpoint", svc)
	}

	rc, err := d.RCFile(ctx, info.ProjectID, info.Region)
	require.NoError(t, err)
	s := string(rc)
	assert.Contains(t, s, "export OS_PROJECT_ID="+info.ProjectID)
	assert.Contains(t, s, "export OS_REGION_NAME="+info.Region)
	assert.Contains(t, s, "OS_AUTH_URL=")
	assert.NotContains(t, s, os.Getenv("OS_PASSWORD"), "no password in an RC file")
	_, err = d.RCFile(ctx, info.ProjectID, "NoSuchRegion")
	assert.ErrorIs(t, err, perspective.ErrNotFound)

	zones, err := d.AvailabilityZones(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, zones)
	q, err := d.Quota(ctx, info.ProjectID)
	require.NoError(t, err)
	assert.NotZero(t, q.Instances.Max)
}

func TestIntegrationMicroversionNegotiation(t *testing.T) {
	d := openDriver(t)
	compute, err := gcopenstack.NewComputeV2(d.ProviderClient(), gcEndpoint(d))
	require.NoError(t, err)
	supported, err := utils.GetSupportedMicroversions(context.Background(), compute)
	require.NoError(t, err)
	want := utils.SupportedMicroversions{MaxMajor: supported.MaxMajor, MaxMinor: supported.MaxMinor}
	major, minor, err := utils.ParseMicroversion(d.Microversion())
	require.NoError(t, err)
	maxMajor, maxMinor, _ := utils.ParseMicroversion(openstack.MaxComputeMicroversion)
	if want.MaxMajor > maxMajor || (want.MaxMajor == maxMajor && want.MaxMinor > maxMinor) {
		want.MaxMajor, want.MaxMinor = maxMajor, maxMinor
	}
	assert.Equal(t, [2]int{want.MaxMajor, want.MaxMinor}, [2]int{major, minor}, "highest both sides know")
	ok, err := supported.IsSupported(d.Microversion())
	require.NoError(t, err)
	assert.True(t, ok, "never one the server lacks")

	// capped below 2.26 the driver refuses tags instead of sending them
	old := openDriver(t, func(c *openstack.Config) { c.MaxMicroversion = "2.25" })
	assert.Equal(t, "2.25", old.Microversion())
	inst := launchOne(t, old, "it-mv")
	assert.ErrorIs(t, old.AddTags(context.Background(), inst.ID, []string{"x"}), perspective.ErrUnsupported)
	assert.Nil(t, inst.Tags)
}

func gcEndpoint(d *openstack.Driver) gophercloud.EndpointOpts {
	return gophercloud.EndpointOpts{Region: d.Info().Region}
}

func TestIntegrationReauthAfterTokenRevocation(t *testing.T) {
	d := openDriver(t)
	ctx := context.Background()
	pc := d.ProviderClient()
	old := pc.Token()
	// revoke the driver's own token, as an expiry would
	identity, err := gcopenstack.NewIdentityV3(pc, gcEndpoint(d))
	require.NoError(t, err)
	require.NoError(t, tokens.Revoke(ctx, identity, old).Err)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = d.ListFlavors(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "caller %d", i)
	}
	assert.NotEqual(t, old, pc.Token(), "a new token")
}

func TestIntegrationErrorsFromTheRealCloud(t *testing.T) {
	d := openDriver(t)
	ctx := context.Background()
	_, err := d.GetInstance(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	_, err = d.GetImage(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	inst := launchOne(t, d, "it-errors")
	err = d.Start(ctx, inst.ID)
	assert.ErrorIs(t, err, perspective.ErrInvalidState, "start an ACTIVE server: %v", err)

	bad := requireCloud(t)
	bad.Password = "definitely-wrong-" + strings.Repeat("x", 8)
	_, err = openstack.New(ctx, bad)
	assert.ErrorIs(t, err, perspective.ErrUnauthenticated)
	assert.NotContains(t, err.Error(), bad.Password)
}
