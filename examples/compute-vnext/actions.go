package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
)

// taskRequest is the body of POST /servers/{id}/tasks: an action and the
// fields it takes (see actions). Password is never kept or echoed.
type taskRequest struct {
	Action     string `json:"action"`
	Type       string `json:"type,omitempty"`
	Image      string `json:"image,omitempty"`
	ServerType string `json:"server_type,omitempty"`
	Name       string `json:"name,omitempty"`
	Live       *bool  `json:"live,omitempty"`
	Host       string `json:"host,omitempty"`
	Password   string `json:"password,omitempty"`
}

// action is what one task action takes and does.
type action struct {
	required, optional []string // the fields besides "action"
	// only, when set, is the one state the action applies in, narrower
	// than its operation's (unpause and resume are both perspective's
	// resume).
	only perspective.State
	// op is the library operation checked before the task is queued.
	op func(r taskRequest) perspective.Operation
	// run performs it on one server (its real id) and returns the states
	// to wait for; none means the call's return is the end.
	run func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error)
}

// fixed is an action's op that does not depend on the request.
func fixed(op perspective.Operation) func(taskRequest) perspective.Operation {
	return func(taskRequest) perspective.Operation { return op }
}

// bulk adapts a one-server call of the instance handle.
func bulk(call func(*perspective.Instances) func(context.Context, ...string) (*perspective.Report, error), to ...perspective.State) func(context.Context, *perspective.Cloud, taskRequest, string) ([]perspective.State, error) {
	return func(ctx context.Context, c *perspective.Cloud, _ taskRequest, id string) ([]perspective.State, error) {
		_, err := call(c.Instances())(ctx, id)
		return to, err
	}
}

var launched = []perspective.State{perspective.StateLaunched}

// actions are the task actions of seed 003's vNext API.
var actions = map[string]action{
	"reboot": {optional: []string{"type"},
		op: func(r taskRequest) perspective.Operation {
			if r.Type == "hard" {
				return perspective.OpHardReboot
			}
			return perspective.OpReboot
		},
		run: func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error) {
			call := c.Instances().Reboot
			if r.Type == "hard" {
				call = c.Instances().HardReboot
			}
			_, err := call(ctx, id)
			return launched, err
		}},
	"rebuild": {required: []string{"image"}, op: fixed(perspective.OpRebuild),
		run: func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error) {
			_, err := c.Instances().Rebuild(ctx, r.Image, id)
			return launched, err
		}},
	// resize needs no confirmation in vNext: the task confirms it.
	"resize": {required: []string{"server_type"}, op: fixed(perspective.OpResize),
		run: func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error) {
			if _, err := c.Instances().Resize(ctx, r.ServerType, id); err != nil {
				return nil, err
			}
			return confirm(ctx, c, id)
		}},
	"revert_resize": {op: fixed(perspective.OpRevertResize),
		run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
			return i.RevertResize
		}, perspective.StateLaunched)},
	"snapshot": {optional: []string{"name"}, op: fixed(perspective.OpSnapshot),
		run: func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error) {
			_, err := c.Instances().Snapshot(ctx, r.Name, id)
			return nil, err
		}},
	"stop": {op: fixed(perspective.OpShutdown), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Shutdown
	}, perspective.StateShutoff)},
	"start": {op: fixed(perspective.OpStart), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Start
	}, perspective.StateLaunched)},
	"pause": {op: fixed(perspective.OpPause), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Pause
	}, perspective.StatePaused)},
	"unpause": {only: perspective.StatePaused, op: fixed(perspective.OpResume), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Resume
	}, perspective.StateLaunched)},
	"suspend": {op: fixed(perspective.OpSuspend), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Suspend
	}, perspective.StateSuspended)},
	"resume": {only: perspective.StateSuspended, op: fixed(perspective.OpResume), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Resume
	}, perspective.StateLaunched)},
	// move is a live migration, or a cold one the task confirms.
	"move": {optional: []string{"live", "host"},
		op: func(r taskRequest) perspective.Operation {
			if r.Live != nil && *r.Live {
				return perspective.OpLiveMigrate
			}
			return perspective.OpMigrate
		},
		run: func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error) {
			if r.Live != nil && *r.Live {
				inst, err := c.Instances().Get(ctx, id)
				if err != nil {
					return nil, err
				}
				if _, err := c.Instances().LiveMigrate(ctx, r.Host, id); err != nil {
					return nil, err
				}
				return []perspective.State{inst.State}, nil // a live migration keeps the state
			}
			if _, err := c.Instances().Migrate(ctx, r.Host, id); err != nil {
				return nil, err
			}
			return confirm(ctx, c, id)
		}},
	"lock": {op: fixed(perspective.OpLock), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Lock
	})},
	"unlock": {op: fixed(perspective.OpUnlock), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Unlock
	})},
	"restore": {op: fixed(perspective.OpRestore), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Restore
	}, perspective.StateLaunched)},
	"set_password": {required: []string{"password"}, op: fixed(perspective.OpSetPassword),
		run: func(ctx context.Context, c *perspective.Cloud, r taskRequest, id string) ([]perspective.State, error) {
			_, err := c.Instances().SetPassword(ctx, r.Password, id)
			return nil, err
		}},
	// terminate ends deleted, or soft-deleted on a cloud that keeps
	// deleted servers for a while (restore brings those back).
	"terminate": {op: fixed(perspective.OpDelete), run: bulk(func(i *perspective.Instances) func(context.Context, ...string) (*perspective.Report, error) {
		return i.Delete
	}, perspective.StateDeleted, perspective.StateSoftDeleted)},
}

