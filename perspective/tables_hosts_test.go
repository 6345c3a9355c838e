package perspective_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
)

// hostsJoin is the query of an operator: each instance with the
// hypervisor it runs on and that hypervisor's usage.
const hostsJoin = "SELECT i.name, i.host, h.hostname, h.state, h.vcpus_used, h.running_vms FROM instances i " +
	"JOIN hypervisors h ON i.cloud_id = h.cloud_id AND i.host = h.host ORDER BY i.name"

// TestQueryHypervisorsJoinInstances: on an administrator's cloud,
// instances carry their host and join the hypervisors table on it, and the
// hypervisors' usage counts the instances.
func TestQueryHypervisorsJoinInstances(t *testing.T) {
	c, _ := newCloud(t, mock.WithAdmin(true), mock.WithCloudID("east"), mock.WithRegion("RegionOne"))
	launchN(t, c, "web", 3)
	ctx := context.Background()

	res, err := c.Query(ctx, hostsJoin)
	require.NoError(t, err)
	require.Equal(t, 3, res.Count, "every instance has its hypervisor")
	hosts := map[string]int{}
	for _, row := range res.Rows() {
		require.False(t, row[1].IsNull(), "an administrator sees %s's host", row[0].Str())
		assert.Equal(t, row[1].Str(), row[2].Str(), "the fake's hypervisor is named as its host")
		assert.Equal(t, "up", row[3].Str())
		hosts[row[1].Str()]++
	}
	assert.Equal(t, map[string]int{"aio": 2, "aio2": 1}, hosts, "the mock places instances on the host with the fewest")

	res, err = c.Query(ctx, "SELECT host, hostname, cloud_id, cloud_type, region, type, host_ip, status, vcpus, vcpus_used, "+
		"ram, ram_used, disk, disk_used, running_vms FROM hypervisors ORDER BY host")
	require.NoError(t, err)
	require.Equal(t, 2, res.Count)
	type hv struct {
		Host, Hostname, CloudID, CloudType, Region, Type, HostIP, Status string
		VCPUs                                                            int `query:"vcpus"`
		VCPUsUsed                                                        int `query:"vcpus_used"`
		RAM, RAMUsed, Disk, DiskUsed                                     int
		RunningVMs                                                       int `query:"running_vms"`
	}
	hvs, err := query.ScanAll[hv](res)
	require.NoError(t, err)
	assert.Equal(t, hv{Host: "aio", Hostname: "aio", CloudID: "east", CloudType: "mock", Region: "RegionOne", Type: "fake",
		HostIP: "192.0.2.10", Status: "enabled", VCPUs: 16, VCPUsUsed: 2, RAM: 32768, RAMUsed: 1024, Disk: 500, DiskUsed: 2,
		RunningVMs: 2}, hvs[0])
	assert.Equal(t, 1, hvs[1].RunningVMs)

	// The usage sums the instances grouped by host, as a GROUP BY over instances says.
	res, err = c.Query(ctx, "SELECT h.host, COUNT(i.id) AS n FROM hypervisors h LEFT JOIN instances i "+
		"ON i.cloud_id = h.cloud_id AND i.host = h.host GROUP BY h.host ORDER BY h.host")
	require.NoError(t, err)
	assert.Equal(t, []string{"aio", "aio2"}, column(res, 0))
	assert.Equal(t, 2.0, res.Rows()[0][1].Num())
	assert.Equal(t, 1.0, res.Rows()[1][1].Num())
}

