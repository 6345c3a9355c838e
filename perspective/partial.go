package perspective

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// This file holds the rule every read over several clouds follows (a
// Set's listings, its Gets and its queries): one cloud that fails never
// fails the others. The read returns what the clouds that answered gave,
// and a *PartialError naming each cloud that did not.

// CloudError is the error of one cloud of a read over several clouds: a
// cloud of a Set that failed to answer, or a member of a Fleet that is not
// open (its project refused, its region gone).
type CloudError struct {
	// Target names the cloud: its cloud id, project id and region. A fleet
	// member whose whole project failed may have no region.
	Target      Target
	ProjectName string
	// Err is the cloud's classified error: errors.Is(Err, ErrForbidden)
	// and Code(Err) work on it, and the cloud's own error is reachable
	// with errors.As.
	Err error
}

// Error names the cloud and says what failed, e.g. `cloud os/p1/R1
// (project web, region R1): list instance: forbidden: …`.
func (e *CloudError) Error() string {
	return e.where() + ": " + fmt.Sprint(e.Err)
}

// Unwrap returns the cloud's error.
func (e *CloudError) Unwrap() error { return e.Err }

// where names the cloud of e.
func (e *CloudError) where() string {
	var parts []string
	if p := cmpOr(e.ProjectName, e.Target.ProjectID); p != "" {
		parts = append(parts, "project "+p)
	}
	if e.Target.Region != "" {
		parts = append(parts, "region "+e.Target.Region)
	}
	s := "cloud " + cmpOr(e.Target.CloudID, "?")
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// failure is c's CloudError for err.
func (c *Cloud) failure(err error) CloudError {
	return CloudError{Target: c.target(), ProjectName: c.info.ProjectName, Err: err}
}

// target is the Target naming exactly c.
func (c *Cloud) target() Target {
	return Target{CloudID: c.info.CloudID, ProjectID: c.info.ProjectID, Region: c.info.Region}
}

// PartialError is the error of a read over several clouds — a listing of
// a Set (Instances, Images, Keypairs, Flavors, Networks, Projects) or a
// query (Set.Query, QueryBatch, ListInstances) — when some of the clouds
// failed: the result returned beside it holds what the other clouds
// answered, and Failed names each cloud that did not (the clouds of the Set
// that failed, in the Set's order, then the members of the Fleet the Set
// came from that are not open). A program that needs every cloud treats it
// as any error; one that can show part of the picture uses the result:
//
//	insts, err := set.Instances().List(ctx, perspective.ListOptions{})
//	var partial *perspective.PartialError
//	if errors.As(err, &partial) {
//		for _, f := range partial.Failed {
//			log.Printf("not listed: %s: %v", f.Target, f.Err)
//		}
//	} else if err != nil {
//		return err
//	}
//
// errors.Is(err, ErrForbidden) reports whether any failed cloud was
// refused, errors.As finds the first *CloudError, and Code returns the
// code of the first failed cloud.
type PartialError struct {
	// Op and Kind say what was read, e.g. list instance.
	Op   Operation
	Kind Kind
	// Clouds is how many clouds the read covered, the failed ones included.
	Clouds int
	// Failed has one entry per cloud that did not answer.
	Failed []CloudError
}

// Answered returns how many clouds answered.
func (e *PartialError) Answered() int { return e.Clouds - len(e.Failed) }

// maxNamedFailures bounds the clouds a PartialError's message names; the
// others are counted.
const maxNamedFailures = 3

// Error says what was read, how many clouds failed and why, e.g. "list
// instance: 1 of 4 clouds failed: cloud os/p1/R1 (project web, region
// R1): …".
func (e *PartialError) Error() string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(string(e.Op) + " " + string(e.Kind)))
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d of %d clouds failed", len(e.Failed), e.Clouds)
	for i := range e.Failed {
		if i == maxNamedFailures {
			fmt.Fprintf(&b, "; and %d more", len(e.Failed)-i)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(e.Failed[i].Error())
	}
	return b.String()
}

// Unwrap returns each failed cloud's *CloudError, so that errors.Is and
// errors.As look at every one of them.
func (e *PartialError) Unwrap() []error {
	out := make([]error, len(e.Failed))
	for i := range e.Failed {
		out[i] = &e.Failed[i]
	}
	return out
}

