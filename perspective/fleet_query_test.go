package perspective_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// The query tables of a fleet: one project in two regions is one project,
// and the instance listing (which joins projects) shows each instance once,
// with its project's name and its pair's cloud.
func TestFleetQueryTablesShowEachInstanceOnce(t *testing.T) {
	a, b, c := pair("web", "R1"), pair("web", "R2"), pair("db", "R1")
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{&fakeSource{members: []perspective.FleetMember{a, b, c}}})
	require.NoError(t, err)
	defer fl.Close()
	want := map[string]string{}
	for _, cl := range fl.Set().Clouds() {
		want[launchIn(t, cl, "vm-"+cl.Info().Region)] = cl.Info().CloudID
	}
	rows, err := fl.Set().ListInstances(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, rows, 3, "each instance once")
	for _, r := range rows {
		assert.Equal(t, want[r.ID], r.CloudID)
		assert.Contains(t, []string{"web", "db"}, r.ProjectName)
	}
	res, err := fl.Set().Query(context.Background(), "SELECT id FROM projects")
	require.NoError(t, err)
	assert.Len(t, res.Rows(), 2, "web and db")
}
