package perspective

import (
	"cmp"
	"context"
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"github.com/perspective-cloud/sdk/query"
)

// The inventory's indexes: every entry by real id (items), by global id
// (byID), and in the order of the listings, by name then global id
// (order, with the rows of the instances table in that order). Lookups by
// id are map reads; lookups by name or name prefix are binary searches in
// order. order is rebuilt, not changed in place, after entries were stored
// or removed (by merging the few changed entries into what stayed), at the
// first read that needs it, so a reader may keep the slice it got.

// instanceRow is an instance's row of the instances table; addresses are
// every address of the instance joined by a newline, as in the original;
// host is NULL when the credentials may not see it.
func instanceRow(in *Instance) []query.Value {
	var flavor, image query.Value
	if in.Flavor != nil {
		flavor = orNull(in.Flavor.ID)
	}
	if in.Image != nil {
		image = orNull(in.Image.ID)
	}
	var addrs string
	switch len(in.Addresses) {
	case 0:
	case 1:
		addrs = in.Addresses[0].IP
	default:
		ips := make([]string, len(in.Addresses))
		for j, a := range in.Addresses {
			ips[j] = a.IP
		}
		addrs = strings.Join(ips, "\n")
	}
	return []query.Value{str(in.ID), str(in.RealID), str(in.Name), str(in.CloudID), str(in.CloudType),
		str(in.ProjectID), flavor, image, str(string(in.State)), when(in.Updated), when(in.Created),
		orNull(in.AvailabilityZone), str(addrs), orNull(in.FQDN), orNull(in.Host)}
}

// byListing orders entries as listings do: by name, then global id.
func byListing(a, b *entry) int {
	return cmp.Or(strings.Compare(a.inst.Name, b.inst.Name), strings.Compare(a.inst.ID, b.inst.ID))
}

// orderLocked returns every entry in listing order and their rows,
// rebuilding them when entries moved since they were built. v.mu must be
// held for writing.
func (v *inventory) orderLocked() ([]*entry, [][]query.Value) {
	if len(v.moved) == 0 && v.order != nil {
		return v.order, v.rows
	}
	stayed := make([]*entry, 0, len(v.items))
	for _, e := range v.order {
		if !v.moved[e.inst.RealID] {
			stayed = append(stayed, e)
		}
	}
	var added []*entry
	for id := range v.moved {
		if e, ok := v.items[id]; ok {
			added = append(added, e)
		}
	}
	slices.SortFunc(added, byListing)
	v.order = mergeSorted([][]*entry{stayed, added}, byListing)
	v.rows = make([][]query.Value, len(v.order))
	for i, e := range v.order {
		v.rows[i] = e.row
	}
	clear(v.moved)
	return v.order, v.rows
}

// ordered returns every entry in listing order and their rows, shared:
// callers must not change them.
func (v *inventory) ordered() ([]*entry, [][]query.Value) {
	v.mu.RLock()
	if len(v.moved) == 0 && v.order != nil {
		o, r := v.order, v.rows
		v.mu.RUnlock()
		return o, r
	}
	v.mu.RUnlock()
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.orderLocked()
}

// current reports whether the inventory can serve a read as it is: it has
// synced, and no instance this library changed is waiting to be read
// again. It is one atomic read.
func (v *inventory) current() bool { return v.servable.Load() }

// markLocked records whether the inventory can serve a read as it is (see
// current). v.mu must be held for writing.
func (v *inventory) markLocked() { v.servable.Store(v.synced && len(v.touched) == 0) }

// allCurrent reports whether every cloud's inventory is current.
func allCurrent(clouds []*Cloud) bool {
	for _, c := range clouds {
		if !c.inv.current() {
			return false
		}
	}
	return true
}

// serve makes the inventory ready to serve a read from memory: synced
// once, and the instances this library changed read again.
func (v *inventory) serve(ctx context.Context) error {
	if v.current() {
		return nil
	}
	if err := v.ready(ctx); err != nil {
		return err
	}
	v.refreshTouched(ctx)
	return nil
}

