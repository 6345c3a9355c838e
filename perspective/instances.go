package perspective

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/perspective-cloud/sdk/bulk"
)

// Instances is the handle for instance operations over one Cloud or a Set.
// Every operation that changes instances takes many ids and returns a
// Report with one Result per id, in the order given; one id is the special
// case. The error returned beside the report is Report.Err(), or a call-level
// error (such as an invalid argument) when nothing was attempted.
//
// Ids are global ids (Instance.ID); a cloud's own id is accepted too.
type Instances struct {
	clouds []*Cloud
	absent []CloudError // members of the Set's fleet that are not open
	call   callOptions
}

// With returns a copy of the handle whose bulk calls use opts.
func (s *Instances) With(opts ...CallOption) *Instances {
	cp := *s
	cp.call = s.call.with(opts)
	return &cp
}

// In returns a copy of the handle narrowed to the clouds matching t.
func (s *Instances) In(t Target) *Instances {
	cp := *s
	cp.clouds = narrow(s.clouds, t)
	cp.absent = narrowAbsent(s.absent, t)
	return &cp
}

// List returns the instances of every cloud of the handle, sorted by name
// then id. It reads each cloud's inventory: the first read of a cloud lists
// its instances, every later one is served from memory (0 requests) while
// the inventory keeps itself current in the background (see WithSync);
// instances this library changed since the inventory read them are read
// again first (a GET each). With MaxAge, a cloud whose last sync is older
// syncs first.
//
// The clouds are read concurrently, and one that fails never fails the
// others: List returns the instances of every cloud that answered and,
// when some cloud did not (or the handle's Set comes from a Fleet some of
// whose members are not open), a *PartialError naming each one with its
// classified error. So errors.Is(err, ErrForbidden) tells that some cloud
// refused, and errors.As(err, &partial) gives the clouds that failed while
// the instances returned are still those of the others. A nil ctx is an
// invalid argument, and a ctx that ends fails the whole call.
func (s *Instances) List(ctx context.Context, opts ListOptions) ([]Instance, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	all, err := gather(ctx, s.clouds, s.absent, OpList, KindInstance, func(c *Cloud) ([]Instance, error) {
		return c.inv.list(ctx, opts, s.call.listAge())
	})
	slices.SortFunc(all, func(a, b Instance) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return all, err
}

// Get returns one instance by global or real id, from the inventory (see
// List); an instance this library changed since the inventory read it, or
// one older than MaxAge allows, is read from the cloud.
func (s *Instances) Get(ctx context.Context, id string) (Instance, error) {
	if ctx == nil {
		return Instance{}, invalidArg(OpGet, "ctx", "is nil")
	}
	if id == "" {
		return Instance{}, invalidArg(OpGet, "id", "is empty")
	}
	if s.call.listAge() < 0 {
		// a global id the inventories hold as they are: one index read
		if e, _, ok := findByID(s.clouds, id); ok && e != nil {
			return e.inst.Clone(), nil
		}
	}
	rs, err := route(ctx, s.clouds, KindInstance, []string{id})
	if err != nil {
		return Instance{}, err
	}
	if rs[0].cloud == nil {
		return Instance{}, &Error{Code: CodeNotFound, Op: OpGet, Kind: KindInstance, ID: id, Msg: "no such instance"}
	}
	c, realID := rs[0].cloud, rs[0].realID
	inst, ok, err := c.inv.one(ctx, realID, s.call.listAge())
	if err != nil {
		return Instance{}, classify(err, OpGet, KindInstance, id)
	}
	if !ok {
		return Instance{}, &Error{Code: CodeNotFound, Op: OpGet, Kind: KindInstance, ID: id, Msg: "the instance is gone"}
	}
	return inst, nil
}

// item is one id of a bulk call on its way through act.
type item struct {
	cloud  *Cloud
	realID string
	inst   Instance
}

// action is the per-item work of an operation on an admitted instance.
type action func(ctx context.Context, c *Cloud, it item, res *Result) error

// act runs op over ids: it validates, routes each id to its cloud, refuses
// what the cloud cannot do or the state machine does not admit (without
// calling the cloud), and runs fn for the rest, concurrently per cloud.
func (s *Instances) act(ctx context.Context, op Operation, ids []string, need func(it item) Operation, fn action) (*Report, error) {
	rep := &Report{Op: op}
	if ctx == nil {
		return rep, invalidArg(op, "ctx", "is nil")
	}
	if len(ids) == 0 {
		return rep, invalidArg(op, "ids", "no instance ids given")
	}
	rep.Results = make([]Result, len(ids))
	for i, id := range ids {
		rep.Results[i].ID = id
	}
	uniq := dedupe(ids)
	routes, err := route(ctx, s.clouds, KindInstance, uniq)
	if err != nil {
		for i := range rep.Results {
			rep.Results[i].Err = classify(err, op, KindInstance, ids[i])
		}
		return rep, rep.Err()
	}
	outcome := make(map[string]*Result, len(uniq))
	byCloud := map[*Cloud][]int{}
	for i, id := range uniq {
		outcome[id] = &Result{ID: id}
		r := routes[i]
		if r.cloud == nil {
			outcome[id].Err = &Error{Code: CodeNotFound, Op: op, Kind: KindInstance, ID: id, Msg: "no such instance"}
			continue
		}
		byCloud[r.cloud] = append(byCloud[r.cloud], i)
	}
	total := len(uniq)
	tick := s.call.tracker(total)
	for _, r := range outcome {
		if r.Err != nil {
			tick(r)
		}
	}
	var wg sync.WaitGroup
	for c, idx := range byCloud {
		wg.Add(1)
		go func() {
			defer wg.Done()
			items := make([]item, len(idx))
			for k, i := range idx {
				items[k] = item{cloud: c, realID: routes[i].realID}
			}
			results := make([]*Result, len(idx))
			for k, i := range idx {
				results[k] = outcome[uniq[i]]
			}
			c.actOn(ctx, op, items, results, need, fn, s.call, tick)
		}()
	}
	wg.Wait()
	for i, id := range ids {
		if id == "" {
			rep.Results[i].Err = invalidArg(op, "ids", "item %d is empty", i)
			continue
		}
		rep.Results[i] = *outcome[id]
	}
	return rep, rep.Err()
}

// actOn runs one operation on items that all live in c.
func (c *Cloud) actOn(ctx context.Context, op Operation, items []item, results []*Result,
	need func(it item) Operation, fn action, call callOptions, tick func(*Result)) {
	fail := func(k int, err error) {
		results[k].Err = classify(err, op, KindInstance, results[k].ID)
		tick(results[k])
	}
	// The instances' states come from the inventory: k ids cost at most k
	// GETs (those older than the freshness bound), never a listing.
	realIDs := make([]string, len(items))
	for k := range items {
		realIDs[k] = items[k].realID
	}
	current, readErrs, err := c.inv.states(ctx, realIDs, call.stateAge(c))
	if err != nil {
		for k := range items {
			fail(k, err)
		}
		return
	}
	var admitted []int
	for k := range items {
		if err := readErrs[items[k].realID]; err != nil {
			fail(k, err)
			continue
		}
		inst, ok := current[items[k].realID]
		if !ok {
			fail(k, &Error{Code: CodeNotFound, Msg: "no such instance"})
			continue
		}
		items[k].inst = inst
		capOp := op
		if need != nil {
			capOp = need(items[k])
		}
		if !c.Supports(capOp) {
			fail(k, c.unsupported(capOp))
			continue
		}
		if err := Check(inst, op); err != nil {
			fail(k, err)
			continue
		}
		admitted = append(admitted, k)
	}
	// Items are distinct global ids; two of them (a global and a real id of
	// one instance) may still share a real id: bulk acts on it once and
	// both get the outcome.
	keys := make([]string, len(admitted))
	first := make(map[string]int, len(admitted))
	for j, k := range admitted {
		keys[j] = items[k].realID
		if _, seen := first[keys[j]]; !seen {
			first[keys[j]] = k
		}
	}
	finish := func(k int, br bulk.Result) {
		results[k].Attempts, results[k].Duration = br.Attempts, br.Duration
		if br.Err != nil {
			results[k].Err = classify(br.Err, op, KindInstance, results[k].ID)
		}
	}
	runBulk(ctx, c.exec, keys, call, func(br bulk.Result) {
		k := first[br.Key]
		finish(k, br)
		tick(results[k])
	}, func(ctx context.Context, realID string) error {
		k := first[realID]
		return fn(ctx, c, items[k], results[k])
	})
	for _, k := range admitted {
		if src := first[items[k].realID]; src != k {
			id := results[k].ID
			*results[k] = *results[src]
			results[k].ID = id
			tick(results[k]) // bulk told the shared key once
		}
	}
}
