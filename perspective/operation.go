package perspective

// Operation names something a caller can do to a cloud object. The string
// values are stable: they appear in capability sets, errors and reports.
type Operation string

// Instance operations, in the order of the seeds.
const (
	OpLaunch        Operation = "launch"
	OpDelete        Operation = "delete"
	OpReboot        Operation = "reboot"
	OpHardReboot    Operation = "hard-reboot"
	OpStart         Operation = "start"
	OpShutdown      Operation = "shutdown"
	OpPause         Operation = "pause"
	OpResume        Operation = "resume"
	OpSuspend       Operation = "suspend"
	OpResize        Operation = "resize"
	OpConfirmResize Operation = "confirm-resize"
	OpRevertResize  Operation = "revert-resize"
	OpRebuild       Operation = "rebuild"
	OpRename        Operation = "rename"
	OpSnapshot      Operation = "snapshot"
	OpLock          Operation = "lock"
	OpUnlock        Operation = "unlock"
	OpTag           Operation = "tag"
	OpUntag         Operation = "untag"
	OpSetMetadata   Operation = "set-metadata"
	OpUnsetMetadata Operation = "unset-metadata"
	OpAddIP         Operation = "add-ip"
	OpRemoveIP      Operation = "remove-ip"
	OpConsole       Operation = "console"
	OpLog           Operation = "log"
	OpUsage         Operation = "usage"
)

// Image, keypair and listing operations.
const (
	OpList          Operation = "list"
	OpGet           Operation = "get"
	OpAddImage      Operation = "add-image"
	OpUpdateImage   Operation = "update-image"
	OpDeleteImage   Operation = "delete-image"
	OpAddKeypair    Operation = "add-keypair"
	OpDeleteKeypair Operation = "delete-keypair"
	OpWait          Operation = "wait"
)

// InstanceOperations lists every instance operation, in a stable order.
func InstanceOperations() []Operation {
	return []Operation{OpLaunch, OpDelete, OpReboot, OpHardReboot, OpStart, OpShutdown,
		OpPause, OpResume, OpSuspend, OpResize, OpConfirmResize, OpRevertResize, OpRebuild,
		OpRename, OpSnapshot, OpLock, OpUnlock, OpTag, OpUntag, OpSetMetadata,
		OpUnsetMetadata, OpAddIP, OpRemoveIP, OpConsole, OpLog, OpUsage}
}

// AllOperations lists every operation a Cloud may support, in a stable
// order: the instance operations, then those on images and keypairs.
func AllOperations() []Operation {
	return append(InstanceOperations(), OpAddImage, OpUpdateImage, OpDeleteImage,
		OpAddKeypair, OpDeleteKeypair)
}

// ParseOperation returns the Operation named s, or an invalid-argument error.
func ParseOperation(s string) (Operation, error) {
	for _, op := range AllOperations() {
		if string(op) == s {
			return op, nil
		}
	}
	return "", Errorf(CodeInvalidArgument, "unknown operation %q", s)
}

// Mutating reports whether op changes an instance. A locked instance refuses
// every mutating operation but lock and unlock.
func (o Operation) Mutating() bool {
	switch o {
	case OpConsole, OpLog, OpUsage, OpList, OpGet, OpWait:
		return false
	}
	return true
}
