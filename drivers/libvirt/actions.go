package libvirt

import (
	"context"
	"fmt"
	"slices"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/perspective-cloud/sdk/driver"
)

// updateMeta changes the driver's metadata element of instance id, in the
// live domain and in its persistent config.
func (d *Driver) updateMeta(ctx context.Context, id string, change func(m *meta) error) error {
	l, err := d.conn(ctx)
	if err != nil {
		return err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return err
	}
	if err := change(dm.meta); err != nil {
		return err
	}
	dm.meta.Updated = time.Now().UTC().Truncate(time.Second)
	return d.writeMeta(l, dm)
}

func (d *Driver) writeMeta(l *golibvirt.Libvirt, dm *domain) error {
	x, err := dm.meta.marshal()
	if err != nil {
		return err
	}
	flags := golibvirt.DomainAffectConfig
	if dm.st.state != golibvirt.DomainShutoff {
		flags |= golibvirt.DomainAffectLive
	}
	err = l.DomainSetMetadata(dm.dom, int32(golibvirt.DomainMetadataElement), golibvirt.OptString{x},
		golibvirt.OptString{MetadataKey}, golibvirt.OptString{XMLNamespace}, flags)
	if err != nil && flags&golibvirt.DomainAffectLive != 0 && codeOf(asLibvirt(err)) == driver.CodeInvalidState {
		// stopped since it was read
		err = l.DomainSetMetadata(dm.dom, int32(golibvirt.DomainMetadataElement), golibvirt.OptString{x},
			golibvirt.OptString{MetadataKey}, golibvirt.OptString{XMLNamespace}, golibvirt.DomainAffectConfig)
	}
	d.changes.record(domainID(dm.dom))
	return classify(err, "writing the metadata of domain "+dm.dom.Name)
}

// act looks up instance id and runs f on its domain.
func (d *Driver) act(ctx context.Context, id, what string, f func(l *golibvirt.Libvirt, dm *domain) error) error {
	l, err := d.conn(ctx)
	if err != nil {
		return err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return err
	}
	err = f(l, dm)
	// libvirt's event says so too, a moment later; the driver's own
	// record makes the next change listing see it whatever the order
	d.changes.record(id)
	return classify(err, fmt.Sprintf("%s of instance %s (%s)", what, id, dm.dom.Name))
}

// Reboot asks the guest to reboot with the ACPI power button (libvirt
// starts it again when it powers off), or, hard, resets it. A hard reboot
// of a shut-off instance starts it, of a suspended one starts it afresh
// (its saved memory is dropped), of a paused one resets and resumes it.
func (d *Driver) Reboot(ctx context.Context, id string, hard bool) error {
	return d.act(ctx, id, "reboot", func(l *golibvirt.Libvirt, dm *domain) error {
		if !hard {
			return l.DomainReboot(dm.dom, golibvirt.DomainRebootAcpiPowerBtn)
		}
		switch dm.st.state {
		case golibvirt.DomainShutoff, golibvirt.DomainCrashed:
			if dm.st.saved {
				if err := l.DomainManagedSaveRemove(dm.dom, 0); err != nil {
					return err
				}
			}
			return l.DomainCreate(dm.dom)
		case golibvirt.DomainPaused:
			if err := l.DomainReset(dm.dom, 0); err != nil {
				return err
			}
			return l.DomainResume(dm.dom)
		}
		return l.DomainReset(dm.dom, 0)
	})
}

// Start starts a shut-off domain.
func (d *Driver) Start(ctx context.Context, id string) error {
	return d.act(ctx, id, "start", func(l *golibvirt.Libvirt, dm *domain) error { return l.DomainCreate(dm.dom) })
}

// Shutdown presses the guest's ACPI power button, again every few seconds
// (a guest still booting misses it), and waits up to the configured
// ShutdownTimeout for the domain to be off. A guest that ignores ACPI is
// left running and the call fails saying so; nothing is forced off.
func (d *Driver) Shutdown(ctx context.Context, id string) error {
	done, ok := d.setBusy(id, driver.StateShuttingDown)
	if !ok {
		return driver.Errorf(driver.CodeConflict, "libvirt: instance %s is busy with another operation", id)
	}
	defer done()
	return d.act(ctx, id, "shutdown", func(l *golibvirt.Libvirt, dm *domain) error {
		deadline := time.Now().Add(d.cfg.ShutdownTimeout)
		var lastPress time.Time
		for {
			st, _, err := l.DomainGetState(dm.dom, 0)
			if err != nil {
				return err
			}
			if golibvirt.DomainState(st) == golibvirt.DomainShutoff {
				return nil
			}
			if time.Now().After(deadline) {
				return driver.Errorf(driver.CodeTransient, "libvirt: instance %s did not power off within %s of ACPI power-button requests (the guest may ignore ACPI)", id, d.cfg.ShutdownTimeout)
			}
			if time.Since(lastPress) >= 3*time.Second {
				if err := l.DomainShutdown(dm.dom); err != nil && codeOf(asLibvirt(err)) != driver.CodeInvalidState {
					return err
				}
				lastPress = time.Now()
			}
			if err := sleep(ctx, 250*time.Millisecond); err != nil {
				return err
			}
		}
	})
}

