package openstack

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/diagnostics"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/secgroups"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// Shelve shelves a server; Nova offloads it at once when its
// shelved_offload_time is 0.
func (d *Driver) Shelve(ctx context.Context, id string) error {
	return act(servers.Shelve(ctx, d.compute, id).ExtractErr(), perspective.OpShelve, id)
}

// ShelveOffload frees the host of a shelved server.
func (d *Driver) ShelveOffload(ctx context.Context, id string) error {
	return act(servers.ShelveOffload(ctx, d.compute, id).ExtractErr(), perspective.OpShelveOffload, id)
}

// Unshelve brings a shelved server back ({"unshelve": null}).
func (d *Driver) Unshelve(ctx context.Context, id string) error {
	return act(servers.Unshelve(ctx, d.compute, id, servers.UnshelveOpts{}).ExtractErr(), perspective.OpUnshelve, id)
}

// Migrate cold-migrates a server; a named host needs microversion 2.56.
// The server ends in VERIFY_RESIZE, confirmed or reverted as a resize.
func (d *Driver) Migrate(ctx context.Context, id, host string) error {
	if host == "" {
		return act(servers.Migrate(ctx, d.compute, id).ExtractErr(), perspective.OpMigrate, id)
	}
	if err := d.need(perspective.OpMigrate, "cold migration to a named host", mvMigrateToHost); err != nil {
		return err
	}
	_, err := serverAction(ctx, d.compute, id, map[string]any{"migrate": map[string]any{"host": host}}, nil)
	return act(err, perspective.OpMigrate, id)
}

// LiveMigrate live-migrates a server, to a named host (microversion 2.30,
// so that the scheduler checks the host) or where the scheduler chooses.
// From 2.25 block migration is "auto"; before, it is off.
func (d *Driver) LiveMigrate(ctx context.Context, id, host string) error {
	var target any // JSON null: the scheduler's choice
	if host != "" {
		if err := d.need(perspective.OpLiveMigrate, "live migration to a named host", mvLiveToHost); err != nil {
			return err
		}
		target = host
	}
	body := map[string]any{"host": target, "block_migration": "auto"}
	if !d.mv.atLeast(mvLiveAuto) {
		body = map[string]any{"host": target, "block_migration": false, "disk_over_commit": false}
	}
	_, err := serverAction(ctx, d.compute, id, map[string]any{"os-migrateLive": body}, nil)
	return act(err, perspective.OpLiveMigrate, id)
}

// Backup creates a backup image of a server and has Nova keep the newest
// spec.Rotation of spec.Type. Nova names the image in the reply's body
// (from 2.45) or its Location header; the image is returned as queued.
func (d *Driver) Backup(ctx context.Context, id string, spec driver.BackupSpec) (driver.Image, error) {
	body := map[string]any{"createBackup": map[string]any{
		"name": spec.Name, "backup_type": spec.Type, "rotation": spec.Rotation}}
	var reply struct {
		ImageID string `json:"image_id"`
	}
	var out any
	if d.mv.atLeast(mvImageID) {
		out = &reply
	}
	resp, err := serverAction(ctx, d.compute, id, body, out, 202)
	if err != nil {
		return driver.Image{}, act(err, perspective.OpBackup, id)
	}
	if reply.ImageID == "" && resp != nil {
		if loc := resp.Header.Get("Location"); loc != "" {
			reply.ImageID = path.Base(loc)
		}
	}
	return driver.Image{ID: reply.ImageID, Name: spec.Name, State: driver.ImageQueued, Status: "queued",
		Metadata: map[string]string{"instance_uuid": id, "image_type": "backup", "backup_type": spec.Type}}, nil
}

// SetAdminPassword changes the administrator password in a server's guest.
func (d *Driver) SetAdminPassword(ctx context.Context, id, password string) error {
	return act(servers.ChangeAdminPassword(ctx, d.compute, id, password).ExtractErr(), perspective.OpSetPassword, id)
}

// AddSecurityGroup adds a security group (name or id) to a server.
func (d *Driver) AddSecurityGroup(ctx context.Context, id, group string) error {
	return act(secgroups.AddServer(ctx, d.compute, id, group).ExtractErr(), perspective.OpAddSecurityGroup, id)
}

// RemoveSecurityGroup removes a security group from a server.
func (d *Driver) RemoveSecurityGroup(ctx context.Context, id, group string) error {
	return act(secgroups.RemoveServer(ctx, d.compute, id, group).ExtractErr(), perspective.OpRemoveSecurityGroup, id)
}

// Diagnostics returns a server's diagnostics (administrators only, by
// Nova's default policy): the standard fields from 2.48, and the reply's
// scalar values in Raw whatever the microversion.
func (d *Driver) Diagnostics(ctx context.Context, id string) (driver.Diagnostics, error) {
	m, err := diagnostics.Get(ctx, d.compute, id).Extract()
	if err != nil {
		return driver.Diagnostics{}, act(err, perspective.OpDiagnostics, id)
	}
	return diagnosticsOf(m), nil
}

// diagnosticsOf reads Nova's diagnostics reply, untrusted: a value of the
// wrong type is left out, and Raw keeps at most MaxDiagnosticsKeys keys.
func diagnosticsOf(m map[string]any) driver.Diagnostics {
	dg := driver.Diagnostics{
		State: stringOf(m["state"]), Driver: stringOf(m["driver"]),
		Hypervisor: stringOf(m["hypervisor"]), HypervisorOS: stringOf(m["hypervisor_os"]),
		Uptime: time.Duration(intOf(m["uptime"])) * time.Second, CPUs: intOf(m["num_cpus"]),
		NICs: intOf(m["num_nics"]), Disks: intOf(m["num_disks"]),
	}
	dg.ConfigDrive, _ = m["config_drive"].(bool)
	if mem, ok := m["memory_details"].(map[string]any); ok {
		dg.MemoryMiB, dg.MemoryUsed = intOf(mem["maximum"]), intOf(mem["used"])
	}
	for key, n := range map[string]*int{"cpu_details": &dg.CPUs, "nic_details": &dg.NICs, "disk_details": &dg.Disks} {
		if list, ok := m[key].([]any); ok && *n == 0 {
			*n = len(list)
		}
	}
	for k, v := range m {
		if len(dg.Raw) >= driver.MaxDiagnosticsKeys {
			break
		}
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case float64, bool:
			s = fmt.Sprint(v)
		default:
			continue
		}
		if dg.Raw == nil {
			dg.Raw = map[string]string{}
		}
		dg.Raw[clip(k)] = clip(strings.ToValidUTF8(s, "\uFFFD"))
	}
	return dg
}

// intOf reads a JSON number as an int; anything else is 0.
func intOf(v any) int {
	f, ok := v.(float64)
	if !ok || f < 0 || f > 1<<53 {
		return 0
	}
	return int(f)
}

// Restore brings a soft-deleted server back.
func (d *Driver) Restore(ctx context.Context, id string) error {
	_, err := serverAction(ctx, d.compute, id, map[string]any{"restore": nil}, nil)
	return act(err, perspective.OpRestore, id)
}

// ForceDelete deletes a server at once, soft-deleted or not.
func (d *Driver) ForceDelete(ctx context.Context, id string) error {
	return act(servers.ForceDelete(ctx, d.compute, id).ExtractErr(), perspective.OpForceDelete, id)
}
