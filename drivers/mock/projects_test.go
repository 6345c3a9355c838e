package mock_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, url string
		code      perspective.ErrorCode // of Open
	}{
		{"every parameter", "mock://c1?project=p&region=r&delay=1s&latency=1ms&faults=0&quota=2&seed=3&fail=console:unsupported", perspective.CodeOK},
		{"two failures", "mock://?fail=console:unsupported,Usage:transient", perspective.CodeOK},
		{"unknown parameter", "mock://?colour=blue", perspective.CodeInvalidArgument},
		{"negative quota", "mock://?quota=-1", perspective.CodeInvalidArgument},
		{"fail without a code", "mock://?fail=console", perspective.CodeInvalidArgument},
		{"fail without an operation", "mock://?fail=:unsupported", perspective.CodeInvalidArgument},
		{"fail with an unknown code", "mock://?fail=console:broken", perspective.CodeInvalidArgument},
		{"fail with ok", "mock://?fail=console:ok", perspective.CodeInvalidArgument},
		{"fail with an empty pair", "mock://?fail=console:unsupported,", perspective.CodeInvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := url.Parse(tc.url)
			require.NoError(t, err)
			drv, err := mock.Open(ctx, u)
			assert.Equal(t, tc.code, perspective.Code(err), "%v", err)
			if tc.code != perspective.CodeOK {
				assert.Nil(t, drv)
			}
		})
	}
}

func TestOpenFailAndQuota(t *testing.T) {
	ctx := context.Background()
	c, err := perspective.Open(ctx, "mock://?quota=2&fail=console:unsupported,log:forbidden")
	require.NoError(t, err)
	defer c.Close()
	insts := c.Instances()
	rep, err := insts.Launch(ctx, perspective.LaunchSpec{Name: "a", FlavorID: "m1.tiny", ImageID: "cirros-0.6.2", Count: 2})
	require.NoError(t, err)
	id := rep.Results[0].ID
	_, err = insts.WaitFor(ctx, []string{id}, perspective.StateLaunched)
	require.NoError(t, err)

	_, err = insts.Console(ctx, id)
	require.Error(t, err)
	assert.Equal(t, perspective.CodeUnsupported, perspective.Code(err))
	assert.Contains(t, err.Error(), "console fails with unsupported")
	_, err = insts.Log(ctx, id, 10)
	assert.Equal(t, perspective.CodeForbidden, perspective.Code(err))
	_, err = insts.Usage(ctx, id, perspective.UsageQuery{Item: perspective.UsageCPU})
	require.NoError(t, err, "an operation not named keeps working")

	_, err = insts.Launch(ctx, perspective.LaunchSpec{Name: "b", FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	assert.Equal(t, perspective.CodeQuotaExceeded, perspective.Code(err))
}

func FuzzOpen(f *testing.F) {
	f.Add("mock://?fail=console:unsupported")
	f.Add("mock://x?quota=3&delay=1s&fail=a:b,c:transient")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		drv, err := mock.Open(context.Background(), u)
		if err != nil {
			assert.Equal(t, perspective.CodeInvalidArgument, perspective.Code(err), "%v", err)
			assert.Nil(t, drv)
			return
		}
		assert.NotNil(t, drv)
	})
}

func TestRowsCountsWhatListingsReturn(t *testing.T) {
	ctx := context.Background()
	drv := mock.New()
	c, err := perspective.NewCloud(drv)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "r", Count: 3, FlavorID: "1", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	before := drv.Rows("ListInstances")
	_, err = c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, before+3, drv.Rows("ListInstances"), "one listing of 3 instances is 3 rows")
	assert.Equal(t, 0, drv.Rows("NoSuchMethod"))
}