// Pause pauses the domain's vCPUs (it stays in memory).
func (d *Driver) Pause(ctx context.Context, id string) error {
	return d.act(ctx, id, "pause", func(l *golibvirt.Libvirt, dm *domain) error { return l.DomainSuspend(dm.dom) })
}

// Unpause resumes a paused domain.
func (d *Driver) Unpause(ctx context.Context, id string) error {
	return d.act(ctx, id, "unpause", func(l *golibvirt.Libvirt, dm *domain) error { return l.DomainResume(dm.dom) })
}

// Suspend saves the domain's memory to disk and stops it (a managed save).
func (d *Driver) Suspend(ctx context.Context, id string) error {
	done, ok := d.setBusy(id, driver.StateSuspending)
	if !ok {
		return driver.Errorf(driver.CodeConflict, "libvirt: instance %s is busy with another operation", id)
	}
	defer done()
	return d.act(ctx, id, "suspend", func(l *golibvirt.Libvirt, dm *domain) error { return l.DomainManagedSave(dm.dom, 0) })
}

// Resume restores a suspended domain from its managed save image (or
// wakes a guest that suspended itself).
func (d *Driver) Resume(ctx context.Context, id string) error {
	return d.act(ctx, id, "resume", func(l *golibvirt.Libvirt, dm *domain) error {
		if dm.st.state == golibvirt.DomainPmsuspended {
			return l.DomainPmWakeup(dm.dom, 0)
		}
		if dm.st.state == golibvirt.DomainPaused {
			return l.DomainResume(dm.dom)
		}
		return l.DomainCreate(dm.dom)
	})
}

// Rename renames a shut-off domain; libvirt renames no running domain, so
// a running one keeps its domain name and gets the new name in the
// driver's metadata (Instance.Name shows it).
func (d *Driver) Rename(ctx context.Context, id, name string) error {
	if !validDomainName(name) {
		return driver.Errorf(driver.CodeInvalidArgument, "libvirt: name %q is not a domain name (no '/', at most 200 bytes)", name)
	}
	l, err := d.conn(ctx)
	if err != nil {
		return err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return err
	}
	if name == dm.dom.Name {
		dm.meta.Name = ""
		return d.writeMeta(l, dm)
	}
	if other, err := l.DomainLookupByName(name); err == nil && other.UUID != dm.dom.UUID {
		return driver.Errorf(driver.CodeConflict, "libvirt: a domain named %q already exists (libvirt domain names are unique)", name)
	}
	if dm.st.state == golibvirt.DomainShutoff && !dm.st.saved {
		if _, err := l.DomainRename(dm.dom, golibvirt.OptString{name}, 0); err != nil {
			return classify(err, "renaming domain "+dm.dom.Name)
		}
		dm.dom.Name = name
		dm.meta.Name = ""
	} else {
		dm.meta.Name = name
	}
	dm.meta.Updated = time.Now().UTC().Truncate(time.Second)
	return d.writeMeta(l, dm)
}

func validDomainName(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, r := range s {
		if r == '/' || r < ' ' {
			return false
		}
	}
	return true
}

// Lock marks the instance locked in the driver's metadata (the portable
// layer refuses changes to a locked instance).
func (d *Driver) Lock(ctx context.Context, id string) error {
	return d.updateMeta(ctx, id, func(m *meta) error { m.Locked = true; return nil })
}

// Unlock clears the lock.
func (d *Driver) Unlock(ctx context.Context, id string) error {
	return d.updateMeta(ctx, id, func(m *meta) error { m.Locked = false; return nil })
}

// AddTags adds tags to the driver's metadata.
func (d *Driver) AddTags(ctx context.Context, id string, tags []string) error {
	return d.updateMeta(ctx, id, func(m *meta) error {
		for _, t := range tags {
			if !slices.Contains(m.Tags, t) {
				m.Tags = append(m.Tags, t)
			}
		}
		if len(m.Tags) > maxTags {
			return driver.Errorf(driver.CodeInvalidArgument, "libvirt: instance %s would have %d tags, at most %d", id, len(m.Tags), maxTags)
		}
		slices.Sort(m.Tags)
		return nil
	})
}

// RemoveTags removes tags.
func (d *Driver) RemoveTags(ctx context.Context, id string, tags []string) error {
	return d.updateMeta(ctx, id, func(m *meta) error {
		m.Tags = slices.DeleteFunc(m.Tags, func(t string) bool { return slices.Contains(tags, t) })
		return nil
	})
}

// SetMetadata sets metadata keys.
func (d *Driver) SetMetadata(ctx context.Context, id string, md map[string]string) error {
	return d.updateMeta(ctx, id, func(m *meta) error {
		m.setMetadata(md)
		if len(m.Meta) > maxMetaKeys {
			return driver.Errorf(driver.CodeInvalidArgument, "libvirt: instance %s would have %d metadata keys, at most %d", id, len(m.Meta), maxMetaKeys)
		}
		return nil
	})
}

// UnsetMetadata removes metadata keys.
func (d *Driver) UnsetMetadata(ctx context.Context, id string, keys []string) error {
	return d.updateMeta(ctx, id, func(m *meta) error {
		m.Meta = slices.DeleteFunc(m.Meta, func(e kv) bool { return slices.Contains(keys, e.Key) })
		return nil
	})
}
