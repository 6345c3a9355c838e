package perspectivetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testMoves runs seed 003's instance operations on one instance: shelving,
// backups, passwords, security groups, diagnostics, migrations, and soft
// delete with restore or force delete.
func (s *suite) testMoves(t *testing.T) {
	ctx := s.ctx(t)
	rep, err := s.inst.Launch(ctx, s.spec("moves", 1))
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
		defer cancel()
		_, _ = s.inst.Delete(ctx, id)
		_, _ = s.inst.ForceDelete(ctx, id)
	})
	s.wait(t, []string{id}, perspective.StateLaunched)
	one := []string{id}

	t.Run("BadInput", func(t *testing.T) {
		before := s.mutations()
		for name, call := range map[string]func() error{
			"backup without name": func() error {
				_, err := s.inst.Backup(ctx, perspective.BackupSpec{Type: "daily", Rotation: 1}, id)
				return err
			},
			"backup rotation": func() error {
				_, err := s.inst.Backup(ctx, perspective.BackupSpec{Name: "b", Type: "daily", Rotation: perspective.MaxBackupRotation + 1}, id)
				return err
			},
			"empty password": func() error { _, err := s.inst.SetPassword(ctx, "", id); return err },
			"control in password": func() error {
				_, err := s.inst.SetPassword(ctx, "hunter\x002", id)
				assert.NotContains(t, err.Error(), "hunter", "a password never appears in an error")
				return err
			},
			"empty group": func() error { _, err := s.inst.AddSecurityGroup(ctx, " ", id); return err },
			"long host":   func() error { _, err := s.inst.LiveMigrate(ctx, string(make([]byte, 300)), id); return err },
			"no ids":      func() error { _, err := s.inst.Shelve(ctx); return err },
		} {
			t.Run(name, func(t *testing.T) {
				assert.ErrorIs(t, call(), perspective.ErrInvalidArgument)
			})
		}
		if before >= 0 {
			assert.Equal(t, before, s.mutations(), "bad input never reaches the cloud")
		}
	})
	t.Run("InvalidState", func(t *testing.T) {
		for op, run := range map[perspective.Operation]func(ctx context.Context) (*perspective.Report, error){
			perspective.OpUnshelve:      func(ctx context.Context) (*perspective.Report, error) { return s.inst.Unshelve(ctx, one...) },
			perspective.OpShelveOffload: func(ctx context.Context) (*perspective.Report, error) { return s.inst.ShelveOffload(ctx, one...) },
			perspective.OpRestore:       func(ctx context.Context) (*perspective.Report, error) { return s.inst.Restore(ctx, one...) },
		} {
			if !s.cloud.Supports(op) { // a cloud without the operation answers that first
				_, err := run(s.ctx(t))
				assert.ErrorIs(t, err, perspective.ErrUnsupported, "%s", op)
				continue
			}
			s.refused(t, perspective.ErrInvalidState, run)
		}
	})
	t.Run("Password", func(t *testing.T) {
		s.step(t, perspective.OpSetPassword, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.SetPassword(ctx, "n3w-Passw0rd", one...)
		})
	})
	t.Run("SecurityGroups", func(t *testing.T) { s.securityGroups(t, id) })
	t.Run("Diagnostics", func(t *testing.T) { s.diagnostics(t, id) })
	t.Run("Backup", func(t *testing.T) { s.backup(t, id) })
	t.Run("Migrate", func(t *testing.T) { s.migrate(t, id) })
	t.Run("Shelve", func(t *testing.T) { s.shelve(t, id) })
	t.Run("Delete", func(t *testing.T) { s.softDelete(t, id) })
}

// allowed runs a call the credentials may lack the role for: with
// Harness.Admin it must succeed, without it it must be forbidden (or
// unsupported when the cloud lacks op). It reports whether the call ran.
func (s *suite) allowed(t *testing.T, op perspective.Operation, err error) bool {
	t.Helper()
	switch {
	case !s.cloud.Supports(op):
		assert.ErrorIs(t, err, perspective.ErrUnsupported, "%s is not in Operations(), so it is unsupported", op)
		return false
	case !s.h.Admin:
		assert.ErrorIs(t, err, perspective.ErrForbidden, "%s needs the administrator role these credentials lack", op)
		return false
	}
	require.NoError(t, err, "%s", op)
	return true
}

