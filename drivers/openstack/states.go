package openstack

import (
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
)

// taskStates maps Nova's OS-EXT-STS:task_state values (nova/compute/task_states.py)
// to the transitional state they put an instance in. A task in progress says
// more than the status: an ACTIVE server with task_state image_snapshot is
// snapshotting, a SHUTOFF one with powering-on is starting.
var taskStates = map[string]perspective.State{
	"scheduling":                    perspective.StateQueued,
	"block_device_mapping":          perspective.StateLaunching,
	"networking":                    perspective.StateLaunching,
	"spawning":                      perspective.StateLaunching,
	"image_snapshot":                perspective.StateSnapshotting,
	"image_snapshot_pending":        perspective.StateSnapshotting,
	"image_pending_upload":          perspective.StateSnapshotting,
	"image_uploading":               perspective.StateSnapshotting,
	"image_backup":                  perspective.StateSnapshotting,
	"updating_password":             perspective.StateLaunched,
	"resize_prep":                   perspective.StateResizing,
	"resize_migrating":              perspective.StateResizing,
	"resize_migrated":               perspective.StateResizing,
	"resize_finish":                 perspective.StateResizing,
	"resize_confirming":             perspective.StateResizing,
	"resize_reverting":              perspective.StateRevertingResize,
	"rebooting":                     perspective.StateRebooting,
	"reboot_pending":                perspective.StateRebooting,
	"reboot_started":                perspective.StateRebooting,
	"rebooting_hard":                perspective.StateHardRebooting,
	"reboot_pending_hard":           perspective.StateHardRebooting,
	"reboot_started_hard":           perspective.StateHardRebooting,
	"pausing":                       perspective.StatePausing,
	"unpausing":                     perspective.StateResuming,
	"suspending":                    perspective.StateSuspending,
	"resuming":                      perspective.StateResuming,
	"powering-off":                  perspective.StateShuttingDown,
	"powering-on":                   perspective.StateStarting,
	"rescuing":                      perspective.StateRebooting,
	"unrescuing":                    perspective.StateRebooting,
	"rebuilding":                    perspective.StateRebuilding,
	"rebuild_block_device_mapping":  perspective.StateRebuilding,
	"rebuild_spawning":              perspective.StateRebuilding,
	"migrating":                     perspective.StateMigrating,
	"shelving":                      perspective.StateSnapshotting,
	"shelving_image_pending_upload": perspective.StateSnapshotting,
	"shelving_image_uploading":      perspective.StateSnapshotting,
	"shelving_offloading":           perspective.StateShelved,
	"unshelving":                    perspective.StateStarting,
	"deleting":                      perspective.StateDeleting,
	"soft-deleting":                 perspective.StateDeleting,
	"restoring":                     perspective.StateStarting,
}

// statuses maps every Nova server status (the API's "status" field) to the
// normalized state of a server with no task in progress.
var statuses = map[string]perspective.State{
	"ACTIVE":      perspective.StateLaunched,
	"BUILD":       perspective.StateLaunching,
	"DELETED":     perspective.StateDeleted,
	"ERROR":       perspective.StateError,
	"HARD_REBOOT": perspective.StateHardRebooting,
	"MIGRATING":   perspective.StateMigrating,
	"PASSWORD":    perspective.StateLaunched,
	"PAUSED":      perspective.StatePaused,
	"REBOOT":      perspective.StateRebooting,
	"REBUILD":     perspective.StateRebuilding,
	// A rescued server runs a rescue image and accepts only unrescue and
	// delete: none of the resting states describes it.
	"RESCUE":            perspective.StateUnknown,
	"RESIZE":            perspective.StateResizing,
	"REVERT_RESIZE":     perspective.StateRevertingResize,
	"SHELVED":           perspective.StateShelved,
	"SHELVED_OFFLOADED": perspective.StateShelved,
	"SHUTOFF":           perspective.StateShutoff,
	"SOFT_DELETED":      perspective.StateDeleted,
	"SUSPENDED":         perspective.StateSuspended,
	"UNKNOWN":           perspective.StateUnknown,
	"VERIFY_RESIZE":     perspective.StateVerifyResize,
}

// vmStates maps OS-EXT-STS:vm_state, used when the status is missing or one
// this driver does not know (a newer Nova).
var vmStates = map[string]perspective.State{
	"active":            perspective.StateLaunched,
	"building":          perspective.StateLaunching,
	"paused":            perspective.StatePaused,
	"suspended":         perspective.StateSuspended,
	"stopped":           perspective.StateShutoff,
	"rescued":           perspective.StateUnknown,
	"resized":           perspective.StateVerifyResize,
	"soft-delete":       perspective.StateDeleted,
	"deleted":           perspective.StateDeleted,
	"error":             perspective.StateError,
	"shelved":           perspective.StateShelved,
	"shelved_offloaded": perspective.StateShelved,
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
func NormalizeState(status, taskState, vmState string) perspective.State {
	status = strings.ToUpper(strings.TrimSpace(status))
	task := strings.ToLower(strings.TrimSpace(taskState))
	vm := strings.ToLower(strings.TrimSpace(vmState))

	if task == "deleting" || task == "soft-deleting" {
		return perspective.StateDeleting
	}
	byTask, hasTask := taskStates[task]
	if transitionalStatuses[status] {
		switch {
		case status == "BUILD" && (task == "" || task == "scheduling"):
			return perspective.StateQueued
		case status == "RESIZE" && task == "resize_reverting":
			return perspective.StateRevertingResize
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
	return perspective.StateUnknown
}
