package mock_test

import (
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/perspective/perspectivetest"
	"github.com/stretchr/testify/require"
)

func harness(drv *mock.Driver) perspectivetest.Harness {
	return perspectivetest.Harness{
		Open: func(t *testing.T) *perspective.Cloud {
			c, err := perspective.NewCloud(drv, perspective.WithPolling(time.Millisecond, 20*time.Millisecond))
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })
			return c
		},
		Flavor: "m1.tiny", AltFlavor: "m1.small",
		Image: "cirros-0.6.2", AltImage: "debian-12",
		Network: "private", ExternalNetwork: "public",
		Timeout:   5 * time.Second,
		Mutations: drv.Mutations,
	}
}

func TestConformance(t *testing.T) {
	perspectivetest.RunConformance(t, harness(mock.New()))
}

// An administrator's mock with soft delete runs the operator scenarios,
// migrations, evacuation and restore.
func TestConformanceAdmin(t *testing.T) {
	drv := mock.New(mock.WithAdmin(true), mock.WithSoftDelete(true), mock.WithDelay(10*time.Millisecond))
	h := harness(drv)
	h.Admin, h.SoftDelete, h.Evacuate, h.Fail = true, true, true, drv.Fail
	perspectivetest.RunConformance(t, h)
}

// With transitions that take time, every operation passes through its
// transitional state and the suite's waits do the work.
func TestConformanceWithDelay(t *testing.T) {
	perspectivetest.RunConformance(t, harness(mock.New(mock.WithDelay(20*time.Millisecond), mock.WithLatency(time.Millisecond))))
}
