//go:build integration

package openstack_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// Seed 003's moves on the real cloud: cold and live migration, soft delete
// and restore, evacuation. They need what scripts/openstack-aio.sh sets up
// for them: a second compute host (aio2) and reclaim_instance_interval
// (soft delete). Without them a test fails saying what is missing, as
// every integration test here does; it never skips. Servers are named
// s3-… and force-deleted at the end, whatever happens.

// computeHosts returns the hosts of the hypervisors that are up and
// enabled, and fails the test unless there are two at least.
func computeHosts(t *testing.T, op *operator.Operator) []string {
	t.Helper()
	hvs, err := op.Hypervisors(context.Background())
	require.NoError(t, err)
	var up, all []string
	for _, h := range hvs {
		host := h.Host
		if host == "" {
			host = h.Hostname
		}
		all = append(all, fmt.Sprintf("%s (%s, %s)", host, h.State, h.Status))
		if h.State == "up" && h.Status == "enabled" {
			up = append(up, host)
		}
	}
	if len(up) < 2 {
		t.Fatalf("this test needs two compute hosts up and enabled; the cloud has %s. "+
			"scripts/openstack-aio.sh runs a second fake compute host, aio2 (see its README for a stack started before)",
			strings.Join(all, ", "))
	}
	slices.Sort(up)
	return up
}

// s3Launch launches one server named s3-<name>-<n> and waits until it
// runs; it is force-deleted when the test ends.
func s3Launch(t *testing.T, c *perspective.Cloud, name string) perspective.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	in := c.Instances()
	rep, err := in.Launch(ctx, perspective.LaunchSpec{Name: fmt.Sprintf("s3-%s-%d", name, time.Now().UnixNano()%1e6),
		FlavorID: itFlavor, ImageID: itImage, Networks: []string{itNetwork}})
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { s3ForceDelete(t, c, id) })
	got, err := in.WaitFor(ctx, []string{id}, perspective.StateLaunched)
	require.NoError(t, err)
	inst := got.Instances()[0]
	require.NotEmpty(t, inst.Host, "an administrator sees the server's host")
	return inst
}

// s3ForceDelete deletes a server at once (soft-deleted ones too) and waits
// until it is gone.
func s3ForceDelete(t *testing.T, c *perspective.Cloud, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	in := c.Instances()
	if _, err := in.ForceDelete(ctx, id); err != nil && !errors.Is(err, perspective.ErrNotFound) {
		// e.g. still migrating: reset it, then delete
		t.Logf("force delete %s: %v; resetting its state first", id, err)
		if op, oerr := operator.New(c); oerr == nil {
			_, _ = op.ResetState(ctx, perspective.StateError, id)
		}
		if _, err := in.ForceDelete(ctx, id); err != nil && !errors.Is(err, perspective.ErrNotFound) {
			t.Errorf("cleanup: force delete %s: %v", id, err)
			return
		}
	}
	if _, err := in.WaitFor(ctx, []string{id}, perspective.StateDeleted); err != nil {
		t.Errorf("cleanup: %s not gone: %v", id, err)
	}
}

// s3Fresh reads a server from the cloud (a GET, as openstack server show).
func s3Fresh(t *testing.T, c *perspective.Cloud, id string) perspective.Instance {
	t.Helper()
	inst, err := c.Instances().With(perspective.MaxAge(0)).Get(context.Background(), id)
	require.NoError(t, err)
	return inst
}

