//go:build integration

package openstack_test

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	osdrv "github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// metricService is a client of the catalog's Gnocchi (scripts/gnocchi-aio.sh).
func metricService(t *testing.T, d *osdrv.Driver) *gophercloud.ServiceClient {
	t.Helper()
	pc := d.ProviderClient()
	u, err := pc.EndpointLocator(gophercloud.EndpointOpts{Type: "metric", Region: d.Info().Region, Availability: gophercloud.AvailabilityPublic})
	require.NoError(t, err, "these tests need the metric service: sudo scripts/gnocchi-aio.sh up")
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: gophercloud.NormalizeURL(u), Type: "metric"}
}

// TestIntegrationUsageFromGnocchi plays Ceilometer's part (no Ceilometer
// polls the fake hypervisor): it makes the server's resource with its
// metrics, pushes a minute of measures for each of the last 60 minutes, and
// reads usage back through the library, for the three items, several
// ranges and datapoint counts, against the means of what it pushed.
func TestIntegrationUsageFromGnocchi(t *testing.T) {
	d := openDriver(t)
	gn := metricService(t, d)
	c, err := perspective.NewCloud(d)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	inst := launchOne(t, d, "it-usage")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// value(item, minute) is what was measured minute m ago's slot
	value := map[string]func(m int) float64{
		"cpu_util":     func(m int) float64 { return float64(m % 50) },
		"memory.usage": func(m int) float64 { return 100 + float64(m) },
		"disk.usage":   func(m int) float64 { return float64(m) * (1 << 30) / 10 },
	}
	metrics := map[string]any{}
	for name := range value {
		metrics[name] = map[string]string{"archive_policy_name": "medium"}
	}
	_, _ = gn.Delete(ctx, gn.ServiceURL("v1", "resource", "instance", inst.ID), &gophercloud.RequestOpts{OkCodes: []int{204, 404}})
	_, err = gn.Post(ctx, gn.ServiceURL("v1", "resource", "instance"), map[string]any{
		"id": inst.ID, "project_id": d.Info().ProjectID, "display_name": inst.Name, "metrics": metrics,
	}, nil, &gophercloud.RequestOpts{OkCodes: []int{201}})
	require.NoError(t, err, "create the instance's resource")
	t.Cleanup(func() {
		_, _ = gn.Delete(context.Background(), gn.ServiceURL("v1", "resource", "instance", inst.ID), &gophercloud.RequestOpts{OkCodes: []int{204, 404}})
	})
	now := time.Now().UTC().Truncate(time.Minute)
	start := now.Add(-60 * time.Minute)
	for name, v := range value {
		var ms []map[string]any
		for m := range 60 {
			ms = append(ms, map[string]any{"timestamp": start.Add(time.Duration(m) * time.Minute).Format(time.RFC3339), "value": v(m)})
		}
		_, err := gn.Post(ctx, gn.ServiceURL("v1", "resource", "instance", inst.ID, "metric", name, "measures"), ms, nil,
			&gophercloud.RequestOpts{OkCodes: []int{http.StatusAccepted}})
		require.NoError(t, err, "push %s", name)
	}

	for _, tc := range []struct {
		item   perspective.UsageItem
		metric string
		unit   string
		scale  float64
	}{
		{perspective.UsageCPU, "cpu_util", "%", 1},
		{perspective.UsageMemory, "memory.usage", "MiB", 1},
		{perspective.UsageStorage, "disk.usage", "GiB", 1 << 30},
	} {
		for _, rng := range []struct {
			from, to time.Time
			points   int
		}{{start, now, 6}, {start, now, 4}, {start.Add(30 * time.Minute), now, 3}, {start, now, 1}} {
			s, err := c.Instances().Usage(ctx, inst.ID, perspective.UsageQuery{Item: tc.item, From: rng.from, To: rng.to, Points: rng.points})
			require.NoError(t, err, "%s", tc.item)
			assert.Equal(t, "gnocchi", s.Source)
			assert.Equal(t, tc.unit, s.Unit)
			require.Len(t, s.Points, rng.points, "%s over %s in %d: every interval has measures", tc.item, rng.to.Sub(rng.from), rng.points)
			step := rng.to.Sub(rng.from) / time.Duration(rng.points)
			for k, p := range s.Points {
				var sum float64
				n := 0
				for m := range 60 {
					at := start.Add(time.Duration(m) * time.Minute)
					if !at.Before(p.From) && at.Before(p.From.Add(step)) {
						sum += value[tc.metric](m) / tc.scale
						n++
					}
				}
				require.Positive(t, n)
				assert.InDelta(t, math.Round(sum/float64(n)*100)/100, p.Value, 0.011, "%s interval %d of %d", tc.item, k, rng.points)
			}
		}
	}

	// A user of another project sees none of it.
	demo := openDriver(t, func(cfg *osdrv.Config) {
		cfg.Username, cfg.Password, cfg.ProjectName, cfg.ProjectID = "demo", envOr("PERSPECTIVE_IT_DEMO_PASSWORD", "demo-secret"), "demo", ""
	})
	s, err := demo.Usage(ctx, inst.ID, driver.UsageQuery{Item: driver.UsageMemory, From: start, To: now, Points: 6})
	if err == nil {
		assert.NotEqual(t, "gnocchi", s.Source, "another project's telemetry is not shown")
		assert.Empty(t, s.Points)
	} else {
		assert.Contains(t, []driver.Code{driver.CodeNotFound, driver.CodeForbidden, driver.CodeUnsupported}, driver.CodeOf(err), "%v", err)
	}
}