// partial is the error of a read over asked clouds of which failed did not
// answer, and of the absent members of the Set's fleet: nil when there are
// none, a *PartialError otherwise.
func partial(op Operation, kind Kind, asked int, failed, absent []CloudError) error {
	if len(failed)+len(absent) == 0 {
		return nil
	}
	all := make([]CloudError, 0, len(failed)+len(absent))
	return &PartialError{Op: op, Kind: kind, Clouds: asked + len(absent), Failed: append(append(all, failed...), absent...)}
}

// isPartial reports whether err is a *PartialError returned by a read of
// this package (as opposed to a call-level error, with nothing read).
func isPartial(err error) bool {
	_, ok := err.(*PartialError)
	return ok
}

// gather reads every cloud concurrently with fn and returns the results of
// the clouds that answered, concatenated in cloud order. When a cloud
// fails, or absent names members of the fleet that are not open, the
// error is a *PartialError naming each; when ctx ends first it is ctx's
// error, whatever some clouds answered.
func gather[T any](ctx context.Context, clouds []*Cloud, absent []CloudError, op Operation, kind Kind,
	fn func(c *Cloud) ([]T, error)) ([]T, error) {
	parts := make([][]T, len(clouds))
	errs := make([]error, len(clouds))
	var wg sync.WaitGroup
	for i, c := range clouds {
		wg.Go(func() { parts[i], errs[i] = fn(c) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, classify(err, op, kind, "")
	}
	n := 0
	var failed []CloudError
	for i, c := range clouds {
		if errs[i] != nil {
			failed = append(failed, c.failure(classify(errs[i], op, kind, "")))
		}
		n += len(parts[i])
	}
	out := make([]T, 0, n)
	for i := range clouds {
		if errs[i] == nil {
			out = append(out, parts[i]...)
		}
	}
	return out, partial(op, kind, len(clouds), failed, absent)
}

// narrowAbsent keeps the absent members t may cover: a field the member
// leaves empty (a project that failed in every region) matches any value.
func narrowAbsent(absent []CloudError, t Target) []CloudError {
	var out []CloudError
	for _, a := range absent {
		m := a.Target
		if (t.CloudID == "" || m.CloudID == "" || t.CloudID == m.CloudID) &&
			(t.ProjectID == "" || m.ProjectID == "" || t.ProjectID == m.ProjectID) &&
			(t.Region == "" || m.Region == "" || t.Region == m.Region) {
			out = append(out, a)
		}
	}
	return out
}

// cloudFailures collects the clouds that failed while a query's tables
// were read, each once (its first error), concurrently.
type cloudFailures struct {
	mu     sync.Mutex
	failed []CloudError
}

// has reports whether the cloud of target failed.
func (f *cloudFailures) has(target Target) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.ContainsFunc(f.failed, func(x CloudError) bool { return x.Target == target })
}

func (f *cloudFailures) add(e CloudError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.ContainsFunc(f.failed, func(x CloudError) bool { return x.Target == e.Target }) {
		f.failed = append(f.failed, e)
	}
}

// partial records err as the failure of cloud c (or of the clouds a
// *PartialError names) and returns nil, so that a query answers from the
// clouds that did answer; runQuery returns the failures beside the
// result. An error that is no cloud's (ctx ended, or c is nil and err is
// not a *PartialError) is returned as it is and fails the query.
func (t *tables) partial(ctx context.Context, c *Cloud, err error) error {
	if err == nil {
		return nil
	}
	if ctx == nil || ctx.Err() != nil {
		return err
	}
	var pe *PartialError
	switch {
	case errors.As(err, &pe):
		for _, f := range pe.Failed {
			t.failed.add(f)
		}
	case c != nil:
		t.failed.add(c.failure(err))
	default:
		return err
	}
	return nil
}

// outcome is the error of a query run over t: the query's own error when
// it failed, else the *PartialError of the clouds that failed while the
// tables were read and of the Set's absent members, or nil.
func (t *tables) outcome(err error, absent []CloudError) error {
	if err != nil {
		return err
	}
	t.failed.mu.Lock()
	failed := slices.Clone(t.failed.failed)
	t.failed.mu.Unlock()
	// in the order of the clouds, whatever table failed first
	slices.SortStableFunc(failed, func(a, b CloudError) int {
		return t.cloudIndex(a.Target) - t.cloudIndex(b.Target)
	})
	return partial("query", "", len(t.clouds), failed, absent)
}

func (t *tables) cloudIndex(target Target) int {
	for i, c := range t.clouds {
		if c.target() == target {
			return i
		}
	}
	return len(t.clouds)
}
