package mock

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListInstances returns every instance of the project.
func (d *Driver) ListInstances(ctx context.Context, _ driver.ListOptions) ([]driver.Instance, error) {
	if err := d.enter(ctx, "ListInstances", perspective.OpList); err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.settle(d.now())
	out := make([]driver.Instance, 0, len(d.servers))
	for _, s := range d.servers {
		out = append(out, d.view(s))
	}
	d.rows["ListInstances"] += len(out)
	d.mu.Unlock()
	slices.SortFunc(out, func(a, b driver.Instance) int { return a.Created.Compare(b.Created) })
	return out, d.pay(ctx, "ListInstances", len(out))
}

// GetInstance returns one instance.
func (d *Driver) GetInstance(ctx context.Context, id string) (driver.Instance, error) {
	if err := d.enter(ctx, "GetInstance", perspective.OpGet); err != nil {
		return driver.Instance{}, err
	}
	d.mu.Lock()
	s, err := d.find(id)
	if err != nil {
		d.mu.Unlock()
		return driver.Instance{}, err
	}
	d.rows["GetInstance"]++
	inst := d.view(s)
	d.mu.Unlock()
	return inst, d.pay(ctx, "GetInstance", 1)
}

// LaunchInstances creates spec.Count instances, or none when the quota
// would be exceeded.
func (d *Driver) LaunchInstances(ctx context.Context, spec driver.LaunchSpec) ([]driver.Instance, error) {
	if err := d.enter(ctx, "LaunchInstances", perspective.OpLaunch); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settle(d.now())
	count := max(spec.Count, 1)
	if used := len(d.servers); used+count > d.cfg.quota {
		return nil, driver.Errorf(driver.CodeQuotaExceeded,
			"Quota exceeded for instances: Requested %d, but already used %d of %d instances", count, used, d.cfg.quota)
	}
	fi := slices.IndexFunc(d.flavors, func(f driver.Flavor) bool { return f.ID == spec.FlavorID })
	if fi < 0 {
		return nil, driver.Errorf(driver.CodeInvalidArgument, "mock: flavor %s could not be found", spec.FlavorID)
	}
	img, ok := d.images[spec.ImageID]
	if !ok {
		return nil, driver.Errorf(driver.CodeInvalidArgument, "mock: image %s could not be found", spec.ImageID)
	}
	nets := spec.Networks
	if len(nets) == 0 {
		nets = []string{d.networks[0].ID}
	}
	now := d.now()
	out := make([]driver.Instance, 0, count)
	for i := range count {
		name := spec.Name
		if count > 1 {
			name = fmt.Sprintf("%s-%d", spec.Name, i+1)
		}
		f := d.flavors[fi]
		inst := driver.Instance{
			ID: newID(), ProjectID: d.cfg.projectID, Region: d.cfg.region, AvailabilityZone: "nova",
			Name: name, Flavor: &f, ImageID: img.ID, KeyName: spec.KeyName,
			Tags: slices.Clone(spec.Tags), Metadata: maps.Clone(spec.Metadata),
			Created: now, Updated: now,
		}
		for _, nid := range nets {
			n := d.network(nid)
			if n == nil {
				return nil, driver.Errorf(driver.CodeInvalidArgument, "mock: network %s could not be found", nid)
			}
			inst.Networks = append(inst.Networks, driver.Network{ID: n.ID, Name: n.Name})
			if len(n.Subnets) > 0 {
				inst.Addresses = append(inst.Addresses, driver.Address{NetworkID: n.ID, Network: n.Name,
					IP: d.fixedIP(n), Kind: driver.AddressFixed, Version: 4})
			}
		}
		s := &server{inst: inst, groups: []string{"default"}}
		s.inst.State = driver.StateLaunching
		d.move(s, driver.StateLaunching, driver.StateLaunched, now)
		host, ok := d.schedule("")
		if s.inst.Host = host; !ok {
			s.pending = false
			s.inst.State, s.inst.Status, s.inst.Fault = driver.StateError, "ERROR", "No valid host was found. There are not enough hosts available."
		}
		d.logf(s, "Booting %s from image %s on flavor %s", name, img.Name, f.Name)
		d.servers[inst.ID] = s
		out = append(out, d.view(s))
	}
	return out, nil
}

func (d *Driver) network(id string) *driver.Network {
	for i := range d.networks {
		if d.networks[i].ID == id {
			return &d.networks[i]
		}
	}
	return nil
}

