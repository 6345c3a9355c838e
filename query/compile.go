package query

import (
	"math"
	"strings"
)

// Compiled is a statement checked against a schema and planned: compile it
// once, then Run it any number of times, concurrently if need be, with
// different parameters. Evaluating its WHERE clause allocates nothing per
// row.
type Compiled struct {
	text     string
	usesNow  bool // the run reads the clock: now() is its start
	explain  bool
	columns  []string
	params   []paramSlot
	matchers []matcherSpec
	scope    []scopeTable
	steps    []joinStep
	nullable []bool
	grouped  bool
	groupBy  []valueFn
	aggs     []aggSpec
	having   condFn
	items    []valueFn
	plain    [][2]int // when every item is a plain column: its table slot and column
	keys     []orderKey
	distinct bool
	limit    limitSpec
	offset   limitSpec
	plan     []string
	lim      Limits
}

type paramSlot struct {
	name  string // "" for ?
	index int    // 1-based position of a ?
	typ   Type
	pos   Pos
	limit bool // used by LIMIT or OFFSET
}

func (p paramSlot) String() string {
	if p.name == "" {
		return "?" + itoa(p.index)
	}
	return ":" + p.name + ":"
}

type matcherSpec struct {
	param  int
	regexp bool
	pos    Pos
}

type orderKey struct {
	fn   valueFn
	desc bool
	text string
}

type limitSpec struct {
	set   bool
	n     int64
	param int // -1 when n is a constant
}

// compiler holds the state of compiling one statement.
type compiler struct {
	schema   *Schema
	stmt     *statement
	scope    []scopeTable
	nullable []bool
	params   []paramSlot
	paramIdx map[paramKey]int
	matchers []matcherSpec
	aggs     []aggSpec
	nilSafe  bool // column reads must tolerate a missing row (group output)
	inAgg    bool
	usesNow  bool // the statement calls now()
}

// compileStatement compiles a parsed statement against schema: it resolves
// tables and columns, checks types, infers the types of parameters and
// plans the joins.
func compileStatement(schema *Schema, st *statement, limits Limits) (*Compiled, error) {
	c := &compiler{schema: schema, stmt: st, paramIdx: map[paramKey]int{}}
	q := &Compiled{text: st.Text, explain: st.Explain, distinct: st.Distinct, lim: limits}
	for _, item := range st.From {
		if err := c.addTable(item); err != nil {
			return nil, err
		}
	}
	c.markNullable()
	if err := c.mergeUsing(); err != nil {
		return nil, err
	}
	outs, err := c.expandItems()
	if err != nil {
		return nil, err
	}
	q.grouped = len(st.GroupBy) > 0 || c.hasAggregate(outs)
	if q.steps, err = c.planJoins(); err != nil {
		return nil, err
	}
	mode := modeRow
	if q.grouped {
		mode = modeGroup
		for _, g := range st.GroupBy {
			ce, err := c.expr(c.resolveOutputRef(g, outs, true), modeRow)
			if err != nil {
				return nil, err
			}
			q.groupBy = append(q.groupBy, ce.value())
		}
		c.nilSafe = true
	}
	for _, o := range outs {
		ce, err := c.expr(o.expr, mode)
		if err != nil {
			return nil, err
		}
		q.columns = append(q.columns, o.name)
		q.items = append(q.items, ce.value())
		if ce.isColumn() && !q.grouped && !c.nullable[ce.slot] {
			q.plain = append(q.plain, [2]int{ce.slot, ce.col})
		}
	}
	if len(q.plain) != len(q.items) {
		q.plain = nil
	}
	if st.Having != nil {
		ce, err := c.expr(c.substituteAliases(st.Having, outs), mode)
		if err != nil {
			return nil, err
		}
		if err := c.want(ce, TypeBool, "HAVING"); err != nil {
			return nil, err
		}
		q.having = ce.condition()
	}
	for _, ob := range st.OrderBy {
		ce, err := c.expr(c.resolveOutputRef(ob.node, outs, false), mode)
		if err != nil {
			return nil, err
		}
		q.keys = append(q.keys, orderKey{fn: ce.value(), desc: ob.Desc, text: ob.node.String()})
	}
	if q.limit, err = c.limitSpec(st.Limit, "LIMIT"); err != nil {
		return nil, err
	}
	if q.offset, err = c.limitSpec(st.Offset, "OFFSET"); err != nil {
		return nil, err
	}
	q.params, q.matchers, q.aggs, q.scope, q.nullable = c.params, c.matchers, c.aggs, c.scope, c.nullable
	q.usesNow = c.usesNow
	q.plan = q.describe(st)
	return q, nil
}

