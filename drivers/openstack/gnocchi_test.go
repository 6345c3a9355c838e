package openstack

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

const gnocchi = "http://127.0.0.1:8041"

// withMetricService makes the fake Keystone's catalog list Gnocchi.
func withMetricService(t *testing.T, f *fakeCloud) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "keystone_token.json"), &doc))
	tok := doc["token"].(map[string]any)
	tok["catalog"] = append(tok["catalog"].([]any), map[string]any{
		"id": "s9", "type": "metric", "name": "gnocchi",
		"endpoints": []any{map[string]any{"id": "e9", "interface": "public", "region_id": "RegionOne",
			"region": "RegionOne", "url": gnocchi}}})
	body, err := json.Marshal(doc)
	require.NoError(t, err)
	f.mock.RegisterResponder("POST", keystone+"/v3/auth/tokens", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(201, body)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Subject-Token", "token-1")
		return r, nil
	})
}

var archive = []byte(`{"id": "m", "archive_policy": {"name": "medium", "definition": [
  {"granularity": "0:01:00", "points": 10080, "timespan": "7 days, 0:00:00"},
  {"granularity": "1:00:00", "points": 8760, "timespan": "365 days, 0:00:00"}],
  "aggregation_methods": ["mean", "max"]}}`)

// measures are Gnocchi's minute slots from start, value(i) each.
func measures(start time.Time, n int, value func(i int) float64) []byte {
	out := make([][3]any, n)
	for i := range n {
		out[i] = [3]any{start.Add(time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05+00:00"), 60.0, value(i)}
	}
	b, _ := json.Marshal(out)
	return b
}

func TestUsageFromGnocchi(t *testing.T) {
	f := newFakeCloud(t)
	withMetricService(t, f)
	from := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	f.on("GET", gnocchi+"/v1/resource/instance/srv1", jsonReply(200, []byte(
		`{"id": "srv1", "metrics": {"cpu_util": "m-cpu", "memory.usage": "m-mem"}}`)))
	f.on("GET", gnocchi+"/v1/metric/m-cpu", jsonReply(200, archive))
	f.on("GET", gnocchi+"/v1/metric/m-mem", jsonReply(200, archive))
	var asked []string
	// cpu: minute i has value i, but only the first 40 minutes have data.
	f.on("GET", gnocchi+"/v1/metric/m-cpu/measures", func(r *http.Request) (*http.Response, error) {
		asked = append(asked, r.URL.RawQuery)
		return jsonReply(200, measures(from, 40, func(i int) float64 { return float64(i) }))(r)
	})
	f.on("GET", gnocchi+"/v1/metric/m-mem/measures", jsonReply(200, measures(from, 60, func(int) float64 { return 256 })))
	d := f.open()

	cpu, err := d.Usage(context.Background(), "srv1", driver.UsageQuery{Item: driver.UsageCPU, From: from, To: to, Points: 6})
	require.NoError(t, err)
	assert.Equal(t, "gnocchi", cpu.Source)
	assert.Equal(t, "%", cpu.Unit)
	assert.Contains(t, cpu.Note, "1m0s slot of archive policy medium")
	require.Len(t, cpu.Points, 4, "minutes 40-59 have no data: the last two intervals are absent")
	for k, p := range cpu.Points {
		assert.Equal(t, from.Add(time.Duration(k)*10*time.Minute), p.From)
		assert.Equal(t, 10*time.Minute, p.To.Sub(p.From))
		assert.InDelta(t, float64(10*k)+4.5, p.Value, 1e-9, "the mean of minutes %d..%d", 10*k, 10*k+9)
	}
	require.Len(t, asked, 1, "one request reads the whole range")
	assert.Contains(t, asked[0], "granularity=60", "the coarsest granularity not coarser than 10 minutes")
	assert.Contains(t, asked[0], "aggregation=mean")
	assert.Contains(t, asked[0], "refresh=true")

	mem, err := d.Usage(context.Background(), "srv1", driver.UsageQuery{Item: driver.UsageMemory, From: from, To: to, Points: 3})
	require.NoError(t, err)
	assert.Equal(t, "MiB", mem.Unit)
	require.Len(t, mem.Points, 3)
	for _, p := range mem.Points {
		assert.Equal(t, 256.0, p.Value)
	}
}

func TestUsageWithoutTelemetryFallsBackAndSaysSo(t *testing.T) {
	f := newFakeCloud(t)
	withMetricService(t, f)
	f.on("GET", gnocchi+"/v1/resource/instance/srv2", jsonReply(404, []byte(`{"code": 404, "description": "Resource srv2 does not exist", "title": "Not Found"}`)))
	f.on("GET", nova+"/servers/srv2/diagnostics", jsonReply(200, []byte(`{"cpu_details": [{"id": 0, "utilisation": 30}, {"id": 1, "utilisation": 50}]}`)))
	d := f.open()
	now := time.Now()
	s, err := d.Usage(context.Background(), "srv2", driver.UsageQuery{Item: driver.UsageCPU, From: now.Add(-time.Hour), To: now, Points: 6})
	require.NoError(t, err)
	assert.Equal(t, "diagnostics", s.Source)
	assert.Contains(t, s.Note, "the metric service has no figures for this instance")
	require.Len(t, s.Points, 1, "the present only")
	assert.Equal(t, 40.0, s.Points[0].Value)
}

func TestUsageGnocchiRefusalIsClassified(t *testing.T) {
	f := newFakeCloud(t)
	withMetricService(t, f)
	f.on("GET", gnocchi+"/v1/resource/instance/srv3", jsonReply(403, []byte(`{"code": 403, "description": "Access was denied to this resource.", "title": "Forbidden"}`)))
	d := f.open()
	now := time.Now()
	_, err := d.Usage(context.Background(), "srv3", driver.UsageQuery{Item: driver.UsageMemory, From: now.Add(-time.Hour), To: now, Points: 6})
	assert.Equal(t, driver.CodeForbidden, driver.CodeOf(err), "%v", err)
}

func TestUsageBoundsTheSlotsRead(t *testing.T) {
	f := newFakeCloud(t)
	withMetricService(t, f)
	f.on("GET", gnocchi+"/v1/resource/instance/srv1", jsonReply(200, []byte(`{"id": "srv1", "metrics": {"memory.usage": "m-mem"}}`)))
	f.on("GET", gnocchi+"/v1/metric/m-mem", jsonReply(200, []byte(`{"archive_policy": {"name": "fine", "definition": [{"granularity": "0:00:01"}]}}`)))
	d := f.open()
	to := time.Now()
	_, err := d.Usage(context.Background(), "srv1", driver.UsageQuery{Item: driver.UsageMemory, From: to.Add(-365 * 24 * time.Hour), To: to, Points: 1000})
	assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err))
	assert.ErrorContains(t, err, "at most 100000")
}

