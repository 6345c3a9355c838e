package driver

// State is the normalized state of an instance: one vocabulary for every
// cloud, spelled as the original Perspective spells it. A driver maps its
// cloud's statuses onto these; perspective.State is this type.
type State string

// Normalized instance states. The first nineteen are the original
// Perspective's; the rest are what a modern cloud adds.
const (
	StateQueued          State = "queued"
	StateLaunching       State = "launching"
	StateLaunched        State = "launched"
	StateRebooting       State = "rebooting"
	StateHardRebooting   State = "hard_rebooting"
	StateShuttingDown    State = "shutting_down"
	StateShutoff         State = "shutoff"
	StateStarting        State = "starting"
	StatePausing         State = "pausing"
	StatePaused          State = "paused"
	StateResuming        State = "resuming"
	StateSuspending      State = "suspending"
	StateSuspended       State = "suspended"
	StateResizing        State = "resizing"
	StateRebuilding      State = "rebuilding"
	StateSnapshotting    State = "snapshotting"
	StateMigrating       State = "migrating"
	StateDeleting        State = "deleting"
	StateError           State = "error"
	StateVerifyResize    State = "verify_resize"
	StateRevertingResize State = "reverting_resize"
	StateShelved         State = "shelved"
	StateDeleted         State = "deleted"
	StateUnknown         State = "unknown"
	// StateShelving and StateUnshelving are an instance on its way into
	// and out of the shelf; StateShelvedOffloaded is a shelved instance
	// whose disk left its host (Nova's SHELVED_OFFLOADED), StateSoftDeleted
	// a deleted instance that can still be restored (SOFT_DELETED), and
	// StateRestoring one on its way back from there.
	StateShelving         State = "shelving"
	StateUnshelving       State = "unshelving"
	StateShelvedOffloaded State = "shelved_offloaded"
	StateSoftDeleted      State = "soft_deleted"
	StateRestoring        State = "restoring"
)

// Transitional reports whether s is a state an instance passes through on
// its way to another (rebooting, resizing, …) rather than one it rests in.
func (s State) Transitional() bool {
	switch s {
	case StateQueued, StateLaunching, StateRebooting, StateHardRebooting, StateShuttingDown,
		StateStarting, StatePausing, StateResuming, StateSuspending, StateResizing,
		StateRebuilding, StateSnapshotting, StateMigrating, StateDeleting, StateRevertingResize,
		StateShelving, StateUnshelving, StateRestoring:
		return true
	}
	return false
}

// ImageState is the normalized state of an image; perspective.ImageState is
// this type.
type ImageState string

// Normalized image states.
const (
	ImageQueued   ImageState = "queued"
	ImageSaving   ImageState = "saving"
	ImageSaved    ImageState = "saved"
	ImageDeleting ImageState = "deleting"
	ImageDeleted  ImageState = "deleted"
	ImageError    ImageState = "error"
	ImageUnknown  ImageState = "unknown"
)
