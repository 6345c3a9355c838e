package perspectivetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testOperator runs the operator surface (package operator): with
// Harness.Admin every call the driver supports must work; without it each
// must be forbidden; a call the driver lacks must be unsupported.
func (s *suite) testOperator(t *testing.T) {
	op, err := operator.New(s.cloud)
	require.NoError(t, err)
	if !s.h.Admin {
		s.operatorForbidden(t, op)
		return
	}
	t.Run("Hosts", func(t *testing.T) { s.operatorHosts(t, op) })
	t.Run("Services", func(t *testing.T) { s.operatorServices(t, op) })
	t.Run("Aggregates", func(t *testing.T) { s.operatorAggregates(t, op) })
	t.Run("Flavors", func(t *testing.T) { s.operatorFlavors(t, op) })
	t.Run("ResetState", func(t *testing.T) { s.operatorResetState(t, op) })
	t.Run("Evacuate", func(t *testing.T) { s.operatorEvacuate(t, op) })
}

// supported reports whether op is supported, and checks that an
// unsupported call says so.
func supported(t *testing.T, o *operator.Operator, op perspective.Operation, err error) bool {
	t.Helper()
	if o.Supports(op) {
		return true
	}
	assert.ErrorIs(t, err, perspective.ErrUnsupported, "%s is not in Operations(), so it is unsupported", op)
	return false
}

// operatorCalls is one call of every kind, for the refusal scenarios.
func (s *suite) operatorCalls(ctx context.Context, o *operator.Operator, instance string) map[perspective.Operation]func() error {
	return map[perspective.Operation]func() error{
		operator.OpHypervisors: func() error { _, err := o.Hypervisors(ctx); return err },
		operator.OpServices:    func() error { _, err := o.Services(ctx); return err },
		operator.OpHosts:       func() error { _, err := o.Hosts(ctx); return err },
		operator.OpAggregates:  func() error { _, err := o.Aggregates(ctx); return err },
		operator.OpCreateAggregate: func() error {
			_, err := o.CreateAggregate(ctx, operator.AggregateSpec{Name: s.h.Prefix + "-refused"})
			return err
		},
		operator.OpCreateFlavor: func() error {
			_, err := o.CreateFlavor(ctx, operator.FlavorSpec{Name: s.h.Prefix + "-refused", RAM: 64, VCPUs: 1})
			return err
		},
		operator.OpFlavorAccess: func() error { _, err := o.FlavorAccess(ctx, s.h.Flavor); return err },
		operator.OpResetState: func() error {
			_, err := o.ResetState(ctx, perspective.StateError, instance)
			return err
		},
		operator.OpEvacuate: func() error { _, err := o.Evacuate(ctx, "", instance); return err },
	}
}

// operatorForbidden checks that credentials without the role are refused
// with ErrForbidden, and change nothing.
func (s *suite) operatorForbidden(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	rep, err := s.inst.Launch(ctx, s.spec("op-refused", 1))
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { _, _ = s.inst.Delete(context.Background(), id) })
	s.wait(t, []string{id}, perspective.StateLaunched)
	for op, call := range s.operatorCalls(ctx, o, id) {
		t.Run(string(op), func(t *testing.T) {
			err := call()
			if supported(t, o, op, err) {
				assert.ErrorIs(t, err, perspective.ErrForbidden, "without the administrator role")
			}
		})
	}
	got, err := s.inst.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, perspective.StateLaunched, got.State, "a refused reset changes nothing")
	assert.Empty(t, got.Host, "only an administrator sees an instance's host")
}

func (s *suite) operatorHosts(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	hvs, err := o.Hypervisors(ctx)
	if supported(t, o, operator.OpHypervisors, err) {
		require.NoError(t, err)
		require.NotEmpty(t, hvs, "a cloud has hypervisors")
		for _, hv := range hvs {
			assert.NotEmpty(t, hv.ID)
			assert.NotEmpty(t, hv.Hostname)
			if hv.UsageKnown {
				assert.Positive(t, hv.VCPUs, hv.Hostname)
				assert.Positive(t, hv.MemoryMiB, hv.Hostname)
				assert.LessOrEqual(t, 0, hv.MemoryUsed)
			}
		}
	}
	hosts, err := o.Hosts(ctx)
	if supported(t, o, operator.OpHosts, err) {
		require.NoError(t, err)
		require.NotEmpty(t, hosts)
		for _, h := range hosts {
			assert.NotEmpty(t, h.Name)
			assert.NotEmpty(t, h.Services, "host %s runs services", h.Name)
		}
	}
}

// computeService returns the compute service of host (any host when empty).
func computeService(svcs []operator.Service, host string) (operator.Service, bool) {
	i := slices.IndexFunc(svcs, func(s operator.Service) bool {
		return s.Binary == "nova-compute" && (host == "" || s.Host == host)
	})
	if i < 0 {
		return operator.Service{}, false
	}
	return svcs[i], true
}

