package mock

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

func init() {
	perspective.Register("mock", Open)
}

// Open makes a mock cloud from a URL, for perspective.Open:
//
//	mock://[CLOUD_ID]?project=ID&region=R&delay=2s&latency=5ms&faults=0.1&quota=N&seed=N&fail=OP:CODE[,OP:CODE…]
//
// The host names the cloud (default "mock"). Every parameter is optional;
// an unknown one is an invalid-argument error. fail makes every call of an
// operation (or driver method name) fail with an error of the named code,
// as WithFailing does: fail=console:unsupported,log:unsupported makes the
// remote console and the console log answer "unsupported" (HTTP 501 from
// examples/server). CODE is an error code's name (unsupported, forbidden,
// transient, quota_exceeded, …), never ok.
func Open(_ context.Context, u *url.URL) (driver.Driver, error) {
	var opts []Option
	if u.Host != "" {
		opts = append(opts, WithCloudID(u.Host))
	}
	for key, vals := range u.Query() {
		v := vals[len(vals)-1]
		var err error
		switch key {
		case "project":
			opts = append(opts, WithProject(v, v))
		case "region":
			opts = append(opts, WithRegion(v))
		case "delay", "latency":
			var d time.Duration
			if d, err = time.ParseDuration(v); err == nil && d >= 0 {
				if key == "delay" {
					opts = append(opts, WithDelay(d))
				} else {
					opts = append(opts, WithLatency(d))
				}
			} else if err == nil {
				err = fmt.Errorf("is negative")
			}
		case "faults":
			var f float64
			if f, err = strconv.ParseFloat(v, 64); err == nil && (f < 0 || f > 1) {
				err = fmt.Errorf("must be between 0 and 1")
			}
			opts = append(opts, WithFaultRate(f))
		case "quota":
			var n int
			if n, err = strconv.Atoi(v); err == nil && n < 0 {
				err = fmt.Errorf("is negative")
			}
			opts = append(opts, WithQuota(n))
		case "fail":
			var fails []Option
			if fails, err = parseFail(v); err == nil {
				opts = append(opts, fails...)
			}
		case "admin", "softdelete":
			var b bool
			if b, err = strconv.ParseBool(v); err == nil {
				if key == "admin" {
					opts = append(opts, WithAdmin(b))
				} else {
					opts = append(opts, WithSoftDelete(b))
				}
			}
		case "seed":
			var n uint64
			n, err = strconv.ParseUint(v, 10, 64)
			opts = append(opts, WithSeed(n))
		default:
			return nil, driver.Errorf(driver.CodeInvalidArgument, "mock: unknown URL parameter %q", key)
		}
		if err != nil {
			return nil, driver.Errorf(driver.CodeInvalidArgument, "mock: URL parameter %s=%q: %v", key, v, err)
		}
	}
	return New(opts...), nil
}

// parseFail parses the fail parameter: OP:CODE pairs separated by commas.
func parseFail(v string) ([]Option, error) {
	var opts []Option
	for pair := range strings.SplitSeq(v, ",") {
		op, name, ok := strings.Cut(strings.TrimSpace(pair), ":")
		if !ok || op == "" {
			return nil, fmt.Errorf("%q is not OP:CODE", pair)
		}
		code, ok := codeNamed(name)
		if !ok {
			return nil, fmt.Errorf("%q is not an error code (unsupported, forbidden, transient, …)", name)
		}
		opts = append(opts, WithFailing(perspective.Operation(op),
			driver.Errorf(code, "mock: %s fails with %s (URL parameter fail=%s:%s)", op, code, op, name)))
	}
	return opts, nil
}

// codeNamed returns the error code whose name is name; ok is never a failure.
func codeNamed(name string) (driver.Code, bool) {
	for c := driver.CodeUnknown; c <= driver.CodeCanceled; c++ {
		if c.String() == name {
			return c, true
		}
	}
	return driver.CodeOK, false
}

