package query

// hashIndex maps the join key of each row of a joined table to its rows;
// rows with the same key are chained through next, in table order.
type hashIndex struct {
	kind keyKind
	s1   map[string]int32
	s2   map[[2]string]int32
	gen  map[[maxHashKeys]Value]int32
	next []int32
}

func buildIndex(e *env, s *joinStep, rows [][]Value) *hashIndex {
	idx := &hashIndex{kind: s.key, next: make([]int32, len(rows))}
	switch s.key {
	case keyString1:
		idx.s1 = make(map[string]int32, len(rows))
	case keyString2:
		idx.s2 = make(map[[2]string]int32, len(rows))
	default:
		idx.gen = make(map[[maxHashKeys]Value]int32, len(rows))
	}
	for j := len(rows) - 1; j >= 0; j-- {
		e.row[s.slot] = rows[j]
		idx.next[j] = -1
		switch s.key {
		case keyString1:
			k := s.build[0](e)
			if k.kind != KindString {
				continue
			}
			if head, ok := idx.s1[k.s]; ok {
				idx.next[j] = head
			}
			idx.s1[k.s] = int32(j)
		case keyString2:
			a, b := s.build[0](e), s.build[1](e)
			if a.kind != KindString || b.kind != KindString {
				continue
			}
			key := [2]string{a.s, b.s}
			if head, ok := idx.s2[key]; ok {
				idx.next[j] = head
			}
			idx.s2[key] = int32(j)
		default:
			var key [maxHashKeys]Value
			ok := true
			for i, f := range s.build {
				key[i] = normKey(f(e))
				ok = ok && key[i].kind != KindNull
			}
			if !ok {
				continue
			}
			if head, found := idx.gen[key]; found {
				idx.next[j] = head
			}
			idx.gen[key] = int32(j)
		}
	}
	e.row[s.slot] = nil
	return idx
}

// normKey folds -0 into 0 so that equal numbers hash alike.
func normKey(v Value) Value {
	if v.kind == KindNumber && v.n == 0 {
		v.n = 0
	}
	return v
}

// lookup returns the first row whose key equals the probe, or -1.
func (idx *hashIndex) lookup(e *env, probe []valueFn) int32 {
	switch idx.kind {
	case keyString1:
		k := probe[0](e)
		if k.kind != KindString {
			return -1
		}
		if j, ok := idx.s1[k.s]; ok {
			return j
		}
	case keyString2:
		a, b := probe[0](e), probe[1](e)
		if a.kind != KindString || b.kind != KindString {
			return -1
		}
		if j, ok := idx.s2[[2]string{a.s, b.s}]; ok {
			return j
		}
	default:
		var key [maxHashKeys]Value
		for i, f := range probe {
			key[i] = normKey(f(e))
			if key[i].kind == KindNull {
				return -1
			}
		}
		if j, ok := idx.gen[key]; ok {
			return j
		}
	}
	return -1
}