func (s *suite) operatorServices(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	svcs, err := o.Services(ctx)
	if !supported(t, o, operator.OpServices, err) {
		return
	}
	require.NoError(t, err)
	require.NotEmpty(t, svcs)
	svc, ok := computeService(svcs, "")
	require.True(t, ok, "a cloud has a compute service")
	reason := s.h.Prefix + " maintenance"
	got, err := o.DisableService(ctx, svc.ID, reason)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = o.EnableService(context.Background(), svc.ID) })
	assert.Equal(t, "disabled", got.Status)
	assert.Equal(t, reason, got.DisabledReason)
	got, err = o.EnableService(ctx, svc.ID)
	require.NoError(t, err)
	assert.Equal(t, "enabled", got.Status)
	_, err = o.DisableService(ctx, svc.ID, "bad\nreason")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = o.EnableService(ctx, "no-such-service")
	assert.Error(t, err, "an unknown service")
}

func (s *suite) operatorAggregates(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	name := fmt.Sprintf("%s-aggr-%d", s.h.Prefix, time.Now().UnixNano()%1e9)
	a, err := o.CreateAggregate(ctx, operator.AggregateSpec{Name: name, AvailabilityZone: name + "-az"})
	if !supported(t, o, operator.OpCreateAggregate, err) {
		return
	}
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx := context.Background()
		if got, err := o.Aggregate(ctx, a.ID); err == nil {
			for _, h := range got.Hosts {
				_, _ = o.RemoveAggregateHost(ctx, a.ID, h)
			}
		}
		_ = o.DeleteAggregate(ctx, a.ID)
	})
	assert.Equal(t, name, a.Name)
	assert.Equal(t, name+"-az", a.AvailabilityZone)
	_, err = o.CreateAggregate(ctx, operator.AggregateSpec{Name: name})
	assert.ErrorIs(t, err, perspective.ErrConflict, "aggregate names are unique")

	svcs, err := o.Services(ctx)
	require.NoError(t, err)
	svc, ok := computeService(svcs, "")
	require.True(t, ok)
	a, err = o.AddAggregateHost(ctx, a.ID, svc.Host)
	require.NoError(t, err)
	assert.Equal(t, []string{svc.Host}, a.Hosts)
	err = o.DeleteAggregate(ctx, a.ID)
	assert.Error(t, err, "an aggregate with hosts is not deleted")
	a, err = o.SetAggregateMetadata(ctx, a.ID, map[string]string{"ssd": "true", "tier": "gold"})
	require.NoError(t, err)
	assert.Equal(t, "true", a.Metadata["ssd"])
	a, err = o.SetAggregateMetadata(ctx, a.ID, nil, "tier")
	require.NoError(t, err)
	assert.NotContains(t, a.Metadata, "tier")
	newName := name + "-renamed"
	a, err = o.UpdateAggregate(ctx, a.ID, operator.AggregateUpdate{Name: &newName})
	require.NoError(t, err)
	assert.Equal(t, newName, a.Name)
	all, err := o.Aggregates(ctx)
	require.NoError(t, err)
	assert.True(t, slices.ContainsFunc(all, func(x operator.Aggregate) bool { return x.ID == a.ID }))
	a, err = o.RemoveAggregateHost(ctx, a.ID, svc.Host)
	require.NoError(t, err)
	assert.Empty(t, a.Hosts)
	require.NoError(t, o.DeleteAggregate(ctx, a.ID))
	_, err = o.Aggregate(ctx, a.ID)
	assert.ErrorIs(t, err, perspective.ErrNotFound)
}

