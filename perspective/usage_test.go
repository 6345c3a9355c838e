package perspective_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

func TestUsageOfManyInstances(t *testing.T) {
	ctx := context.Background()
	drv := mock.New()
	c, err := perspective.NewCloud(drv)
	require.NoError(t, err)
	defer c.Close()
	rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "u", Count: 3, FlavorID: "1", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	ids := append(rep.IDs(), "no-such-instance")
	to := time.Now()
	got, err := c.Instances().UsageOf(ctx, perspective.UsageQuery{Item: perspective.UsageMemory, From: to.Add(-time.Hour), To: to, Points: 4}, ids...)
	require.Error(t, err, "one id does not exist")
	require.Len(t, got.Results, 4)
	for _, r := range got.Results[:3] {
		require.NoError(t, r.Err)
		require.NotNil(t, r.Usage)
		assert.Equal(t, "MiB", r.Usage.Unit)
		assert.Equal(t, "mock", r.Usage.Source)
		assert.Len(t, r.Usage.Points, 4)
		one, err := c.Instances().Usage(ctx, r.ID, perspective.UsageQuery{Item: perspective.UsageMemory, From: to.Add(-time.Hour), To: to, Points: 4})
		require.NoError(t, err)
		assert.Equal(t, one.Points, r.Usage.Points, "the same figures as one by one")
	}
	assert.ErrorIs(t, got.Results[3].Err, perspective.ErrNotFound)
	assert.Equal(t, 6, drv.Calls("Usage"), "one call per instance (3 in bulk, 3 one by one), none for the unknown id")

	_, err = c.Instances().UsageOf(ctx, perspective.UsageQuery{Item: "disk-io"}, ids...)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}
