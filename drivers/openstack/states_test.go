package openstack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

func TestNormalizeStateEveryNovaStatus(t *testing.T) {
	tests := []struct {
		status, task, vm string
		want             driver.State
	}{
		{"ACTIVE", "", "active", driver.StateLaunched},
		{"BUILD", "", "building", driver.StateQueued},
		{"BUILD", "scheduling", "building", driver.StateQueued},
		{"BUILD", "spawning", "building", driver.StateLaunching},
		{"BUILD", "networking", "building", driver.StateLaunching},
		{"DELETED", "", "deleted", driver.StateDeleted},
		{"ERROR", "", "error", driver.StateError},
		{"HARD_REBOOT", "reboot_started_hard", "active", driver.StateHardRebooting},
		{"MIGRATING", "migrating", "active", driver.StateMigrating},
		{"PASSWORD", "updating_password", "active", driver.StateLaunched},
		{"PAUSED", "", "paused", driver.StatePaused},
		{"REBOOT", "reboot_started", "active", driver.StateRebooting},
		{"REBUILD", "rebuild_spawning", "active", driver.StateRebuilding},
		{"RESCUE", "", "rescued", driver.StateUnknown},
		{"RESIZE", "resize_migrating", "active", driver.StateResizing},
		{"RESIZE", "resize_reverting", "resized", driver.StateRevertingResize},
		{"REVERT_RESIZE", "resize_reverting", "resized", driver.StateRevertingResize},
		{"SHELVED", "", "shelved", driver.StateShelved},
		{"SHELVED_OFFLOADED", "", "shelved_offloaded", driver.StateShelvedOffloaded},
		{"SHELVED", "shelving_offloading", "shelved", driver.StateShelving},
		{"SHELVED_OFFLOADED", "unshelving", "shelved_offloaded", driver.StateUnshelving},
		{"ACTIVE", "shelving", "active", driver.StateShelving},
		{"SOFT_DELETED", "restoring", "soft-delete", driver.StateRestoring},
		{"SHUTOFF", "", "stopped", driver.StateShutoff},
		{"SOFT_DELETED", "", "soft-delete", driver.StateSoftDeleted},
		{"SUSPENDED", "", "suspended", driver.StateSuspended},
		{"UNKNOWN", "", "", driver.StateUnknown},
		{"VERIFY_RESIZE", "", "resized", driver.StateVerifyResize},
		// a task in progress refines a resting status
		{"ACTIVE", "image_snapshot", "active", driver.StateSnapshotting},
		{"ACTIVE", "powering-off", "active", driver.StateShuttingDown},
		{"SHUTOFF", "powering-on", "stopped", driver.StateStarting},
		{"ACTIVE", "pausing", "active", driver.StatePausing},
		{"PAUSED", "unpausing", "paused", driver.StateResuming},
		{"ACTIVE", "suspending", "active", driver.StateSuspending},
		{"SUSPENDED", "resuming", "suspended", driver.StateResuming},
		{"VERIFY_RESIZE", "resize_confirming", "resized", driver.StateResizing},
		// deletion wins over everything
		{"ACTIVE", "deleting", "active", driver.StateDeleting},
		{"ERROR", "deleting", "error", driver.StateDeleting},
		// unknown status: vm_state decides, then unknown
		{"SOMETHING_NEW", "", "stopped", driver.StateShutoff},
		{"", "", "", driver.StateUnknown},
		{" active ", "", "", driver.StateLaunched},
	}
	for _, tt := range tests {
		t.Run(tt.status+"/"+tt.task, func(t *testing.T) {
			assert.Equal(t, tt.want, NormalizeState(tt.status, tt.task, tt.vm))
		})
	}
}

func TestEveryStatusMapsToAKnownState(t *testing.T) {
	known := perspective.States()
	for status, st := range statuses {
		assert.Contains(t, known, st, status)
	}
	for task, st := range taskStates {
		assert.Contains(t, known, st, task)
	}
}
