package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	_ "github.com/perspective-cloud/sdk/drivers/libvirt"   // libvirt:///system, libvirt+tcp://host/system
	_ "github.com/perspective-cloud/sdk/drivers/mock"      // mock://
	_ "github.com/perspective-cloud/sdk/drivers/openstack" // openstack://
	"github.com/perspective-cloud/sdk/perspective"
)

// cloudURL turns a --cloud value into a URL for perspective.Open: "mock"
// is the built-in mock, "openstack" the OpenStack of the OS_* environment
// (or OS_CLOUD), a value with a scheme is used as it is, and any other word
// is a cloud name of clouds.yaml.
func cloudURL(v string) (string, error) {
	switch {
	case v == "":
		return "", usagef("--cloud is empty")
	case v == "mock":
		return "mock://", nil
	case v == "openstack":
		// The OS_* environment of a sourced openrc, or OS_CLOUD.
		return "openstack://", nil
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
	if err := a.selection(); err != nil {
		return nil, err
	}
	if len(a.clouds) == 0 {
		if os.Getenv("OS_AUTH_URL") != "" || os.Getenv("OS_CLOUD") != "" {
			u, err := a.fleetURL("openstack://")
			return []string{u}, err
		}
		return nil, usagef("no cloud: pass --cloud mock, --cloud NAME (of clouds.yaml), a URL, or source an openrc file")
	}
	var out []string
	for _, v := range a.clouds {
		u, err := cloudURL(v)
		if err == nil {
			u, err = a.fleetURL(u)
		}
		if err != nil {
			return nil, err
		}
		// A cloud named twice is one cloud (cobra's completion also parses
		// repeated flags twice).
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
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
	fleet, err := perspective.OpenFleet(ctx, urls, opts...)
	if err != nil {
		return nil, err
	}
	a.fleet = fleet
	a.openedFleet = slices.ContainsFunc(urls, isFleet)
	set, err := a.narrow(fleet.Set())
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

// seedGroup is NAME=N[:STATE] of --seed-instances.
type seedGroup struct {
	name  string
	count int
	state perspective.State
}

// stateLocked is the seed "state" of a launched, locked instance.
const stateLocked perspective.State = "locked"

// seedStates are the states --seed-instances can put instances in.
var seedStates = []perspective.State{perspective.StateLaunched, perspective.StateShutoff,
	perspective.StatePaused, perspective.StateSuspended, perspective.StateVerifyResize,
	perspective.StateError, stateLocked}

// parseSeed reads --seed-instances: N, or NAME=N[:STATE][,NAME=N[:STATE]…].
func parseSeed(v string) ([]seedGroup, error) {
	if v == "" {
		return nil, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 1 || n > perspective.MaxLaunchCount {
			return nil, usagef("--seed-instances %d: must be 1 to %d", n, perspective.MaxLaunchCount)
		}
		return []seedGroup{{"vm", n, perspective.StateLaunched}}, nil
	}
	var out []seedGroup
	for _, part := range strings.Split(v, ",") {
		name, rest, ok := strings.Cut(strings.TrimSpace(part), "=")
		num, state, _ := strings.Cut(rest, ":")
		n, err := strconv.Atoi(num)
		if !ok || name == "" || err != nil || n < 1 || n > perspective.MaxLaunchCount {
			return nil, usagef("--seed-instances %q: want N or NAME=N[:STATE][,…] with N from 1 to %d", v, perspective.MaxLaunchCount)
		}
		st := perspective.StateLaunched
		if state != "" {
			st = perspective.State(state)
			if !slices.Contains(seedStates, st) {
				return nil, usagef("--seed-instances %q: state %q is not one of %s", v, state, joinStates(seedStates))
			}
		}
		out = append(out, seedGroup{name, n, st})
	}
	return out, nil
}

// seedCloud launches the seed instances (NAME-1 … NAME-N, or NAME for
// one) on the mock cloud's smallest flavor and first image, brings them to
// their state through the library's own operations, and waits until they
// are there.
func seedCloud(ctx context.Context, c *perspective.Cloud, seeds []seedGroup) error {
	in := c.Instances()
	var launched []string
	for _, s := range seeds {
		rep, err := in.Launch(ctx, perspective.LaunchSpec{
			Name: s.name, Count: s.count, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
		if err != nil {
			return err
		}
		launched = append(launched, rep.IDs()...)
	}
	if len(launched) == 0 {
		return nil
	}
	if _, err := in.WaitFor(ctx, launched, perspective.StateLaunched); err != nil {
		return err
	}
	i := 0
	for _, s := range seeds {
		ids := launched[i : i+s.count]
		i += s.count
		if err := seedState(ctx, c, ids, s.state); err != nil {
			return fmt.Errorf("bringing %s to %s: %w", s.name, s.state, err)
		}
	}
	return nil
}

func seedState(ctx context.Context, c *perspective.Cloud, ids []string, st perspective.State) error {
	in := c.Instances()
	var err error
	switch st {
	case perspective.StateLaunched:
		return nil
	case perspective.StateError:
		type failer interface{ Fail(id, fault string) error }
		f, ok := c.Driver().(failer)
		if !ok {
			return fmt.Errorf("the %s driver cannot put instances in the error state", c.Info().Type)
		}
		for _, id := range ids {
			ref, _ := c.Resolve(id)
			if err := f.Fail(ref.RealID, "seeded fault: no valid host was found"); err != nil {
				return err
			}
		}
		return c.Sync(ctx) // a change behind the library's back: read it now, not at the next sync
	case stateLocked:
		_, err = in.Lock(ctx, ids...)
		return err
	case perspective.StateShutoff:
		_, err = in.Shutdown(ctx, ids...)
	case perspective.StatePaused:
		_, err = in.Pause(ctx, ids...)
	case perspective.StateSuspended:
		_, err = in.Suspend(ctx, ids...)
	case perspective.StateVerifyResize:
		_, err = in.Resize(ctx, "m1.small", ids...)
	}
	if err != nil {
		return err
	}
	_, err = in.WaitFor(ctx, ids, st)
	return err
}
