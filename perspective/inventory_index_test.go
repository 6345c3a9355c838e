package perspective

import (
	"sync"
	"sync/atomic"
	"testing"
)

// An entry replaced in the index (a sync's new read of an instance) is
// found all along, by id and by its unchanged name: a lookup racing the
// replacement finds the old entry or the new one, never none.
func TestIndexReplacesEntriesWithoutAGap(t *testing.T) {
	x := newEntryIndex()
	inv := &inventory{}
	mk := func() *entry { return &entry{inst: Instance{ID: "id-1", Name: "web-1"}, inv: inv} }
	cur := mk()
	x.put(nil, cur)
	var missed atomic.Int64
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for !stop.Load() {
			if x.get("id-1") == nil {
				missed.Add(1)
			}
			if len(x.named(nil, "web-1", []*Cloud{nil})) != 1 {
				missed.Add(1)
			}
		}
	})
	for range 200_000 {
		next := mk()
		x.put(cur, next)
		cur = next
	}
	stop.Store(true)
	wg.Wait()
	if n := missed.Load(); n > 0 {
		t.Fatalf("%d lookups found no entry, or two, while it was replaced", n)
	}
	x.remove(cur)
	if x.get("id-1") != nil || len(x.named(nil, "web-1", []*Cloud{nil})) != 0 {
		t.Fatal("a removed entry is still found")
	}
}
