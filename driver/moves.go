package driver

import (
	"context"
	"time"
)

// The capabilities of seed 003's consumer operations: shelving, moving
// instances between hosts, backups, passwords, security groups,
// diagnostics, restoring and force-deleting. As for every capability, the
// portable layer has checked the instance's state before it calls.

// Shelver shelves instances (their disk is kept as an image and their host
// freed), offloads shelved ones and unshelves them.
type Shelver interface {
	Shelve(ctx context.Context, id string) error
	ShelveOffload(ctx context.Context, id string) error
	Unshelve(ctx context.Context, id string) error
}

// Migrator moves instances to another host with a restart (cold
// migration). host names the target; empty lets the scheduler choose. The
// instance then waits in verify_resize for the Resizer's ConfirmResize or
// RevertResize, as Nova's cold migrations do.
type Migrator interface {
	Migrate(ctx context.Context, id, host string) error
}

// LiveMigrator moves running instances to another host without a restart.
// host names the target; empty lets the scheduler choose.
type LiveMigrator interface {
	LiveMigrate(ctx context.Context, id, host string) error
}

// BackupMaker saves an instance's disk as a backup image and keeps only
// the newest spec.Rotation backups of its spec.Type. The image it returns
// may still be queued (at least its ID is set when the cloud tells it).
type BackupMaker interface {
	Backup(ctx context.Context, id string, spec BackupSpec) (Image, error)
}

// PasswordSetter sets the administrator password inside an instance's
// guest.
type PasswordSetter interface {
	SetAdminPassword(ctx context.Context, id, password string) error
}

// SecurityGroupManager adds security groups (by name or id) to instances
// and removes them.
type SecurityGroupManager interface {
	AddSecurityGroup(ctx context.Context, id, group string) error
	RemoveSecurityGroup(ctx context.Context, id, group string) error
}

// Diagnoser reports what the hypervisor knows of an instance.
type Diagnoser interface {
	Diagnostics(ctx context.Context, id string) (Diagnostics, error)
}

// Restorer brings back soft-deleted instances.
type Restorer interface {
	Restore(ctx context.Context, id string) error
}

// ForceDeleter deletes instances at once, soft-deleted ones included,
// without the grace period of a soft delete.
type ForceDeleter interface {
	ForceDelete(ctx context.Context, id string) error
}

// BackupSpec says how to back up an instance: the image's name, the kind
// of backup (e.g. "daily", "weekly") and how many of that kind to keep.
type BackupSpec struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Rotation int    `json:"rotation"`
}

// Diagnostics is what the hypervisor reports of an instance, in Nova's
// standard form (microversion 2.48): memory in MiB, uptime in seconds.
// Zero values are figures the cloud did not give.
type Diagnostics struct {
	State        string        `json:"state,omitempty"`
	Driver       string        `json:"driver,omitempty"`
	Hypervisor   string        `json:"hypervisor,omitempty"`
	HypervisorOS string        `json:"hypervisorOs,omitempty"`
	Uptime       time.Duration `json:"uptime,omitempty"`
	ConfigDrive  bool          `json:"configDrive"`
	CPUs         int           `json:"numCpus"`
	NICs         int           `json:"numNics"`
	Disks        int           `json:"numDisks"`
	MemoryMiB    int           `json:"memoryMiB"`
	MemoryUsed   int           `json:"memoryUsedMiB"`
	// Raw is the cloud's reply as flat key/value text, for what the fields
	// above do not cover (older clouds answer only this); at most
	// MaxDiagnosticsKeys keys.
	Raw map[string]string `json:"raw,omitempty"`
}

// MaxDiagnosticsKeys bounds Diagnostics.Raw: a driver keeps at most this
// many keys of a cloud's reply.
const MaxDiagnosticsKeys = 256
