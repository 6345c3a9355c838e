package query

import (
	"container/heap"
	"slices"
	"strings"
)

// collector gathers output rows with their ORDER BY keys. Values live in
// chunks of rowsPerChunk rows, so that collecting allocates once per chunk,
// never per row, and never copies rows already collected. With ORDER BY
// and LIMIT it keeps only the best offset+limit rows in a bounded heap
// instead of sorting everything.
type collector struct {
	q      *Compiled
	width  int
	nkeys  int
	rows   [][]Value
	keys   [][]Value
	seq    []int32
	chunk  []Value // free space of the current chunk
	n      int
	limit  int64 // -1: none
	offset int64
	topN   int // > 0: bounded heap of this many rows
	heap   topHeap
	nextSq int32
	seen   map[string]struct{}
	buf    []byte
	tmp    []Value
	budget *budget
}

// A chunk holds rowsPerChunk rows, but at most chunkValues values (about
// 2 MB) unless one row needs more: a statement with 10,000 ORDER BY keys
// must not make every chunk hold 2,048 such rows (655 MB).
const (
	rowsPerChunk = 2048
	chunkValues  = 1 << 16
)

func newCollector(q *Compiled, limit, offset int64, b *budget) *collector {
	c := &collector{q: q, width: len(q.items), nkeys: len(q.keys), limit: limit, offset: offset, budget: b}
	if q.distinct {
		c.seen = make(map[string]struct{})
	}
	if c.nkeys > 0 && limit >= 0 && limit+offset <= 1<<20 {
		c.topN = int(limit + offset)
		c.heap.c = c
		c.tmp = make([]Value, c.nkeys)
	}
	return c
}

// forceFullSort disables the bounded heap (for benchmarks that compare).
var forceFullSort = false

// alloc returns room for n values from the current chunk.
func (c *collector) alloc(n int) []Value {
	if n == 0 {
		return nil
	}
	if len(c.chunk) < n {
		c.chunk = make([]Value, max(min(rowsPerChunk*(c.width+c.nkeys), chunkValues), c.width+c.nkeys))
	}
	v := c.chunk[:n:n]
	c.chunk = c.chunk[n:]
	return v
}

func (c *collector) add(e *env) error {
	if c.seen != nil {
		c.buf = c.buf[:0]
		for _, f := range c.q.items {
			c.buf = appendKey(c.buf, f(e))
		}
		for _, k := range c.q.keys {
			c.buf = appendKey(c.buf, k.fn(e))
		}
		if _, dup := c.seen[string(c.buf)]; dup {
			return nil
		}
		if err := c.budget.hold(1, c.width+c.nkeys); err != nil {
			return err
		}
		c.seen[string(c.buf)] = struct{}{}
	}
	if c.limit == 0 {
		return errStop
	}
	if c.topN > 0 && !forceFullSort {
		return c.addTop(e)
	}
	if err := c.budget.hold(1, c.width+c.nkeys); err != nil {
		return err
	}
	row := c.alloc(c.width)
	if c.q.plain != nil {
		for i, p := range c.q.plain {
			row[i] = e.row[p[0]][p[1]]
		}
	} else {
		for i, f := range c.q.items {
			row[i] = f(e)
		}
	}
	c.rows = append(c.rows, row)
	if c.nkeys > 0 {
		keys := c.alloc(c.nkeys)
		for i, k := range c.q.keys {
			keys[i] = k.fn(e)
		}
		c.keys = append(c.keys, keys)
	}
	c.n++
	if c.nkeys == 0 && c.limit >= 0 && int64(c.n) >= c.limit+c.offset {
		return errStop // no ORDER BY: the first rows are the answer
	}
	return nil
}

// addTop admits a row into the bounded heap if it is among the best seen.
func (c *collector) addTop(e *env) error {
	for i, k := range c.q.keys {
		c.tmp[i] = k.fn(e)
	}
	if c.n < c.topN {
		if err := c.budget.hold(1, c.width+c.nkeys); err != nil {
			return err
		}
		c.rows = append(c.rows, c.alloc(c.width))
		c.keys = append(c.keys, append(c.alloc(c.nkeys)[:0], c.tmp...))
		c.seq = append(c.seq, c.nextSq)
		c.fill(c.n, e)
		c.n++
		heap.Push(&c.heap, int32(c.n-1))
	} else {
		worst := c.heap.idx[0]
		if c.compareKeys(c.tmp, c.nextSq, c.keys[worst], c.seq[worst]) >= 0 {
			c.nextSq++
			return nil
		}
		copy(c.keys[worst], c.tmp)
		c.seq[worst] = c.nextSq
		c.fill(int(worst), e)
		heap.Fix(&c.heap, 0)
	}
	c.nextSq++
	return nil
}

func (c *collector) fill(slot int, e *env) {
	row := c.rows[slot]
	for i, f := range c.q.items {
		row[i] = f(e)
	}
}

// compareKeys orders two rows by the ORDER BY keys, then by arrival, so
// that sorting is deterministic and equal keys keep their input order.
func (c *collector) compareKeys(a []Value, sa int32, b []Value, sb int32) int {
	for i, k := range c.q.keys {
		x, y := a[i], b[i]
		var d int
		if x.kind == KindString && y.kind == KindString {
			d = strings.Compare(x.s, y.s)
		} else {
			d = compareValues(x, y)
		}
		if d != 0 {
			if k.desc {
				return -d
			}
			return d
		}
	}
	return cmpInt(int(sa), int(sb))
}

func (c *collector) seqOf(i int32) int32 {
	if c.seq != nil {
		return c.seq[i]
	}
	return i
}

func (c *collector) less(i, j int32) int {
	return c.compareKeys(c.keys[i], c.seqOf(i), c.keys[j], c.seqOf(j))
}

// topHeap is a max-heap (by ORDER BY) of row slots: its top is the worst
// row kept, the first to be replaced.
type topHeap struct {
	c   *collector
	idx []int32
}

func (h *topHeap) Len() int           { return len(h.idx) }
func (h *topHeap) Less(i, j int) bool { return h.c.less(h.idx[i], h.idx[j]) > 0 }
func (h *topHeap) Swap(i, j int)      { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *topHeap) Push(x any)         { h.idx = append(h.idx, x.(int32)) }
func (h *topHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}

// result sorts the rows, applies OFFSET and LIMIT, and builds the result;
// rows share the collector's slab.
func (c *collector) result(columns []string) *Result {
	order := make([]int32, c.n)
	for i := range order {
		order[i] = int32(i)
	}
	if c.nkeys > 0 {
		slices.SortFunc(order, c.less)
	}
	start := min(c.offset, int64(len(order)))
	order = order[start:]
	if c.limit >= 0 && int64(len(order)) > c.limit {
		order = order[:c.limit]
	}
	res := newResult(columns)
	res.rows = make([][]Value, len(order))
	for i, slot := range order {
		res.rows[i] = c.rows[slot]
	}
	res.Count = len(order)
	return res
}
