package perspective

import (
	"fmt"
	"github.com/perspective-cloud/sdk/driver"
	"slices"
	"strings"
)

// State is the normalized state of an instance: one vocabulary for every
// cloud, spelled as the original Perspective spells it.
type State = driver.State

// Normalized instance states. The first nineteen are the original
// Perspective's; the rest are what a modern cloud adds.
const (
	StateQueued          = driver.StateQueued
	StateLaunching       = driver.StateLaunching
	StateLaunched        = driver.StateLaunched
	StateRebooting       = driver.StateRebooting
	StateHardRebooting   = driver.StateHardRebooting
	StateShuttingDown    = driver.StateShuttingDown
	StateShutoff         = driver.StateShutoff
	StateStarting        = driver.StateStarting
	StatePausing         = driver.StatePausing
	StatePaused          = driver.StatePaused
	StateResuming        = driver.StateResuming
	StateSuspending      = driver.StateSuspending
	StateSuspended       = driver.StateSuspended
	StateResizing        = driver.StateResizing
	StateRebuilding      = driver.StateRebuilding
	StateSnapshotting    = driver.StateSnapshotting
	StateMigrating       = driver.StateMigrating
	StateDeleting        = driver.StateDeleting
	StateError           = driver.StateError
	StateVerifyResize    = driver.StateVerifyResize
	StateRevertingResize = driver.StateRevertingResize
	StateShelved         = driver.StateShelved
	StateDeleted         = driver.StateDeleted
	StateUnknown         = driver.StateUnknown
	// Seed 003's states: on and off the shelf, soft-deleted and back.
	StateShelving         = driver.StateShelving
	StateUnshelving       = driver.StateUnshelving
	StateShelvedOffloaded = driver.StateShelvedOffloaded
	StateSoftDeleted      = driver.StateSoftDeleted
	StateRestoring        = driver.StateRestoring
)

var allStates = []State{StateQueued, StateLaunching, StateLaunched, StateRebooting,
	StateHardRebooting, StateShuttingDown, StateShutoff, StateStarting, StatePausing,
	StatePaused, StateResuming, StateSuspending, StateSuspended, StateResizing,
	StateRebuilding, StateSnapshotting, StateMigrating, StateDeleting, StateError,
	StateVerifyResize, StateRevertingResize, StateShelved, StateDeleted, StateUnknown,
	StateShelving, StateUnshelving, StateShelvedOffloaded, StateSoftDeleted, StateRestoring}

// States returns every normalized state, in a stable order.
func States() []State { return slices.Clone(allStates) }

// ParseState returns the State spelled s, or an invalid-argument error.
func ParseState(s string) (State, error) {
	for _, st := range allStates {
		if string(st) == s {
			return st, nil
		}
	}
	return "", Errorf(CodeInvalidArgument, "unknown instance state %q", s)
}

// Transition is one rule of the state machine: an operation is admitted in
// the From states, puts the instance in Via while the cloud works, and
// leaves it in To. An empty Via means the operation has no visible
// transitional state; an empty To means the state does not change.
type Transition struct {
	From []State
	Via  State
	To   State
}

// living is every state but deleting, soft_deleted and deleted.
var living = []State{StateQueued, StateLaunching, StateLaunched, StateRebooting,
	StateHardRebooting, StateShuttingDown, StateShutoff, StateStarting, StatePausing,
	StatePaused, StateResuming, StateSuspending, StateSuspended, StateResizing,
	StateRebuilding, StateSnapshotting, StateMigrating, StateError, StateVerifyResize,
	StateRevertingResize, StateShelved, StateUnknown, StateShelving, StateUnshelving,
	StateShelvedOffloaded, StateRestoring}

// shelved is the states of an instance on the shelf.
var shelved = []State{StateShelved, StateShelvedOffloaded}

// resting is the states an instance rests in while it exists.
var resting = []State{StateLaunched, StateShutoff, StatePaused, StateSuspended}