func (s *suite) operatorFlavors(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	name := fmt.Sprintf("%s-flavor-%d", s.h.Prefix, time.Now().UnixNano()%1e9)
	f, err := o.CreateFlavor(ctx, operator.FlavorSpec{Name: name, RAM: 128, VCPUs: 1, RootDisk: 1, Description: "first"})
	if !supported(t, o, operator.OpCreateFlavor, err) {
		return
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = o.DeleteFlavor(context.Background(), f.ID) })
	assert.Equal(t, name, f.Name)
	assert.False(t, f.IsPublic)
	got, err := s.cloud.Flavors().Get(ctx, name)
	require.NoError(t, err, "a new flavor is listed at once (the cache is invalidated)")
	assert.Equal(t, f.ID, got.ID)
	_, err = o.CreateFlavor(ctx, operator.FlavorSpec{Name: name, RAM: 128, VCPUs: 1})
	assert.ErrorIs(t, err, perspective.ErrConflict, "flavor names are unique")
	_, err = o.CreateFlavor(ctx, operator.FlavorSpec{Name: name + "-x", RAM: 0, VCPUs: 1})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)

	project := s.cloud.Info().ProjectID
	if o.Supports(operator.OpAddFlavorAccess) {
		require.NoError(t, o.AddFlavorAccess(ctx, f.ID, project))
		projects, err := o.FlavorAccess(ctx, name)
		require.NoError(t, err)
		assert.Contains(t, projects, project)
		require.NoError(t, o.RemoveFlavorAccess(ctx, f.ID, project))
		projects, err = o.FlavorAccess(ctx, f.ID)
		require.NoError(t, err)
		assert.NotContains(t, projects, project)
	}
	if o.Supports(operator.OpSetExtraSpecs) {
		require.NoError(t, o.SetExtraSpecs(ctx, f.ID, map[string]string{"hw:cpu_policy": "dedicated", "quota:disk_read_iops_sec": "100"}))
		specs, err := o.ExtraSpecs(ctx, f.ID)
		require.NoError(t, err)
		assert.Equal(t, "dedicated", specs["hw:cpu_policy"])
		require.NoError(t, o.UnsetExtraSpecs(ctx, f.ID, "hw:cpu_policy"))
		specs, err = o.ExtraSpecs(ctx, f.ID)
		require.NoError(t, err)
		assert.NotContains(t, specs, "hw:cpu_policy")
		assert.ErrorIs(t, o.UnsetExtraSpecs(ctx, f.ID, "hw:cpu_policy"), perspective.ErrNotFound)
	}
	desc := "second"
	upd, err := o.UpdateFlavor(ctx, f.ID, operator.FlavorUpdate{Description: &desc})
	if supported(t, o, operator.OpUpdateFlavor, err) {
		require.NoError(t, err)
		assert.Equal(t, desc, upd.Notes)
	}
	require.NoError(t, o.DeleteFlavor(ctx, f.ID))
	_, err = s.cloud.Flavors().Get(ctx, name)
	assert.ErrorIs(t, err, perspective.ErrNotFound, "a deleted flavor is gone at once")
	assert.ErrorIs(t, o.DeleteFlavor(ctx, name), perspective.ErrNotFound)
}

func (s *suite) operatorResetState(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	rep, err := s.inst.Launch(ctx, s.spec("reset", 1))
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { _, _ = s.inst.Delete(context.Background(), id) })
	s.wait(t, []string{id}, perspective.StateLaunched)
	_, err = o.ResetState(ctx, perspective.StateShutoff, id)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument, "only launched and error")
	rep, err = o.ResetState(ctx, perspective.StateError, id, "no-such-instance")
	if !supported(t, o, operator.OpResetState, err) {
		return
	}
	require.Len(t, rep.Results, 2)
	assert.NoError(t, rep.Results[0].Err)
	assert.ErrorIs(t, rep.Results[1].Err, perspective.ErrNotFound)
	assert.Zero(t, rep.Results[1].Attempts, "an unknown instance is never attempted")
	got, err := s.inst.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, perspective.StateError, got.State)
	_, err = o.ResetState(ctx, perspective.StateLaunched, id)
	require.NoError(t, err)
	s.wait(t, []string{id}, perspective.StateLaunched)
}

// operatorEvacuate forces the host of an instance down, evacuates the
// instance and brings the host back (Harness.Evacuate).
func (s *suite) operatorEvacuate(t *testing.T, o *operator.Operator) {
	ctx := s.ctx(t)
	if !o.Supports(operator.OpEvacuate) {
		_, err := o.Evacuate(ctx, "", "x")
		assert.ErrorIs(t, err, perspective.ErrUnsupported)
		return
	}
	rep, err := s.inst.Launch(ctx, s.spec("evac", 1))
	require.NoError(t, err)
	id := rep.IDs()[0]
	t.Cleanup(func() { _, _ = s.inst.Delete(context.Background(), id) })
	inst := s.wait(t, []string{id}, perspective.StateLaunched)[0]
	require.NotEmpty(t, inst.Host, "an administrator sees the instance's host")
	rep, err = o.Evacuate(ctx, "", id)
	require.Error(t, err, "a host that is up is not evacuated")
	assert.ErrorIs(t, err, perspective.ErrConflict)
	assert.Equal(t, 1, rep.Results[0].Attempts)
	if !s.h.Evacuate {
		return
	}
	svcs, err := o.Services(ctx)
	require.NoError(t, err)
	svc, ok := computeService(svcs, inst.Host)
	require.True(t, ok, "host %s runs nova-compute", inst.Host)
	down, err := o.ForceDown(ctx, svc.ID, true)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = o.ForceDown(context.Background(), svc.ID, false) })
	assert.True(t, down.ForcedDown)
	assert.Equal(t, "down", down.State)
	rep, err = o.Evacuate(ctx, "", id)
	require.NoError(t, err)
	assert.True(t, rep.Results[0].OK())
	moved := s.wait(t, []string{id}, perspective.StateLaunched)[0]
	assert.NotEqual(t, inst.Host, moved.Host, "an evacuated instance runs elsewhere")
	up, err := o.ForceDown(ctx, svc.ID, false)
	if err != nil {
		// Nova refuses while the evacuation's records remain, until the
		// compute service restarts (see the README's operator facts).
		var pe *perspective.Error
		require.True(t, errors.As(err, &pe), "%v", err)
		t.Logf("the host stays forced down: %v", err)
		return
	}
	assert.False(t, up.ForcedDown)
}