// confirm waits for a resized or cold-migrated server to wait for its
// confirmation, and confirms it: vNext has no separate confirmation step.
func confirm(ctx context.Context, c *perspective.Cloud, id string) ([]perspective.State, error) {
	if _, err := c.Instances().WaitFor(ctx, []string{id}, perspective.StateVerifyResize); err != nil {
		return nil, err
	}
	if _, err := c.Instances().ConfirmResize(ctx, id); err != nil {
		return nil, err
	}
	return launched, nil
}

// actionNames lists the actions, for messages and the document.
func actionNames() []string { return slices.Sorted(maps.Keys(actions)) }

// present lists the fields besides "action" a request sets.
func (r *taskRequest) present() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"type", r.Type != ""}, {"image", r.Image != ""}, {"server_type", r.ServerType != ""}, {"name", r.Name != ""},
		{"live", r.Live != nil}, {"host", r.Host != ""}, {"password", r.Password != ""}} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// Validate checks that the action is known, that it has the fields it
// requires and no field it does not take, and each field's value.
func (r *taskRequest) Validate() error {
	if r.Action == "" {
		return badRequest("action is required; one of " + strings.Join(actionNames(), ", "))
	}
	a, ok := actions[r.Action]
	if !ok {
		return badRequest(fmt.Sprintf("action %q is not one of %s", cut(r.Action, 64), strings.Join(actionNames(), ", ")))
	}
	for _, f := range r.present() {
		if !slices.Contains(a.required, f) && !slices.Contains(a.optional, f) {
			return badRequest(fmt.Sprintf("%s: the action %s does not take it", f, r.Action))
		}
	}
	if r.Type != "" && r.Type != "soft" && r.Type != "hard" {
		return badRequest(fmt.Sprintf("type %q: want soft or hard", cut(r.Type, 64)))
	}
	if len(r.Password) > maxPasswordBytes {
		return badRequest(fmt.Sprintf("password: %d bytes; at most %d", len(r.Password), maxPasswordBytes))
	}
	for _, f := range a.required {
		if !slices.Contains(r.present(), f) {
			return badRequest(fmt.Sprintf("%s is required by the action %s", f, r.Action))
		}
	}
	return firstError(optional("image", r.Image), optional("server_type", r.ServerType), optional("name", r.Name),
		optional("host", r.Host))
}