// TestQueryHypervisorsMember: credentials without the administrator role
// see no instance's host (NULL), and the hypervisors table is a clear
// ErrForbidden, never an empty table.
func TestQueryHypervisorsMember(t *testing.T) {
	c, drv := newCloud(t, mock.WithCloudID("east"))
	launchN(t, c, "web", 2)
	ctx := context.Background()

	res, err := c.Query(ctx, "SELECT name, host FROM instances ORDER BY name")
	require.NoError(t, err)
	require.Equal(t, 2, res.Count)
	for _, row := range res.Rows() {
		assert.True(t, row[1].IsNull(), "a member does not see %s's host", row[0].Str())
	}

	for _, sql := range []string{"SELECT * FROM hypervisors", hostsJoin} {
		_, err = c.Query(ctx, sql)
		require.ErrorIs(t, err, perspective.ErrForbidden, sql)
		assert.EqualError(t, err, "read table hypervisors: an administrator's credentials are needed; those of east may not list hypervisors (and see no instance's host)")
	}
	assert.Equal(t, 2, drv.Calls("ListHypervisors"), "one listing per query that reads the table")

	// Through QueryBatch (examples/server's POST /query) the statement is
	// a result with its message; the others of the batch still run.
	results, err := c.QueryBatch(ctx, []query.Request{{SQL: "SELECT host FROM hypervisors; SELECT count(*) FROM instances"}})
	require.NoError(t, err)
	require.Len(t, results, 2)
	assert.Equal(t, query.StatusEvaluationError, results[0].Status)
	assert.Contains(t, results[0].Message, "an administrator's credentials are needed")
	assert.Equal(t, query.StatusSuccess, results[1].Status)
}

// TestQueryHypervisorsMixedSet: in a Set of an administrator's cloud and a
// member's, the table holds the administrator's cloud's hypervisors; a
// cloud whose driver has no hypervisors adds none and refuses nothing.
func TestQueryHypervisorsMixedSet(t *testing.T) {
	admin, _ := newCloud(t, mock.WithAdmin(true), mock.WithCloudID("east"), mock.WithProject("p-east", "east"))
	member, _ := newCloud(t, mock.WithCloudID("west"), mock.WithProject("p-west", "west"))
	bare, err := perspective.NewCloud(struct{ driver.Driver }{mock.New(mock.WithCloudID("bare"), mock.WithProject("p-bare", "bare"))})
	require.NoError(t, err)
	t.Cleanup(func() { _ = bare.Close() })
	launchN(t, admin, "a", 1)
	launchN(t, member, "m", 1)
	ctx := context.Background()

	set, err := perspective.NewSet(admin, member, bare)
	require.NoError(t, err)
	res, err := set.Query(ctx, "SELECT DISTINCT cloud_id FROM hypervisors")
	require.NoError(t, err)
	assert.Equal(t, []string{"east"}, column(res, 0))
	res, err = set.Query(ctx, hostsJoin)
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, column(res, 0), "only the administrator's instance has a host")

	// A Set with no cloud able to list hypervisors has an empty table.
	set, err = perspective.NewSet(bare)
	require.NoError(t, err)
	res, err = set.Query(ctx, "SELECT * FROM hypervisors")
	require.NoError(t, err)
	assert.Zero(t, res.Count)
}

// TestQueryHypervisorsUnknownUsage: a hypervisor whose cloud reports no
// usage (Nova from microversion 2.88) has NULL usage, not zeros.
func TestQueryHypervisorsUnknownUsage(t *testing.T) {
	c, err := perspective.NewCloud(noUsage{mock.New(mock.WithAdmin(true))})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	res, err := c.Query(context.Background(), "SELECT host, vcpus, vcpus_used, ram, running_vms FROM hypervisors WHERE vcpus IS NULL")
	require.NoError(t, err)
	require.Equal(t, 2, res.Count)
	for _, row := range res.Rows() {
		for _, v := range row[1:] {
			assert.True(t, v.IsNull(), "%s", row[0].Str())
		}
	}
}

// noUsage is a driver whose hypervisors carry no usage figures.
type noUsage struct{ *mock.Driver }

func (d noUsage) ListHypervisors(ctx context.Context) ([]driver.Hypervisor, error) {
	hvs, err := d.Driver.ListHypervisors(ctx)
	for i := range hvs {
		hvs[i] = driver.Hypervisor{ID: hvs[i].ID, Hostname: hvs[i].Hostname, Host: hvs[i].Host, Type: hvs[i].Type,
			State: hvs[i].State, Status: hvs[i].Status}
	}
	return hvs, err
}
