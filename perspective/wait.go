package perspective

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// WaitFor waits until every instance is in one of the target states and
// reports per instance. It follows each cloud's inventory, which syncs
// fast while anything waits (see WithPolling): a wait ends within one
// short interval of the cloud reaching the state, and costs one listing
// of changes per interval per cloud, whatever the number of instances. An
// instance that enters the error state fails at once (unless error is a
// target), with the cloud's fault message; when StateDeleted is a target,
// an instance that is gone counts as reached. Items still waiting when ctx
// ends fail with a canceled error.
//
// Of the handle's call options (see With), Progress and OnResult are told
// of each distinct instance once, as soon as it is done: when it reaches a
// target state (the Result carries the instance), or fails (not found,
// error state, ctx ended). Concurrency does not apply: a cloud's instances
// are read together.
func (s *Instances) WaitFor(ctx context.Context, ids []string, states ...State) (*Report, error) {
	rep := &Report{Op: OpWait}
	if ctx == nil {
		return rep, invalidArg(OpWait, "ctx", "is nil")
	}
	if len(ids) == 0 {
		return rep, invalidArg(OpWait, "ids", "no instance ids given")
	}
	if len(states) == 0 {
		return rep, invalidArg(OpWait, "states", "no target state given")
	}
	for _, st := range states {
		if _, err := ParseState(string(st)); err != nil {
			return rep, invalidArg(OpWait, "states", "%q is not a state", st)
		}
	}
	uniq := dedupe(ids)
	routes, err := route(ctx, s.clouds, KindInstance, uniq)
	if err != nil {
		return rep, err
	}
	outcome := make(map[string]*Result, len(uniq))
	byCloud := map[*Cloud][]waiting{}
	tick := s.call.tracker(len(uniq))
	for i, id := range uniq {
		outcome[id] = &Result{ID: id}
		if routes[i].cloud == nil {
			// Never seen: gone, which is reached when deleted is a target.
			if !slices.Contains(states, StateDeleted) {
				outcome[id].Err = &Error{Code: CodeNotFound, Op: OpWait, Kind: KindInstance, ID: id, Msg: "no such instance"}
			}
			tick(outcome[id])
			continue
		}
		byCloud[routes[i].cloud] = append(byCloud[routes[i].cloud], waiting{id: id, realID: routes[i].realID, res: outcome[id]})
	}
	var wg sync.WaitGroup
	for c, ws := range byCloud {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.waitFor(ctx, ws, states, s.call.stateAge(c), tick)
		}()
	}
	wg.Wait()
	rep.Results = make([]Result, len(ids))
	for i, id := range ids {
		if id == "" {
			rep.Results[i] = Result{Err: invalidArg(OpWait, "ids", "item %d is empty", i)}
			continue
		}
		rep.Results[i] = *outcome[id]
	}
	return rep, rep.Err()
}

type waiting struct {
	id, realID string
	res        *Result
}

// waitFor follows c's inventory until every item of ws is done, and tells
// tick of each item as it is done. While it waits the inventory syncs fast
// (see WithPolling), and every sync or change wakes it: it reads no
// listing of its own, and an instance this library just changed waits for
// a sync to bring it rather than a GET. Only while the syncs fail or stall
// are items older than the freshness bound read with a GET each (see
// waitStates).
func (c *Cloud) waitFor(ctx context.Context, ws []waiting, states []State, maxAge time.Duration, tick func(*Result)) {
	v := c.inv
	v.waitBegin()
	defer v.waitEnd()
	start := time.Now()
	pending := ws
	floor := c.opts.pollMin
	for {
		round := time.Now()
		changed := v.changes()
		realIDs := make([]string, len(pending))
		for i, w := range pending {
			realIDs[i] = w.realID
		}
		current, unseen, readErrs, err := v.waitStates(ctx, realIDs, maxAge)
		if err != nil && ctx.Err() != nil {
			stopWaiting(ctx, pending, states, tick)
			return
		}
		next := pending[:0:0]
		for _, w := range pending {
			if err == nil && unseen[w.realID] {
				// changed by this library and not read since: not yet its
				// old state, nor a GET; the next sync brings it
				next = append(next, w)
				continue
			}
			werr := err
			if werr == nil {
				werr = readErrs[w.realID]
			}
			if waitStep(ctx, w, start, current, werr, states) {
				next = append(next, w)
				continue
			}
			tick(w.res)
		}
		pending = next
		if len(pending) == 0 {
			return
		}
		// Wake on the next change, but look no more often than the fast
		// interval, and less often while the cloud fails to answer.
		if v.failing() {
			floor = min(floor*2, c.opts.pollMax)
		} else {
			floor = c.opts.pollMin
		}
		select {
		case <-ctx.Done():
			stopWaiting(ctx, pending, states, tick)
			return
		case <-changed:
		}
		if rest := floor - time.Since(round); rest > 0 {
			t := time.NewTimer(rest)
			select {
			case <-ctx.Done():
				t.Stop()
				stopWaiting(ctx, pending, states, tick)
				return
			case <-t.C:
			}
		}
	}
}

// waitStep records in w.res what one look at the cloud says of w (current,
// or err when reading it failed), and reports whether w is still waiting.
func waitStep(ctx context.Context, w waiting, start time.Time, current map[string]Instance, err error,
	states []State) (keep bool) {
	w.res.Attempts++
	w.res.Duration = time.Since(start)
	if err != nil {
		if Retryable(err) && ctx.Err() == nil {
			return true
		}
		w.res.Err = classify(err, OpWait, KindInstance, w.id)
		return false
	}
	inst, ok := current[w.realID]
	switch {
	case !ok || inst.State == StateDeleted:
		if !slices.Contains(states, StateDeleted) {
			w.res.Err = &Error{Code: CodeNotFound, Op: OpWait, Kind: KindInstance, ID: w.id, Msg: "the instance is gone"}
			w.res.Instance = nil
			return false
		}
		// Reached: report the instance as last seen, now deleted.
		if ok {
			cp := inst
			w.res.Instance = &cp
		}
		if w.res.Instance != nil {
			w.res.Instance.State = StateDeleted
		}
		return false
	case slices.Contains(states, inst.State),
		// soft-deleted is deleted for a wait (it can still be restored)
		inst.State == StateSoftDeleted && slices.Contains(states, StateDeleted):
		cp := inst
		w.res.Instance = &cp
		return false
	case inst.State == StateError:
		msg := "the instance went into the error state"
		if inst.Fault != "" {
			msg += ": " + inst.Fault
		}
		w.res.Err = &Error{Code: CodeInvalidState, Op: OpWait, Kind: KindInstance, ID: w.id, State: inst.State, Msg: msg}
		return false
	}
	cp := inst
	w.res.Instance = &cp
	return true
}

func joinStates(states []State) string {
	s := make([]string, len(states))
	for i, st := range states {
		s[i] = string(st)
	}
	return strings.Join(s, " or ")
}

// stopWaiting fails the items still pending when ctx ends, saying what they
// were waiting for and the state they were last seen in, and tells tick of
// each.
func stopWaiting(ctx context.Context, pending []waiting, states []State, tick func(*Result)) {
	for _, w := range pending {
		last := ""
		if w.res.Instance != nil {
			last = fmt.Sprintf(" (still %s)", w.res.Instance.State)
		}
		w.res.Err = &Error{Code: CodeCanceled, Op: OpWait, Kind: KindInstance, ID: w.id,
			Msg: "stopped waiting for " + joinStates(states) + last, Err: ctx.Err()}
		w.res.Instance = nil
		tick(w.res)
	}
}
