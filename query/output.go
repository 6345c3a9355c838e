package query

import (
	"container/heap"
	"slices"
	"strings"
)

// collector gathers output rows with their ORDER BY keys. A row and its
// keys take stride consecutive values of a chunk, and a chunk holds a
// power of two of rows, so that row i is found by a shift and a mask:
// collecting allocates once per chunk, never per row, and needs no slice
// of rows that grows. The first chunk starts at one row and doubles
// while it is the only one, up to the chunk size: a result of a few rows
// (a lookup by id) allocates room for a few rows, and the rows copied by
// the doubling are, in all, fewer than the chunk holds. With ORDER BY
// and LIMIT it keeps only the best offset+limit rows in a bounded heap
// instead of sorting everything.
type collector struct {
	q      *Compiled
	width  int
	nkeys  int
	stride int  // values per row: width + nkeys
	shift  uint // a chunk holds 1<<shift rows
	most   uint // the shift of a full chunk; the first grows up to it
	chunks [][]Value
	n      int   // rows held
	limit  int64 // -1: none
	offset int64
	topN   int // > 0: bounded heap of this many rows
	heap   topHeap
	seq    []int32
	nextSq int32
	seen   map[string]struct{}
	buf    []byte
	tmp    []Value
	budget *budget
	chunk0 [1][]Value // chunks' first element, so one chunk needs no slice of its own
}

// A chunk holds at most rowsPerChunk rows and at most chunkValues values
// (about 2 MB) unless one row needs more: a statement with 10,000 ORDER BY
// keys must not make every chunk hold 2,048 such rows (655 MB).
const (
	rowsPerChunk = 2048
	chunkValues  = 1 << 16
)

// init readies c, a zero collector, for a run of q.
func (c *collector) init(q *Compiled, limit, offset int64, b *budget) {
	*c = collector{q: q, width: len(q.items), nkeys: len(q.keys), limit: limit, offset: offset, budget: b}
	c.chunks = c.chunk0[:0:1]
	c.stride = c.width + c.nkeys
	if q.distinct {
		c.seen = make(map[string]struct{})
	}
	if c.nkeys > 0 && limit >= 0 && limit+offset <= 1<<20 {
		c.topN = int(limit + offset)
		c.heap.c = c
		c.tmp = make([]Value, c.nkeys)
	}
	// A chunk has room for no more rows than the statement keeps when it
	// stops or keeps a heap at OFFSET+LIMIT: LIMIT 20 does not allocate
	// room for 2,048 rows.
	most := int64(rowsPerChunk)
	if limit >= 0 && (c.nkeys == 0 || (c.topN > 0 && !forceFullSort)) {
		most = min(most, max(limit+offset, 1))
	}
	for c.most < 11 && int64(1)<<c.most < most && (2<<c.most)*c.stride <= chunkValues {
		c.most++
	}
	c.shift = min(c.most, firstChunkShift)
}

// firstChunkShift sizes the first chunk: one row.
const firstChunkShift = 0

// forceFullSort disables the bounded heap (for benchmarks that compare).
var forceFullSort = false

// slot returns the values of row i: its columns, then its keys.
func (c *collector) slot(i int) []Value {
	off := (i & (1<<c.shift - 1)) * c.stride
	return c.chunks[i>>c.shift][off : off+c.stride : off+c.stride]
}

func (c *collector) row(i int) []Value  { return c.slot(i)[:c.width:c.width] }
func (c *collector) keys(i int) []Value { return c.slot(i)[c.width:] }

