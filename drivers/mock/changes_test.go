package mock_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
)

func launchDirect(t *testing.T, d *mock.Driver, n int) []driver.Instance {
	t.Helper()
	insts, err := d.LaunchInstances(context.Background(), driver.LaunchSpec{Name: "vm", Count: n, FlavorID: "1",
		ImageID: "00000000-0000-4000-8000-000000000001"})
	require.NoError(t, err)
	return insts
}

func newest(insts []driver.Instance) time.Time {
	var t time.Time
	for _, in := range insts {
		if in.Updated.After(t) {
			t = in.Updated
		}
	}
	return t
}

func TestListChangesReturnsChangesAndTombstones(t *testing.T) {
	for _, skew := range []time.Duration{0, 5 * time.Minute, -5 * time.Minute} {
		t.Run(skew.String(), func(t *testing.T) {
			ctx := context.Background()
			d := mock.New(mock.WithClockSkew(skew))
			insts := launchDirect(t, d, 5)
			assert.WithinDuration(t, time.Now().Add(skew), insts[0].Updated, time.Minute, "timestamps follow the mock's clock")
			all, err := d.ListChanges(ctx, time.Time{})
			require.NoError(t, err)
			require.Len(t, all, 5)
			require.NoError(t, d.Rename(ctx, insts[4].ID, "moved-the-cursor")) // the launch stamped all five alike
			all, err = d.ListChanges(ctx, newest(all))
			require.NoError(t, err)
			cursor := newest(all)

			require.NoError(t, d.Rename(ctx, insts[1].ID, "renamed"))
			require.NoError(t, d.DeleteInstance(ctx, insts[2].ID))
			got, err := d.ListChanges(ctx, cursor)
			require.NoError(t, err)
			byID := map[string]driver.Instance{}
			for _, in := range got {
				byID[in.ID] = in
			}
			assert.Equal(t, "renamed", byID[insts[1].ID].Name)
			assert.Equal(t, driver.StateDeleted, byID[insts[2].ID].State, "a deletion is a tombstone")
			assert.NotContains(t, byID, insts[3].ID, "an unchanged instance is not returned")
			assert.LessOrEqual(t, len(got), 3, "the changes and at most the row at the cursor itself")
			assert.Equal(t, 5+len(all)+len(got), d.Rows("ListChanges"))
			assert.Equal(t, 0, d.Rows("ListInstances"))
		})
	}
}

func TestTombstonesExpire(t *testing.T) {
	ctx := context.Background()
	d := mock.New(mock.WithTombstones(20 * time.Millisecond))
	insts := launchDirect(t, d, 1)
	require.NoError(t, d.DeleteInstance(ctx, insts[0].ID))
	got, err := d.ListChanges(ctx, insts[0].Updated)
	require.NoError(t, err)
	require.Len(t, got, 1)
	time.Sleep(30 * time.Millisecond)
	got, err = d.ListChanges(ctx, insts[0].Updated)
	require.NoError(t, err)
	assert.Empty(t, got, "the tombstone is forgotten after its while")
}

func TestRowCostMakesFullListingsSlow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	d := mock.New(mock.WithRowCost(time.Millisecond), mock.WithQuota(100))
	launchDirect(t, d, 100)
	_, err := d.ListInstances(ctx, driver.ListOptions{}) // 100 ms of rows, 20 ms of patience
	assert.Equal(t, driver.CodeCanceled, driver.CodeOf(err))
}
