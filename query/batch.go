package query

import "regexp"

// batchRows is how many rows of a table the filter kernels take at once:
// enough to amortise a kernel's call, few enough that the rows a batch
// touches stay in the processor's cache between kernels.
const batchRows = 64

// batchFn is a filter kernel: the compiled form of a condition on one
// column of one table (column = 'x', column LIKE :p, column IN (…), …)
// that filters a batch of that table's rows in one tight loop, with no
// call per row. With width >= 0, every row of rows is a candidate (sel
// has room for their indexes), and the kernel, the first to read the
// batch, also checks that each row has width values (a Database is not
// trusted to), returning ok false, and nothing kept, when one has not;
// otherwise (width < 0) sel holds the indexes of the candidates. The kernel
// writes into sel, in order, the indexes of the candidates for which the
// condition is true (not false, not unknown) and returns that prefix of
// sel. It reads its parameters and matchers from e, never a row of e.
//
// A kernel gives exactly the rows its condition's condFn calls true: the
// row-by-row form stays the reference (see forceRowAtATime), and
// TestKernelsAgreeWithConditions compares the two.
type batchFn func(e *env, rows [][]Value, sel []int32, width int) (keep []int32, ok bool)

// forceRowAtATime disables the kernels: the first table is scanned and
// joined tables pre-filtered row by row, through each condition's condFn
// and the collector's add, as before there were kernels. It is the
// reference the tests compare the kernels with.
var forceRowAtATime = false

// kernelFilter is the conditions of a join step on its table alone, as
// kernels run over batches of rows and, for the conditions no kernel
// covers, the rest, evaluated row by row on the rows the kernels kept.
type kernelFilter struct {
	kernels []batchFn
	rest    condFn
}

// kernelsOf splits conjuncts into kernels and the rest; a conjunct that
// reads no table (a constant condition) or another table has no kernel.
func kernelsOf(cs []*conjunct, slot int) kernelFilter {
	var kf kernelFilter
	var rest []*conjunct
	for _, cj := range cs {
		if cj.ce.batch != nil && cj.ce.slots == 1<<uint(slot) {
			if kf.kernels == nil {
				kf.kernels = make([]batchFn, 0, len(cs))
			}
			kf.kernels = append(kf.kernels, cj.ce.batch)
			continue
		}
		rest = append(rest, cj)
	}
	kf.rest = andOf(rest)
	return kf
}

// filter returns the indexes of the rows of one batch that pass the
// kernels, in sel's storage (of capacity len(rows) at least): the first
// kernel reads every row, checking that each has width values (ok false
// when one has not), the next ones the rows kept so far.
func (kf *kernelFilter) filter(e *env, rows [][]Value, sel []int32, width int) (keep []int32, ok bool) {
	if len(kf.kernels) == 0 {
		return candidates(rows, sel, width)
	}
	if sel, ok = kf.kernels[0](e, rows, sel, width); !ok {
		return nil, false
	}
	for _, k := range kf.kernels[1:] {
		if len(sel) == 0 {
			break
		}
		sel, _ = k(e, rows, sel, -1)
	}
	return sel, true
}

// candidates returns sel, or with width >= 0, the indexes of all of rows
// once it has checked their width: the start of a kernel that has no loop
// of its own over all rows.
func candidates(rows [][]Value, sel []int32, width int) ([]int32, bool) {
	if width < 0 {
		return sel, true
	}
	sel = sel[:len(rows)]
	for i, row := range rows {
		if len(row) != width {
			return nil, false
		}
		sel[i] = int32(i)
	}
	return sel, true
}

// none keeps no row: the kernel of a condition that is unknown for every
// row (a NULL parameter), which still checks widths as a first kernel.
func none(rows [][]Value, sel []int32, width int) ([]int32, bool) {
	sel, ok := candidates(rows, sel, width)
	return sel[:0], ok
}

// chainKernels is the kernel of an AND of conditions that all have one.
func chainKernels(ks []batchFn) batchFn {
	return func(e *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		sel, ok := ks[0](e, rows, sel, width)
		for _, k := range ks[1:] {
			if !ok || len(sel) == 0 {
				break
			}
			sel, _ = k(e, rows, sel, -1)
		}
		return sel, ok
	}
}

// kernelEqString: column = 'x' (or != 'x'): true when the value is not
// null and equal to (or different from) the string, as colEqString.
func kernelEqString(col int, s string, negate bool) batchFn {
	if !negate {
		lit := newShortLit(s)
		return func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
			return litKernel(rows, sel, width, col, &lit, litExact, false)
		}
	}
	return func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		sel, ok := candidates(rows, sel, width)
		if !ok {
			return nil, false
		}
		n := 0
		for _, i := range sel {
			if v := &rows[i][col]; v.kind != KindNull && (v.kind != KindString || v.s != s) {
				sel[n] = i
				n++
			}
		}
		return sel[:n], true
	}
}

