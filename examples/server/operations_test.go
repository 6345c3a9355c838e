package main

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/libvirt"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// libvirtStandIn is a mock cloud that says it is of type libvirt and
// has exactly the capabilities of drivers/libvirt (checked below against
// the real driver's type): a real libvirt cloud needs a libvirtd, which
// this hermetic test has not (go-libvirt speaks libvirtd's RPC protocol,
// even to libvirt's test:///default driver).
type libvirtStandIn struct {
	driver.Driver
	driver.Rebooter
	driver.PowerManager
	driver.Pauser
	driver.Suspender
	driver.Renamer
	driver.Snapshotter
	driver.Locker
	driver.Tagger
	driver.MetadataManager
	driver.ConsoleGetter
	driver.LogGetter
	driver.UsageReporter
	driver.ImageWriter
	driver.KeypairManager
	driver.ChangeLister
}

func newLibvirtStandIn() libvirtStandIn {
	m := mock.New(mock.WithCloudID("lv"), mock.WithProject("lvp", "lvp"))
	return libvirtStandIn{Driver: m, Rebooter: m, PowerManager: m, Pauser: m, Suspender: m, Renamer: m,
		Snapshotter: m, Locker: m, Tagger: m, MetadataManager: m, ConsoleGetter: m, LogGetter: m,
		UsageReporter: m, ImageWriter: m, KeypairManager: m, ChangeLister: m}
}

func (s libvirtStandIn) Info() driver.Info {
	i := s.Driver.Info()
	i.Type = libvirt.Type
	return i
}

// unconnectedLibvirt is the real driver's type, never connected: enough
// for the capability table, which looks only at the methods a driver has.
type unconnectedLibvirt struct{ *libvirt.Driver }

func (unconnectedLibvirt) Info() driver.Info {
	return driver.Info{Type: libvirt.Type, CloudID: "libvirt-reference", ProjectID: "p"}
}

// TestOperationsOfTwoCloudTypes: on a Set of a mock cloud and a libvirt
// cloud, GET /operations has one line per cloud type, and the two lines
// differ exactly where the capabilities do: libvirt has no resize (nor
// its confirm and revert), no rebuild, no floating IPs, and none of seed
// 003's operator actions the mock has (shelve, migrate, backup, …).
func TestOperationsOfTwoCloudTypes(t *testing.T) {
	ref, err := perspective.NewCloud(unconnectedLibvirt{&libvirt.Driver{}})
	require.NoError(t, err)
	standIn, err := perspective.NewCloud(newLibvirtStandIn())
	require.NoError(t, err)
	require.Equal(t, ref.Operations(), standIn.Operations(), "the stand-in has the libvirt driver's capabilities")
	mockRef, err := perspective.NewCloud(mock.New())
	require.NoError(t, err)
	var capDiff []string // what the mock supports and libvirt does not, by the capability table
	for _, op := range mockRef.Operations() {
		require.True(t, mockRef.Supports(op))
		if !ref.Supports(op) {
			capDiff = append(capDiff, operationName(op))
		}
	}
	for _, c := range []*perspective.Cloud{ref, standIn, mockRef} {
		require.NoError(t, c.Close())
	}

	e := newEnvOf(t, mock.New(), newLibvirtStandIn())
	ops := decodeJSON[map[string][]string](t, e.mustGet("/operations"))
	require.Len(t, ops, 2, "one line per cloud type: %v", ops)
	mk, lv := ops["mock"], ops[libvirt.Type]
	for _, common := range []string{"listInstances", "addInstance", "deleteInstance", "rebootInstance", "hardRebootInstance",
		"startInstance", "shutdownInstance", "pauseInstance", "unpauseInstance", "resumeInstance", "suspendInstance",
		"renameInstance", "snapshotInstance", "lockInstance", "tagInstance", "setInstanceMetadata", "instanceConsole",
		"instanceLog", "instanceUsage", "addImage", "addKeypair"} {
		assert.Contains(t, mk, common)
		assert.Contains(t, lv, common)
	}
	onlyMock := slices.DeleteFunc(slices.Clone(mk), func(n string) bool { return slices.Contains(lv, n) })
	onlyLibvirt := slices.DeleteFunc(slices.Clone(lv), func(n string) bool { return slices.Contains(mk, n) })
	assert.Subset(t, onlyMock, []string{"resizeInstance", "confirmResizeInstance", "revertResizeInstance", "rebuildInstance",
		"addInstanceIp", "removeInstanceIp"}, "libvirt cannot resize, rebuild or hold floating IPs")
	assert.Subset(t, onlyMock, []string{"shelve", "migrate", "live-migrate", "backup", "force-delete"}, "nor do seed 003's operator actions")
	assert.ElementsMatch(t, capDiff, onlyMock, "the lines differ exactly where the capabilities do")
	assert.Empty(t, onlyLibvirt, "libvirt can do nothing the mock cannot")
}
