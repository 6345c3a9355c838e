package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	_ "github.com/perspective-cloud/sdk/drivers/mock"      // mock://
	_ "github.com/perspective-cloud/sdk/drivers/openstack" // openstack://
	"github.com/perspective-cloud/sdk/perspective"
)

// cloudURL turns a --cloud value into a URL for perspective.Open: "mock"
// is the built-in mock, a value with a scheme is used as it is, and any
// other word is a cloud name of clouds.yaml.
func cloudURL(v string) (string, error) {
	switch {
	case v == "":
		return "", usagef("--cloud is empty")
	case v == "mock":
		return "mock://", nil
	case strings.Contains(v, "://"):
		return v, nil
	case strings.ContainsAny(v, "/?&= "):
		return "", usagef("--cloud %q is neither mock, a URL nor a clouds.yaml cloud name", v)
	}
	return "openstack://?cloud=" + v, nil
}

// urls returns the clouds to open: the --cloud flags, or else the OS_*
// environment of a sourced openrc (or OS_CLOUD).
func (a *app) urls() ([]string, error) {
	if len(a.clouds) == 0 {
		if os.Getenv("OS_AUTH_URL") != "" || os.Getenv("OS_CLOUD") != "" {
			return []string{"openstack://"}, nil
		}
		return nil, usagef("no cloud: pass --cloud mock, --cloud NAME (of clouds.yaml), a URL, or source an openrc file")
	}
	out := make([]string, len(a.clouds))
	for i, v := range a.clouds {
		u, err := cloudURL(v)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

// clouds opens the clouds once, seeding mock clouds when asked.
func (a *app) open(ctx context.Context) (*perspective.Set, error) {
	if a.set != nil {
		return a.set, nil
	}
	urls, err := a.urls()
	if err != nil {
		return nil, err
	}
	seeds, err := parseSeed(a.seed)
	if err != nil {
		return nil, err
	}
	if len(seeds) > 0 {
		for _, u := range urls {
			if !strings.HasPrefix(u, "mock:") {
				return nil, usagef("--seed-instances works on mock clouds only, not %s", u)
			}
		}
	}
	var opts []perspective.Option
	if a.concurrency > 0 {
		opts = append(opts, perspective.WithConcurrency(a.concurrency))
	}
	set, err := perspective.OpenSet(ctx, urls, opts...)
	if err != nil {
		return nil, err
	}
	a.set = set
	for _, c := range set.Clouds() {
		if err := seedCloud(ctx, c, seeds); err != nil {
			return nil, fmt.Errorf("--seed-instances: %w", err)
		}
	}
	return set, nil
}

// seedGroup is NAME=N of --seed-instances.
type seedGroup struct {
	name  string
	count int
}

// parseSeed reads --seed-instances: N, or NAME=N[,NAME=N…].
func parseSeed(v string) ([]seedGroup, error) {
	if v == "" {
		return nil, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 1 || n > perspective.MaxLaunchCount {
			return nil, usagef("--seed-instances %d: must be 1 to %d", n, perspective.MaxLaunchCount)
		}
		return []seedGroup{{"vm", n}}, nil
	}
	var out []seedGroup
	for _, part := range strings.Split(v, ",") {
		name, num, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(num)
		if !ok || name == "" || err != nil || n < 1 || n > perspective.MaxLaunchCount {
			return nil, usagef("--seed-instances %q: want N or NAME=N[,NAME=N…] with N from 1 to %d", v, perspective.MaxLaunchCount)
		}
		out = append(out, seedGroup{name, n})
	}
	return out, nil
}

// seedCloud launches the seed instances (NAME-1 … NAME-N, or NAME for
// one) on the mock cloud's smallest flavor and first image, and waits until
// they run.
func seedCloud(ctx context.Context, c *perspective.Cloud, seeds []seedGroup) error {
	var ids []string
	for _, s := range seeds {
		rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{
			Name: s.name, Count: s.count, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
		if err != nil {
			return err
		}
		ids = append(ids, rep.IDs()...)
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := c.Instances().WaitFor(ctx, ids, perspective.StateLaunched)
	return err
}
