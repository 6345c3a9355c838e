package perspectivetest

import (
	"context"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// Harness tells the conformance suite how to reach the cloud under test.
// Open is required; the other fields have defaults that suit the mock.
type Harness struct {
	// Open returns the cloud to test. It is called once per RunConformance.
	Open func(t *testing.T) *perspective.Cloud
	// Flavor and AltFlavor are two different flavors (ids or names) to
	// launch with and resize to; Image and AltImage two images to launch
	// and rebuild from. Network, if set, is the network to launch on.
	Flavor, AltFlavor string
	Image, AltImage   string
	Network           string
	// ExternalNetwork, if set, is where floating IPs come from.
	ExternalNetwork string
	// Prefix starts the name of everything the suite creates, so that a
	// real cloud's leftovers are easy to find (default "conformance").
	Prefix string
	// Timeout bounds each wait for an instance to settle (default 30 s).
	Timeout time.Duration
	// Mutations, when set, counts the calls that reached the cloud and
	// changed something; the suite uses it to prove that refused operations
	// never reach the cloud. A mock driver can count; a real cloud cannot.
	Mutations func() int
	// Concurrency is how many goroutines the concurrent-use scenario runs (default 8).
	Concurrency int
	// Admin says the credentials have the cloud's administrator role:
	// the operator scenarios (package operator), migrations and
	// diagnostics must then succeed; without it they must be forbidden.
	Admin bool
	// SoftDelete says the cloud keeps deleted instances for a while
	// (Nova's reclaim_instance_interval): a delete ends in soft_deleted,
	// and the suite restores one.
	SoftDelete bool
	// SecurityGroup is a security group the suite adds to and removes
	// from an instance (default "default").
	SecurityGroup string
	// Fail, when set, puts an instance (its real id) into the error state
	// with a fault, as a hypervisor failure would; the suite checks that a
	// migration's wait fails with it. A mock can; a real cloud cannot.
	Fail func(realID, fault string) error
	// Evacuate runs the evacuation scenario: it forces the host of an
	// instance down, evacuates it and forces the host up again (on Nova
	// the host then stays down until its nova-compute restarts).
	Evacuate bool
	// SingleHost says the cloud has one compute host: a migration has
	// nowhere to go there, so the migration scenario is not run and the
	// suite says so in its log (the project's one-host OpenStack).
	SingleHost bool
}

func (h *Harness) defaults() {
	if h.Prefix == "" {
		h.Prefix = "conformance"
	}
	if h.Timeout == 0 {
		h.Timeout = 30 * time.Second
	}
	if h.Concurrency == 0 {
		h.Concurrency = 8
	}
	if h.SecurityGroup == "" {
		h.SecurityGroup = "default"
	}
}

// suite is one run of the conformance scenarios.
type suite struct {
	h     Harness
	cloud *perspective.Cloud
	inst  *perspective.Instances
}

func (s *suite) ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 4*s.h.Timeout)
	t.Cleanup(cancel)
	return ctx
}

// mutations returns the harness's count, or -1 when it cannot count.
func (s *suite) mutations() int {
	if s.h.Mutations == nil {
		return -1
	}
	return s.h.Mutations()
}
