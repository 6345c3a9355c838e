package openstack

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/perspective-cloud/sdk/perspective"
)

func TestNormalizeStateEveryNovaStatus(t *testing.T) {
	tests := []struct {
		status, task, vm string
		want             perspective.State
	}{
		{"ACTIVE", "", "active", perspective.StateLaunched},
		{"BUILD", "", "building", perspective.StateQueued},
		{"BUILD", "scheduling", "building", perspective.StateQueued},
		{"BUILD", "spawning", "building", perspective.StateLaunching},
		{"BUILD", "networking", "building", perspective.StateLaunching},
		{"DELETED", "", "deleted", perspective.StateDeleted},
		{"ERROR", "", "error", perspective.StateError},
		{"HARD_REBOOT", "reboot_started_hard", "active", perspective.StateHardRebooting},
		{"MIGRATING", "migrating", "active", perspective.StateMigrating},
		{"PASSWORD", "updating_password", "active", perspective.StateLaunched},
		{"PAUSED", "", "paused", perspective.StatePaused},
		{"REBOOT", "reboot_started", "active", perspective.StateRebooting},
		{"REBUILD", "rebuild_spawning", "active", perspective.StateRebuilding},
		{"RESCUE", "", "rescued", perspective.StateUnknown},
		{"RESIZE", "resize_migrating", "active", perspective.StateResizing},
		{"RESIZE", "resize_reverting", "resized", perspective.StateRevertingResize},
		{"REVERT_RESIZE", "resize_reverting", "resized", perspective.StateRevertingResize},
		{"SHELVED", "", "shelved", perspective.StateShelved},
		{"SHELVED_OFFLOADED", "", "shelved_offloaded", perspective.StateShelved},
		{"SHUTOFF", "", "stopped", perspective.StateShutoff},
		{"SOFT_DELETED", "", "soft-delete", perspective.StateDeleted},
		{"SUSPENDED", "", "suspended", perspective.StateSuspended},
		{"UNKNOWN", "", "", perspective.StateUnknown},
		{"VERIFY_RESIZE", "", "resized", perspective.StateVerifyResize},
		// a task in progress refines a resting status
		{"ACTIVE", "image_snapshot", "active", perspective.StateSnapshotting},
		{"ACTIVE", "powering-off", "active", perspective.StateShuttingDown},
		{"SHUTOFF", "powering-on", "stopped", perspective.StateStarting},
		{"ACTIVE", "pausing", "active", perspective.StatePausing},
		{"PAUSED", "unpausing", "paused", perspective.StateResuming},
		{"ACTIVE", "suspending", "active", perspective.StateSuspending},
		{"SUSPENDED", "resuming", "suspended", perspective.StateResuming},
		{"VERIFY_RESIZE", "resize_confirming", "resized", perspective.StateResizing},
		// deletion wins over everything
		{"ACTIVE", "deleting", "active", perspective.StateDeleting},
		{"ERROR", "deleting", "error", perspective.StateDeleting},
		// unknown status: vm_state decides, then unknown
		{"SOMETHING_NEW", "", "stopped", perspective.StateShutoff},
		{"", "", "", perspective.StateUnknown},
		{" active ", "", "", perspective.StateLaunched},
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