// next returns the values of row c.n, allocating a chunk when it starts
// one, or doubling the first while it is the only one and smaller than a
// full chunk. The caller fills them and counts the row; a slice of an
// earlier row is not used after next (the doubling moves the rows).
func (c *collector) next() []Value {
	if c.n>>c.shift == len(c.chunks) {
		if len(c.chunks) == 1 && c.shift < c.most {
			grown := make([]Value, (2<<c.shift)*c.stride)
			copy(grown, c.chunks[0])
			c.chunks[0] = grown
			c.shift++
		} else {
			c.chunks = append(c.chunks, make([]Value, (1<<c.shift)*c.stride))
		}
	}
	return c.slot(c.n)
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
		if err := c.budget.hold(1, c.stride); err != nil {
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
	if err := c.budget.hold(1, c.stride); err != nil {
		return err
	}
	s := c.next()
	if c.q.plain != nil {
		for i, p := range c.q.plain {
			s[i] = e.row[p[0]][p[1]]
		}
	} else {
		for i, f := range c.q.items {
			s[i] = f(e)
		}
	}
	for i, k := range c.q.keys {
		s[c.width+i] = k.fn(e)
	}
	c.n++
	if c.nkeys == 0 && c.limit >= 0 && int64(c.n) >= c.limit+c.offset {
		return errStop // no ORDER BY: the first rows are the answer
	}
	return nil
}

// direct reports whether rows of the first table can be output by addRows:
// every result column is a plain column and there is no ORDER BY and no
// DISTINCT.
func (c *collector) direct() bool {
	return c.q.plain != nil && c.nkeys == 0 && c.seen == nil
}

// addRows outputs the rows sel of batch, rows of the statement's only
// table, as add would one by one, when direct holds.
func (c *collector) addRows(batch [][]Value, sel []int32) error {
	stop := false
	if c.limit >= 0 {
		room := c.limit + c.offset - int64(c.n)
		if room <= 0 {
			return errStop
		}
		if int64(len(sel)) >= room {
			sel, stop = sel[:room], true
		}
	}
	if err := c.budget.hold(len(sel), len(sel)*c.stride); err != nil {
		return err
	}
	plain := c.q.plain
	for len(sel) > 0 {
		// Fill the current chunk with as many rows as it has room for.
		c.next()
		at := c.n & (1<<c.shift - 1)
		k := min(1<<c.shift-at, len(sel))
		dst := c.chunks[c.n>>c.shift][at*c.stride : (at+k)*c.stride]
		for _, i := range sel[:k] {
			src := batch[i]
			for j, p := range plain {
				dst[j] = src[p[1]]
			}
			dst = dst[c.stride:]
		}
		c.n += k
		sel = sel[k:]
	}
	if stop {
		return errStop
	}
	return nil
}

// addTop admits a row into the bounded heap if it is among the best seen.
func (c *collector) addTop(e *env) error {
	for i, k := range c.q.keys {
		c.tmp[i] = k.fn(e)
	}
	if c.n < c.topN {
		if err := c.budget.hold(1, c.stride); err != nil {
			return err
		}
		copy(c.next()[c.width:], c.tmp)
		c.seq = append(c.seq, c.nextSq)
		c.fill(c.n, e)
		c.n++
		heap.Push(&c.heap, int32(c.n-1))
	} else {
		worst := c.heap.idx[0]
		if c.compareKeys(c.tmp, c.nextSq, c.keys(int(worst)), c.seq[worst]) >= 0 {
			c.nextSq++
			return nil
		}
		copy(c.keys(int(worst)), c.tmp)
		c.seq[worst] = c.nextSq
		c.fill(int(worst), e)
		heap.Fix(&c.heap, 0)
	}
	c.nextSq++
	return nil
}

func (c *collector) fill(slot int, e *env) {
	row := c.row(slot)
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
	return c.compareKeys(c.keys(int(i)), c.seqOf(i), c.keys(int(j)), c.seqOf(j))
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

// oneRow is a result of one row and the list that holds it.
type oneRow struct {
	Result
	row [1][]Value
}

// result sorts the rows, applies OFFSET and LIMIT, and builds the result;
// rows share the collector's chunks.
func (c *collector) result(columns []string) *Result {
	if c.nkeys == 0 {
		// Unsorted: the rows are in arrival order already.
		start := int(min(c.offset, int64(c.n)))
		end := c.n
		if c.limit >= 0 && int64(end-start) > c.limit {
			end = start + int(c.limit)
		}
		res := resultOf(columns, end-start)
		for i := range res.rows {
			res.rows[i] = c.row(start + i)
		}
		return res
	}
	order := c.sorted()
	start := min(c.offset, int64(len(order)))
	order = order[start:]
	if c.limit >= 0 && int64(len(order)) > c.limit {
		order = order[:c.limit]
	}
	res := resultOf(columns, len(order))
	for i, slot := range order {
		res.rows[i] = c.row(int(slot))
	}
	return res
}

// resultOf returns a successful result of n rows, to be filled; a result
// of one row (a lookup's) is one allocation with its list of rows.
func resultOf(columns []string, n int) *Result {
	if columns == nil {
		columns = []string{}
	}
	if n == 1 {
		one := &oneRow{Result: Result{Status: StatusSuccess, columns: columns, Count: 1}}
		one.rows = one.row[:]
		return &one.Result
	}
	return &Result{Status: StatusSuccess, columns: columns, rows: make([][]Value, n), Count: n}
}

// sorted returns the slots of the rows in ORDER BY order. With one key
// and the rows in arrival order (no heap), it sorts the keys themselves,
// each beside its slot, so that comparing two rows reads two adjacent
// entries instead of two rows' chunks.
func (c *collector) sorted() []int32 {
	order := make([]int32, c.n)
	if c.nkeys != 1 || c.seq != nil {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, c.less)
		return order
	}
	type keyed struct {
		key  Value
		slot int32
	}
	ks := make([]keyed, c.n)
	for i := range ks {
		ks[i] = keyed{c.keys(i)[0], int32(i)}
	}
	desc := c.q.keys[0].desc
	slices.SortFunc(ks, func(a, b keyed) int {
		var d int
		if a.key.kind == KindString && b.key.kind == KindString {
			d = strings.Compare(a.key.s, b.key.s)
		} else {
			d = compareValues(a.key, b.key)
		}
		switch {
		case d == 0:
			return cmpInt(int(a.slot), int(b.slot))
		case desc:
			return -d
		}
		return d
	})
	for i, k := range ks {
		order[i] = k.slot
	}
	return order
}
