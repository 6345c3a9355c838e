//go:build integration

package openstack_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// The fleet tests act as a non-admin user with a role on several projects
// in a cloud of several regions: scripts/openstack-aio.sh seeds demo, member
// of demo and p3, and RegionTwo with its own Nova. A non-admin user matters:
// an id routed to the wrong project's cloud fails there instead of working
// by an admin's privilege.
var (
	itFleetUser     = envOr("PERSPECTIVE_IT_FLEET_USER", "demo")
	itFleetPassword = envOr("PERSPECTIVE_IT_FLEET_PASSWORD", "demo-secret")
	itFleetHome     = envOr("PERSPECTIVE_IT_FLEET_HOME", "demo") // the user's own project
	itFleetProject  = envOr("PERSPECTIVE_IT_FLEET_PROJECT", "p3")
	itFleetRegion   = envOr("PERSPECTIVE_IT_FLEET_REGION", "RegionTwo")
)

// fleetConfig is the fleet user's configuration on the OS_* cloud.
func fleetConfig(t *testing.T) openstack.Config {
	c := requireCloud(t)
	c.Username, c.UserID, c.Password, c.ProjectName, c.ProjectID = itFleetUser, "", itFleetPassword, itFleetHome, ""
	c.Region = ""
	return c
}

func openFleet(t *testing.T) *perspective.Fleet {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	fl, err := openstack.OpenFleet(ctx, fleetConfig(t), openstack.Selection{})
	require.NoError(t, err)
	t.Logf("fleet of %d clouds opened in %v", len(fl.Set().Clouds()), time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() { _ = fl.Close() })
	return fl
}

// cloudOf returns the fleet's cloud of a project (by name) and region.
func cloudOf(t *testing.T, fl *perspective.Fleet, project, region string) *perspective.Cloud {
	t.Helper()
	for _, c := range fl.Set().Clouds() {
		if i := c.Info(); i.ProjectName == project && i.Region == region {
			return c
		}
	}
	t.Fatalf("the fleet has no cloud for project %s in region %s; members: %v", project, region, fl.Members())
	return nil
}

// cliServers lists server ids with the openstack CLI as the fleet user.
func cliServers(t *testing.T, project, region string) []string {
	t.Helper()
	bin, err := exec.LookPath("openstack")
	require.NoError(t, err, "the openstack CLI (python3-openstackclient) checks the fleet from outside")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--os-project-name", project, "--os-region-name", region,
		"server", "list", "-f", "value", "-c", "ID")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OS_") {
			env = append(env, kv)
		}
	}
	c := fleetConfig(t)
	cmd.Env = append(env, "OS_AUTH_URL="+c.AuthURL, "OS_USERNAME="+c.Username, "OS_PASSWORD="+c.Password,
		"OS_USER_DOMAIN_NAME="+firstOf(c.UserDomainName, "Default"), "OS_PROJECT_DOMAIN_NAME="+firstOf(c.ProjectDomainName, "Default"),
		"OS_IDENTITY_API_VERSION=3", "OS_INTERFACE=public")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return strings.Fields(string(out))
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestIntegrationFleetSeesProjectsTimesRegions(t *testing.T) {
	fl := openFleet(t)
	projects, regions := map[string]bool{}, map[string]bool{}
	for _, c := range fl.Set().Clouds() {
		i := c.Info()
		projects[i.ProjectName], regions[i.Region] = true, true
		assert.Equal(t, openstack.PairCloudID("127.0.0.1:5000", i.ProjectID, i.Region), i.CloudID)
	}
	for _, m := range fl.Members() {
		assert.NoError(t, m.Err, "member %s", m.Target)
	}
	assert.GreaterOrEqual(t, len(projects), 2, "projects %v", projects)
	assert.GreaterOrEqual(t, len(regions), 2, "regions %v", regions)
	assert.Len(t, fl.Set().Clouds(), len(projects)*len(regions), "every project in every region")
	for _, p := range fl.Projects() {
		assert.Len(t, p.Regions, len(regions), "project %s", p.Name)
	}
}

