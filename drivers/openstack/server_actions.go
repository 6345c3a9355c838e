package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/tags"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// act classifies the error of a server action.
func act(err error, op perspective.Operation, id string) error {
	return classify(err, op, perspective.KindInstance, id)
}

// Reboot reboots a server: soft (ACPI) or hard (reset).
func (d *Driver) Reboot(ctx context.Context, id string, hard bool) error {
	op, how := perspective.OpReboot, servers.SoftReboot
	if hard {
		op, how = perspective.OpHardReboot, servers.HardReboot
	}
	return act(servers.Reboot(ctx, d.compute, id, servers.RebootOpts{Type: how}).ExtractErr(), op, id)
}

// Start starts a stopped server (os-start).
func (d *Driver) Start(ctx context.Context, id string) error {
	return act(servers.Start(ctx, d.compute, id).ExtractErr(), perspective.OpStart, id)
}

// Shutdown stops a server (os-stop).
func (d *Driver) Shutdown(ctx context.Context, id string) error {
	return act(servers.Stop(ctx, d.compute, id).ExtractErr(), perspective.OpShutdown, id)
}

// Pause pauses a server.
func (d *Driver) Pause(ctx context.Context, id string) error {
	return act(servers.Pause(ctx, d.compute, id).ExtractErr(), perspective.OpPause, id)
}

// Unpause unpauses a paused server.
func (d *Driver) Unpause(ctx context.Context, id string) error {
	return act(servers.Unpause(ctx, d.compute, id).ExtractErr(), perspective.OpResume, id)
}

// Suspend suspends a server.
func (d *Driver) Suspend(ctx context.Context, id string) error {
	return act(servers.Suspend(ctx, d.compute, id).ExtractErr(), perspective.OpSuspend, id)
}

// Resume resumes a suspended server.
func (d *Driver) Resume(ctx context.Context, id string) error {
	return act(servers.Resume(ctx, d.compute, id).ExtractErr(), perspective.OpResume, id)
}

// Resize moves a server to another flavor; it ends in VERIFY_RESIZE.
func (d *Driver) Resize(ctx context.Context, id, flavorID string) error {
	return act(servers.Resize(ctx, d.compute, id, servers.ResizeOpts{FlavorRef: flavorID}).ExtractErr(), perspective.OpResize, id)
}

// ConfirmResize confirms a resize.
func (d *Driver) ConfirmResize(ctx context.Context, id string) error {
	return act(servers.ConfirmResize(ctx, d.compute, id).ExtractErr(), perspective.OpConfirmResize, id)
}

// RevertResize reverts a resize.
func (d *Driver) RevertResize(ctx context.Context, id string) error {
	return act(servers.RevertResize(ctx, d.compute, id).ExtractErr(), perspective.OpRevertResize, id)
}

// Rebuild rebuilds a server from an image.
func (d *Driver) Rebuild(ctx context.Context, id, imageID string) error {
	_, err := servers.Rebuild(ctx, d.compute, id, servers.RebuildOpts{ImageRef: imageID}).Extract()
	return act(err, perspective.OpRebuild, id)
}

// Rename renames a server.
func (d *Driver) Rename(ctx context.Context, id, name string) error {
	_, err := servers.Update(ctx, d.compute, id, servers.UpdateOpts{Name: name}).Extract()
	return act(err, perspective.OpRename, id)
}

// Snapshot saves the server's disk as an image and returns the image
// (queued or saving: Glance receives the data afterwards).
func (d *Driver) Snapshot(ctx context.Context, id, name string) (driver.Image, error) {
	imageID, err := servers.CreateImage(ctx, d.compute, id, servers.CreateImageOpts{Name: name}).ExtractImageID()
	if err != nil {
		return driver.Image{}, act(err, perspective.OpSnapshot, id)
	}
	img, err := d.GetImage(ctx, imageID)
	if err != nil {
		// the snapshot exists even if Glance does not show it yet
		return driver.Image{ID: imageID, Name: name, State: driver.ImageQueued}, nil
	}
	return img, nil
}

// Lock locks a server against changes by non-admins.
func (d *Driver) Lock(ctx context.Context, id string) error {
	return act(servers.Lock(ctx, d.compute, id).ExtractErr(), perspective.OpLock, id)
}

// Unlock unlocks a server.
func (d *Driver) Unlock(ctx context.Context, id string) error {
	return act(servers.Unlock(ctx, d.compute, id).ExtractErr(), perspective.OpUnlock, id)
}

// AddTags adds tags to a server (compute microversion ≥ 2.26).
func (d *Driver) AddTags(ctx context.Context, id string, add []string) error {
	if !d.mv.atLeast(mvTags) {
		return d.unsupported(perspective.OpTag, "server tags", mvTags)
	}
	for _, t := range add {
		if err := tags.Add(ctx, d.compute, id, t).ExtractErr(); err != nil {
			return act(err, perspective.OpTag, id)
		}
	}
	return nil
}

// RemoveTags removes tags from a server; absent tags are not an error.
func (d *Driver) RemoveTags(ctx context.Context, id string, remove []string) error {
	if !d.mv.atLeast(mvTags) {
		return d.unsupported(perspective.OpUntag, "server tags", mvTags)
	}
	for _, t := range remove {
		err := tags.Delete(ctx, d.compute, id, t).ExtractErr()
		if err != nil && driver.CodeOf(act(err, perspective.OpUntag, id)) == driver.CodeNotFound {
			// a missing tag answers 404 too; tell it from a missing server
			if _, gerr := servers.Get(ctx, d.compute, id).Extract(); gerr == nil {
				continue
			}
		}
		if err != nil {
			return act(err, perspective.OpUntag, id)
		}
	}
	return nil
}

// SetMetadata sets metadata keys, keeping the others.
func (d *Driver) SetMetadata(ctx context.Context, id string, md map[string]string) error {
	_, err := servers.UpdateMetadata(ctx, d.compute, id, servers.MetadataOpts(md)).Extract()
	return act(err, perspective.OpSetMetadata, id)
}

// UnsetMetadata removes metadata keys; absent keys are not an error.
func (d *Driver) UnsetMetadata(ctx context.Context, id string, keys []string) error {
	for _, k := range keys {
		err := servers.DeleteMetadatum(ctx, d.compute, id, k).ExtractErr()
		if err != nil && driver.CodeOf(act(err, perspective.OpUnsetMetadata, id)) == driver.CodeNotFound {
			if _, gerr := servers.Get(ctx, d.compute, id).Extract(); gerr == nil {
				continue
			}
		}
		if err != nil {
			return act(err, perspective.OpUnsetMetadata, id)
		}
	}
	return nil
}
