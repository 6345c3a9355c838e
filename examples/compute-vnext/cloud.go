package main

import (
	"context"
	"fmt"
	"net/url"

	_ "github.com/perspective-cloud/sdk/drivers/mock" // the mock:// scheme
	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// openCloud opens the cloud at rawURL. An openstack:// URL is configured
// through getenv (the OS_* variables of an openrc, or OS_CLOUD), never
// through the process's environment directly, so that tests stay hermetic.
func openCloud(ctx context.Context, rawURL string, getenv func(string) string) (*perspective.Cloud, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("-cloud %q: %w", rawURL, err)
	}
	if u.Scheme != openstack.Scheme {
		return perspective.Open(ctx, rawURL)
	}
	cfg, err := openstack.ConfigFromURL(u, getenv)
	if err != nil {
		return nil, err
	}
	drv, err := openstack.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return perspective.NewCloud(drv)
}
