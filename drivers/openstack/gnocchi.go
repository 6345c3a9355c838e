package openstack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/perspective-cloud/sdk/driver"
)

// Usage figures from the cloud's telemetry: Gnocchi, the `metric` service
// of the catalog (fed by Ceilometer in production). The instance's resource
// (type "instance", id = the server's id) names its metrics:
//
//	cpu      cpu_util (percent), or the rate of the cumulative cpu counter
//	         (nanoseconds) over the instance's vCPUs when only that exists
//	memory   memory.usage (MiB)
//	storage  disk.usage (bytes, shown in GiB)
//
// One request reads a metric's means over [from, to) at one granularity of
// its archive policy: the coarsest whose slots fit the asked intervals
// whole (see pickGranularity), so the reply stays small. Each asked interval's value is the mean of Gnocchi's
// slot means that start in it (refresh=true: measures not yet processed by
// metricd count too); an interval without a slot is absent from the result.

// errNoTelemetry says the metric service knows nothing of an instance (no
// resource, no such metric): the caller falls back to what Nova knows.
var errNoTelemetry = errors.New("no telemetry for this instance")

// maxSlots bounds the slots one usage query reads from Gnocchi.
const maxSlots = 100_000

// metricClient returns a client of the catalog's metric service, or nil
// when the catalog has none (most clouds without telemetry).
func metricClient(pc *gophercloud.ProviderClient, eo gophercloud.EndpointOpts) *gophercloud.ServiceClient {
	eo.ApplyDefaults("metric")
	u, err := pc.EndpointLocator(eo)
	if err != nil || u == "" {
		return nil
	}
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: gophercloud.NormalizeURL(u), Type: "metric"}
}

type gnocchiResource struct {
	ID      string            `json:"id"`
	Metrics map[string]string `json:"metrics"`
}

type gnocchiMetric struct {
	ArchivePolicy struct {
		Name       string `json:"name"`
		Definition []struct {
			Granularity string `json:"granularity"`
		} `json:"definition"`
	} `json:"archive_policy"`
}

// gnocchiUsage answers a usage query from Gnocchi, or errNoTelemetry.
func (d *Driver) gnocchiUsage(ctx context.Context, id string, q driver.UsageQuery) (driver.UsageSeries, error) {
	out := driver.UsageSeries{Item: q.Item, Unit: driver.UnitOf(q.Item), Source: "gnocchi"}
	var res gnocchiResource
	if err := d.metricGet(ctx, "v1/resource/instance/"+url.PathEscape(id), nil, &res); err != nil {
		return out, err
	}
	var names []string
	switch q.Item {
	case driver.UsageCPU:
		names = []string{"cpu_util", "cpu"}
	case driver.UsageMemory:
		names = []string{"memory.usage"}
	case driver.UsageStorage:
		names = []string{"disk.usage"}
	}
	i := slices.IndexFunc(names, func(n string) bool { return res.Metrics[n] != "" })
	if i < 0 {
		return out, fmt.Errorf("%w: the resource has no %s metric", errNoTelemetry, strings.Join(names, " or "))
	}
	name, metricID := names[i], res.Metrics[names[i]]
	var m gnocchiMetric
	if err := d.metricGet(ctx, "v1/metric/"+url.PathEscape(metricID), nil, &m); err != nil {
		return out, err
	}
	step := q.To.Sub(q.From) / time.Duration(q.Points)
	gran, err := pickGranularity(m, q.From, step)
	if err != nil {
		return out, err
	}
	if slots := q.To.Sub(q.From) / gran; slots > maxSlots {
		return out, driver.Errorf(driver.CodeInvalidArgument,
			"usage: from..to holds %d slots of the metric's granularity %s; at most %d", slots, gran, maxSlots)
	}
	from := q.From
	if name == "cpu" {
		from = from.Add(-gran) // one slot more: a rate needs the slot before
	}
	params := url.Values{
		"start":       {from.UTC().Format(time.RFC3339)},
		"stop":        {q.To.UTC().Format(time.RFC3339)},
		"granularity": {strconv.FormatFloat(gran.Seconds(), 'f', -1, 64)},
		"aggregation": {"mean"},
		"refresh":     {"true"},
	}
	var raw [][3]any
	if err := d.metricGet(ctx, "v1/metric/"+url.PathEscape(metricID)+"/measures", params, &raw); err != nil {
		return out, err
	}
	slotsOf, err := parseMeasures(raw)
	if err != nil {
		return out, err
	}
	switch name {
	case "cpu":
		inst, err := d.GetInstance(ctx, id)
		if err != nil {
			return out, err
		}
		vcpus := 1
		if inst.Flavor != nil && inst.Flavor.VCPUs > 0 {
			vcpus = inst.Flavor.VCPUs
		}
		slotsOf = cpuRate(slotsOf, gran, vcpus)
		out.Note = "rate of the cumulative cpu counter over the instance's vCPUs"
	case "disk.usage":
		for i := range slotsOf {
			slotsOf[i].value /= 1 << 30
		}
	}
	out.Points = bucket(slotsOf, q.From, step, q.Points)
	out.Note = strings.TrimPrefix(out.Note+"; ", "; ") + fmt.Sprintf("Gnocchi's mean per %s slot of archive policy %s, averaged per interval",
		gran, m.ArchivePolicy.Name)
	return out, nil
}

