package query

import (
	"encoding/binary"
	"math"
)

// aggSpec is one aggregate call of a grouped query.
type aggSpec struct {
	name     string
	arg      valueFn // nil for count(*)
	distinct bool
	text     string
}

func (c *compiler) aggregate(x *callExpr, mode exprMode) (*cexpr, error) {
	if mode != modeGroup || c.inAgg {
		where := "here"
		if c.inAgg {
			where = "inside another aggregate"
		}
		return nil, errorf(ErrSyntax, x.Pos, "syntax error: aggregate %s() is not allowed %s", x.Name, where).
			withHint("aggregates belong in the select list, HAVING or ORDER BY")
	}
	spec := aggSpec{name: x.Name, distinct: x.Distinct, text: x.String()}
	out := newExpr(x, TypeNumber)
	out.agg = true
	switch {
	case x.Star:
		if x.Name != "count" {
			return nil, errorf(ErrSyntax, x.Pos, "syntax error: only count takes *")
		}
	case len(x.Args) != 1:
		return nil, errorf(ErrSyntax, x.Pos, "syntax error: %s() takes 1 argument, got %d", x.Name, len(x.Args))
	default:
		c.inAgg = true
		safe := c.nilSafe
		c.nilSafe = false
		arg, err := c.expr(x.Args[0], modeRow)
		c.inAgg, c.nilSafe = false, safe
		if err != nil {
			return nil, err
		}
		switch x.Name {
		case "sum", "avg":
			if err := c.want(arg, TypeNumber, x.Name+"()"); err != nil {
				return nil, err
			}
		case "min", "max":
			out.typ = arg.typ
		}
		spec.arg = arg.value()
	}
	slot := len(c.aggs)
	c.aggs = append(c.aggs, spec)
	out.val = func(e *env) Value { return e.aggs[slot] }
	return out, nil
}

// aggState accumulates one aggregate over one group.
type aggState struct {
	n    int64
	sum  float64
	v    Value
	seen map[Value]struct{}
}

func (a *aggState) add(spec *aggSpec, e *env, b *budget) error {
	if spec.arg == nil {
		a.n++
		return nil
	}
	v := spec.arg(e)
	if v.kind == KindNull {
		return nil
	}
	if spec.distinct {
		if a.seen == nil {
			a.seen = make(map[Value]struct{})
		}
		if _, dup := a.seen[v]; dup {
			return nil
		}
		if err := b.hold(1, 1); err != nil {
			return err
		}
		a.seen[v] = struct{}{}
	}
	switch spec.name {
	case "count":
		a.n++
	case "sum", "avg":
		if v.kind == KindNumber {
			a.n++
			a.sum += v.n
		}
	case "min":
		if a.n == 0 || compareValues(v, a.v) < 0 {
			a.v = v
		}
		a.n++
	case "max":
		if a.n == 0 || compareValues(v, a.v) > 0 {
			a.v = v
		}
		a.n++
	}
	return nil
}

func (a *aggState) result(spec *aggSpec) Value {
	switch spec.name {
	case "count":
		return Int(a.n)
	case "sum":
		if a.n == 0 {
			return Null()
		}
		return finite(a.sum)
	case "avg":
		if a.n == 0 {
			return Null()
		}
		return finite(a.sum / float64(a.n))
	}
	if a.n == 0 {
		return Null()
	}
	return a.v
}

// group is one group of a grouped query: its first row (for the
// non-aggregated columns, as MySQL does) and its accumulators.
type group struct {
	first [][]Value
	acc   []aggState
}

// grouper collects rows into groups, in the order groups first appear.
type grouper struct {
	q      *Compiled
	index  map[string]int
	groups []*group
	buf    []byte
	budget *budget
}

func newGrouper(q *Compiled, b *budget) *grouper {
	return &grouper{q: q, index: make(map[string]int), budget: b}
}

func (g *grouper) add(e *env) error {
	g.buf = g.buf[:0]
	for _, f := range g.q.groupBy {
		g.buf = appendKey(g.buf, f(e))
	}
	i, ok := g.index[string(g.buf)]
	if !ok {
		if err := g.budget.hold(1, len(e.row)+len(g.q.aggs)+len(g.q.groupBy)); err != nil {
			return err
		}
		i = len(g.groups)
		g.index[string(g.buf)] = i
		g.groups = append(g.groups, &group{first: append([][]Value(nil), e.row...), acc: make([]aggState, len(g.q.aggs))})
	}
	grp := g.groups[i]
	for j := range grp.acc {
		if err := grp.acc[j].add(&g.q.aggs[j], e, g.budget); err != nil {
			return err
		}
	}
	return nil
}

// finish emits every group (one empty group when a query without GROUP BY
// saw no rows) through emit, with the group's row and aggregates in e.
func (g *grouper) finish(e *env, nslots int, emit func() error) error {
	if len(g.groups) == 0 && len(g.q.groupBy) == 0 {
		g.groups = append(g.groups, &group{first: make([][]Value, nslots), acc: make([]aggState, len(g.q.aggs))})
	}
	e.aggs = make([]Value, len(g.q.aggs))
	for _, grp := range g.groups {
		copy(e.row, grp.first)
		for j := range grp.acc {
			e.aggs[j] = grp.acc[j].result(&g.q.aggs[j])
		}
		if err := emit(); err != nil {
			return err
		}
	}
	return nil
}

// appendKey encodes v unambiguously for use in a map key.
func appendKey(b []byte, v Value) []byte {
	b = append(b, byte(v.kind))
	switch v.kind {
	case KindString:
		b = binary.AppendUvarint(b, uint64(len(v.s)))
		b = append(b, v.s...)
	case KindNumber, KindBool:
		n := v.n
		if n == 0 {
			n = 0 // fold -0 into 0
		}
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(n))
	}
	return b
}
