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

// The instance operations of seed 003: shelving, moving between hosts,
// backups, passwords, security groups, diagnostics, restore and force
// delete.
const (
	OpShelve              Operation = "shelve"
	OpShelveOffload       Operation = "shelve-offload"
	OpUnshelve            Operation = "unshelve"
	OpMigrate             Operation = "migrate"
	OpLiveMigrate         Operation = "live-migrate"
	OpBackup              Operation = "backup"
	OpSetPassword         Operation = "set-password"
	OpAddSecurityGroup    Operation = "add-security-group"
	OpRemoveSecurityGroup Operation = "remove-security-group"
	OpDiagnostics         Operation = "diagnostics"
	OpRestore             Operation = "restore"
	OpForceDelete         Operation = "force-delete"
)

// Operator operations on instances (package operator performs them; the
// state machine here knows their rules).
const (
	OpEvacuate   Operation = "evacuate"
	OpResetState Operation = "reset-state"
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
		OpUnsetMetadata, OpAddIP, OpRemoveIP, OpConsole, OpLog, OpUsage,
		OpShelve, OpShelveOffload, OpUnshelve, OpMigrate, OpLiveMigrate, OpBackup,
		OpSetPassword, OpAddSecurityGroup, OpRemoveSecurityGroup, OpDiagnostics,
		OpRestore, OpForceDelete}
}

// OperatorInstanceOperations lists the operator's operations on instances,
// in a stable order. A Cloud never reports them among its Operations: they
// belong to package operator's surface.
func OperatorInstanceOperations() []Operation {
	return []Operation{OpEvacuate, OpResetState}
}

// AllOperations lists every operation a Cloud may support, in a stable
// order: the instance operations, then those on images and keypairs.
func AllOperations() []Operation {
	return append(InstanceOperations(), OpAddImage, OpUpdateImage, OpDeleteImage,
		OpAddKeypair, OpDeleteKeypair)
}

// ParseOperation returns the Operation named s, or an invalid-argument error.
func ParseOperation(s string) (Operation, error) {
	for _, op := range append(AllOperations(), OperatorInstanceOperations()...) {
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
	case OpConsole, OpLog, OpUsage, OpDiagnostics, OpList, OpGet, OpWait:
		return false
	}
	return true
}