// markNullable finds the table slots whose row may be missing: the right
// side of a LEFT join and every table before a RIGHT join.
func (c *compiler) markNullable() {
	c.nullable = make([]bool, len(c.scope))
	for k, st := range c.scope {
		switch st.item.Join {
		case joinLeft:
			c.nullable[k] = true
		case joinRight:
			for j := 0; j < k; j++ {
				c.nullable[j] = true
			}
		}
	}
}

// mergeUsing turns USING and NATURAL into equality conditions and marks
// the merged columns.
func (c *compiler) mergeUsing() error {
	for k := 1; k < len(c.scope); k++ {
		st := &c.scope[k]
		cols := st.item.Using
		if st.item.Natural {
			cols = nil
			for _, col := range st.table.Columns {
				for j := 0; j < k; j++ {
					if c.scope[j].table.columnIndex(col.Name) >= 0 && !c.scope[j].merged[col.Name] {
						cols = append(cols, col.Name)
						break
					}
				}
			}
		}
		var cond node
		for _, col := range cols {
			if st.table.columnIndex(col) < 0 {
				return errorf(ErrUnknownColumn, st.item.Pos, "unknown column %q in USING", st.name()+"."+col)
			}
			left := -1
			for j := 0; j < k; j++ {
				if c.scope[j].table.columnIndex(col) >= 0 && !c.scope[j].merged[col] {
					left = j
					break
				}
			}
			if left < 0 {
				return errorf(ErrUnknownColumn, st.item.Pos, "unknown column %q in USING: no table before %s has it", col, st.name())
			}
			eq := &binaryExpr{Op: "=", Pos: st.item.Pos,
				L: &columnRef{Table: c.scope[left].name(), Name: col, Pos: st.item.Pos},
				R: &columnRef{Table: st.name(), Name: col, Pos: st.item.Pos}}
			if cond == nil {
				cond = eq
			} else {
				cond = &binaryExpr{Op: "AND", L: cond, R: eq, Pos: st.item.Pos}
			}
			st.merged[col] = true
		}
		if cond != nil {
			st.item.On = cond
			if st.item.Natural && st.item.Join == joinCross {
				st.item.Join = joinInner
			}
		}
	}
	return nil
}

// outItem is one result column after `*` expansion.
type outItem struct {
	name string
	expr node
	item *selectItem
}

func (c *compiler) expandItems() ([]outItem, error) {
	var outs []outItem
	for i := range c.stmt.Items {
		it := &c.stmt.Items[i]
		if !it.Star {
			name := it.Text
			if it.Alias != "" {
				name = it.Alias
			}
			outs = append(outs, outItem{name: name, expr: it.node, item: it})
			continue
		}
		if len(c.scope) == 0 {
			return nil, errorf(ErrSyntax, it.Pos, "syntax error: * needs a FROM clause")
		}
		for s, st := range c.scope {
			if it.StarTable != "" && st.name() != it.StarTable {
				continue
			}
			for _, col := range st.table.Columns {
				if it.StarTable == "" && st.merged[col.Name] {
					continue
				}
				outs = append(outs, outItem{name: col.Name, expr: &columnRef{Table: c.scope[s].name(), Name: col.Name, Pos: it.Pos}})
			}
		}
		if it.StarTable != "" && c.tableSlot(it.StarTable) < 0 {
			return nil, c.unknownTable(&columnRef{Table: it.StarTable, Pos: it.Pos})
		}
	}
	return outs, nil
}

func isAggregate(e node) bool {
	found := false
	walk(e, func(x node) bool {
		if call, ok := x.(*callExpr); ok && aggregateFuncs[call.Name] {
			found = true
		}
		return !found
	})
	return found
}

func (c *compiler) hasAggregate(outs []outItem) bool {
	for _, o := range outs {
		if isAggregate(o.expr) {
			return true
		}
	}
	if c.stmt.Having != nil && isAggregate(c.stmt.Having) {
		return true
	}
	for _, ob := range c.stmt.OrderBy {
		if isAggregate(ob.node) {
			return true
		}
	}
	return false
}

