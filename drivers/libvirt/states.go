package libvirt

import (
	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/perspective-cloud/sdk/driver"
)

// domainState is what libvirt says of a domain's state: DomainGetState's
// state and reason, and whether a managed save image exists.
type domainState struct {
	state  golibvirt.DomainState
	reason int32
	saved  bool
}

// normalize maps a libvirt state onto the model's states, with the
// status word kept as Instance.Status and the fault for the error state.
//
//	running, blocked                         → launched
//	paused (by a user, or unknown reason)    → paused
//	paused while saving / migrating / snapshotting / starting up / shutting down
//	                                         → suspending / migrating / snapshotting / starting / shutting_down
//	paused on an I/O error, watchdog, crash, API error → error
//	in shutdown                              → shutting_down
//	shut off with a managed save image       → suspended
//	shut off after a crash or a failed start → error
//	shut off otherwise                       → shutoff
//	crashed                                  → error
//	pmsuspended (the guest slept)            → suspended
//	no state                                 → unknown
func (s domainState) normalize() (state driver.State, status, fault string) {
	switch s.state {
	case golibvirt.DomainRunning, golibvirt.DomainBlocked:
		return driver.StateLaunched, "running" + runningReason(s.reason), ""
	case golibvirt.DomainPaused:
		switch golibvirt.DomainPausedReason(s.reason) {
		case golibvirt.DomainPausedSave:
			return driver.StateSuspending, "paused (saving)", ""
		case golibvirt.DomainPausedMigration, golibvirt.DomainPausedPostcopy:
			return driver.StateMigrating, "paused (migrating)", ""
		case golibvirt.DomainPausedSnapshot, golibvirt.DomainPausedFromSnapshot:
			return driver.StateSnapshotting, "paused (snapshot)", ""
		case golibvirt.DomainPausedStartingUp:
			return driver.StateStarting, "paused (starting up)", ""
		case golibvirt.DomainPausedShuttingDown:
			return driver.StateShuttingDown, "paused (shutting down)", ""
		case golibvirt.DomainPausedIoerror:
			return driver.StateError, "paused (I/O error)", "the domain was paused on a disk I/O error"
		case golibvirt.DomainPausedWatchdog:
			return driver.StateError, "paused (watchdog)", "the domain's watchdog fired"
		case golibvirt.DomainPausedCrashed:
			return driver.StateError, "paused (crashed)", "the guest crashed"
		case golibvirt.DomainPausedAPIError, golibvirt.DomainPausedPostcopyFailed:
			return driver.StateError, "paused (failed)", "the hypervisor paused the domain after a failed operation"
		}
		return driver.StatePaused, "paused", ""
	case golibvirt.DomainShutdown:
		return driver.StateShuttingDown, "in shutdown", ""
	case golibvirt.DomainShutoff:
		if s.saved {
			return driver.StateSuspended, "shut off (saved)", ""
		}
		switch golibvirt.DomainShutoffReason(s.reason) {
		case golibvirt.DomainShutoffCrashed:
			return driver.StateError, "shut off (crashed)", "the guest crashed"
		case golibvirt.DomainShutoffFailed:
			return driver.StateError, "shut off (failed)", "the domain failed to start"
		case golibvirt.DomainShutoffSaved:
			// saved, yet the save image is gone (removed behind our back)
			return driver.StateShutoff, "shut off (save image removed)", ""
		}
		return driver.StateShutoff, "shut off", ""
	case golibvirt.DomainCrashed:
		return driver.StateError, "crashed", "the guest crashed"
	case golibvirt.DomainPmsuspended:
		return driver.StateSuspended, "pmsuspended", ""
	}
	return driver.StateUnknown, "no state", ""
}

func runningReason(r int32) string {
	switch golibvirt.DomainRunningReason(r) {
	case golibvirt.DomainRunningBooted:
		return " (booted)"
	case golibvirt.DomainRunningRestored:
		return " (restored)"
	case golibvirt.DomainRunningUnpaused:
		return " (unpaused)"
	case golibvirt.DomainRunningMigrated:
		return " (migrated)"
	case golibvirt.DomainRunningFromSnapshot:
		return " (from snapshot)"
	case golibvirt.DomainRunningWakeup:
		return " (woken up)"
	}
	return ""
}
