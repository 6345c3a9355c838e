package mock

import (
	"context"
	"slices"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// Shelve shelves an instance; it stays shelved (on its host) until
// offloaded or unshelved.
func (d *Driver) Shelve(ctx context.Context, id string) error {
	return d.transition(ctx, "Shelve", perspective.OpShelve, id, nil)
}

// ShelveOffload frees the host of a shelved instance.
func (d *Driver) ShelveOffload(ctx context.Context, id string) error {
	return d.transition(ctx, "ShelveOffload", perspective.OpShelveOffload, id, func(s *server) error {
		s.inst.Host = ""
		return nil
	})
}

// Unshelve brings a shelved instance back, on a host the scheduler picks
// when it was offloaded.
func (d *Driver) Unshelve(ctx context.Context, id string) error {
	return d.transition(ctx, "Unshelve", perspective.OpUnshelve, id, func(s *server) error {
		if s.inst.Host != "" {
			return nil
		}
		h, ok := d.schedule("")
		if !ok {
			return driver.Errorf(driver.CodeInvalidArgument, "No valid host was found. There are not enough hosts available.")
		}
		s.inst.Host = h
		return nil
	})
}

// Migrate moves an instance to another host with a restart; it then waits
// in verify_resize for a confirm or a revert. Only an administrator may.
func (d *Driver) Migrate(ctx context.Context, id, host string) error {
	return d.transition(ctx, "Migrate", perspective.OpMigrate, id, func(s *server) error {
		if !d.cfg.admin {
			return forbidden("os-migrate-server:migrate")
		}
		to, err := d.target(s, host)
		if err != nil {
			return err
		}
		s.prevHost, s.inst.Host = s.inst.Host, to
		if s.inst.Flavor != nil {
			s.prevFlavor = s.inst.Flavor.ID
		}
		return nil
	})
}

// LiveMigrate moves a running instance to another host. Only an
// administrator may.
func (d *Driver) LiveMigrate(ctx context.Context, id, host string) error {
	return d.transition(ctx, "LiveMigrate", perspective.OpLiveMigrate, id, func(s *server) error {
		if !d.cfg.admin {
			return forbidden("os-migrate-server:migrate_live")
		}
		to, err := d.target(s, host)
		if err != nil {
			return err
		}
		s.inst.Host = to
		return nil
	})
}

// Backup saves an instance as a backup image and deletes the oldest
// backups of the same type beyond the rotation.
func (d *Driver) Backup(ctx context.Context, id string, spec driver.BackupSpec) (driver.Image, error) {
	var img driver.Image
	err := d.transition(ctx, "Backup", perspective.OpBackup, id, func(s *server) error {
		now := d.now()
		img = driver.Image{ID: newID(), ProjectID: d.cfg.projectID, Name: spec.Name,
			State: driver.ImageSaving, Status: "saving", Visibility: "private",
			Metadata: map[string]string{"instance_uuid": id, "image_type": "backup", "backup_type": spec.Type},
			Created:  now, Updated: now}
		if d.cfg.delay <= 0 {
			img.State, img.Status = driver.ImageSaved, "active"
		}
		stored := img.Clone()
		d.images[img.ID] = &stored
		d.rotate(id, spec)
		return nil
	})
	return img, err
}

// rotate deletes the oldest backups of an instance's type beyond the
// rotation. d.mu must be held.
func (d *Driver) rotate(id string, spec driver.BackupSpec) {
	var backups []*driver.Image
	for _, img := range d.images {
		if img.Metadata["instance_uuid"] == id && img.Metadata["image_type"] == "backup" &&
			img.Metadata["backup_type"] == spec.Type {
			backups = append(backups, img)
		}
	}
	if len(backups) <= spec.Rotation {
		return
	}
	slices.SortFunc(backups, func(a, b *driver.Image) int { return b.Created.Compare(a.Created) })
	for _, old := range backups[spec.Rotation:] {
		delete(d.images, old.ID)
	}
}

// SetAdminPassword changes the guest's password; the mock logs that it did,
// never the password.
func (d *Driver) SetAdminPassword(ctx context.Context, id, _ string) error {
	return d.transition(ctx, "SetAdminPassword", perspective.OpSetPassword, id, func(s *server) error {
		d.logf(s, "admin password changed")
		return nil
	})
}

// SecurityGroups returns the security groups of an instance, for tests.
func (d *Driver) SecurityGroups(id string) ([]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.find(id)
	if err != nil {
		return nil, err
	}
	return slices.Clone(s.groups), nil
}

// AddSecurityGroup adds one of the mock's security groups ("default",
// "web") to an instance; adding one it has already changes nothing.
func (d *Driver) AddSecurityGroup(ctx context.Context, id, group string) error {
	return d.transition(ctx, "AddSecurityGroup", perspective.OpAddSecurityGroup, id, func(s *server) error {
		if !slices.Contains(d.infra.groups, group) {
			return driver.Errorf(driver.CodeNotFound, "Security group %s not found for project %s.", group, d.cfg.projectID)
		}
		if !slices.Contains(s.groups, group) {
			s.groups = append(s.groups, group)
		}
		return nil
	})
}

// RemoveSecurityGroup removes a security group from an instance.
func (d *Driver) RemoveSecurityGroup(ctx context.Context, id, group string) error {
	return d.transition(ctx, "RemoveSecurityGroup", perspective.OpRemoveSecurityGroup, id, func(s *server) error {
		i := slices.Index(s.groups, group)
		if i < 0 {
			return driver.Errorf(driver.CodeNotFound, "Security group %s not associated with the instance %s.", group, id)
		}
		s.groups = slices.Delete(s.groups, i, i+1)
		return nil
	})
}

// Diagnostics returns the fake hypervisor's figures, as Nova's fake
// driver does. Only an administrator may see them (Nova's default policy).
func (d *Driver) Diagnostics(ctx context.Context, id string) (driver.Diagnostics, error) {
	if err := d.read(ctx, "Diagnostics", perspective.OpDiagnostics, id); err != nil {
		return driver.Diagnostics{}, err
	}
	if !d.cfg.admin {
		return driver.Diagnostics{}, forbidden("os-server-diagnostics")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.find(id)
	if err != nil {
		return driver.Diagnostics{}, err
	}
	dg := driver.Diagnostics{State: "running", Driver: "fake", Hypervisor: "fake", HypervisorOS: "fake-os",
		Uptime: time.Since(s.inst.Created).Truncate(time.Second), NICs: len(s.inst.Addresses), Disks: 1,
		Raw: map[string]string{"host": s.inst.Host}}
	if s.inst.State != driver.StateLaunched {
		dg.State = string(s.inst.State)
	}
	if s.inst.Flavor != nil {
		dg.CPUs, dg.MemoryMiB = s.inst.Flavor.VCPUs, s.inst.Flavor.RAM
		dg.MemoryUsed = s.inst.Flavor.RAM / 2
	}
	return dg, nil
}

// Restore brings a soft-deleted instance back.
func (d *Driver) Restore(ctx context.Context, id string) error {
	return d.transition(ctx, "Restore", perspective.OpRestore, id, nil)
}

// ForceDelete deletes an instance at once, soft-deleted or not.
func (d *Driver) ForceDelete(ctx context.Context, id string) error {
	return d.transition(ctx, "ForceDelete", perspective.OpForceDelete, id, nil)
}

// operate runs an operator's instance operation: the administrator role is
// required, the state machine is checked (a lock does not stop an
// administrator), change is applied and the instance moves through op's
// states, to its own end state or to the one change returns.
func (d *Driver) operate(ctx context.Context, method, rule string, op perspective.Operation, id string,
	change func(s *server) (driver.State, error)) error {
	if err := d.admin(ctx, method, rule); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.find(id)
	if err != nil {
		return err
	}
	if err := perspective.Check(perspective.Instance{RealID: s.inst.ID, Name: s.inst.Name, State: s.inst.State}, op); err != nil {
		return err
	}
	to, err := change(s)
	if err != nil {
		return err
	}
	t, _ := perspective.TransitionOf(op)
	if to != "" {
		t.To = to
	}
	d.move(s, t.Via, t.To, d.now())
	d.logf(s, "%s", op)
	return nil
}

// Evacuate rebuilds an instance of a host whose compute service is down on
// another host; an instance in error comes back launched.
func (d *Driver) Evacuate(ctx context.Context, id, host string) error {
	return d.operate(ctx, "Evacuate", "os-evacuate", perspective.OpEvacuate, id, func(s *server) (driver.State, error) {
		if svc := d.compute(s.inst.Host); svc != nil && svc.State == "up" {
			return "", driver.Errorf(driver.CodeConflict, "Compute service of %s is still in use.", s.inst.Host)
		}
		target, err := d.target(s, host)
		if err != nil {
			return "", err
		}
		s.inst.Host = target
		if s.inst.State == driver.StateError {
			s.inst.Fault = ""
			return driver.StateLaunched, nil
		}
		return "", nil
	})
}

// ResetState sets the state the mock records for an instance: launched or
// error, at once.
func (d *Driver) ResetState(ctx context.Context, id string, state driver.State) error {
	if state != driver.StateLaunched && state != driver.StateError {
		return driver.Errorf(driver.CodeInvalidArgument, "Invalid state %q: only %s and %s can be set.", state,
			driver.StateLaunched, driver.StateError)
	}
	return d.operate(ctx, "ResetState", "os-admin-actions:reset_state", perspective.OpResetState, id, func(s *server) (driver.State, error) {
		s.pending = false
		if state == driver.StateLaunched {
			s.inst.Fault = ""
		}
		return state, nil
	})
}
