//go:build integration

package openstack_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// These tests need the admin openrc (OS_USERNAME=admin). They touch only
// what they create: no service is disabled or forced down and no
// aggregate gets a zone, so a stack shared with other tests keeps working.
// Migrations, soft delete and evacuation (which forces a host down for a
// while, and brings it back) are in operator_moves_integration_test.go.

func adminCloud(t *testing.T) (*perspective.Cloud, *operator.Operator) {
	t.Helper()
	return adminCloudIn(t, "")
}

// adminCloudIn is adminCloud in another region of the same cloud ("": the
// openrc's own).
func adminCloudIn(t *testing.T, region string) (*perspective.Cloud, *operator.Operator) {
	t.Helper()
	requireCloud(t)
	if os.Getenv("OS_USERNAME") != "admin" {
		t.Fatal("the operator integration tests need the admin openrc (OS_USERNAME=admin)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u := "openstack://"
	if region != "" {
		u += "?region=" + url.QueryEscape(region)
	}
	c, err := perspective.Open(ctx, u)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	op, err := operator.New(c)
	require.NoError(t, err)
	return c, op
}

func TestIntegrationOperatorListings(t *testing.T) {
	_, op := adminCloud(t)
	ctx := context.Background()
	hvs, err := op.Hypervisors(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, hvs)
	for _, hv := range hvs {
		assert.True(t, hv.UsageKnown, "pinned at 2.87, %s reports usage", hv.Hostname)
		assert.Positive(t, hv.VCPUs)
		t.Logf("hypervisor %s (%s, %s/%s): %d/%d vCPUs, %d/%d MiB, %d VMs", hv.Hostname, hv.Type, hv.State, hv.Status,
			hv.VCPUsUsed, hv.VCPUs, hv.MemoryUsed, hv.MemoryMiB, hv.RunningVMs)
	}
	svcs, err := op.Services(ctx)
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(svcs, func(s operator.Service) bool { return s.Binary == "nova-compute" && s.ID != "" }))
	hosts, err := op.Hosts(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, hosts)
	for _, h := range hosts {
		t.Logf("host %s (%s): %v", h.Name, h.Zone, h.Services)
	}
}

func TestIntegrationOperatorFlavorsAndAggregates(t *testing.T) {
	c, op := adminCloud(t)
	ctx := context.Background()
	name := fmt.Sprintf("it-op-%d", time.Now().UnixNano()%1e9)
	f, err := op.CreateFlavor(ctx, operator.FlavorSpec{Name: name, RAM: 64, VCPUs: 1, RootDisk: 1, Description: "private"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = op.DeleteFlavor(context.Background(), f.ID) })
	assert.False(t, f.IsPublic)
	project := c.Info().ProjectID
	require.NoError(t, op.AddFlavorAccess(ctx, f.ID, project))
	projects, err := op.FlavorAccess(ctx, f.ID)
	require.NoError(t, err)
	assert.Contains(t, projects, project)
	require.NoError(t, op.RemoveFlavorAccess(ctx, f.ID, project))
	require.NoError(t, op.SetExtraSpecs(ctx, f.ID, map[string]string{"hw:cpu_policy": "shared", "it:mark": "1"}))
	specs, err := op.ExtraSpecs(ctx, f.ID)
	require.NoError(t, err)
	assert.Equal(t, "1", specs["it:mark"])
	require.NoError(t, op.UnsetExtraSpecs(ctx, f.ID, "it:mark"))
	desc := "changed"
	upd, err := op.UpdateFlavor(ctx, f.ID, operator.FlavorUpdate{Description: &desc})
	require.NoError(t, err)
	assert.Equal(t, desc, upd.Notes)
	require.NoError(t, op.DeleteFlavor(ctx, f.ID))
	_, err = c.Flavors().Get(ctx, name)
	assert.ErrorIs(t, err, perspective.ErrNotFound)

	a, err := op.CreateAggregate(ctx, operator.AggregateSpec{Name: name})
	require.NoError(t, err)
	t.Cleanup(func() { _ = op.DeleteAggregate(context.Background(), a.ID) })
	hvs, err := op.Hypervisors(ctx)
	require.NoError(t, err)
	host := hvs[0].Hostname
	a, err = op.AddAggregateHost(ctx, a.ID, host)
	require.NoError(t, err)
	assert.Contains(t, a.Hosts, host)
	a, err = op.SetAggregateMetadata(ctx, a.ID, map[string]string{"it": "yes"})
	require.NoError(t, err)
	assert.Equal(t, "yes", a.Metadata["it"])
	a, err = op.SetAggregateMetadata(ctx, a.ID, nil, "it")
	require.NoError(t, err)
	assert.NotContains(t, a.Metadata, "it")
	a, err = op.RemoveAggregateHost(ctx, a.ID, host)
	require.NoError(t, err)
	assert.Empty(t, a.Hosts)
	require.NoError(t, op.DeleteAggregate(ctx, a.ID))
}

func TestIntegrationSeed003OneInstance(t *testing.T) {
	c, op := adminCloud(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	in := c.Instances()
	rep, err := in.Launch(ctx, perspective.LaunchSpec{Name: "it-seed003", FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { _, _ = in.ForceDelete(context.Background(), id) })
	wait := func(states ...perspective.State) perspective.Instance {
		t.Helper()
		rep, err := in.WaitFor(ctx, []string{id}, states...)
		require.NoError(t, err)
		return rep.Instances()[0]
	}
	inst := wait(perspective.StateLaunched)
	assert.NotEmpty(t, inst.Host, "an administrator sees the host")

	dg, err := in.Diagnostics(ctx, id)
	require.NoError(t, err)
	t.Logf("diagnostics: %+v", dg)
	_, err = in.SetPassword(ctx, "it-n3w-pass", id)
	require.NoError(t, err)
	_, err = in.RemoveSecurityGroup(ctx, "default", id)
	require.NoError(t, err)
	_, err = in.AddSecurityGroup(ctx, "default", id)
	require.NoError(t, err)
	brep, err := in.Backup(ctx, perspective.BackupSpec{Name: "it-seed003-backup", Type: "daily", Rotation: 1}, id)
	require.NoError(t, err)
	if img := brep.Results[0].Image; img != nil {
		t.Cleanup(func() { _, _ = c.Images().Delete(context.Background(), img.ID) })
	}
	wait(perspective.StateLaunched)

	_, err = op.ResetState(ctx, perspective.StateError, id)
	require.NoError(t, err)
	wait(perspective.StateError)
	_, err = op.ResetState(ctx, perspective.StateLaunched, id)
	require.NoError(t, err)
	wait(perspective.StateLaunched)

	start := time.Now()
	_, err = in.Shelve(ctx, id)
	require.NoError(t, err)
	inst = wait(perspective.StateShelved, perspective.StateShelvedOffloaded)
	t.Logf("shelved (%s) in %s", inst.State, time.Since(start).Round(100*time.Millisecond))
	if inst.State == perspective.StateShelved {
		_, err = in.ShelveOffload(ctx, id)
		require.NoError(t, err)
		wait(perspective.StateShelvedOffloaded)
	}
	start = time.Now()
	_, err = in.Unshelve(ctx, id)
	require.NoError(t, err)
	wait(perspective.StateLaunched)
	t.Logf("unshelved in %s", time.Since(start).Round(100*time.Millisecond))

	_, err = in.ForceDelete(ctx, id)
	require.NoError(t, err)
	wait(perspective.StateDeleted)
}