// lookup is how a read finds instances in an inventory without a scan.
type lookup struct {
	column string // "id", "real_id" or "name"; "" scans every entry
	value  string
	prefix bool // name: value is a prefix
	state  State
}

// find returns the entries matching l, in listing order, shared.
func (v *inventory) find(l lookup) []*entry {
	switch l.column {
	case "id", "real_id":
		v.mu.RLock()
		e, ok := v.byID[l.value]
		if l.column == "real_id" {
			e, ok = v.items[l.value]
		}
		v.mu.RUnlock()
		if !ok {
			return nil
		}
		return []*entry{e}
	}
	order, _ := v.ordered()
	if l.column == "name" {
		order = nameRange(order, l.value, l.prefix)
	}
	if l.state == "" {
		return order
	}
	var out []*entry
	for _, e := range order {
		if e.inst.State == l.state {
			out = append(out, e)
		}
	}
	return out
}

// instanceIndex finds instance entries by global id and by name among
// every inventory of the process in one map read, so that a lookup across
// a Set costs the same whatever the number of its clouds. Global ids name
// one cloud's object, so one inventory holds each, unless a program opens
// one cloud twice: such an id is marked ambiguous, and lookups of it ask
// each inventory (byID). Names are anyone's: a name maps to every entry
// with it. The inventories keep the index as they store and remove
// entries, under their own lock; it is sharded to keep their syncs apart.
var instanceIndex = newEntryIndex()

// entryIndex is the process's index of instance entries.
type entryIndex struct {
	seed   maphash.Seed
	shards [64]indexShard
}

type indexShard struct {
	mu    sync.RWMutex
	ids   map[string]*entry
	names map[string][]*entry
}

func newEntryIndex() *entryIndex {
	x := &entryIndex{seed: maphash.MakeSeed()}
	for i := range x.shards {
		x.shards[i].ids, x.shards[i].names = map[string]*entry{}, map[string][]*entry{}
	}
	return x
}

// ambiguous marks an id held by several inventories.
var ambiguous = &entry{}

func (x *entryIndex) shard(key string) *indexShard {
	return &x.shards[maphash.String(x.seed, key)%uint64(len(x.shards))]
}

// put indexes e in place of old (nil when e is new to its inventory),
// each key replaced under one lock, so that a concurrent lookup finds one
// or the other, never neither.
func (x *entryIndex) put(old, e *entry) {
	s := x.shard(e.inst.ID)
	s.mu.Lock()
	if cur, ok := s.ids[e.inst.ID]; !ok || cur.inv == e.inv {
		s.ids[e.inst.ID] = e
	} else {
		s.ids[e.inst.ID] = ambiguous
	}
	s.mu.Unlock()
	s = x.shard(e.inst.Name)
	s.mu.Lock()
	l := s.names[e.inst.Name]
	if i := slices.Index(l, old); old != nil && i >= 0 {
		l[i] = e // readers copy out under the lock
	} else {
		s.names[e.inst.Name] = append(l, e)
	}
	s.mu.Unlock()
	if old != nil && old.inst.Name != e.inst.Name {
		x.dropName(old) // renamed: after e is found by its new name
	}
}

// remove drops e. Its id goes if the index points at e's inventory's
// entry (an ambiguous id stays so: lookups of it ask each inventory).
func (x *entryIndex) remove(e *entry) {
	s := x.shard(e.inst.ID)
	s.mu.Lock()
	if cur, ok := s.ids[e.inst.ID]; ok && cur != ambiguous && cur.inv == e.inv {
		delete(s.ids, e.inst.ID)
	}
	s.mu.Unlock()
	x.dropName(e)
}

// dropName removes e from the entries of its name.
func (x *entryIndex) dropName(e *entry) {
	s := x.shard(e.inst.Name)
	s.mu.Lock()
	if l := slices.DeleteFunc(s.names[e.inst.Name], func(x *entry) bool { return x == e }); len(l) > 0 {
		s.names[e.inst.Name] = l
	} else {
		delete(s.names, e.inst.Name)
	}
	s.mu.Unlock()
}

