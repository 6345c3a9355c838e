package main

import (
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
)

// portalState is one state of seed 004's instance state machine: the
// symbol Waldur stores, the constant's name and the name it renders.
type portalState struct {
	Symbol, Const, Name string
}

// portalStates are seed 004's states, in its order.
var portalStates = []portalState{
	{"p", "PROVISIONING_SCHEDULED", "Provisioning Scheduled"},
	{"P", "PROVISIONING", "Provisioning"},
	{"+", "ONLINE", "Online"},
	{"-", "OFFLINE", "Offline"},
	{"a", "STARTING_SCHEDULED", "Starting Scheduled"},
	{"A", "STARTING", "Starting"},
	{"o", "STOPPING_SCHEDULED", "Stopping Scheduled"},
	{"O", "STOPPING", "Stopping"},
	{"e", "ERRED", "Erred"},
	{"d", "DELETION_SCHEDULED", "Deletion Scheduled"},
	{"D", "DELETING", "Deleting"},
	{"r", "RESIZING_SCHEDULED", "Resizing Scheduled"},
	{"R", "RESIZING", "Resizing"},
}

// stateTable maps every normalized state of the library onto a seed-004
// state symbol: the one table where the two vocabularies meet. The
// library acts on a request at once, so the "scheduled" states other than
// provisioning never occur; a paused or suspended instance is not running,
// so it is offline; a reboot is on its way back online.
var stateTable = map[perspective.State]string{
	perspective.StateQueued:          "p",
	perspective.StateLaunching:       "P",
	perspective.StateRebuilding:      "P",
	perspective.StateLaunched:        "+",
	perspective.StateSnapshotting:    "+",
	perspective.StateMigrating:       "+",
	perspective.StateShutoff:         "-",
	perspective.StatePaused:          "-",
	perspective.StateSuspended:       "-",
	perspective.StateShelved:         "-",
	perspective.StateStarting:        "A",
	perspective.StateResuming:        "A",
	perspective.StateRebooting:       "A",
	perspective.StateHardRebooting:   "A",
	perspective.StateShuttingDown:    "O",
	perspective.StatePausing:         "O",
	perspective.StateSuspending:      "O",
	perspective.StateError:           "e",
	perspective.StateUnknown:         "e",
	perspective.StateDeleting:        "D",
	perspective.StateDeleted:         "D",
	perspective.StateResizing:        "R",
	perspective.StateVerifyResize:    "R",
	perspective.StateRevertingResize: "R",
	// Seed 003's: a shelf is offline; a soft-deleted instance is deleted
	// later unless restored.
	perspective.StateShelving:         "O",
	perspective.StateUnshelving:       "A",
	perspective.StateShelvedOffloaded: "-",
	perspective.StateSoftDeleted:      "d",
	perspective.StateRestoring:        "A",
}

// stateOf returns the seed-004 state of a library state.
func stateOf(s perspective.State) portalState {
	sym, ok := stateTable[s]
	if !ok {
		sym = "e"
	}
	st, _ := parsePortalState(sym)
	return st
}

// parsePortalState accepts a state's symbol (exactly), or its constant or
// rendered name (in any case).
func parsePortalState(s string) (portalState, bool) {
	for _, st := range portalStates {
		if s == st.Symbol {
			return st, true
		}
	}
	for _, st := range portalStates {
		if strings.EqualFold(s, st.Const) || strings.EqualFold(s, st.Name) {
			return st, true
		}
	}
	return portalState{}, false
}

// statesNamed lists the names of the portal states a list of library
// states maps to, for error messages: "Offline, Erred".
func statesNamed(from []perspective.State) string {
	seen := map[string]bool{}
	var names []string
	for _, st := range portalStates {
		for _, s := range from {
			if stateTable[s] == st.Symbol && !seen[st.Symbol] {
				seen[st.Symbol] = true
				names = append(names, st.Name)
			}
		}
	}
	return strings.Join(names, ", ")
}
