//go:build integration

package libvirt_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	_ "github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
)

// TestMixedWithOpenStackIntegration runs one Set of the real OpenStack
// (scripts/openstack-aio.sh, its openrc sourced) and the real libvirt: one
// listing, a query joining both, a bulk reboot with ids of both routed each
// to its own cloud, and a dry run where one type cannot do the operation.
// .ci/openstack-integration runs it while its stack is up and libvirt is
// (PERSPECTIVE_IT_MIXED=1); run alone it needs both.
func TestMixedWithOpenStackIntegration(t *testing.T) {
	if os.Getenv("OS_AUTH_URL") == "" && os.Getenv("OS_CLOUD") == "" {
		t.Fatal("this test needs an OpenStack as well: source the openrc of scripts/openstack-aio.sh")
	}
	_, image := target(t, "mixed")
	lv := openClean(t, "mixed")
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	ost, err := perspective.Open(ctx, "openstack://")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ost.Close() })
	set, err := perspective.NewSet(ost, lv)
	require.NoError(t, err)

	name := fmt.Sprintf("it-mixed-%d", time.Now().Unix())
	osRep, err := ost.Instances().Launch(ctx, perspective.LaunchSpec{Name: name + "-os", FlavorID: envOr("PERSPECTIVE_IT_FLAVOR", "m1.tiny"),
		ImageID: envOr("PERSPECTIVE_IT_IMAGE", "cirros-dummy"), Networks: []string{envOr("PERSPECTIVE_IT_NETWORK", "private")}})
	require.NoError(t, err)
	lvRep, err := lv.Instances().Launch(ctx, perspective.LaunchSpec{Name: name + "-lv", FlavorID: "tiny", ImageID: image})
	require.NoError(t, err)
	ids := append(osRep.IDs(), lvRep.IDs()...)
	t.Cleanup(func() { _, _ = set.Instances().Delete(context.Background(), ids...) })
	_, err = set.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	require.NoError(t, err)

	listed, err := set.Instances().List(ctx, perspective.ListOptions{Name: name})
	require.NoError(t, err)
	types := map[string]string{}
	for _, in := range listed {
		types[in.Name] = in.CloudType
	}
	assert.Equal(t, map[string]string{name + "-os": "openstack", name + "-lv": "libvirt"}, types, "one listing, each instance once, with its cloud's type")

	res, err := set.Query(ctx, "select i.name, c.type from instances i join clouds c on i.cloud_id = c.id "+
		"where i.name like :p order by i.name", query.Named("p", name+"-%"))
	require.NoError(t, err)
	assert.Equal(t, [][]any{{name + "-lv", "libvirt"}, {name + "-os", "openstack"}}, plain(res.Rows()), "a query joins both clouds")

	rep, err := set.Instances().Reboot(ctx, ids...)
	require.NoError(t, err, "a bulk reboot with ids of both types")
	assert.Equal(t, 2, rep.Succeeded())
	_, err = set.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	require.NoError(t, err)

	dry, err := set.Instances().DryRun(ctx, perspective.OpResize, ids...)
	require.Error(t, err, "libvirt cannot resize")
	require.Len(t, dry.Results, 2)
	assert.NoError(t, dry.Results[0].Err, "OpenStack may resize its instance")
	assert.ErrorIs(t, dry.Results[1].Err, perspective.ErrUnsupported, "libvirt says it cannot, before any call")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// plain turns query values into strings for comparison.
func plain(rows [][]query.Value) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		for _, v := range r {
			out[i] = append(out[i], v.Str())
		}
	}
	return out
}