var fsm = map[Operation]Transition{
	OpLaunch:        {From: nil, Via: StateLaunching, To: StateLaunched},
	OpDelete:        {From: append(slices.Clone(living), StateDeleting), Via: StateDeleting, To: StateDeleted},
	OpReboot:        {From: []State{StateLaunched}, Via: StateRebooting, To: StateLaunched},
	OpHardReboot:    {From: []State{StateLaunched, StateShutoff, StatePaused, StateSuspended, StateError, StateRebooting, StateUnknown}, Via: StateHardRebooting, To: StateLaunched},
	OpStart:         {From: []State{StateShutoff}, Via: StateStarting, To: StateLaunched},
	OpShutdown:      {From: []State{StateLaunched, StateError}, Via: StateShuttingDown, To: StateShutoff},
	OpPause:         {From: []State{StateLaunched}, Via: StatePausing, To: StatePaused},
	OpResume:        {From: []State{StatePaused, StateSuspended}, Via: StateResuming, To: StateLaunched},
	OpSuspend:       {From: []State{StateLaunched}, Via: StateSuspending, To: StateSuspended},
	OpResize:        {From: []State{StateLaunched, StateShutoff}, Via: StateResizing, To: StateVerifyResize},
	OpConfirmResize: {From: []State{StateVerifyResize}, Via: StateResizing, To: StateLaunched},
	OpRevertResize:  {From: []State{StateVerifyResize}, Via: StateRevertingResize, To: StateLaunched},
	OpRebuild:       {From: []State{StateLaunched, StateShutoff, StateError}, Via: StateRebuilding, To: StateLaunched},
	OpRename:        {From: living},
	OpSnapshot:      {From: resting, Via: StateSnapshotting},
	OpLock:          {From: living},
	OpUnlock:        {From: living},
	OpTag:           {From: living},
	OpUntag:         {From: living},
	OpSetMetadata:   {From: living},
	OpUnsetMetadata: {From: living},
	OpAddIP:         {From: resting},
	OpRemoveIP:      {From: resting},
	OpConsole:       {From: []State{StateLaunched, StatePaused}},
	OpLog:           {From: slices.DeleteFunc(slices.Clone(living), func(s State) bool { return s == StateQueued })},
	OpUsage:         {From: append(slices.Clone(living), StateDeleting, StateDeleted)},

	// Shelving: Nova offloads a shelved instance at once when its
	// shelved_offload_time is 0 (the default), so a shelve may end in
	// shelved_offloaded rather than shelved.
	OpShelve:        {From: resting, Via: StateShelving, To: StateShelved},
	OpShelveOffload: {From: []State{StateShelved}, Via: StateShelving, To: StateShelvedOffloaded},
	OpUnshelve:      {From: shelved, Via: StateUnshelving, To: StateLaunched},
	// A cold migration ends in verify_resize, confirmed or reverted as a resize.
	OpMigrate:             {From: []State{StateLaunched, StateShutoff}, Via: StateMigrating, To: StateVerifyResize},
	OpLiveMigrate:         {From: []State{StateLaunched, StatePaused}, Via: StateMigrating},
	OpBackup:              {From: resting, Via: StateSnapshotting},
	OpSetPassword:         {From: []State{StateLaunched}},
	OpAddSecurityGroup:    {From: living},
	OpRemoveSecurityGroup: {From: living},
	OpDiagnostics:         {From: resting},
	OpRestore:             {From: []State{StateSoftDeleted}, Via: StateRestoring, To: StateLaunched},
	OpForceDelete:         {From: append(slices.Clone(living), StateDeleting, StateSoftDeleted), Via: StateDeleting, To: StateDeleted},

	// The operator's: an evacuated instance is rebuilt on another host and
	// keeps its state (launched or shutoff; one in error comes back
	// launched); a state reset touches only the cloud's record.
	OpEvacuate:   {From: []State{StateLaunched, StateShutoff, StateError}, Via: StateRebuilding},
	OpResetState: {From: append(slices.Clone(living), StateDeleting, StateSoftDeleted)},
}

// TransitionOf returns the state-machine rule of op, and false for an
// operation that does not act on an existing instance's state.
func TransitionOf(op Operation) (Transition, bool) {
	t, ok := fsm[op]
	if !ok {
		return Transition{}, false
	}
	t.From = slices.Clone(t.From)
	return t, true
}

// Admits reports whether op is allowed on an instance in state s.
func Admits(op Operation, s State) bool {
	t, ok := fsm[op]
	return ok && slices.Contains(t.From, s)
}

// Check returns nil when op may be applied to inst now, and otherwise an
// invalid-state error (also matching ErrLocked for a locked instance) that
// names the instance, its state and the operation. It never calls a cloud.
func Check(inst Instance, op Operation) error {
	t, ok := fsm[op]
	if !ok || op == OpLaunch {
		return &Error{Code: CodeInvalidArgument, Op: op, Kind: KindInstance, ID: inst.ID,
			Msg: fmt.Sprintf("%q is not an operation on an existing instance", op)}
	}
	if inst.Locked && op.Mutating() && op != OpLock && op != OpUnlock {
		return &Error{Code: CodeInvalidState, Op: op, Kind: KindInstance, ID: inst.ID,
			State: inst.State, Locked: true,
			Msg: fmt.Sprintf("instance %q is locked; unlock it before %s", inst.Name, op)}
	}
	if slices.Contains(t.From, inst.State) {
		return nil
	}
	allowed := make([]string, len(t.From))
	for i, s := range t.From {
		allowed[i] = string(s)
	}
	return &Error{Code: CodeInvalidState, Op: op, Kind: KindInstance, ID: inst.ID, State: inst.State,
		Msg: fmt.Sprintf("instance %q is %s; %s is allowed only when %s",
			inst.Name, inst.State, op, strings.Join(allowed, ", "))}
}