// fixedIP hands out the next address of a network's first subnet.
func (d *Driver) fixedIP(n *driver.Network) string {
	d.nextIP++
	var a, b, c int
	_, _ = fmt.Sscanf(n.Subnets[0].CIDR, "%d.%d.%d.", &a, &b, &c)
	return fmt.Sprintf("%d.%d.%d.%d", a, b, c+d.nextIP/250, 2+d.nextIP%250)
}

// transition runs an instance operation: it checks the state machine (the
// mock refuses what a real cloud would), applies change, and moves the
// instance through the operation's states.
func (d *Driver) transition(ctx context.Context, method string, op perspective.Operation, id string,
	change func(s *server) error) error {
	return d.transitionTo(ctx, method, op, id, "", change)
}

// transitionTo is transition with the end state to instead of the
// operation's own (when to is not empty).
func (d *Driver) transitionTo(ctx context.Context, method string, op perspective.Operation, id string,
	to driver.State, change func(s *server) error) error {
	if err := d.enter(ctx, method, op); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.admitted(id, op)
	if err != nil {
		return err
	}
	if change != nil {
		if err := change(s); err != nil {
			return err
		}
	}
	t, _ := perspective.TransitionOf(op)
	if to != "" {
		t.To = to
	}
	d.move(s, t.Via, t.To, d.now())
	d.logf(s, "%s", op)
	return nil
}

// DeleteInstance deletes an instance; with WithSoftDelete it is
// soft-deleted, and can be restored until it is force-deleted.
func (d *Driver) DeleteInstance(ctx context.Context, id string) error {
	if d.cfg.softDelete {
		return d.transitionTo(ctx, "DeleteInstance", perspective.OpDelete, id, driver.StateSoftDeleted, nil)
	}
	return d.transition(ctx, "DeleteInstance", perspective.OpDelete, id, nil)
}

// Reboot reboots an instance, softly or hard.
func (d *Driver) Reboot(ctx context.Context, id string, hard bool) error {
	if hard {
		return d.transition(ctx, "Reboot", perspective.OpHardReboot, id, nil)
	}
	return d.transition(ctx, "Reboot", perspective.OpReboot, id, nil)
}

// Start powers an instance on.
func (d *Driver) Start(ctx context.Context, id string) error {
	return d.transition(ctx, "Start", perspective.OpStart, id, nil)
}

// Shutdown powers an instance off.
func (d *Driver) Shutdown(ctx context.Context, id string) error {
	return d.transition(ctx, "Shutdown", perspective.OpShutdown, id, nil)
}

// Pause pauses an instance.
func (d *Driver) Pause(ctx context.Context, id string) error {
	return d.transition(ctx, "Pause", perspective.OpPause, id, nil)
}

// Unpause unpauses a paused instance.
func (d *Driver) Unpause(ctx context.Context, id string) error {
	return d.transition(ctx, "Unpause", perspective.OpResume, id, func(s *server) error {
		if s.inst.State != driver.StatePaused {
			return driver.Errorf(driver.CodeConflict, "Cannot 'unpause' instance %s while it is in state %s", id, s.inst.State)
		}
		return nil
	})
}

// Suspend suspends an instance.
func (d *Driver) Suspend(ctx context.Context, id string) error {
	return d.transition(ctx, "Suspend", perspective.OpSuspend, id, nil)
}

// Resume resumes a suspended instance.
func (d *Driver) Resume(ctx context.Context, id string) error {
	return d.transition(ctx, "Resume", perspective.OpResume, id, func(s *server) error {
		if s.inst.State != driver.StateSuspended {
			return driver.Errorf(driver.CodeConflict, "Cannot 'resume' instance %s while it is in state %s", id, s.inst.State)
		}
		return nil
	})
}

// Resize moves an instance to another flavor, pending confirmation.
func (d *Driver) Resize(ctx context.Context, id, flavorID string) error {
	return d.transition(ctx, "Resize", perspective.OpResize, id, func(s *server) error {
		i := slices.IndexFunc(d.flavors, func(f driver.Flavor) bool { return f.ID == flavorID })
		if i < 0 {
			return driver.Errorf(driver.CodeInvalidArgument, "mock: flavor %s could not be found", flavorID)
		}
		if s.inst.Flavor != nil {
			s.prevFlavor = s.inst.Flavor.ID
		}
		s.prevState = s.inst.State
		f := d.flavors[i]
		s.inst.Flavor = &f
		return nil
	})
}

// ConfirmResize keeps the new flavor.
func (d *Driver) ConfirmResize(ctx context.Context, id string) error {
	return d.transition(ctx, "ConfirmResize", perspective.OpConfirmResize, id, func(s *server) error {
		s.prevHost = ""
		return nil
	})
}