// metricGet GETs a path of the metric service into v; a 404 (no such
// resource, metric or resource type) is errNoTelemetry.
func (d *Driver) metricGet(ctx context.Context, path string, params url.Values, v any) error {
	u := d.metric.ServiceURL(strings.Split(path, "/")...)
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	_, err := d.metric.Get(ctx, u, v, &gophercloud.RequestOpts{OkCodes: []int{http.StatusOK}})
	if err == nil {
		return nil
	}
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return fmt.Errorf("%w: %s", errNoTelemetry, replyOf(err))
	}
	return classify(err, "usage", "", "")
}

// replyOf is the reply body of a failed request, bounded, for messages.
func replyOf(err error) string {
	var e gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &e) {
		return replyMessage(e.Body)
	}
	return err.Error()
}

// pickGranularity chooses a granularity of the metric's archive policy for
// intervals of step starting at from. Gnocchi's slots are aligned to the
// epoch, so the best is the coarsest granularity that divides step and
// from's offset (each interval then holds whole slots only); else the
// finest there is (a slot straddling two intervals counts in the one it
// starts in).
func pickGranularity(m gnocchiMetric, from time.Time, step time.Duration) (time.Duration, error) {
	var grans []time.Duration
	for _, def := range m.ArchivePolicy.Definition {
		g, err := parseTimespan(def.Granularity)
		if err != nil || g <= 0 {
			continue
		}
		grans = append(grans, g)
	}
	if len(grans) == 0 {
		return 0, driver.Errorf(driver.CodeUnknown, "usage: the metric's archive policy %q names no granularity", m.ArchivePolicy.Name)
	}
	slices.Sort(grans)
	for _, g := range slices.Backward(grans) {
		if g <= step && step%g == 0 && from.UnixNano()%int64(g) == 0 {
			return g, nil
		}
	}
	return grans[0], nil // the finest: closest to the intervals' edges
}

// parseTimespan reads Gnocchi's rendering of a Python timedelta: "0:05:00",
// "1 day, 0:00:00", "2 days, 1:00:00.500000", or plain seconds ("300.0").
func parseTimespan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(f * float64(time.Second)), nil
	}
	var days int
	if i := strings.Index(s, ","); i >= 0 {
		f := strings.Fields(s[:i])
		if len(f) != 2 || !strings.HasPrefix(f[1], "day") {
			return 0, fmt.Errorf("timespan %q", s)
		}
		n, err := strconv.Atoi(f[0])
		if err != nil {
			return 0, fmt.Errorf("timespan %q: %w", s, err)
		}
		days, s = n, strings.TrimSpace(s[i+1:])
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("timespan %q", s)
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, fmt.Errorf("timespan %q: %w", s, err)
	}
	return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*float64(time.Second)), nil
}

type slot struct {
	at    time.Time
	value float64
}

// parseMeasures reads Gnocchi's [[timestamp, granularity, value], …].
func parseMeasures(raw [][3]any) ([]slot, error) {
	out := make([]slot, 0, len(raw))
	for _, r := range raw {
		ts, _ := r[0].(string)
		at, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return nil, driver.Errorf(driver.CodeUnknown, "usage: Gnocchi answered a measure with timestamp %q", ts)
		}
		var v float64
		switch x := r[2].(type) {
		case float64:
			v = x
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				continue
			}
			v = f
		default:
			continue // null: no value in that slot
		}
		out = append(out, slot{at: at, value: v})
	}
	slices.SortFunc(out, func(a, b slot) int { return a.at.Compare(b.at) })
	return out, nil
}

// cpuRate turns the means of the cumulative cpu counter (nanoseconds of
// CPU time) into percent of vcpus, from one slot to the next.
func cpuRate(s []slot, gran time.Duration, vcpus int) []slot {
	var out []slot
	for i := 1; i < len(s); i++ {
		dt := s[i].at.Sub(s[i-1].at)
		dv := s[i].value - s[i-1].value
		if dt <= 0 || dv < 0 { // a counter reset (reboot): no figure for that slot
			continue
		}
		out = append(out, slot{at: s[i].at, value: dv / float64(dt.Nanoseconds()) / float64(vcpus) * 100})
	}
	return out
}

// bucket averages the slots starting in each of points intervals of step
// from from; intervals without a slot are left out.
func bucket(s []slot, from time.Time, step time.Duration, points int) []driver.UsagePoint {
	sums := make([]float64, points)
	counts := make([]int, points)
	for _, sl := range s {
		if sl.at.Before(from) {
			continue
		}
		i := int(sl.at.Sub(from) / step)
		if i >= points {
			continue
		}
		sums[i] += sl.value
		counts[i]++
	}
	out := []driver.UsagePoint{}
	for i := range points {
		if counts[i] == 0 {
			continue
		}
		f := from.Add(time.Duration(i) * step)
		v := sums[i] / float64(counts[i])
		out = append(out, driver.UsagePoint{From: f, To: f.Add(step), Value: math.Round(v*100) / 100})
	}
	return out
}