// s3WaitMoved waits until a server is in one of states on a host other
// than from (a move is over when both say so), and returns it.
func s3WaitMoved(t *testing.T, c *perspective.Cloud, id, from string, states ...perspective.State) perspective.Instance {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		inst := s3Fresh(t, c, id)
		if inst.State == perspective.StateError {
			t.Fatalf("server %s went to error on %s: %s", id, inst.Host, inst.Fault)
		}
		if inst.Host != from && slices.Contains(states, inst.State) {
			return inst
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %s still on %s (%s, %s) after 3 minutes; want another host and %v", id, inst.Host, inst.State, inst.Status, states)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func s3Wait(t *testing.T, c *perspective.Cloud, id string, states ...perspective.State) perspective.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := c.Instances().WaitFor(ctx, []string{id}, states...)
	require.NoError(t, err)
	return rep.Instances()[0]
}

func otherHost(hosts []string, not string) string {
	for _, h := range hosts {
		if h != not {
			return h
		}
	}
	return ""
}

// TestIntegrationOperatorColdMigrate: a cold migration by the scheduler
// then confirmed keeps the server on its new host; one to a named host
// then reverted brings it back.
func TestIntegrationOperatorColdMigrate(t *testing.T) {
	c, op := adminCloud(t)
	hosts := computeHosts(t, op)
	ctx := context.Background()
	in := c.Instances()

	t.Run("confirm", func(t *testing.T) {
		inst := s3Launch(t, c, "cold-confirm")
		from := inst.Host
		start := time.Now()
		_, err := in.Migrate(ctx, "", inst.ID)
		require.NoError(t, err)
		moved := s3WaitMoved(t, c, inst.ID, from, perspective.StateVerifyResize)
		t.Logf("cold migration %s → %s (scheduler) in %s", from, moved.Host, time.Since(start).Round(100*time.Millisecond))
		assert.Equal(t, otherHost(hosts, from), moved.Host)
		start = time.Now()
		_, err = in.ConfirmResize(ctx, inst.ID)
		require.NoError(t, err)
		s3Wait(t, c, inst.ID, perspective.StateLaunched)
		t.Logf("confirmed in %s", time.Since(start).Round(100*time.Millisecond))
		assert.Equal(t, moved.Host, s3Fresh(t, c, inst.ID).Host, "confirmed: the server stays on its new host")
	})
	t.Run("revert", func(t *testing.T) {
		inst := s3Launch(t, c, "cold-revert")
		from, to := inst.Host, otherHost(hosts, inst.Host)
		_, err := in.Migrate(ctx, to, inst.ID)
		require.NoError(t, err)
		moved := s3WaitMoved(t, c, inst.ID, from, perspective.StateVerifyResize)
		assert.Equal(t, to, moved.Host, "the named host")
		start := time.Now()
		_, err = in.RevertResize(ctx, inst.ID)
		require.NoError(t, err)
		back := s3WaitMoved(t, c, inst.ID, to, perspective.StateLaunched)
		t.Logf("reverted to %s in %s", back.Host, time.Since(start).Round(100*time.Millisecond))
		assert.Equal(t, from, back.Host, "reverted: back on the host it left")
	})
}

// TestIntegrationOperatorLiveMigrate: a live migration to the other host
// by name, then one where the scheduler chooses; each changes the
// server's host and keeps it running.
func TestIntegrationOperatorLiveMigrate(t *testing.T) {
	c, op := adminCloud(t)
	hosts := computeHosts(t, op)
	ctx := context.Background()
	in := c.Instances()
	inst := s3Launch(t, c, "live")
	from, to := inst.Host, otherHost(hosts, inst.Host)

	start := time.Now()
	_, err := in.LiveMigrate(ctx, to, inst.ID)
	require.NoError(t, err)
	moved := s3WaitMoved(t, c, inst.ID, from, perspective.StateLaunched)
	t.Logf("live migration %s → %s (named) in %s", from, moved.Host, time.Since(start).Round(100*time.Millisecond))
	assert.Equal(t, to, moved.Host)

	start = time.Now()
	_, err = in.LiveMigrate(ctx, "", inst.ID)
	require.NoError(t, err)
	back := s3WaitMoved(t, c, inst.ID, to, perspective.StateLaunched)
	t.Logf("live migration %s → %s (scheduler) in %s", to, back.Host, time.Since(start).Round(100*time.Millisecond))
	assert.Equal(t, otherHost(hosts, to), back.Host, "two hosts: the scheduler's only choice")

	_, err = in.LiveMigrate(ctx, back.Host, inst.ID)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "already there: refused before any call")
}

// TestIntegrationOperatorSoftDeleteRestore: with reclaim_instance_interval
// set, a delete leaves the server SOFT_DELETED; restore brings it back,
// force delete ends it.
//
// It runs in PERSPECTIVE_IT_SOFT_DELETE_REGION when set (the project's
// stack deletes at once in RegionOne and keeps deleted servers in
// RegionTwo; .ci/openstack-integration sets it), else in the openrc's region.
func TestIntegrationOperatorSoftDeleteRestore(t *testing.T) {
	c, _ := adminCloudIn(t, os.Getenv("PERSPECTIVE_IT_SOFT_DELETE_REGION"))
	ctx := context.Background()
	in := c.Instances()
	inst := s3Launch(t, c, "restore")

	_, err := in.Delete(ctx, inst.ID)
	require.NoError(t, err)
	got := s3Wait(t, c, inst.ID, perspective.StateSoftDeleted, perspective.StateDeleted)
	if got.State == perspective.StateDeleted {
		t.Fatal("the cloud deleted the server at once: soft delete needs reclaim_instance_interval in nova.conf " +
			"(scripts/openstack-aio.sh sets it in RegionTwo: PERSPECTIVE_IT_SOFT_DELETE_REGION=RegionTwo)")
	}
	assert.Equal(t, "SOFT_DELETED", s3Fresh(t, c, inst.ID).Status)

	start := time.Now()
	_, err = in.Restore(ctx, inst.ID)
	require.NoError(t, err)
	s3Wait(t, c, inst.ID, perspective.StateLaunched)
	t.Logf("restored in %s", time.Since(start).Round(100*time.Millisecond))
	assert.Equal(t, "ACTIVE", s3Fresh(t, c, inst.ID).Status)

	_, err = in.Delete(ctx, inst.ID)
	require.NoError(t, err)
	s3Wait(t, c, inst.ID, perspective.StateSoftDeleted)
	_, err = in.ForceDelete(ctx, inst.ID)
	require.NoError(t, err)
	s3Wait(t, c, inst.ID, perspective.StateDeleted)
}

