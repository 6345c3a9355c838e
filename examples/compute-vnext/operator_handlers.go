package main

import (
	"fmt"
	"net/http"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// handleHypervisors serves GET /hypervisors, with their usage.
func handleHypervisors(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		hs, err := d.op.Hypervisors(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"hypervisors": nonNil(hs)}, nil
	})
}

// handleServices serves GET /services.
func handleServices(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		ss, err := d.op.Services(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"services": nonNil(ss)}, nil
	})
}

// serviceRequest is the body of PUT /services/{id}.
type serviceRequest struct {
	Status     string `json:"status"`
	ForcedDown *bool  `json:"forced_down"`
	Reason     string `json:"reason"`
}

// Validate checks the status and that a reason comes with a disable.
func (r *serviceRequest) Validate() error {
	switch {
	case r.Status == "" && r.ForcedDown == nil:
		return badRequest("request body: give status (enabled or disabled), forced_down, or both")
	case r.Status != "" && r.Status != "enabled" && r.Status != "disabled":
		return badRequest(fmt.Sprintf("status %q: want enabled or disabled", cut(r.Status, 64)))
	case r.Reason != "" && r.Status != "disabled":
		return badRequest("reason: only a disable (status disabled) takes a reason")
	}
	return optional("reason", r.Reason)
}

// handleUpdateService serves PUT /services/{id}: enable, disable with a
// reason, force down or up. It answers the service as it then is.
func handleUpdateService(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[serviceRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		var svc operator.Service
		ctx := r.Context()
		switch req.Status {
		case "enabled":
			svc, err = d.op.EnableService(ctx, id)
		case "disabled":
			svc, err = d.op.DisableService(ctx, id, req.Reason)
		}
		if err != nil {
			return 0, nil, err
		}
		if req.ForcedDown != nil {
			if svc, err = d.op.ForceDown(ctx, id, *req.ForcedDown); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusOK, svc, nil
	})
}

// handleHosts serves GET /hosts.
func handleHosts(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		hs, err := d.op.Hosts(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"hosts": nonNil(hs)}, nil
	})
}

// handleAggregates serves GET /aggregates.
func handleAggregates(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		as, err := d.op.Aggregates(r.Context())
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"aggregates": nonNil(as)}, nil
	})
}

// aggregateRequest is the body of POST /aggregates.
type aggregateRequest struct {
	Name             string `json:"name"`
	AvailabilityZone string `json:"availability_zone"`
}

// Validate checks the name and zone.
func (r *aggregateRequest) Validate() error {
	return firstError(required("name", r.Name), optional("availability_zone", r.AvailabilityZone))
}

// handleCreateAggregate serves POST /aggregates: 201 with the aggregate.
func handleCreateAggregate(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		req, err := decode[aggregateRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		a, err := d.op.CreateAggregate(r.Context(), operator.AggregateSpec{Name: req.Name, AvailabilityZone: req.AvailabilityZone})
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/aggregates/"+a.ID)
		return http.StatusCreated, a, nil
	})
}

// handleAggregate serves GET /aggregates/{id}.
func handleAggregate(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		a, err := d.op.Aggregate(r.Context(), id)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, a, nil
	})
}

// handleDeleteAggregate serves DELETE /aggregates/{id}: 204; the aggregate
// must have no hosts left (409 otherwise, as the cloud says).
func handleDeleteAggregate(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		if err := d.op.DeleteAggregate(r.Context(), id); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	})
}

// hostRequest is the body of POST /aggregates/{id}/hosts.
type hostRequest struct {
	Host string `json:"host"`
}

// Validate checks the host.
func (r *hostRequest) Validate() error { return required("host", r.Host) }

// handleAddAggregateHost serves POST /aggregates/{id}/hosts: the aggregate.
func handleAddAggregateHost(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[hostRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		a, err := d.op.AddAggregateHost(r.Context(), id, req.Host)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, a, nil
	})
}

// handleRemoveAggregateHost serves DELETE /aggregates/{id}/hosts/{host}:
// the aggregate.
func handleRemoveAggregateHost(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathValue(r, "id")
		if err != nil {
			return 0, nil, err
		}
		host, err := pathValue(r, "host")
		if err != nil {
			return 0, nil, err
		}
		a, err := d.op.RemoveAggregateHost(r.Context(), id, host)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, a, nil
	})
}

// evacuateRequest is the optional body of POST /servers/{id}/evacuate.
type evacuateRequest struct {
	Host string `json:"host"`
}

// Validate checks the host.
func (r *evacuateRequest) Validate() error { return optional("host", r.Host) }

// handleEvacuate serves POST /servers/{id}/evacuate: it rebuilds the
// server of a failed (forced-down) host on host, or where the scheduler
// chooses without a body. It answers 202 with the server.
func handleEvacuate(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		var req evacuateRequest
		if r.ContentLength != 0 {
			if req, err = decode[evacuateRequest](w, r); err != nil {
				return 0, nil, err
			}
		}
		if _, err := d.op.Evacuate(r.Context(), req.Host, inst.RealID); err != nil {
			return 0, nil, err
		}
		return d.answerServer(r, inst.RealID, http.StatusAccepted)
	})
}

// resetStateRequest is the body of POST /servers/{id}/reset_state.
type resetStateRequest struct {
	State string `json:"state"`
}

// resetStates are the states a reset may record, by their API names.
var resetStates = map[string]perspective.State{"active": perspective.StateLaunched, "error": perspective.StateError}

// Validate checks the state.
func (r *resetStateRequest) Validate() error {
	if _, ok := resetStates[r.State]; !ok {
		return badRequest(fmt.Sprintf("state %q: want active or error", cut(r.State, 64)))
	}
	return nil
}

// handleResetState serves POST /servers/{id}/reset_state: it sets the
// state the cloud records, without touching the server. 200 with it.
func handleResetState(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		req, err := decode[resetStateRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		if _, err := d.op.ResetState(r.Context(), resetStates[req.State], inst.RealID); err != nil {
			return 0, nil, err
		}
		return d.answerServer(r, inst.RealID, http.StatusOK)
	})
}

// handleForceDelete serves POST /servers/{id}/force_delete: the server is
// deleted at once, a soft-deleted one included. 204.
func handleForceDelete(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		if _, err := d.cloud.Instances().ForceDelete(r.Context(), inst.RealID); err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	})
}

// answerServer answers the server id as it is now, with status.
func (d *deps) answerServer(r *http.Request, id string, status int) (int, any, error) {
	inst, err := d.cloud.Instances().Get(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return status, serverOf(inst), nil
}

// nonNil makes a nil list an empty one, so that JSON says [] and not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
