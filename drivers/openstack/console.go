package openstack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/diagnostics"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/remoteconsoles"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/usage"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// consoleKinds are the remote consoles asked for, in order of preference:
// a cloud answers 400 for a console type it has not enabled.
var consoleKinds = []remoteconsoles.CreateOpts{
	{Protocol: remoteconsoles.ConsoleProtocolVNC, Type: remoteconsoles.ConsoleTypeNoVNC},
	{Protocol: remoteconsoles.ConsoleProtocolSPICE, Type: remoteconsoles.ConsoleTypeSPICEHTML5},
	{Protocol: remoteconsoles.ConsoleProtocolSerial, Type: remoteconsoles.ConsoleTypeSerial},
}

// Console returns a remote console URL (compute microversion ≥ 2.6):
// noVNC, else SPICE, else serial, whichever the cloud has enabled.
func (d *Driver) Console(ctx context.Context, id string) (driver.Console, error) {
	if !d.mv.atLeast("2.6") {
		return driver.Console{}, d.unsupported(perspective.OpConsole, "remote consoles", "2.6")
	}
	var last error
	for _, k := range consoleKinds {
		c, err := remoteconsoles.Create(ctx, d.compute, id, k).Extract()
		if err == nil {
			return driver.Console{Type: firstNonEmpty(c.Type, string(k.Type)), URL: c.URL}, nil
		}
		last = act(err, perspective.OpConsole, id)
		if code := driver.CodeOf(last); code != driver.CodeInvalidArgument && code != driver.CodeUnsupported {
			return driver.Console{}, last
		}
	}
	return driver.Console{}, last
}

// ConsoleLog returns the last lines of the server's console log (all of it
// for zero).
func (d *Driver) ConsoleLog(ctx context.Context, id string, lines int) (string, error) {
	out, err := servers.ShowConsoleOutput(ctx, d.compute, id, servers.ShowConsoleOutputOpts{Length: lines}).Extract()
	return out, act(err, perspective.OpLog, id)
}

// Usage returns usage figures. From the cloud's telemetry (Gnocchi, see
// gnocchi.go) when the catalog has a metric service that knows the
// instance; otherwise from Nova, and the series says so: memory (MiB) and
// storage (GiB) from the simple-tenant-usage API, one request per
// interval, are what the flavor allocates ("allocation": the same in every
// interval the server existed in); CPU (percent of the vCPUs) from server
// diagnostics, which only know the present ("diagnostics": one point, for
// the interval that contains now, none for a past range). Clouds that
// refuse those APIs to the user (both are admin-only by default) answer
// ErrUnsupported.
func (d *Driver) Usage(ctx context.Context, id string, q driver.UsageQuery) (driver.UsageSeries, error) {
	if q.Points <= 0 || !q.From.Before(q.To) {
		return driver.UsageSeries{}, &driver.Error{Code: driver.CodeInvalidArgument, Msg: "usage query needs from < to and at least one point"}
	}
	var fallback string
	if d.metric != nil {
		s, err := d.gnocchiUsage(ctx, id, q)
		if !errors.Is(err, errNoTelemetry) {
			return s, err
		}
		fallback = "the metric service has no figures for this instance (" + err.Error() + "); "
	}
	step := q.To.Sub(q.From) / time.Duration(q.Points)
	if q.Item == driver.UsageCPU {
		pts, err := d.cpuUsage(ctx, id, q, step)
		note := fallback + "the hypervisor's present reading only: no point for a past range"
		return driver.UsageSeries{Item: q.Item, Unit: driver.UnitOf(q.Item), Source: "diagnostics", Note: note, Points: pts}, err
	}
	pts, err := d.allocationUsage(ctx, id, q, step)
	note := fallback + "what the flavor allocates, not what is used"
	return driver.UsageSeries{Item: q.Item, Unit: driver.UnitOf(q.Item), Source: "allocation", Note: note, Points: pts}, err
}

// allocationUsage reads the simple-tenant-usage figures of each interval.
func (d *Driver) allocationUsage(ctx context.Context, id string, q driver.UsageQuery, step time.Duration) ([]driver.UsagePoint, error) {
	inst, err := d.GetInstance(ctx, id)
	if err != nil {
		return nil, err
	}
	pts := []driver.UsagePoint{}
	for i := range q.Points {
		from := q.From.Add(time.Duration(i) * step)
		to := from.Add(step)
		su, err := d.serverUsage(ctx, inst.ProjectID, id, from, to)
		if err != nil {
			return nil, unsupportedIfRefused(act(err, perspective.OpUsage, id), "simple tenant usage")
		}
		if su == nil || su.Hours <= 0 {
			continue
		}
		v := float64(su.MemoryMB)
		if q.Item == driver.UsageStorage {
			v = float64(su.LocalGB)
		}
		pts = append(pts, driver.UsagePoint{From: from, To: to, Value: v})
	}
	return pts, nil
}

// serverUsage finds the server's entry in the project's usage of [from, to).
func (d *Driver) serverUsage(ctx context.Context, project, id string, from, to time.Time) (*usage.ServerUsage, error) {
	var found *usage.ServerUsage
	err := usage.SingleTenant(d.compute, project, usage.SingleTenantOpts{Start: &from, End: &to}).
		EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
			tu, err := usage.ExtractSingleTenant(p)
			if err != nil {
				return false, err
			}
			for i := range tu.ServerUsages {
				if tu.ServerUsages[i].InstanceID == id {
					found = &tu.ServerUsages[i]
					return false, nil
				}
			}
			return true, nil
		})
	return found, err
}

// cpuUsage reads the diagnostics' cpu_details utilisation (microversion ≥
// 2.48), averaged over the vCPUs, as the point of the interval holding now.
func (d *Driver) cpuUsage(ctx context.Context, id string, q driver.UsageQuery, step time.Duration) ([]driver.UsagePoint, error) {
	now := time.Now()
	if now.Before(q.From) || !now.Before(q.To.Add(time.Minute)) {
		return nil, nil
	}
	diag, err := diagnostics.Get(ctx, d.compute, id).Extract()
	if err != nil {
		return nil, unsupportedIfRefused(act(err, perspective.OpUsage, id), "server diagnostics")
	}
	util, ok := cpuUtilisation(diag)
	if !ok {
		return nil, &driver.Error{Code: driver.CodeUnsupported, Msg: "server diagnostics report no CPU utilisation"}
	}
	i := min(int(now.Sub(q.From)/step), q.Points-1)
	from := q.From.Add(time.Duration(i) * step)
	return []driver.UsagePoint{{From: from, To: from.Add(step), Value: util}}, nil
}

// cpuUtilisation averages cpu_details[].utilisation of standard diagnostics.
func cpuUtilisation(diag map[string]any) (float64, bool) {
	list, _ := diag["cpu_details"].([]any)
	var sum float64
	n := 0
	for _, c := range list {
		m, _ := c.(map[string]any)
		switch v := m["utilisation"].(type) {
		case float64:
			sum += v
			n++
		case json.Number:
			if f, err := v.Float64(); err == nil {
				sum += f
				n++
			}
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// unsupportedIfRefused turns "forbidden" (an admin-only API) into
// "unsupported for these credentials", keeping the cause.
func unsupportedIfRefused(err error, api string) error {
	if driver.CodeOf(err) != driver.CodeForbidden {
		return err
	}
	return &driver.Error{Code: driver.CodeUnsupported,
		Msg: strings.TrimSpace(api + " is not allowed for these credentials"), Err: err}
}