func TestParseTimespan(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"0:05:00": 5 * time.Minute, "1:00:00": time.Hour, "1 day, 0:00:00": 24 * time.Hour,
		"2 days, 1:00:00.500000": 49*time.Hour + 500*time.Millisecond, "300.0": 5 * time.Minute, "60": time.Minute,
	} {
		got, err := parseTimespan(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "5 minutes", "1:00", "x days, 0:00:00", "1 week, 0:00:00"} {
		_, err := parseTimespan(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestCPURateFromTheCumulativeCounter(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var s []slot
	for i := range 4 {
		// 2 vCPUs busy 50%: 60 s × 2 × 0.5 = 60e9 ns of CPU a minute
		s = append(s, slot{at: at.Add(time.Duration(i) * time.Minute), value: float64(i) * 60e9})
	}
	s = append(s, slot{at: at.Add(4 * time.Minute), value: 1e9}) // a reboot resets the counter
	r := cpuRate(s, time.Minute, 2)
	require.Len(t, r, 3)
	for _, x := range r {
		assert.InDelta(t, 50, x.value, 1e-9)
	}
}

func TestPickGranularityFitsWholeSlots(t *testing.T) {
	var m gnocchiMetric
	require.NoError(t, json.Unmarshal(archive, &m))
	hour := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		from time.Time
		step time.Duration
		want time.Duration
	}{
		{hour, time.Hour, time.Hour},                         // whole hourly slots
		{hour.Add(17 * time.Minute), time.Hour, time.Minute}, // hourly slots would straddle
		{hour, 10 * time.Minute, time.Minute},
		{hour.Add(7 * time.Second), 10 * time.Minute, time.Minute}, // nothing fits: the finest
		{hour, 30 * time.Second, time.Minute},                      // intervals finer than any slot
	} {
		got, err := pickGranularity(m, tc.from, tc.step)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "from %s step %s", tc.from.Format("15:04:05"), tc.step)
	}
}
