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

// openClouds opens the cloud of every URL and makes a Set of them; when
// one fails, those already open are closed again. An openstack:// URL
// reads its OS_* variables through getenv, never from the process's
// environment, so that whoever calls run decides what it sees.
func openClouds(ctx context.Context, urls []string, getenv func(string) string) (*perspective.Set, error) {
	var clouds []*perspective.Cloud
	closeAll := func() {
		for _, c := range clouds {
			_ = c.Close() // the error that made us give up is the one to report
		}
	}
	for _, raw := range urls {
		c, err := openCloud(ctx, raw, getenv)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("open %s: %w", raw, err)
		}
		clouds = append(clouds, c)
	}
	set, err := perspective.NewSet(clouds...)
	if err != nil {
		closeAll()
		return nil, err
	}
	return set, nil
}

// openCloud opens one cloud: OpenStack with getenv for its variables, any
// other scheme through the registry.
func openCloud(ctx context.Context, raw string, getenv func(string) string) (*perspective.Cloud, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != openstack.Scheme {
		return perspective.Open(ctx, raw)
	}
	cfg, err := openstack.ConfigFromURL(u, getenv)
	if err != nil {
		return nil, err
	}
	d, err := openstack.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c, err := perspective.NewCloud(d)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	return c, nil
}