// kernelEqParam: column = :p (or != :p), as colEqParam.
func kernelEqParam(col, p int, negate bool) batchFn {
	return func(e *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		w := e.params[p]
		if w.kind == KindNull {
			return none(rows, sel, width)
		}
		if w.kind == KindString && !negate {
			lit := newShortLit(w.s)
			return litKernel(rows, sel, width, col, &lit, litExact, false)
		}
		sel, ok := candidates(rows, sel, width)
		if !ok {
			return nil, false
		}
		n := 0
		for _, i := range sel {
			v := &rows[i][col]
			if v.kind != KindNull && (v.kind == w.kind && v.s == w.s && v.n == w.n) != negate {
				sel[n] = i
				n++
			}
		}
		return sel[:n], true
	}
}

// kernelCompare: column op value, where the value is a constant (konst) or
// a parameter (param >= 0), for the operators of cmpTest.
func kernelCompare(col int, op string, konst Value, param int) batchFn {
	test := cmpTest(op)
	return func(e *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		w := konst
		if param >= 0 {
			w = e.params[param]
		}
		if w.kind == KindNull {
			return none(rows, sel, width)
		}
		sel, ok := candidates(rows, sel, width)
		if !ok {
			return nil, false
		}
		n := 0
		for _, i := range sel {
			if v := &rows[i][col]; v.kind != KindNull && test(compareValues(*v, w)) {
				sel[n] = i
				n++
			}
		}
		return sel[:n], true
	}
}

// kernelString keeps the rows whose column holds a string for which
// match(s) != not; a value that is not a string (null, or a value of
// another kind a Database handed out) is unknown, never kept.
func kernelString(rows [][]Value, sel []int32, col int, not bool, match func(string) bool) []int32 {
	n := 0
	for _, i := range sel {
		if v := &rows[i][col]; v.kind == KindString && match(v.s) != not {
			sel[n] = i
			n++
		}
	}
	return sel[:n]
}

// likeKernel filters by one LIKE pattern, with a tight loop for each
// common shape of pattern.
func likeKernel(rows [][]Value, sel []int32, width int, col int, not bool, m *likeMatcher) ([]int32, bool) {
	switch m.shape {
	case likeExact:
		return litKernel(rows, sel, width, col, &m.short, litExact, not)
	case likePrefix:
		return litKernel(rows, sel, width, col, &m.short, litPrefix, not)
	case likeSuffix:
		return litKernel(rows, sel, width, col, &m.short, litSuffix, not)
	}
	sel, ok := candidates(rows, sel, width)
	if !ok {
		return nil, false
	}
	if m.shape == likeAny {
		n := 0
		for _, i := range sel {
			if rows[i][col].kind == KindString && !not {
				sel[n] = i
				n++
			}
		}
		return sel[:n], true
	}
	return kernelString(rows, sel, col, not, m.match), true
}

// kernelLike: column [NOT] LIKE 'constant'.
func kernelLike(col int, not bool, m *likeMatcher) batchFn {
	return func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		return likeKernel(rows, sel, width, col, not, m)
	}
}

// kernelRegexp: column [NOT] REGEXP 'constant'.
func kernelRegexp(col int, not bool, re *regexp.Regexp) batchFn {
	return func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		sel, ok := candidates(rows, sel, width)
		if !ok {
			return nil, false
		}
		return kernelString(rows, sel, col, not, re.MatchString), true
	}
}

// kernelMatchParam: column [NOT] LIKE/REGEXP :p, with the pattern compiled
// once per run (a NULL pattern is unknown for every row).
func kernelMatchParam(col int, not bool, slot int) batchFn {
	return func(e *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		m := e.matches[slot]
		switch {
		case m.re != nil:
			sel, ok := candidates(rows, sel, width)
			if !ok {
				return nil, false
			}
			return kernelString(rows, sel, col, not, m.re.MatchString), true
		case m.like != nil:
			return likeKernel(rows, sel, width, col, not, m.like)
		}
		return none(rows, sel, width)
	}
}

// kernelIn: column [NOT] IN (constants), as the constant form of in.
func kernelIn(col int, not bool, set map[Value]bool, hasNull bool) batchFn {
	return func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		sel, ok := candidates(rows, sel, width)
		if !ok {
			return nil, false
		}
		n := 0
		for _, i := range sel {
			v := &rows[i][col]
			if v.kind == KindNull {
				continue
			}
			if set[*v] {
				if not {
					continue
				}
			} else if hasNull || !not {
				continue
			}
			sel[n] = i
			n++
		}
		return sel[:n], true
	}
}

// kernelIsNull: column IS [NOT] NULL.
func kernelIsNull(col int, not bool) batchFn {
	return func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) {
		sel, ok := candidates(rows, sel, width)
		if !ok {
			return nil, false
		}
		n := 0
		for _, i := range sel {
			if (rows[i][col].kind == KindNull) != not {
				sel[n] = i
				n++
			}
		}
		return sel[:n], true
	}
}
