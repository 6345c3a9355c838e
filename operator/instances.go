package operator

import (
	"context"
	"fmt"
	"sync"

	"github.com/perspective-cloud/sdk/perspective"
)

// Evacuate rebuilds instances of a failed host on another one: on host,
// or where the scheduler chooses when host is empty. The instances' host
// must be down (see ForceDown). Like every bulk call, it takes many ids
// (global or real) and reports per id; each is checked against the state
// machine (launched, shutoff or error) before any call. A lock does not
// stop an operator, as it does not stop a cloud's administrators.
func (o *Operator) Evacuate(ctx context.Context, host string, ids ...string) (*perspective.Report, error) {
	return o.evacuate(ctx, host, ids, false)
}

// DryRunEvacuate reports what Evacuate would do with the same arguments
// and changes nothing: each id succeeds when it would be attempted, or
// fails with the reason it would be refused (unknown, unsupported by the
// driver, in a state evacuation does not start from, already on host).
// It reads the instances (one read per id) and calls nothing else.
func (o *Operator) DryRunEvacuate(ctx context.Context, host string, ids ...string) (*perspective.Report, error) {
	return o.evacuate(ctx, host, ids, true)
}

func (o *Operator) evacuate(ctx context.Context, host string, ids []string, dry bool) (*perspective.Report, error) {
	if host != "" {
		if err := validRef(OpEvacuate, "host", host); err != nil {
			return &perspective.Report{Op: OpEvacuate}, err
		}
	}
	a := &args{host: host}
	if dry {
		a = nil
	}
	return o.act(ctx, OpEvacuate, ids, func(inst perspective.Instance) error {
		if host != "" && inst.Host == host {
			return &perspective.Error{Code: perspective.CodeInvalidArgument,
				Msg: fmt.Sprintf("host: the instance already runs on %s", quoted(host))}
		}
		return nil
	}, a)
}

// ResetState sets the state the cloud records for instances, without
// touching them: perspective.StateLaunched or perspective.StateError, as
// Nova's reset-state allows. It mends an instance stuck in a transition.
func (o *Operator) ResetState(ctx context.Context, state perspective.State, ids ...string) (*perspective.Report, error) {
	if state != perspective.StateLaunched && state != perspective.StateError {
		return &perspective.Report{Op: OpResetState}, invalidArg(OpResetState, "state",
			"%s is not %s or %s", quoted(string(state)), perspective.StateLaunched, perspective.StateError)
	}
	return o.act(ctx, OpResetState, ids, nil, &args{state: state})
}

// act runs an operator's instance operation over ids: it reads each
// instance (one read per id), refuses what the driver cannot do or the
// state machine does not admit without calling the cloud, and performs
// op on the rest concurrently, retrying transient faults. A nil a is a
// dry run: the admitted ids succeed without being acted on.
func (o *Operator) act(ctx context.Context, op Operation, ids []string, admit func(perspective.Instance) error, a *args) (*perspective.Report, error) {
	rep := &perspective.Report{Op: op}
	if ctx == nil {
		return rep, invalidArg(op, "ctx", "is nil")
	}
	if len(ids) == 0 {
		return rep, invalidArg(op, "ids", "no instance ids given")
	}
	var mu sync.Mutex
	outcome := map[string]perspective.Result{}
	realID := map[string]string{}
	var admitted []string
	// Admission: a refused item is never attempted.
	o.exec.Run(ctx, nonEmpty(ids), func(ctx context.Context, id string) error {
		err := o.admit(ctx, op, id, admit, func(real string) {
			mu.Lock()
			realID[id] = real
			admitted = append(admitted, id)
			mu.Unlock()
		})
		if err != nil {
			mu.Lock()
			outcome[id] = perspective.Result{ID: id, Err: classify(err, op, perspective.KindInstance, id)}
			mu.Unlock()
		}
		return err
	})
	if a == nil {
		for _, id := range admitted {
			outcome[id] = perspective.Result{ID: id}
		}
		admitted = nil
	}
	done := o.exec.Run(ctx, admitted, func(ctx context.Context, id string) error {
		cp := *a
		mu.Lock()
		real := realID[id]
		mu.Unlock()
		defer o.cloud.Touched(real) // the cloud's next read of it asks the cloud
		return o.calls[op](ctx, real, &cp)
	})
	for _, r := range done {
		outcome[r.Key] = perspective.Result{ID: r.Key, Attempts: r.Attempts, Duration: r.Duration,
			Err: classify(r.Err, op, perspective.KindInstance, r.Key)}
	}
	rep.Results = make([]perspective.Result, len(ids))
	for i, id := range ids {
		if id == "" {
			rep.Results[i] = perspective.Result{Err: invalidArg(op, "ids", "item %d is empty", i)}
			continue
		}
		rep.Results[i] = outcome[id]
	}
	return rep, rep.Err()
}

// admit reads one instance and checks that op may be applied to it now.
func (o *Operator) admit(ctx context.Context, op Operation, id string, admit func(perspective.Instance) error, ok func(realID string)) error {
	if !o.Supports(op) {
		return o.unsupported(op)
	}
	inst, err := o.cloud.Instances().Get(ctx, id)
	if err != nil {
		return err
	}
	unlocked := inst
	unlocked.Locked = false
	if err := perspective.Check(unlocked, op); err != nil {
		return err
	}
	if admit != nil {
		if err := admit(inst); err != nil {
			return err
		}
	}
	ok(inst.RealID)
	return nil
}

// nonEmpty returns ids without the empty ones (they fail in the report).
func nonEmpty(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
