package main

import (
	"context"
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// maxTaskBody bounds the body of a task: an action and a few short fields.
const maxTaskBody = 4 << 10

// handleStartTask serves POST /servers/{id}/tasks: it checks the action
// against the server's state now (409 with the state, never queued; 501
// when the cloud cannot do it), then queues the task and answers 202 with it.
func handleStartTask(d *deps) http.Handler {
	return handle(d, func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		inst, err := d.server(r)
		if err != nil {
			return 0, nil, err
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxTaskBody)
		req, err := decode[taskRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		a := actions[req.Action]
		if err := d.admit(r.Context(), inst, a, req); err != nil {
			return 0, nil, err
		}
		id := inst.RealID
		t, err := d.tasks.start(id, req.Action, func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, d.taskTimeout)
			defer cancel()
			states, err := a.run(ctx, d.cloud, req, id)
			if err != nil || len(states) == 0 {
				return err
			}
			_, err = d.cloud.Instances().WaitFor(ctx, []string{id}, states...)
			return err
		})
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/servers/"+id+"/tasks/"+t.ID)
		return http.StatusAccepted, t, nil
	})
}

// admit refuses, before anything is queued, an action the server's state
// does not allow or the cloud cannot do, as the library's dry run says.
func (d *deps) admit(ctx context.Context, inst perspective.Instance, a action, req taskRequest) error {
	if a.only != "" && inst.State != a.only {
		return perspective.Errorf(perspective.CodeInvalidState, "server %s is %s; %s needs it %s",
			inst.RealID, inst.State, req.Action, a.only)
	}
	rep, err := d.cloud.Instances().DryRun(ctx, a.op(req), inst.RealID)
	if err != nil {
		return err
	}
	if len(rep.Results) != 1 {
		return perspective.Errorf(perspective.CodeUnknown, "server %s: the dry run of %s answered %d results", inst.RealID, req.Action, len(rep.Results))
	}
	return rep.Results[0].Err
}

// tasksOf returns the server key of the {id} path: the server's real id
// when it exists, the id as given when it is gone but has tasks.
func (d *deps) tasksOf(r *http.Request) (string, []taskJSON, error) {
	inst, err := d.server(r)
	if err == nil {
		tasks, _ := d.tasks.list(inst.RealID)
		return inst.RealID, tasks, nil
	}
	if perspective.Code(err) == perspective.CodeNotFound {
		if tasks, ok := d.tasks.list(r.PathValue("id")); ok {
			return r.PathValue("id"), tasks, nil
		}
	}
	return "", nil, err
}

// handleTasks serves GET /servers/{id}/tasks: the server's tasks, newest
// first. A terminated server's tasks stay listed while they are kept.
func handleTasks(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		_, tasks, err := d.tasksOf(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, map[string]any{"tasks": tasks}, nil
	})
}

// handleTask serves GET /servers/{id}/tasks/{task}.
func handleTask(d *deps) http.Handler {
	return handle(d, func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		server, _, err := d.tasksOf(r)
		if err != nil {
			return 0, nil, err
		}
		id, err := pathValue(r, "task")
		if err != nil {
			return 0, nil, err
		}
		t, ok := d.tasks.get(server, id)
		if !ok {
			return 0, nil, perspective.Errorf(perspective.CodeNotFound, "server %s has no task %s", server, id)
		}
		return http.StatusOK, t, nil
	})
}
