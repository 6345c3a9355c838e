package main

import (
	"slices"

	"github.com/perspective-cloud/sdk/perspective"
)

// originalNames is the one table from the library's operations to the
// names the original Perspective uses on the wire (its config.xsd
// operationType: addInstance, rebootInstance, …). Operations the original
// lacked get names in the same style.
var originalNames = []struct {
	op   perspective.Operation
	name string
}{
	{perspective.OpLaunch, "addInstance"},
	{perspective.OpDelete, "deleteInstance"},
	{perspective.OpReboot, "rebootInstance"},
	{perspective.OpHardReboot, "hardRebootInstance"},
	{perspective.OpStart, "startInstance"},
	{perspective.OpShutdown, "shutdownInstance"},
	{perspective.OpPause, "pauseInstance"},
	{perspective.OpResume, "resumeInstance"},
	{perspective.OpSuspend, "suspendInstance"},
	{perspective.OpResize, "resizeInstance"},
	{perspective.OpConfirmResize, "confirmResizeInstance"},
	{perspective.OpRevertResize, "revertResizeInstance"},
	{perspective.OpRebuild, "rebuildInstance"},
	{perspective.OpRename, "renameInstance"},
	{perspective.OpSnapshot, "snapshotInstance"},
	{perspective.OpLock, "lockInstance"},
	{perspective.OpUnlock, "unlockInstance"},
	{perspective.OpTag, "tagInstance"},
	{perspective.OpUntag, "untagInstance"},
	{perspective.OpSetMetadata, "setInstanceMetadata"},
	{perspective.OpUnsetMetadata, "unsetInstanceMetadata"},
	{perspective.OpAddIP, "addInstanceIp"},
	{perspective.OpRemoveIP, "removeInstanceIp"},
	{perspective.OpConsole, "instanceConsole"},
	{perspective.OpLog, "instanceLog"},
	{perspective.OpUsage, "instanceUsage"},
	{perspective.OpAddImage, "addImage"},
	{perspective.OpUpdateImage, "updateImage"},
	{perspective.OpDeleteImage, "deleteImage"},
	{perspective.OpAddKeypair, "addKeypair"},
	{perspective.OpDeleteKeypair, "deleteKeypair"},
}

// listNames are the original's listing operations: every cloud can list.
var listNames = []string{"listProjects", "listInstances", "listImages"}

// operationName returns the wire name of op (op itself when the table
// has none).
func operationName(op perspective.Operation) string {
	for _, e := range originalNames {
		if e.op == op {
			return e.name
		}
	}
	return string(op)
}

// operationsOf returns, per cloud type, the wire names of the operations
// every cloud of that type supports (GET /operations). A cloud that can
// pause can also unpause, which the original names apart from resume.
func operationsOf(set *perspective.Set) map[string][]string {
	out := map[string][]string{}
	for typ, ops := range set.Operations() {
		names := slices.Clone(listNames)
		for _, op := range ops {
			names = append(names, operationName(op))
		}
		if slices.Contains(ops, perspective.OpPause) && slices.Contains(ops, perspective.OpResume) {
			names = append(names, "unpauseInstance")
		}
		out[typ] = names
	}
	return out
}