// forceUp lifts a compute service's forced-down flag. Nova shows a
// deleted server as DELETED before it destroys its record, and the
// evacuation's migration record goes only with that; until then Nova
// refuses (400, "done evacuation migration records remain"), so forceUp
// asks again for up to 30 s.
func forceUp(ctx context.Context, t *testing.T, op *operator.Operator, id string) (operator.Service, error) {
	start := time.Now()
	for asks := 1; ; asks++ {
		up, err := op.ForceDown(ctx, id, false)
		if err == nil || !errors.Is(err, perspective.ErrInvalidArgument) ||
			!strings.Contains(err.Error(), "evacuation migration records") || time.Since(start) > 30*time.Second {
			if asks > 1 {
				t.Logf("force up: %d asks in %s", asks, time.Since(start).Round(100*time.Millisecond))
			}
			return up, err
		}
		time.Sleep(time.Second)
	}
}

// TestIntegrationOperatorEvacuate forces the compute service of a server's
// host down, evacuates the server (the scheduler picks the other host),
// then brings the service back with the API alone: Nova refuses to force a
// host up while "done" evacuation records name it, until its nova-compute
// restarts or the evacuated servers are deleted (their records go with
// them), so the server is force-deleted first (and the force-up asked
// again while Nova destroys the deleted server's record: see forceUp).
// Should the service not come back, the test fails naming the host to
// restart.
func TestIntegrationOperatorEvacuate(t *testing.T) {
	c, op := adminCloud(t)
	hosts := computeHosts(t, op)
	ctx := context.Background()
	inst := s3Launch(t, c, "evacuate")
	from := inst.Host

	svcs, err := op.Services(ctx)
	require.NoError(t, err)
	i := slices.IndexFunc(svcs, func(s operator.Service) bool { return s.Binary == "nova-compute" && s.Host == from })
	require.GreaterOrEqual(t, i, 0, "the nova-compute service of %s", from)
	svc := svcs[i]
	require.False(t, svc.ForcedDown, "%s is forced down before the test", from)

	// A host that is up is refused by the cloud.
	rep, err := op.Evacuate(ctx, "", inst.ID)
	require.Error(t, err)
	assert.ErrorIs(t, rep.Results[0].Err, perspective.ErrConflict, "%v", rep.Results[0].Err)

	_, err = op.ForceDown(ctx, svc.ID, true)
	require.NoError(t, err)
	restored := false
	t.Cleanup(func() {
		if restored {
			return
		}
		s3ForceDelete(t, c, inst.ID) // its evacuation record goes with it
		if _, err := forceUp(context.Background(), t, op, svc.ID); err != nil {
			t.Errorf("cleanup: the nova-compute service of %s is left forced down (%v): restart that nova-compute", from, err)
		}
	})

	start := time.Now()
	_, err = op.Evacuate(ctx, "", inst.ID)
	require.NoError(t, err)
	moved := s3WaitMoved(t, c, inst.ID, from, perspective.StateLaunched)
	t.Logf("evacuated %s → %s in %s", from, moved.Host, time.Since(start).Round(100*time.Millisecond))
	assert.Equal(t, otherHost(hosts, from), moved.Host)

	// Bring the host back: first refused while the evacuation's record
	// stands, then accepted once the evacuated server is gone.
	_, err = op.ForceDown(ctx, svc.ID, false)
	if err != nil {
		t.Logf("forcing %s up before the evacuated server is deleted: %v", from, err)
		assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	}
	s3ForceDelete(t, c, inst.ID)
	up, err := forceUp(ctx, t, op, svc.ID)
	require.NoError(t, err, "the nova-compute service of %s is left forced down: restart that nova-compute", from)
	restored = true
	assert.False(t, up.ForcedDown)
	deadline := time.Now().Add(time.Minute)
	for up.State != "up" && time.Now().Before(deadline) {
		time.Sleep(time.Second)
		svcs, err := op.Services(ctx)
		require.NoError(t, err)
		i := slices.IndexFunc(svcs, func(s operator.Service) bool { return s.ID == svc.ID })
		up = svcs[i]
	}
	assert.Equal(t, "up", up.State, "%s reports up again", from)
	assert.Equal(t, "enabled", up.Status)
}