// get returns the entry with global id id (nil: no inventory holds it;
// ambiguous: several do).
func (x *entryIndex) get(id string) *entry {
	s := x.shard(id)
	s.mu.RLock()
	e := s.ids[id]
	s.mu.RUnlock()
	return e
}

// named appends to dst the entries named name whose cloud is in clouds.
func (x *entryIndex) named(dst []*entry, name string, clouds []*Cloud) []*entry {
	s := x.shard(name)
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, e := range s.names[name] {
		if slices.Contains(clouds, e.inv.c) {
			dst = append(dst, e)
		}
	}
	return dst
}

// findByID looks an instance up by global id among the inventories of
// clouds. It returns the entry and its cloud (nil when none holds it), and
// ok false when it cannot answer from memory as things are: an inventory
// concerned has not synced, or must first read again instances this
// library changed (serve them first). An id found in one inventory needs
// only that one to be current (no other cloud's inventory can hold that
// cloud's id); an id not found needs every one.
func findByID(clouds []*Cloud, id string) (e *entry, c *Cloud, ok bool) {
	if e = instanceIndex.get(id); e != nil && e != ambiguous {
		owner := e.inv.c
		for _, c := range clouds {
			if c == owner {
				return e, c, e.inv.current()
			}
		}
	}
	if !allCurrent(clouds) {
		return nil, nil, false
	}
	if e == ambiguous {
		for _, c := range clouds {
			if e, ok := c.inv.findID(lookup{column: "id", value: id}); ok && e != nil {
				return e, c, true
			}
		}
	}
	return nil, nil, true
}

// findID is find for a lookup by global or real id when the inventory can
// serve it as it is (see current), under one read lock; ok is false when
// it cannot (serve it first). The entry is nil when there is none.
func (v *inventory) findID(l lookup) (e *entry, ok bool) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if !v.synced || len(v.touched) > 0 {
		return nil, false
	}
	if l.column == "real_id" {
		return v.items[l.value], true
	}
	return v.byID[l.value], true
}

// nameRange returns the entries of order whose name is name, or starts
// with it when prefix is set: one binary search, since order is sorted by
// name.
func nameRange(order []*entry, name string, prefix bool) []*entry {
	lo, _ := slices.BinarySearchFunc(order, name, func(e *entry, n string) int { return strings.Compare(e.inst.Name, n) })
	hi := lo
	for hi < len(order) && (order[hi].inst.Name == name || prefix && strings.HasPrefix(order[hi].inst.Name, name)) {
		hi++
	}
	return order[lo:hi:hi]
}

// mergeSorted merges lists each sorted by cmp into one sorted list, in
// pairs (log₂ of the lists passes over the entries).
func mergeSorted[T any](lists [][]T, cmp func(a, b T) int) []T {
	n, nonEmpty, last := 0, 0, -1
	for i, l := range lists {
		if len(l) > 0 {
			n, nonEmpty, last = n+len(l), nonEmpty+1, i
		}
	}
	switch {
	case nonEmpty == 0:
		return []T{}
	case nonEmpty == 1:
		return lists[last]
	case n <= 64:
		// a few matches (a lookup by name): one allocation and a sort
		out := make([]T, 0, n)
		for _, l := range lists {
			out = append(out, l...)
		}
		slices.SortFunc(out, cmp)
		return out
	}
	lists = slices.DeleteFunc(slices.Clone(lists), func(l []T) bool { return len(l) == 0 })
	for len(lists) > 1 {
		next := make([][]T, 0, (len(lists)+1)/2)
		for i := 0; i < len(lists); i += 2 {
			if i+1 == len(lists) {
				next = append(next, lists[i])
				continue
			}
			a, b := lists[i], lists[i+1]
			out := make([]T, 0, len(a)+len(b))
			for len(a) > 0 && len(b) > 0 {
				if cmp(b[0], a[0]) < 0 {
					out, b = append(out, b[0]), b[1:]
				} else {
					out, a = append(out, a[0]), a[1:]
				}
			}
			next = append(next, append(append(out, a...), b...))
		}
		lists = next
	}
	return lists[0]
}
