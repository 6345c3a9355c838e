package openstack

import (
	"context"
	"fmt"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/utils"

	"github.com/perspective-cloud/sdk/driver"
)

// MaxComputeMicroversion is the highest compute API microversion this driver
// understands (2.96, OpenStack 2024.1): it never asks for a higher one,
// whatever the server offers.
const MaxComputeMicroversion = "2.96"

// Microversions at which the compute API changed in a way the driver uses.
const (
	mvLocked       = "2.9"  // server "locked" field
	mvTags         = "2.26" // server tags
	mvNetworksAuto = "2.37" // create must say networks "auto"/"none"
	mvImageID      = "2.45" // createImage answers with image_id in the body
	mvFlavorEmbed  = "2.47" // server "flavor" is the flavor's copy, no id
	mvKeypairGen   = "2.92" // keypair create requires a public key
)

// microversion is a compute API microversion "major.minor".
type microversion struct{ major, minor int }

func parseMicroversion(s string) (microversion, error) {
	major, minor, err := utils.ParseMicroversion(s)
	if err != nil || major < 2 || minor < 0 {
		return microversion{}, driver.Errorf(driver.CodeInvalidArgument,
			"openstack: bad compute microversion %q (want e.g. 2.79)", s)
	}
	return microversion{major, minor}, nil
}

func (m microversion) String() string { return fmt.Sprintf("%d.%d", m.major, m.minor) }

func (m microversion) less(o microversion) bool {
	return m.major < o.major || (m.major == o.major && m.minor < o.minor)
}

// atLeast reports whether m is s or later; s is one of the constants above.
func (m microversion) atLeast(s string) bool {
	o, err := parseMicroversion(s)
	return err == nil && !m.less(o)
}

// negotiateMicroversion asks the compute endpoint which microversions it
// supports (gophercloud's utils.GetSupportedMicroversions) and picks the
// highest one both sides understand: min(server max, driver ceiling), which
// must not be below the server's minimum. An endpoint without microversions
// (a plain v2.1 without the version document) gets 2.1.
func negotiateMicroversion(ctx context.Context, compute *gophercloud.ServiceClient, ceiling string) (microversion, error) {
	top, err := parseMicroversion(firstNonEmpty(ceiling, MaxComputeMicroversion))
	if err != nil {
		return microversion{}, err
	}
	if maxKnown, _ := parseMicroversion(MaxComputeMicroversion); maxKnown.less(top) {
		top = maxKnown
	}
	supported, err := utils.GetSupportedMicroversions(ctx, compute)
	if err != nil {
		if code := driver.CodeOf(classify(err, "", "", "")); code == driver.CodeUnknown {
			// the endpoint answered but names no microversions: base API
			return microversion{2, 1}, nil
		}
		return microversion{}, classify(err, "open", "", "compute microversions")
	}
	serverMax := microversion{supported.MaxMajor, supported.MaxMinor}
	serverMin := microversion{supported.MinMajor, supported.MinMinor}
	chosen := top
	if serverMax.less(chosen) {
		chosen = serverMax
	}
	ok, err := supported.IsSupported(chosen.String())
	if err != nil || !ok || chosen.less(serverMin) {
		return microversion{}, driver.Errorf(driver.CodeUnsupported,
			"openstack: compute API supports microversions %s to %s, this driver %s at most",
			serverMin, serverMax, top)
	}
	return chosen, nil
}
