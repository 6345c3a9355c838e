package perspective

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/driver"
)

// ready makes sure the inventory has synced once, starting its loop, and
// returns the first sync's error while it never has.
func (v *inventory) ready(ctx context.Context) error {
	v.start()
	v.mu.RLock()
	ok := v.synced
	v.mu.RUnlock()
	if ok {
		return nil
	}
	return v.syncNow(ctx)
}

// fresh is ready, and when the last successful sync is older than maxAge
// (a negative maxAge allows any age), syncs now: a read asking for data no
// older than a bound gets it or the error of trying.
func (v *inventory) fresh(ctx context.Context, maxAge time.Duration) error {
	if err := v.ready(ctx); err != nil {
		return err
	}
	if maxAge < 0 {
		return nil
	}
	v.mu.RLock()
	age := time.Since(v.lastOK)
	v.mu.RUnlock()
	if age <= maxAge {
		return nil
	}
	return v.syncNow(ctx)
}

// refresh reads the given instances again, a GET each, concurrently within
// the Cloud's concurrency, and stores what it reads: an instance the cloud
// no longer has is gone. It returns the errors other than not-found, by
// real id.
func (v *inventory) refresh(ctx context.Context, ids []string) map[string]error {
	if len(ids) == 0 {
		return nil
	}
	var mu sync.Mutex
	errs := map[string]error{}
	sem := make(chan struct{}, max(v.c.opts.concurrency, 1))
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			start := time.Now()
			var got driver.Instance
			err := v.c.retry(ctx, func(ctx context.Context) (err error) {
				got, err = v.c.drv.GetInstance(ctx, id)
				return err
			})
			v.mu.Lock()
			v.stats.Refreshes++
			v.mu.Unlock()
			switch {
			case Code(err) == CodeNotFound:
				v.put([]Instance{{RealID: id, State: StateDeleted}}, start)
			case err != nil:
				mu.Lock()
				errs[id] = classify(err, OpGet, KindInstance, id)
				mu.Unlock()
			case got.ID != id:
				// not this cloud's instance (a driver answering for a prefix, say)
				v.put([]Instance{{RealID: id, State: StateDeleted}}, start)
			default:
				v.put(v.adopt(ctx, []driver.Instance{got}), start)
			}
		}()
	}
	wg.Wait()
	return errs
}

// states returns the instances behind realIDs, keyed by real id (absent:
// not found), each no older than maxAge: an instance older than that, one
// this library changed since it was read, or one the inventory lacks is
// read again with a GET, so k ids cost at most k requests. errs holds the
// ids whose read failed; err is set when the inventory has never synced.
func (v *inventory) states(ctx context.Context, realIDs []string, maxAge time.Duration) (cur map[string]Instance, errs map[string]error, err error) {
	if err := v.ready(ctx); err != nil {
		return nil, nil, err
	}
	now := time.Now()
	var stale []string
	v.mu.RLock()
	for _, id := range realIDs {
		e, ok := v.items[id]
		_, dirty := v.touched[id]
		if !ok || dirty || (maxAge >= 0 && now.Sub(later(e.seen, v.lastOK)) > maxAge) {
			stale = append(stale, id)
		}
	}
	v.mu.RUnlock()
	errs = v.refresh(ctx, stale)
	cur = make(map[string]Instance, len(realIDs))
	v.mu.RLock()
	for _, id := range realIDs {
		if e, ok := v.items[id]; ok && errs[id] == nil {
			cur[id] = e.inst.Clone()
		}
	}
	v.mu.RUnlock()
	return cur, errs, nil
}

// waitStallAfter is how long a wait trusts syncs that have not ended: past
// it (or when the last sync failed) the instances it waits for are read
// with a GET each. A slow sync is not a failed one: on a loaded cloud a
// listing of changes may take seconds, and GETs beside it would only load
// the cloud more.
const waitStallAfter = 30 * time.Second