// RevertResize goes back to the old flavor.
func (d *Driver) RevertResize(ctx context.Context, id string) error {
	return d.transition(ctx, "RevertResize", perspective.OpRevertResize, id, func(s *server) error {
		if s.prevHost != "" {
			s.inst.Host, s.prevHost = s.prevHost, ""
		}
		if i := slices.IndexFunc(d.flavors, func(f driver.Flavor) bool { return f.ID == s.prevFlavor }); i >= 0 {
			f := d.flavors[i]
			s.inst.Flavor = &f
		}
		return nil
	})
}

// Rebuild rebuilds an instance from an image.
func (d *Driver) Rebuild(ctx context.Context, id, imageID string) error {
	return d.transition(ctx, "Rebuild", perspective.OpRebuild, id, func(s *server) error {
		img, ok := d.images[imageID]
		if !ok {
			return driver.Errorf(driver.CodeInvalidArgument, "mock: image %s could not be found", imageID)
		}
		s.inst.ImageID = img.ID
		return nil
	})
}

// Rename renames an instance.
func (d *Driver) Rename(ctx context.Context, id, name string) error {
	return d.transition(ctx, "Rename", perspective.OpRename, id, func(s *server) error {
		s.inst.Name = name
		return nil
	})
}

// Snapshot saves an instance as a new image.
func (d *Driver) Snapshot(ctx context.Context, id, name string) (driver.Image, error) {
	var img driver.Image
	err := d.transition(ctx, "Snapshot", perspective.OpSnapshot, id, func(s *server) error {
		now := d.now()
		img = driver.Image{ID: newID(), ProjectID: d.cfg.projectID, Name: name,
			State: driver.ImageSaving, Status: "saving", Visibility: "private",
			Metadata: map[string]string{"instance_uuid": id, "image_type": "snapshot"},
			Created:  now, Updated: now}
		if s.inst.Flavor != nil {
			img.MinDisk, img.Size = s.inst.Flavor.RootDisk, int64(s.inst.Flavor.RootDisk)<<30/64
		}
		if d.cfg.delay <= 0 {
			img.State, img.Status = driver.ImageSaved, "active"
		}
		stored := img.Clone()
		d.images[img.ID] = &stored
		return nil
	})
	return img, err
}

// Lock locks an instance.
func (d *Driver) Lock(ctx context.Context, id string) error {
	return d.transition(ctx, "Lock", perspective.OpLock, id, func(s *server) error {
		s.inst.Locked = true
		return nil
	})
}

// Unlock unlocks an instance.
func (d *Driver) Unlock(ctx context.Context, id string) error {
	return d.transition(ctx, "Unlock", perspective.OpUnlock, id, func(s *server) error {
		s.inst.Locked = false
		return nil
	})
}

// AddTags adds tags to an instance.
func (d *Driver) AddTags(ctx context.Context, id string, tags []string) error {
	return d.transition(ctx, "AddTags", perspective.OpTag, id, func(s *server) error {
		for _, t := range tags {
			if !slices.Contains(s.inst.Tags, t) {
				s.inst.Tags = append(s.inst.Tags, t)
			}
		}
		if len(s.inst.Tags) > 50 {
			return driver.Errorf(driver.CodeInvalidArgument, "mock: an instance has at most 50 tags")
		}
		return nil
	})
}

// RemoveTags removes tags from an instance.
func (d *Driver) RemoveTags(ctx context.Context, id string, tags []string) error {
	return d.transition(ctx, "RemoveTags", perspective.OpUntag, id, func(s *server) error {
		s.inst.Tags = slices.DeleteFunc(s.inst.Tags, func(t string) bool { return slices.Contains(tags, t) })
		return nil
	})
}

// SetMetadata sets metadata keys.
func (d *Driver) SetMetadata(ctx context.Context, id string, md map[string]string) error {
	return d.transition(ctx, "SetMetadata", perspective.OpSetMetadata, id, func(s *server) error {
		if s.inst.Metadata == nil {
			s.inst.Metadata = map[string]string{}
		}
		maps.Copy(s.inst.Metadata, md)
		return nil
	})
}

// UnsetMetadata removes metadata keys.
func (d *Driver) UnsetMetadata(ctx context.Context, id string, keys []string) error {
	return d.transition(ctx, "UnsetMetadata", perspective.OpUnsetMetadata, id, func(s *server) error {
		for _, k := range keys {
			delete(s.inst.Metadata, k)
		}
		return nil
	})
}
