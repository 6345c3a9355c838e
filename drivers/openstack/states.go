package openstack

import (
	"strings"

	"github.com/perspective-cloud/sdk/driver"
)

// taskStates maps Nova's OS-EXT-STS:task_state values (nova/compute/task_states.py)
// to the transitional state they put an instance in. A task in progress says
// more than the status: an ACTIVE server with task_state image_snapshot is
// snapshotting, a SHUTOFF one with powering-on is starting.
var taskStates = map[string]driver.State{
	"scheduling":                    driver.StateQueued,
	"block_device_mapping":          driver.StateLaunching,
	"networking":                    driver.StateLaunching,
	"spawning":                      driver.StateLaunching,
	"image_snapshot":                driver.StateSnapshotting,
	"image_snapshot_pending":        driver.StateSnapshotting,
	"image_pending_upload":          driver.StateSnapshotting,
	"image_uploading":               driver.StateSnapshotting,
	"image_backup":                  driver.StateSnapshotting,
	"updating_password":             driver.StateLaunched,
	"resize_prep":                   driver.StateResizing,
	"resize_migrating":              driver.StateResizing,
	"resize_migrated":               driver.StateResizing,
	"resize_finish":                 driver.StateResizing,
	"resize_confirming":             driver.StateResizing,
	"resize_reverting":              driver.StateRevertingResize,
	"rebooting":                     driver.StateRebooting,
	"reboot_pending":                driver.StateRebooting,
	"reboot_started":                driver.StateRebooting,
	"rebooting_hard":                driver.StateHardRebooting,
	"reboot_pending_hard":           driver.StateHardRebooting,
	"reboot_started_hard":           driver.StateHardRebooting,
	"pausing":                       driver.StatePausing,
	"unpausing":                     driver.StateResuming,
	"suspending":                    driver.StateSuspending,
	"resuming":                      driver.StateResuming,
	"powering-off":                  driver.StateShuttingDown,
	"powering-on":                   driver.StateStarting,
	"rescuing":                      driver.StateRebooting,
	"unrescuing":                    driver.StateRebooting,
	"rebuilding":                    driver.StateRebuilding,
	"rebuild_block_device_mapping":  driver.StateRebuilding,
	"rebuild_spawning":              driver.StateRebuilding,
	"migrating":                     driver.StateMigrating,
	"shelving":                      driver.StateShelving,
	"shelving_image_pending_upload": driver.StateShelving,
	"shelving_image_uploading":      driver.StateShelving,
	"shelving_offloading":           driver.StateShelving,
	"spawning_unshelve":             driver.StateUnshelving,
	"unshelving":                    driver.StateUnshelving,
	"deleting":                      driver.StateDeleting,
	"soft-deleting":                 driver.StateDeleting,
	"restoring":                     driver.StateRestoring,
}

// statuses maps every Nova server status (the API's "status" field) to the
// normalized state of a server with no task in progress.
var statuses = map[string]driver.State{
	"ACTIVE":      driver.StateLaunched,
	"BUILD":       driver.StateLaunching,
	"DELETED":     driver.StateDeleted,
	"ERROR":       driver.StateError,
	"HARD_REBOOT": driver.StateHardRebooting,
	"MIGRATING":   driver.StateMigrating,
	"PASSWORD":    driver.StateLaunched,
	"PAUSED":      driver.StatePaused,
	"REBOOT":      driver.StateRebooting,
	"REBUILD":     driver.StateRebuilding,
	// A rescued server runs a rescue image and accepts only unrescue and
	// delete: none of the resting states describes it.
	"RESCUE":            driver.StateUnknown,
	"RESIZE":            driver.StateResizing,
	"REVERT_RESIZE":     driver.StateRevertingResize,
	"SHELVED":           driver.StateShelved,
	"SHELVED_OFFLOADED": driver.StateShelvedOffloaded,
	"SHUTOFF":           driver.StateShutoff,
	"SOFT_DELETED":      driver.StateSoftDeleted,
	"SUSPENDED":         driver.StateSuspended,
	"UNKNOWN":           driver.StateUnknown,
	"VERIFY_RESIZE":     driver.StateVerifyResize,
}

// vmStates maps OS-EXT-STS:vm_state, used when the status is missing or one
// this driver does not know (a newer Nova).
var vmStates = map[string]driver.State{
	"active":            driver.StateLaunched,
	"building":          driver.StateLaunching,
	"paused":            driver.StatePaused,
	"suspended":         driver.StateSuspended,
	"stopped":           driver.StateShutoff,
	"rescued":           driver.StateUnknown,
	"resized":           driver.StateVerifyResize,
	"soft-delete":       driver.StateSoftDeleted,
	"deleted":           driver.StateDeleted,
	"error":             driver.StateError,
	"shelved":           driver.StateShelved,
	"shelved_offloaded": driver.StateShelvedOffloaded,
}

// transitionalStatuses are the statuses that already name a transition; a
// task state only refines them (BUILD+spawning is launching, BUILD+scheduling
// queued; RESIZE+resize_reverting is reverting).
var transitionalStatuses = map[string]bool{
	"BUILD": true, "REBOOT": true, "HARD_REBOOT": true, "REBUILD": true,
	"RESIZE": true, "REVERT_RESIZE": true, "MIGRATING": true, "PASSWORD": true,
}

// NormalizeState maps a Nova server's status, OS-EXT-STS:task_state and
// OS-EXT-STS:vm_state to the normalized state. Deletion in progress wins over
// everything; a task in progress wins over a resting status; an unknown
// status falls back on the vm_state, then on StateUnknown.
func NormalizeState(status, taskState, vmState string) driver.State {
	status = strings.ToUpper(strings.TrimSpace(status))
	task := strings.ToLower(strings.TrimSpace(taskState))
	vm := strings.ToLower(strings.TrimSpace(vmState))

	if task == "deleting" || task == "soft-deleting" {
		return driver.StateDeleting
	}
	byTask, hasTask := taskStates[task]
	if transitionalStatuses[status] {
		switch {
		case status == "BUILD" && (task == "" || task == "scheduling"):
			return driver.StateQueued
		case status == "RESIZE" && task == "resize_reverting":
			return driver.StateRevertingResize
		}
		return statuses[status]
	}
	if hasTask {
		return byTask
	}
	if s, ok := statuses[status]; ok {
		return s
	}
	if s, ok := vmStates[vm]; ok {
		return s
	}
	return driver.StateUnknown
}
