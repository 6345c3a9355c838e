package perspective

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/perspective-cloud/sdk/driver"
)

// BackupSpec says how to back up instances: the image's name, the kind of
// backup (e.g. "daily") and how many backups of that kind to keep.
type BackupSpec = driver.BackupSpec

// Diagnostics is what the hypervisor reports of an instance.
type Diagnostics = driver.Diagnostics

// Bounds of seed 003's instance operations.
const (
	// MaxDiagnosticsKeys bounds Diagnostics.Raw.
	MaxDiagnosticsKeys = driver.MaxDiagnosticsKeys
	// MaxBackupRotation bounds BackupSpec.Rotation.
	MaxBackupRotation = 100
	// MaxPasswordBytes bounds an administrator password.
	MaxPasswordBytes = 255
	// maxRefBytes bounds a host or security group name.
	maxRefBytes = 255
)

// Shelve shelves instances: the cloud keeps their disks as images and frees
// their hosts. A cloud may offload them at once (Nova does when its
// shelved_offload_time is 0), so they end shelved or shelved_offloaded.
func (s *Instances) Shelve(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpShelve, ids, nil, simple(OpShelve))
}

// ShelveOffload frees the host of shelved instances.
func (s *Instances) ShelveOffload(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpShelveOffload, ids, nil, simple(OpShelveOffload))
}

// Unshelve brings shelved (or offloaded) instances back to life.
func (s *Instances) Unshelve(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpUnshelve, ids, nil, simple(OpUnshelve))
}

// Migrate moves instances to another host with a restart (a cold
// migration): to host, or where the scheduler chooses when host is empty.
// The instances then wait in verify_resize: ConfirmResize keeps them on the
// new host, RevertResize sends them back.
func (s *Instances) Migrate(ctx context.Context, host string, ids ...string) (*Report, error) {
	return s.move(ctx, OpMigrate, host, ids)
}

// LiveMigrate moves running instances to another host without a restart:
// to host, or where the scheduler chooses when host is empty. They keep
// their state.
func (s *Instances) LiveMigrate(ctx context.Context, host string, ids ...string) (*Report, error) {
	return s.move(ctx, OpLiveMigrate, host, ids)
}

// move runs a migration; an instance already on the named host is an
// invalid argument, refused before any call.
func (s *Instances) move(ctx context.Context, op Operation, host string, ids []string) (*Report, error) {
	if host != "" {
		if err := validRef(op, "host", host); err != nil {
			return &Report{Op: op}, err
		}
	}
	return s.act(ctx, op, ids, nil, func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		if host != "" && it.inst.Host == host {
			return &Error{Code: CodeInvalidArgument, Msg: fmt.Sprintf("host: the instance already runs on %s", quoted(host))}
		}
		return c.call(ctx, op, it.realID, &args{host: host})
	})
}

// Backup saves instances' disks as backup images of spec.Type and keeps
// the newest spec.Rotation of that type per instance. With one id the
// image is called spec.Name; with several, spec.Name-<instance name>. Each
// result carries its image, which may stay queued for a while (a cloud
// uploads the data afterwards): wait for the instance, not the image.
func (s *Instances) Backup(ctx context.Context, spec BackupSpec, ids ...string) (*Report, error) {
	if err := validName(OpBackup, spec.Name); err != nil {
		return &Report{Op: OpBackup}, err
	}
	if err := validRef(OpBackup, "type", spec.Type); err != nil {
		return &Report{Op: OpBackup}, err
	}
	if spec.Rotation < 1 || spec.Rotation > MaxBackupRotation {
		return &Report{Op: OpBackup}, invalidArg(OpBackup, "rotation", "must be 1 to %d, not %d", MaxBackupRotation, spec.Rotation)
	}
	many := len(dedupe(ids)) > 1
	return s.act(ctx, OpBackup, ids, nil, func(ctx context.Context, c *Cloud, it item, res *Result) error {
		a := args{backup: spec}
		if many {
			a.backup.Name = spec.Name + "-" + it.inst.Name
		}
		err := c.call(ctx, OpBackup, it.realID, &a)
		c.invalidate(KindImage) // the rotation may have deleted older backups: list the images again
		if err != nil {
			return err
		}
		if a.image.ID != "" {
			img := c.adoptImage(a.image)
			res.Image = &img
		}
		return nil
	})
}

// SetPassword sets the administrator password inside instances' guests.
// The password never appears in an error or a report.
func (s *Instances) SetPassword(ctx context.Context, password string, ids ...string) (*Report, error) {
	switch {
	case password == "":
		return &Report{Op: OpSetPassword}, invalidArg(OpSetPassword, "password", "is empty")
	case len(password) > MaxPasswordBytes:
		return &Report{Op: OpSetPassword}, invalidArg(OpSetPassword, "password", "is %d bytes; at most %d", len(password), MaxPasswordBytes)
	case !utf8.ValidString(password):
		return &Report{Op: OpSetPassword}, invalidArg(OpSetPassword, "password", "is not valid UTF-8")
	case strings.ContainsFunc(password, unsafeRune):
		return &Report{Op: OpSetPassword}, invalidArg(OpSetPassword, "password", "has a control or format character")
	}
	return s.act(ctx, OpSetPassword, ids, nil, with(OpSetPassword, args{password: password}))
}

// AddSecurityGroup adds a security group (a name or id) to instances.
func (s *Instances) AddSecurityGroup(ctx context.Context, group string, ids ...string) (*Report, error) {
	if err := validRef(OpAddSecurityGroup, "group", group); err != nil {
		return &Report{Op: OpAddSecurityGroup}, err
	}
	return s.act(ctx, OpAddSecurityGroup, ids, nil, with(OpAddSecurityGroup, args{group: group}))
}

// RemoveSecurityGroup removes a security group (a name or id) from instances.
func (s *Instances) RemoveSecurityGroup(ctx context.Context, group string, ids ...string) (*Report, error) {
	if err := validRef(OpRemoveSecurityGroup, "group", group); err != nil {
		return &Report{Op: OpRemoveSecurityGroup}, err
	}
	return s.act(ctx, OpRemoveSecurityGroup, ids, nil, with(OpRemoveSecurityGroup, args{group: group}))
}

// Diagnostics returns what the hypervisor reports of one instance.
func (s *Instances) Diagnostics(ctx context.Context, id string) (Diagnostics, error) {
	it, err := s.one(ctx, OpDiagnostics, id)
	if err != nil {
		return Diagnostics{}, err
	}
	var a args
	err = it.cloud.call(ctx, OpDiagnostics, it.realID, &a)
	return a.diag, classify(err, OpDiagnostics, KindInstance, id)
}

// Restore brings soft-deleted instances back (a cloud that keeps deleted
// instances for a while, as Nova does with reclaim_instance_interval).
func (s *Instances) Restore(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpRestore, ids, nil, simple(OpRestore))
}

// ForceDelete deletes instances at once, soft-deleted ones included,
// without a soft delete's grace period.
func (s *Instances) ForceDelete(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpForceDelete, ids, nil, func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		if err := c.call(ctx, OpForceDelete, it.realID, &args{}); err != nil {
			return err
		}
		c.forget(it.inst.ID)
		return nil
	})
}

// validRef checks the name of a host, a backup type or a security group:
// 1 to 255 bytes of printable text.
func validRef(op Operation, field, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalidArg(op, field, "is empty")
	}
	if len(s) > maxRefBytes {
		return invalidArg(op, field, "is %d bytes; at most %d", len(s), maxRefBytes)
	}
	return validText(op, field, s)
}
