package query

import "strings"

// shortLit is a string literal made ready for comparisons in a loop: a
// string of its length (4 to 16 bytes) equals it when the string's first
// and last words equal the literal's, two overlapping loads. Comparing
// with == a string known only at run time calls the runtime's memequal,
// whose call costs more than the compare in a loop over 100,000 rows; a
// constant in Go source would compile to the loads, and this is the same
// for a literal that arrives in a statement. Other lengths use ==.
type shortLit struct {
	s    string
	a, b uint64 // the first and last 8 bytes (len 8..16) or 4 bytes (len 4..7)
}

func newShortLit(s string) shortLit {
	l := shortLit{s: s}
	switch n := len(s); {
	case n >= 8 && n <= 16:
		l.a, l.b = load64(s), load64(s[n-8:])
	case n >= 4 && n < 8:
		l.a, l.b = uint64(load32(s)), uint64(load32(s[n-4:]))
	}
	return l
}

// load64 and load32 read the first bytes of s as a little-endian word;
// the compiler turns each into one load.
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// litWhere says where a literal must occur in a string: the whole string,
// its start or its end.
type litWhere uint8

const (
	litExact litWhere = iota
	litPrefix
	litSuffix
)

// litKernel keeps the rows whose column holds a string that equals,
// starts with or ends with l (or does not, when not); a value that is not
// a string is unknown, never kept. Each length class has its own loop, so
// that the loop makes no call; as a first kernel (width >= 0) the most
// common forms have loops of their own (litFirst), the others start from
// candidates.
func litKernel(rows [][]Value, sel []int32, width int, col int, l *shortLit, where litWhere, not bool) ([]int32, bool) {
	ln, a, b := len(l.s), l.a, l.b
	exact, suffix := where == litExact, where == litSuffix
	if !not && !suffix && ln >= 4 && ln <= 16 {
		if width >= 0 {
			return litFirst(rows, sel, width, col, l, exact)
		}
		return litNext(rows, sel, col, l, exact), true
	}
	if width >= 0 {
		var ok bool
		if sel, ok = candidates(rows, sel, width); !ok {
			return nil, false
		}
	}
	one := ln == 8 || ln == 4 // one word holds the whole literal
	n := 0
	switch {
	case ln >= 8 && ln <= 16:
		for _, i := range sel {
			v := &rows[i][col]
			if v.kind != KindString {
				continue
			}
			t, ok := v.s, false
			if len(t) == ln || (!exact && len(t) > ln) {
				if suffix {
					t = t[len(t)-ln:]
				}
				ok = load64(t) == a && (one || load64(t[ln-8:]) == b)
			}
			if ok != not {
				sel[n] = i
				n++
			}
		}
	case ln >= 4 && ln < 8:
		for _, i := range sel {
			v := &rows[i][col]
			if v.kind != KindString {
				continue
			}
			t, ok := v.s, false
			if len(t) == ln || (!exact && len(t) > ln) {
				if suffix {
					t = t[len(t)-ln:]
				}
				ok = uint64(load32(t)) == a && (one || uint64(load32(t[ln-4:])) == b)
			}
			if ok != not {
				sel[n] = i
				n++
			}
		}
	default:
		for _, i := range sel {
			v := &rows[i][col]
			if v.kind != KindString {
				continue
			}
			var ok bool
			switch where {
			case litExact:
				ok = v.s == l.s
			case litPrefix:
				ok = strings.HasPrefix(v.s, l.s)
			default:
				ok = strings.HasSuffix(v.s, l.s)
			}
			if ok != not {
				sel[n] = i
				n++
			}
		}
	}
	return sel[:n], true
}

// litFirst is litKernel as the first kernel of a batch in its most common
// forms, = 'literal', LIKE 'literal' and LIKE 'prefix%' with a literal of
// 4 to 16 bytes: one loop over the rows in order for each, with nothing in
// it but the width check and the compare, as a hand-written loop would
// have.
func litFirst(rows [][]Value, sel []int32, width, col int, l *shortLit, exact bool) ([]int32, bool) {
	ln, a, b := len(l.s), l.a, l.b
	sel = sel[:len(rows)]
	n := 0
	switch {
	case exact && ln == 8:
		for i, row := range rows {
			if len(row) != width {
				return nil, false
			}
			if v := &row[col]; v.kind == KindString && len(v.s) == 8 && load64(v.s) == a {
				sel[n] = int32(i)
				n++
			}
		}
	case exact && ln > 8:
		for i, row := range rows {
			if len(row) != width {
				return nil, false
			}
			if v := &row[col]; v.kind == KindString && len(v.s) == ln && load64(v.s) == a && load64(v.s[ln-8:]) == b {
				sel[n] = int32(i)
				n++
			}
		}
	case exact:
		for i, row := range rows {
			if len(row) != width {
				return nil, false
			}
			if v := &row[col]; v.kind == KindString && len(v.s) == ln && uint64(load32(v.s)) == a && uint64(load32(v.s[ln-4:])) == b {
				sel[n] = int32(i)
				n++
			}
		}
	case ln >= 8:
		for i, row := range rows {
			if len(row) != width {
				return nil, false
			}
			if v := &row[col]; v.kind == KindString && len(v.s) >= ln && load64(v.s) == a && load64(v.s[ln-8:]) == b {
				sel[n] = int32(i)
				n++
			}
		}
	default:
		for i, row := range rows {
			if len(row) != width {
				return nil, false
			}
			if v := &row[col]; v.kind == KindString && len(v.s) >= ln && uint64(load32(v.s)) == a && uint64(load32(v.s[ln-4:])) == b {
				sel[n] = int32(i)
				n++
			}
		}
	}
	return sel[:n], true
}

// litNext is litFirst for a kernel after the first: the same loops over
// the rows sel holds.
func litNext(rows [][]Value, sel []int32, col int, l *shortLit, exact bool) []int32 {
	ln, a, b := len(l.s), l.a, l.b
	n := 0
	switch {
	case exact && ln == 8:
		for _, i := range sel {
			if v := &rows[i][col]; v.kind == KindString && len(v.s) == 8 && load64(v.s) == a {
				sel[n] = i
				n++
			}
		}
	case exact && ln > 8:
		for _, i := range sel {
			if v := &rows[i][col]; v.kind == KindString && len(v.s) == ln && load64(v.s) == a && load64(v.s[ln-8:]) == b {
				sel[n] = i
				n++
			}
		}
	case exact:
		for _, i := range sel {
			if v := &rows[i][col]; v.kind == KindString && len(v.s) == ln && uint64(load32(v.s)) == a && uint64(load32(v.s[ln-4:])) == b {
				sel[n] = i
				n++
			}
		}
	case ln >= 8:
		for _, i := range sel {
			if v := &rows[i][col]; v.kind == KindString && len(v.s) >= ln && load64(v.s) == a && load64(v.s[ln-8:]) == b {
				sel[n] = i
				n++
			}
		}
	default:
		for _, i := range sel {
			if v := &rows[i][col]; v.kind == KindString && len(v.s) >= ln && uint64(load32(v.s)) == a && uint64(load32(v.s[ln-4:])) == b {
				sel[n] = i
				n++
			}
		}
	}
	return sel[:n]
}
