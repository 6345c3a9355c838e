package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// usagePoint is one point of GET /api/instances/{uuid}/usage/: the value
// over [from, to), times as Unix timestamps like the query's, with its unit
// (%, MiB, GiB) and where it came from (gnocchi: measured; allocation: what
// the flavor allocates; diagnostics: the present reading only), so that a
// chart can say what it shows. Seed 004's list of {from, to, value} stays
// as it is; unit and source are added to each point.
type usagePoint struct {
	From   int64   `json:"from"`
	To     int64   `json:"to"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
}

// parseUsageQuery reads ?item (required: cpu, memory or storage), ?from and
// ?to (Unix timestamps; default the last hour) and ?datapoints (default 6).
func parseUsageQuery(v url.Values) (perspective.UsageQuery, error) {
	var q perspective.UsageQuery
	switch item := v.Get("item"); item {
	case "cpu", "memory", "storage":
		q.Item = perspective.UsageItem(item)
	case "":
		return q, badRequest("item: required; one of cpu, memory, storage")
	default:
		return q, badRequest(fmt.Sprintf("item: %q is not one of cpu, memory, storage", item))
	}
	for _, ts := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		s := v.Get(ts.name)
		if s == "" {
			continue
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > 1e11 {
			return q, badRequest(fmt.Sprintf("%s: %q is not a Unix timestamp", ts.name, s))
		}
		sec, frac := math.Modf(f)
		*ts.dst = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	}
	if s := v.Get("datapoints"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return q, badRequest(fmt.Sprintf("datapoints: %q is not a number from 1 to 1000", s))
		}
		q.Points = n
	}
	if q.To.IsZero() {
		q.To = time.Now().UTC()
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-time.Hour)
	}
	if !q.From.Before(q.To) {
		return q, badRequest(fmt.Sprintf("from (%d) must be before to (%d)", q.From.Unix(), q.To.Unix()))
	}
	return q, nil
}

// handleUsage serves GET /api/instances/{uuid}/usage/ to whoever sees the
// instance.
func handleUsage(d *deps) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, _ http.ResponseWriter, r *http.Request) (int, any, error) {
		values, err := usageValues(r.URL.RawQuery)
		if err != nil {
			return 0, nil, err
		}
		l, err := d.portal.find(ctx, u, r.PathValue("uuid"))
		if err != nil {
			return 0, nil, err
		}
		q, err := parseUsageQuery(values)
		if err != nil {
			return 0, nil, err
		}
		series, err := d.portal.set.Instances().Usage(ctx, l.inst.ID, q)
		if err != nil {
			return 0, nil, err
		}
		out := make([]usagePoint, 0, len(series.Points))
		for _, pt := range series.Points {
			out = append(out, usagePoint{From: pt.From.Unix(), To: pt.To.Unix(), Value: pt.Value,
				Unit: series.Unit, Source: series.Source})
		}
		return http.StatusOK, out, nil
	})
}