// resolveOutputRef lets ORDER BY and GROUP BY name a result column by its
// alias or by its 1-based position.
func (c *compiler) resolveOutputRef(e node, outs []outItem, group bool) node {
	switch x := e.(type) {
	case *columnRef:
		if x.Table == "" {
			for _, o := range outs {
				if o.item != nil && o.item.Alias == x.Name {
					if group && isAggregate(o.expr) {
						return e
					}
					return o.expr
				}
			}
		}
	case *literal:
		if x.Value.kind == KindNumber && x.Value.n == math.Trunc(x.Value.n) && x.Value.n >= 1 && x.Value.n <= float64(len(outs)) {
			return outs[int(x.Value.n)-1].expr
		}
	}
	return c.substituteAliases(e, outs)
}

// substituteAliases replaces bare names that are select-list aliases (and
// not columns of the tables in scope) with the aliased expressions.
func (c *compiler) substituteAliases(e node, outs []outItem) node {
	return rewrite(e, func(x node) node {
		ref, ok := x.(*columnRef)
		if !ok || ref.Table != "" {
			return x
		}
		for _, st := range c.scope {
			if st.table.columnIndex(ref.Name) >= 0 {
				return x
			}
		}
		for _, o := range outs {
			if o.item != nil && o.item.Alias == ref.Name {
				return o.expr
			}
		}
		return x
	})
}

// rewrite returns e with every node replaced by f(node), bottom-up.
func rewrite(e node, f func(node) node) node {
	switch x := e.(type) {
	case *unaryExpr:
		return f(&unaryExpr{Op: x.Op, X: rewrite(x.X, f), Pos: x.Pos})
	case *binaryExpr:
		return f(&binaryExpr{Op: x.Op, L: rewrite(x.L, f), R: rewrite(x.R, f), Pos: x.Pos})
	case *matchExpr:
		return f(&matchExpr{Regexp: x.Regexp, Not: x.Not, X: rewrite(x.X, f), Pattern: rewrite(x.Pattern, f), Pos: x.Pos})
	case *inExpr:
		list := make([]node, len(x.List))
		for i, y := range x.List {
			list[i] = rewrite(y, f)
		}
		return f(&inExpr{Not: x.Not, X: rewrite(x.X, f), List: list, Pos: x.Pos})
	case *betweenExpr:
		return f(&betweenExpr{Not: x.Not, X: rewrite(x.X, f), Lo: rewrite(x.Lo, f), Hi: rewrite(x.Hi, f), Pos: x.Pos})
	case *isNullExpr:
		return f(&isNullExpr{Not: x.Not, X: rewrite(x.X, f), Pos: x.Pos})
	case *callExpr:
		args := make([]node, len(x.Args))
		for i, y := range x.Args {
			args[i] = rewrite(y, f)
		}
		return f(&callExpr{Name: x.Name, Args: args, Star: x.Star, Distinct: x.Distinct, Pos: x.Pos})
	}
	return f(e)
}

// paramKey identifies a parameter: by name, or for ?, by position.
type paramKey struct {
	name  string
	index int
}

func (c *compiler) paramSlot(x *paramRef) int {
	k := paramKey{name: x.Name}
	if x.Name == "" {
		k.index = x.Index
	}
	if i, ok := c.paramIdx[k]; ok {
		return i
	}
	c.params = append(c.params, paramSlot{name: x.Name, index: x.Index, pos: x.Pos})
	c.paramIdx[k] = len(c.params) - 1
	return len(c.params) - 1
}

func (c *compiler) limitSpec(e node, what string) (limitSpec, error) {
	switch x := e.(type) {
	case nil:
		return limitSpec{param: -1}, nil
	case *literal:
		n := x.Value.n
		if x.Value.kind != KindNumber || n < 0 || n != math.Trunc(n) || n > math.MaxInt32 {
			return limitSpec{}, errorf(ErrSyntax, x.Pos, "syntax error: %s needs a non-negative integer, got %s", what, x.Value.sqlLiteral())
		}
		return limitSpec{set: true, n: int64(n), param: -1}, nil
	case *paramRef:
		slot := c.paramSlot(x)
		c.params[slot].typ = TypeNumber
		c.params[slot].limit = true
		return limitSpec{set: true, param: slot}, nil
	}
	return limitSpec{}, errorf(ErrSyntax, e.Position(), "syntax error: %s needs a number or a parameter", what)
}

// Columns returns the names of the result columns.
func (q *Compiled) Columns() []string {
	if q.explain {
		return []string{"plan"}
	}
	return append([]string(nil), q.columns...)
}

// Explain returns the plan: what will be scanned, joined (and how),
// filtered, grouped, sorted and returned, one step a line.
func (q *Compiled) Explain() string { return strings.Join(q.plan, "\n") }

// String returns the statement's text.
func (q *Compiled) String() string { return q.text }
