package main

import (
	"context"
	"fmt"
	"net/url"

	_ "github.com/perspective-cloud/sdk/drivers/libvirt" // libvirt:///system, libvirt+tcp://host/system
	_ "github.com/perspective-cloud/sdk/drivers/mock"    // registers mock://
	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// openClouds opens every URL as part of one fleet (an OpenStack URL with
// projects= or regions= expands into a cloud per project and region); when
// one fails, those already open are closed again. An openstack:// URL
// reads its OS_* variables through getenv, never from the process's
// environment, so that whoever calls run decides what it sees.
func openClouds(ctx context.Context, urls []string, getenv func(string) string) (*perspective.Fleet, error) {
	var srcs []perspective.FleetSource
	for _, raw := range urls {
		src, err := openSource(ctx, raw, getenv)
		if err != nil {
			for _, s := range srcs {
				_ = s.Close() // the error that made us give up is the one to report
			}
			return nil, fmt.Errorf("open %s: %w", raw, err)
		}
		srcs = append(srcs, src)
	}
	return perspective.NewFleet(ctx, srcs)
}

// openSource opens one URL: OpenStack with getenv for its variables, any
// other scheme through the registry.
func openSource(ctx context.Context, raw string, getenv func(string) string) (perspective.FleetSource, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != openstack.Scheme {
		return perspective.OpenSource(ctx, raw)
	}
	return openstack.OpenFleetSource(ctx, u, getenv)
}