// ListProjects returns the one project of the mock cloud with its region.
func (d *Driver) ListProjects(ctx context.Context) ([]driver.Project, error) {
	if err := d.enter(ctx, "ListProjects", perspective.OpList); err != nil {
		return nil, err
	}
	return []driver.Project{{ID: d.cfg.projectID, Name: d.cfg.projectName,
		Regions: []driver.Region{{ID: d.cfg.region}}}}, nil
}

// Endpoints returns loopback endpoints shaped like an OpenStack catalog's.
func (d *Driver) Endpoints(ctx context.Context, projectID string) ([]driver.Endpoint, error) {
	if err := d.enter(ctx, "Endpoints", ""); err != nil {
		return nil, err
	}
	if projectID != d.cfg.projectID {
		return nil, driver.Errorf(driver.CodeNotFound, "mock: project %s could not be found", projectID)
	}
	r := d.cfg.region
	return []driver.Endpoint{
		{Service: "identity", Name: "keystone", Interface: "public", Region: r, URL: "http://127.0.0.1:5000/v3"},
		{Service: "compute", Name: "nova", Interface: "public", Region: r, URL: "http://127.0.0.1:8774/v2.1/" + projectID},
		{Service: "image", Name: "glance", Interface: "public", Region: r, URL: "http://127.0.0.1:9292"},
		{Service: "network", Name: "neutron", Interface: "public", Region: r, URL: "http://127.0.0.1:9696"},
	}, nil
}

// RCFile returns an OpenStack RC file for the project and region.
func (d *Driver) RCFile(ctx context.Context, projectID, region string) ([]byte, error) {
	if err := d.enter(ctx, "RCFile", ""); err != nil {
		return nil, err
	}
	if projectID != d.cfg.projectID {
		return nil, driver.Errorf(driver.CodeNotFound, "mock: project %s could not be found", projectID)
	}
	if region != d.cfg.region {
		return nil, driver.Errorf(driver.CodeNotFound, "mock: region %s could not be found", region)
	}
	return fmt.Appendf(nil, `#!/usr/bin/env bash
# OpenStack RC file for project %[1]s in region %[2]s (mock cloud %[3]s).
export OS_AUTH_URL=http://127.0.0.1:5000/v3
export OS_IDENTITY_API_VERSION=3
export OS_PROJECT_ID=%[1]s
export OS_PROJECT_NAME=%[4]q
export OS_USER_DOMAIN_NAME="Default"
export OS_PROJECT_DOMAIN_NAME="Default"
export OS_REGION_NAME=%[2]q
export OS_INTERFACE=public
echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT
`, projectID, region, d.cfg.cloudID, d.cfg.projectName), nil
}

// Quota reports instance use against the quota.
func (d *Driver) Quota(ctx context.Context, projectID string) (driver.Quota, error) {
	if err := d.enter(ctx, "Quota", ""); err != nil {
		return driver.Quota{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settle(d.now())
	var q driver.Quota
	q.Instances = driver.Usage{Used: len(d.servers), Max: d.cfg.quota}
	q.Keypairs = driver.Usage{Used: len(d.keypairs), Max: 100}
	used := 0
	for _, owner := range d.floating {
		if owner != "" {
			used++
		}
	}
	q.FloatingIPs = driver.Usage{Used: used, Max: 50}
	vcpus, ram := 0, 0
	for _, s := range d.servers {
		if s.inst.Flavor != nil {
			vcpus += s.inst.Flavor.VCPUs
			ram += s.inst.Flavor.RAM
		}
	}
	q.VCPUs = driver.Usage{Used: vcpus, Max: -1}
	q.RAM = driver.Usage{Used: ram, Max: -1}
	q.Disk, q.SecurityGroups, q.Volumes = driver.Usage{Max: -1}, driver.Usage{Max: 10}, driver.Usage{Max: 0}
	return q, nil
}

// AvailabilityZones returns the mock's one zone.
func (d *Driver) AvailabilityZones(ctx context.Context) ([]string, error) {
	if err := d.enter(ctx, "AvailabilityZones", ""); err != nil {
		return nil, err
	}
	return []string{"nova"}, nil
}