func TestIntegrationFleetLaunchIsSeenInItsPairOnly(t *testing.T) {
	fl := openFleet(t)
	ctx := context.Background()
	set := fl.Set()
	name := fmt.Sprintf("it-fleet-%d", time.Now().UnixNano())

	// one server in three pairs: (p3, RegionTwo), (p3, RegionOne), (demo, RegionTwo)
	pairs := [][2]string{{itFleetProject, itFleetRegion}, {itFleetProject, "RegionOne"}, {itFleetHome, itFleetRegion}}
	var ids []string
	byID := map[string][2]string{}
	for _, p := range pairs {
		c := cloudOf(t, fl, p[0], p[1])
		rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: name, FlavorID: itFlavor, ImageID: itImage})
		require.NoError(t, err, "launch in %v", p)
		id := rep.Results[0].ID
		ids = append(ids, id)
		byID[id] = p
	}
	t.Cleanup(func() { _, _ = set.Instances().Delete(context.Background(), ids...) })
	wctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	_, err := set.Instances().WaitFor(wctx, ids, perspective.StateLaunched)
	require.NoError(t, err)

	// seen by the openstack CLI in (p3, RegionTwo) and in no other pair
	first, err := cloudOf(t, fl, itFleetProject, itFleetRegion).Instances().Get(ctx, ids[0])
	require.NoError(t, err)
	assert.Contains(t, cliServers(t, itFleetProject, itFleetRegion), first.RealID)
	for _, other := range [][2]string{{itFleetHome, "RegionOne"}, {itFleetHome, itFleetRegion}, {itFleetProject, "RegionOne"}} {
		assert.NotContains(t, cliServers(t, other[0], other[1]), first.RealID, "%v", other)
	}

	// the fleet's listing shows each server once, with its project and region
	l, err := fl.List(ctx, perspective.ListOptions{Name: name})
	require.NoError(t, err)
	require.Empty(t, l.Errors)
	var mine []perspective.Instance
	for _, in := range l.Instances {
		if in.Name == name {
			mine = append(mine, in)
		}
	}
	require.Len(t, mine, len(pairs), "each server once")
	for _, in := range mine {
		want, ok := byID[in.ID]
		require.True(t, ok, "instance %s (%s) is one of ours", in.ID, in.RealID)
		c := cloudOf(t, fl, want[0], want[1])
		assert.Equal(t, c.Info().ProjectID, in.ProjectID)
		assert.Equal(t, want[1], in.Region)
		assert.Equal(t, c.Info().CloudID, in.CloudID)
	}

	// bulk across projects and regions: every id to its own cloud (the user
	// is no admin: an id sent to another project's Nova would be refused)
	rep, err := set.Instances().Reboot(ctx, ids...)
	require.NoError(t, err)
	assert.Equal(t, len(ids), rep.Succeeded())
	_, err = set.Instances().WaitFor(wctx, ids, perspective.StateLaunched)
	require.NoError(t, err)
	rep, err = set.Instances().Delete(ctx, ids...)
	require.NoError(t, err)
	assert.Equal(t, len(ids), rep.Succeeded())
}

func TestIntegrationEndpointsAndRCFileOfAnotherProject(t *testing.T) {
	c := fleetConfig(t)
	ctx := context.Background()
	d, err := openstack.New(ctx, c)
	require.NoError(t, err)
	defer d.Close()
	ps, err := d.ListProjects(ctx)
	require.NoError(t, err)
	var other string
	for _, p := range ps {
		if p.Name == itFleetProject {
			other = p.ID
		}
	}
	require.NotEmpty(t, other, "the user has a role on %s", itFleetProject)
	require.NotEqual(t, d.Info().ProjectID, other)

	eps, err := d.Endpoints(ctx, other) // a token re-scoped to p3
	require.NoError(t, err)
	var computeRegions []string
	for _, e := range eps {
		if e.Service == "compute" && e.Interface == "public" {
			computeRegions = append(computeRegions, e.Region)
		}
	}
	assert.ElementsMatch(t, []string{"RegionOne", itFleetRegion}, computeRegions)

	rc, err := d.RCFile(ctx, other, itFleetRegion)
	require.NoError(t, err)
	assert.Contains(t, string(rc), "export OS_PROJECT_ID="+other+"\n")
	assert.Contains(t, string(rc), "export OS_PROJECT_NAME="+itFleetProject+"\n")
	assert.Contains(t, string(rc), "export OS_REGION_NAME="+itFleetRegion+"\n")
	assert.NotContains(t, string(rc), itFleetPassword)

	// and through the fleet: any project of it, from the cloud that serves it
	fl := openFleet(t)
	eps2, err := fl.Set().Projects().Endpoints(ctx, other)
	require.NoError(t, err)
	assert.NotEmpty(t, eps2)
	rc2, err := fl.Set().Projects().RCFile(ctx, other, itFleetRegion)
	require.NoError(t, err)
	assert.Contains(t, string(rc2), "export OS_REGION_NAME="+itFleetRegion+"\n")
}