// waitStates is states for a wait: it answers from memory what the
// inventory's syncs (fast while anything waits) keep current, and asks the
// cloud, a GET each, only what they cannot answer: an instance the
// inventory lacks; one this library changed that a sync started since the
// change has not brought back (its stamp was older than the listing's
// cursor); and, while the syncs fail or stall, any instance older than
// maxAge. An instance this library changed that no read has seen since is
// pending: it is in neither cur nor errs, and the next sync brings it.
// So a wait after an operation on k instances costs no GET when the cloud
// lists its changes, and at most k otherwise.
func (v *inventory) waitStates(ctx context.Context, realIDs []string, maxAge time.Duration) (cur map[string]Instance, pending map[string]bool, errs map[string]error, err error) {
	if err := v.ready(ctx); err != nil {
		return nil, nil, nil, err
	}
	now := time.Now()
	var get []string
	pending = map[string]bool{}
	v.mu.RLock()
	stalled := v.lastErr != nil || v.lister == nil || now.Sub(v.lastEnd) > waitStallAfter
	for _, id := range realIDs {
		e, held := v.items[id]
		t, dirty := v.touched[id]
		switch {
		case !held:
			get = append(get, id)
		case dirty && (stalled || v.lastOK.After(t)):
			get = append(get, id)
		case dirty:
			pending[id] = true
		case stalled && maxAge >= 0 && now.Sub(later(e.seen, v.lastOK)) > maxAge:
			get = append(get, id)
		}
	}
	v.mu.RUnlock()
	errs = v.refresh(ctx, get)
	cur = make(map[string]Instance, len(realIDs))
	v.mu.RLock()
	for _, id := range realIDs {
		if _, still := v.touched[id]; pending[id] && still {
			continue
		}
		delete(pending, id)
		if e, ok := v.items[id]; ok && errs[id] == nil {
			cur[id] = e.inst.Clone()
		}
	}
	v.mu.RUnlock()
	return cur, pending, errs, nil
}

// one returns the instance behind realID (ok false: not found), from
// memory when it is there, untouched and no older than maxAge, and from a
// GET otherwise.
func (v *inventory) one(ctx context.Context, realID string, maxAge time.Duration) (inst Instance, ok bool, err error) {
	v.mu.RLock()
	e, held := v.items[realID]
	_, dirty := v.touched[realID]
	if v.synced && held && !dirty && (maxAge < 0 || time.Since(later(e.seen, v.lastOK)) <= maxAge) {
		inst = e.inst.Clone()
		v.mu.RUnlock()
		return inst, true, nil
	}
	v.mu.RUnlock()
	cur, errs, err := v.states(ctx, []string{realID}, maxAge)
	if err == nil {
		err = errs[realID]
	}
	if err != nil {
		return Instance{}, false, err
	}
	inst, ok = cur[realID]
	return inst, ok, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// refreshTouched reads again the instances this library changed since the
// inventory last read them.
func (v *inventory) refreshTouched(ctx context.Context) {
	v.mu.RLock()
	ids := make([]string, 0, len(v.touched))
	for id := range v.touched {
		ids = append(ids, id)
	}
	v.mu.RUnlock()
	v.refresh(ctx, ids)
}

// list returns copies of the instances matching opts, in listing order,
// from memory once synced (and synced again first when older than
// maxAge).
func (v *inventory) list(ctx context.Context, opts ListOptions, maxAge time.Duration) ([]Instance, error) {
	if err := v.fresh(ctx, maxAge); err != nil {
		return nil, err
	}
	v.refreshTouched(ctx)
	order, _ := v.ordered()
	var out []Instance
	if opts.Name == "" && len(opts.States) == 0 && len(opts.Tags) == 0 && opts.ChangedSince.IsZero() {
		out = make([]Instance, 0, len(order))
	}
	for _, e := range order {
		if opts.Match(e.inst) {
			out = append(out, e.inst.Clone())
		}
	}
	return slices.Clip(out), nil
}

// enrichShared fills instances' flavors and images from the cloud's
// metadata, best effort, pointing at the values the inventory holds, one
// per flavor and image (they are never changed in place; readers get
// clones).
func (c *Cloud) enrichShared(ctx context.Context, insts []Instance) {
	if len(insts) == 0 {
		return
	}
	fs, _ := c.meta.flavors.view(ctx)
	imgs, _ := c.meta.images.view(ctx)
	enrichFrom(insts, fs, imgs)
}

// enrichFrom is enrichShared with the lists given (nil: not known).
func enrichFrom(insts []Instance, fs *heldList[Flavor], imgs *heldList[Image]) {
	for i := range insts {
		in := &insts[i]
		if in.Flavor != nil {
			if f := fs.byKey(in.Flavor.ID); f != nil {
				in.Flavor = f
			}
		}
		if in.Image != nil {
			if im := imgs.byKey(in.Image.RealID); im != nil {
				in.Image = im
			}
		}
	}
}