func (s *suite) securityGroups(t *testing.T, id string) {
	ctx := s.ctx(t)
	g := s.h.SecurityGroup
	if !s.cloud.Supports(perspective.OpAddSecurityGroup) {
		_, err := s.inst.AddSecurityGroup(ctx, g, id)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	_, err := s.inst.AddSecurityGroup(ctx, g, id)
	require.NoError(t, err, "add %s", g)
	_, err = s.inst.RemoveSecurityGroup(ctx, g, id)
	require.NoError(t, err, "remove %s", g)
	_, err = s.inst.RemoveSecurityGroup(ctx, g, id)
	assert.Error(t, err, "%s is no longer on the instance", g)
	_, err = s.inst.AddSecurityGroup(ctx, s.h.Prefix+"-no-such-group", id)
	assert.ErrorIs(t, err, perspective.ErrNotFound)
	_, err = s.inst.AddSecurityGroup(ctx, g, id)
	require.NoError(t, err, "add %s back", g)
}

func (s *suite) diagnostics(t *testing.T, id string) {
	d, err := s.inst.Diagnostics(s.ctx(t), id)
	if !s.allowed(t, perspective.OpDiagnostics, err) {
		return
	}
	assert.NotEmpty(t, d.State+d.Driver+fmt.Sprint(len(d.Raw)), "the hypervisor says something of the instance")
	assert.LessOrEqual(t, len(d.Raw), perspective.MaxDiagnosticsKeys)
}

func (s *suite) backup(t *testing.T, id string) {
	ctx := s.ctx(t)
	name := fmt.Sprintf("%s-backup-%d", s.h.Prefix, time.Now().UnixNano())
	spec := perspective.BackupSpec{Name: name, Type: "daily", Rotation: 1}
	if !s.cloud.Supports(perspective.OpBackup) {
		_, err := s.inst.Backup(ctx, spec, id)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	var made []string
	t.Cleanup(func() { _, _ = s.cloud.Images().Delete(context.Background(), made...) })
	for i := range 2 {
		spec.Name = fmt.Sprintf("%s-%d", name, i)
		rep, err := s.inst.Backup(ctx, spec, id)
		require.NoError(t, err)
		if img := rep.Results[0].Image; img != nil {
			assert.Equal(t, spec.Name, img.Name)
			made = append(made, img.ID)
		}
		// The image may stay queued (Nova's fake driver uploads nothing):
		// wait for the instance, never for the image.
		s.wait(t, []string{id}, perspective.StateLaunched)
	}
	require.Eventually(t, func() bool {
		imgs, err := s.cloud.Images().List(ctx)
		require.NoError(t, err)
		n := 0
		for _, img := range imgs {
			if len(img.Name) > len(name) && img.Name[:len(name)] == name {
				n++
			}
		}
		return n == 1
	}, s.h.Timeout, 200*time.Millisecond, "a rotation of 1 keeps the newest backup only")
}

func (s *suite) migrate(t *testing.T, id string) {
	if s.h.SingleHost && s.h.Admin {
		t.Log("Harness.SingleHost: one compute host, so a migration has nowhere to go; cold and live migration are not exercised on this cloud")
		return
	}
	ctx := s.ctx(t)
	one := []string{id}
	before, err := s.inst.Get(ctx, id)
	require.NoError(t, err)
	rep, err := s.inst.Migrate(ctx, "", one...)
	if !s.allowed(t, perspective.OpMigrate, err) {
		return
	}
	require.Len(t, rep.Results, 1)
	insts := s.wait(t, one, perspective.StateVerifyResize)
	if before.Host != "" {
		assert.NotEqual(t, before.Host, insts[0].Host, "a cold migration changes the host")
	}
	insts = s.step(t, perspective.OpRevertResize, one, func(ctx context.Context) (*perspective.Report, error) {
		return s.inst.RevertResize(ctx, one...)
	})
	assert.Equal(t, before.Host, insts[0].Host, "a reverted migration goes back")
	_, err = s.inst.Migrate(ctx, "", one...)
	require.NoError(t, err)
	s.wait(t, one, perspective.StateVerifyResize)
	insts = s.step(t, perspective.OpConfirmResize, one, func(ctx context.Context) (*perspective.Report, error) {
		return s.inst.ConfirmResize(ctx, one...)
	})
	moved := insts[0].Host
	if before.Host != "" {
		assert.NotEqual(t, before.Host, moved, "a confirmed migration stays on the new host")
	}
	if !s.cloud.Supports(perspective.OpLiveMigrate) {
		_, err := s.inst.LiveMigrate(ctx, "", one...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	insts = s.step(t, perspective.OpLiveMigrate, one, func(ctx context.Context) (*perspective.Report, error) {
		return s.inst.LiveMigrate(ctx, "", one...)
	})
	assert.Equal(t, perspective.StateLaunched, insts[0].State, "a live migration keeps the state")
	if moved == "" {
		return
	}
	assert.NotEqual(t, moved, insts[0].Host, "the scheduler picked another host")
	before2 := s.mutations()
	_, err = s.inst.LiveMigrate(ctx, insts[0].Host, one...)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "the instance already runs there")
	if before2 >= 0 {
		assert.Equal(t, before2, s.mutations(), "a move to the instance's own host never reaches the cloud")
	}
	insts = s.step(t, perspective.OpLiveMigrate, one, func(ctx context.Context) (*perspective.Report, error) {
		return s.inst.LiveMigrate(ctx, moved, one...)
	})
	assert.Equal(t, moved, insts[0].Host, "a live migration to a named host lands there")

	if s.h.Fail == nil {
		return
	}
	// An instance that goes to error during a migration fails its wait
	// with the cloud's fault.
	_, err = s.inst.Migrate(ctx, "", one...)
	require.NoError(t, err)
	require.NoError(t, s.h.Fail(insts[0].RealID, "Migration pre-check error: Unable to migrate"))
	wctx, cancel := context.WithTimeout(ctx, s.h.Timeout)
	defer cancel()
	wrep, err := s.inst.WaitFor(wctx, one, perspective.StateVerifyResize)
	require.Error(t, err)
	assert.ErrorIs(t, wrep.Results[0].Err, perspective.ErrInvalidState)
	assert.ErrorContains(t, wrep.Results[0].Err, "Unable to migrate", "the wait fails with the fault")
	_, err = s.inst.HardReboot(ctx, one...)
	require.NoError(t, err, "an instance in error comes back with a hard reboot")
	s.wait(t, one, perspective.StateLaunched)
}

func (s *suite) shelve(t *testing.T, id string) {
	one := []string{id}
	if !s.cloud.Supports(perspective.OpShelve) {
		_, err := s.inst.Shelve(s.ctx(t), one...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	rep, err := s.inst.Shelve(s.ctx(t), one...)
	require.NoError(t, err)
	assert.True(t, rep.Results[0].OK())
	insts := s.wait(t, one, perspective.StateShelved, perspective.StateShelvedOffloaded)
	if insts[0].State == perspective.StateShelved {
		insts = s.step(t, perspective.OpShelveOffload, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.ShelveOffload(ctx, one...)
		})
	}
	if insts[0].Host != "" {
		// Nova may clear the host a moment after the state says offloaded.
		assert.Eventually(t, func() bool {
			in, err := s.inst.With(perspective.MaxAge(0)).Get(s.ctx(t), id)
			return err == nil && in.Host == ""
		}, 30*time.Second, 250*time.Millisecond, "an offloaded instance has left its host")
	}
	s.refused(t, perspective.ErrInvalidState, func(ctx context.Context) (*perspective.Report, error) { return s.inst.Reboot(ctx, one...) })
	s.step(t, perspective.OpUnshelve, one, func(ctx context.Context) (*perspective.Report, error) {
		return s.inst.Unshelve(ctx, one...)
	})
}

// softDelete deletes the instance: on a cloud that keeps deleted
// instances (Harness.SoftDelete) it restores it once and force-deletes it;
// elsewhere it force-deletes it at once.
func (s *suite) softDelete(t *testing.T, id string) {
	ctx := s.ctx(t)
	one := []string{id}
	if s.h.SoftDelete {
		_, err := s.inst.Delete(ctx, one...)
		require.NoError(t, err)
		insts := s.wait(t, one, perspective.StateSoftDeleted)
		assert.Equal(t, perspective.StateSoftDeleted, insts[0].State)
		s.step(t, perspective.OpRestore, one, func(ctx context.Context) (*perspective.Report, error) {
			return s.inst.Restore(ctx, one...)
		})
		_, err = s.inst.Delete(ctx, one...)
		require.NoError(t, err)
		s.wait(t, one, perspective.StateSoftDeleted)
	}
	if !s.cloud.Supports(perspective.OpForceDelete) {
		_, err := s.inst.ForceDelete(ctx, one...)
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	_, err := s.inst.ForceDelete(ctx, one...)
	require.NoError(t, err)
	s.wait(t, one, perspective.StateDeleted)
	require.Eventually(t, func() bool {
		_, err := s.inst.Get(ctx, id)
		return perspective.Code(err) == perspective.CodeNotFound
	}, s.h.Timeout, 100*time.Millisecond, "a force-deleted instance is gone")
	listed, err := s.inst.List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	assert.False(t, slices.ContainsFunc(listed, func(i perspective.Instance) bool { return i.ID == id }))
}
