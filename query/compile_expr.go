package query

import (
	"errors"
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
)

// tri is a three-valued truth: SQL conditions are true, false or unknown.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triNull
)

// env is the state one evaluation reads: the current row of every table
// slot (nil for a null-extended row of an outer join), the bound
// parameters, the aggregates of the current group and the per-run matchers
// of LIKE/REGEXP patterns given as parameters. A compiled query keeps no
// per-run state itself, so it can run concurrently.
type env struct {
	row     [][]Value
	params  []Value
	aggs    []Value
	matches []matcher
	start   time.Time // when the run started: now() says it
	now     Value     // start as now() gives it, once asked (null before)
}

// nowValue is now(): the run's start in UTC, to the second (RFC 3339),
// formatted at the first call of a run, not for every run.
func (e *env) nowValue() Value {
	if e.now.kind == KindNull {
		e.now = String(e.start.UTC().Format(time.RFC3339))
	}
	return e.now
}

type matcher struct {
	like *likeMatcher
	re   *regexp.Regexp
}

type valueFn func(*env) Value
type condFn func(*env) tri

// cexpr is a compiled, type-checked expression.
type cexpr struct {
	typ   Type
	val   valueFn // set for value expressions
	cond  condFn  // set for conditions
	konst bool    // a constant (literal), value in kv
	kv    Value
	slot  int    // table slot of a plain column, else -1
	col   int    // column index of a plain column
	param int    // parameter slot of a plain parameter, else -1
	slots uint64 // table slots referenced
	agg   bool   // contains an aggregate
	src   node
	// batch, when set, is the filter kernel of a condition on one column
	// of one table: it keeps the rows for which cond is true.
	batch batchFn
}

func (c *cexpr) isColumn() bool { return c.slot >= 0 }
func (c *cexpr) isParam() bool  { return c.param >= 0 }

func (c *cexpr) value() valueFn {
	if c.val != nil {
		return c.val
	}
	cond := c.cond
	return func(e *env) Value {
		switch cond(e) {
		case triTrue:
			return Bool(true)
		case triFalse:
			return Bool(false)
		}
		return Null()
	}
}

func (c *cexpr) condition() condFn {
	if c.cond != nil {
		return c.cond
	}
	val := c.val
	return func(e *env) tri { return truth(val(e)) }
}

func truth(v Value) tri {
	switch v.kind {
	case KindBool:
		if v.n != 0 {
			return triTrue
		}
		return triFalse
	case KindNull:
		return triNull
	}
	return triFalse
}

func newExpr(src node, t Type) *cexpr { return &cexpr{typ: t, slot: -1, param: -1, src: src} }

// exprMode says where an expression appears: it decides whether aggregates
// are allowed and whether names may refer to select-list aliases.
type exprMode uint8

const (
	modeRow   exprMode = iota // WHERE, ON, aggregate arguments
	modeGroup                 // select list, HAVING, ORDER BY of a grouped query
)

func (c *compiler) expr(e node, mode exprMode) (*cexpr, error) {
	switch x := e.(type) {
	case *literal:
		r := newExpr(e, typeOfKind(x.Value.kind))
		r.konst, r.kv = true, x.Value
		v := x.Value
		r.val = func(*env) Value { return v }
		return r, nil
	case *columnRef:
		return c.column(x)
	case *paramRef:
		slot := c.paramSlot(x)
		r := newExpr(e, c.params[slot].typ)
		r.param = slot
		r.val = func(e *env) Value { return e.params[slot] }
		return r, nil
	case *unaryExpr:
		return c.unary(x, mode)
	case *binaryExpr:
		return c.binary(x, mode)
	case *matchExpr:
		return c.match(x, mode)
	case *inExpr:
		return c.in(x, mode)
	case *betweenExpr:
		lo := &binaryExpr{Op: ">=", L: x.X, R: x.Lo, Pos: x.Pos}
		hi := &binaryExpr{Op: "<=", L: x.X, R: x.Hi, Pos: x.Pos}
		var both node = &binaryExpr{Op: "AND", L: lo, R: hi, Pos: x.Pos}
		if x.Not {
			both = &unaryExpr{Op: "NOT", X: both, Pos: x.Pos}
		}
		r, err := c.expr(both, mode)
		if err != nil {
			return nil, err
		}
		r.src = e
		return r, nil
	case *isNullExpr:
		inner, err := c.expr(x.X, mode)
		if err != nil {
			return nil, err
		}
		r := newExpr(e, TypeBool)
		r.slots, r.agg = inner.slots, inner.agg
		v, not := inner.value(), x.Not
		r.cond = func(e *env) tri {
			if (v(e).kind == KindNull) != not {
				return triTrue
			}
			return triFalse
		}
		if inner.isColumn() {
			r.batch = kernelIsNull(inner.col, not)
		}
		return r, nil
	case *callExpr:
		return c.call(x, mode)
	}
	return nil, errorf(ErrSyntax, e.Position(), "syntax error: unsupported expression %s", e)
}

func typeOfKind(k Kind) Type {
	switch k {
	case KindString:
		return TypeString
	case KindNumber:
		return TypeNumber
	case KindBool:
		return TypeBool
	}
	return TypeAny
}

// want checks that x has type t (or is untyped, in which case a parameter
// gets t as its type).
func (c *compiler) want(x *cexpr, t Type, what string) error {
	if x.typ == t {
		return nil
	}
	if x.typ == TypeAny {
		if x.isParam() {
			c.params[x.param].typ = t
			x.typ = t
		}
		return nil
	}
	return errorf(ErrTypeMismatch, x.src.Position(), "type mismatch: %s needs a %s, got %s (%s)", what, t, x.src, x.typ)
}

func (c *compiler) unary(x *unaryExpr, mode exprMode) (*cexpr, error) {
	inner, err := c.expr(x.X, mode)
	if err != nil {
		return nil, err
	}
	if x.Op == "NOT" {
		if err := c.want(inner, TypeBool, "NOT"); err != nil {
			return nil, err
		}
		r := newExpr(x, TypeBool)
		r.slots, r.agg = inner.slots, inner.agg
		cond := inner.condition()
		r.cond = func(e *env) tri {
			switch cond(e) {
			case triTrue:
				return triFalse
			case triFalse:
				return triTrue
			}
			return triNull
		}
		return r, nil
	}
	if err := c.want(inner, TypeNumber, "unary -"); err != nil {
		return nil, err
	}
	r := newExpr(x, TypeNumber)
	r.slots, r.agg = inner.slots, inner.agg
	v := inner.value()
	r.val = func(e *env) Value {
		a := v(e)
		if a.kind != KindNumber {
			return Null()
		}
		return Number(-a.n)
	}
	return r, nil
}

func (c *compiler) binary(x *binaryExpr, mode exprMode) (*cexpr, error) {
	if x.Op == "AND" || x.Op == "OR" {
		return c.logical(x, mode)
	}
	l, err := c.expr(x.L, mode)
	if err != nil {
		return nil, err
	}
	r, err := c.expr(x.R, mode)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case "XOR":
		if err := c.want(l, TypeBool, "XOR"); err != nil {
			return nil, err
		}
		if err := c.want(r, TypeBool, "XOR"); err != nil {
			return nil, err
		}
		out := newExpr(x, TypeBool)
		out.slots, out.agg = l.slots|r.slots, l.agg || r.agg
		lc, rc := l.condition(), r.condition()
		out.cond = func(e *env) tri {
			a, b := lc(e), rc(e)
			if a == triNull || b == triNull {
				return triNull
			}
			if a != b {
				return triTrue
			}
			return triFalse
		}
		return out, nil
	case "+", "-", "*", "/", "%":
		return c.arith(x, l, r)
	}
	return c.compare(x, l, r)
}

// logical compiles a chain of AND (or of OR) into one flat loop.
func (c *compiler) logical(x *binaryExpr, mode exprMode) (*cexpr, error) {
	var terms []node
	var flatten func(e node)
	flatten = func(e node) {
		if b, ok := e.(*binaryExpr); ok && b.Op == x.Op {
			flatten(b.L)
			flatten(b.R)
			return
		}
		terms = append(terms, e)
	}
	flatten(x)
	out := newExpr(x, TypeBool)
	conds := make([]condFn, len(terms))
	var kernels []batchFn
	for i, t := range terms {
		ct, err := c.expr(t, mode)
		if err != nil {
			return nil, err
		}
		if err := c.want(ct, TypeBool, x.Op); err != nil {
			return nil, err
		}
		out.slots |= ct.slots
		out.agg = out.agg || ct.agg
		conds[i] = ct.condition()
		if ct.batch != nil {
			kernels = append(kernels, ct.batch)
		}
	}
	out.cond = logicalCond(x.Op == "AND", conds)
	// An AND of kernels on one table (a BETWEEN, say) is their chain.
	if x.Op == "AND" && len(kernels) == len(terms) && out.slots&(out.slots-1) == 0 && out.slots != 0 {
		out.batch = chainKernels(kernels)
	}
	return out, nil
}

func logicalCond(and bool, conds []condFn) condFn {
	stop, other := triFalse, triTrue // AND stops at false
	if !and {
		stop, other = triTrue, triFalse
	}
	if len(conds) == 2 {
		a, b := conds[0], conds[1]
		return func(e *env) tri {
			x := a(e)
			if x == stop {
				return stop
			}
			y := b(e)
			if y == stop {
				return stop
			}
			if x == triNull || y == triNull {
				return triNull
			}
			return other
		}
	}
	return func(e *env) tri {
		res := other
		for _, f := range conds {
			switch f(e) {
			case stop:
				return stop
			case triNull:
				res = triNull
			}
		}
		return res
	}
}

func (c *compiler) arith(x *binaryExpr, l, r *cexpr) (*cexpr, error) {
	if err := c.want(l, TypeNumber, "operator "+x.Op); err != nil {
		return nil, err
	}
	if err := c.want(r, TypeNumber, "operator "+x.Op); err != nil {
		return nil, err
	}
	out := newExpr(x, TypeNumber)
	out.slots, out.agg = l.slots|r.slots, l.agg || r.agg
	lv, rv, op := l.value(), r.value(), x.Op
	out.val = func(e *env) Value {
		a, b := lv(e), rv(e)
		if a.kind != KindNumber || b.kind != KindNumber {
			return Null()
		}
		switch op {
		case "+":
			return Number(a.n + b.n)
		case "-":
			return Number(a.n - b.n)
		case "*":
			return finite(a.n * b.n)
		case "/":
			if b.n == 0 {
				return Null()
			}
			return finite(a.n / b.n)
		default:
			if b.n == 0 {
				return Null()
			}
			return finite(math.Mod(a.n, b.n))
		}
	}
	return out, nil
}

func finite(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Null()
	}
	return Number(f)
}

// unify makes the types of two compared expressions agree: an untyped
// parameter takes the other side's type, and a string literal that spells a
// number is read as that number when compared with a number.
func (c *compiler) unify(x node, l, r *cexpr) error {
	for _, pair := range [][2]*cexpr{{l, r}, {r, l}} {
		a, b := pair[0], pair[1]
		if a.typ == TypeAny && b.typ != TypeAny && a.isParam() {
			c.params[a.param].typ = b.typ
			a.typ = b.typ
		}
		if a.konst && a.typ == TypeString && b.typ == TypeNumber {
			if f, err := strconv.ParseFloat(strings.TrimSpace(a.kv.s), 64); err == nil {
				v := Number(f)
				a.kv, a.typ = v, TypeNumber
				a.val = func(*env) Value { return v }
			}
		}
	}
	if l.typ != TypeAny && r.typ != TypeAny && l.typ != r.typ {
		e := errorf(ErrTypeMismatch, x.Position(), "type mismatch: cannot compare %s (%s) with %s (%s)",
			l.src, l.typ, r.src, r.typ)
		if r.konst && l.typ == TypeString {
			e.withHint("quote the value: '%s'", r.kv)
		}
		return e
	}
	return nil
}

func (c *compiler) compare(x *binaryExpr, l, r *cexpr) (*cexpr, error) {
	if err := c.unify(x, l, r); err != nil {
		return nil, err
	}
	out := newExpr(x, TypeBool)
	out.slots, out.agg = l.slots|r.slots, l.agg || r.agg
	op := x.Op
	if op == "<=>" {
		lv, rv := l.value(), r.value()
		out.cond = func(e *env) tri {
			a, b := lv(e), rv(e)
			if a.kind == KindNull || b.kind == KindNull {
				if a.kind == b.kind {
					return triTrue
				}
				return triFalse
			}
			if compareValues(a, b) == 0 {
				return triTrue
			}
			return triFalse
		}
		return out, nil
	}
	// Fast paths: a column compared with a constant or a parameter is the
	// common shape of a WHERE clause, and reads the row directly.
	if r.isColumn() && !l.isColumn() && (l.konst || l.isParam()) {
		l, r = r, l
		op = flipOp(op)
	}
	if l.isColumn() && r.konst && r.typ == TypeString && (op == "=" || op == "!=") {
		out.cond = c.colEqString(l, r.kv.s, op == "!=")
		out.batch = kernelEqString(l.col, r.kv.s, op == "!=")
		return out, nil
	}
	if l.isColumn() && r.isParam() && (op == "=" || op == "!=") {
		out.cond = c.colEqParam(l, r.param, op == "!=")
		out.batch = kernelEqParam(l.col, r.param, op == "!=")
		return out, nil
	}
	if l.isColumn() && (r.konst || r.isParam()) {
		out.batch = kernelCompare(l.col, op, r.kv, r.param)
	}
	lv, rv := l.value(), r.value()
	test := cmpTest(op)
	out.cond = func(e *env) tri {
		a, b := lv(e), rv(e)
		if a.kind == KindNull || b.kind == KindNull {
			return triNull
		}
		if test(compareValues(a, b)) {
			return triTrue
		}
		return triFalse
	}
	return out, nil
}

func flipOp(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

func cmpTest(op string) func(int) bool {
	switch op {
	case "=":
		return func(c int) bool { return c == 0 }
	case "!=":
		return func(c int) bool { return c != 0 }
	case "<":
		return func(c int) bool { return c < 0 }
	case "<=":
		return func(c int) bool { return c <= 0 }
	case ">":
		return func(c int) bool { return c > 0 }
	default:
		return func(c int) bool { return c >= 0 }
	}
}

func boolTri(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

func (c *compiler) colEqString(col *cexpr, s string, negate bool) condFn {
	slot, ci := col.slot, col.col
	if !c.nullable[slot] {
		return func(e *env) tri {
			v := e.row[slot][ci]
			if v.kind == KindNull {
				return triNull
			}
			return boolTri((v.kind == KindString && v.s == s) != negate)
		}
	}
	return func(e *env) tri {
		row := e.row[slot]
		if row == nil || row[ci].kind == KindNull {
			return triNull
		}
		v := row[ci]
		return boolTri((v.kind == KindString && v.s == s) != negate)
	}
}

func (c *compiler) colEqParam(col *cexpr, p int, negate bool) condFn {
	read := c.reader(col.slot, col.col)
	return func(e *env) tri {
		v, w := read(e), e.params[p]
		if v.kind == KindNull || w.kind == KindNull {
			return triNull
		}
		return boolTri((v.kind == w.kind && v.s == w.s && v.n == w.n) != negate)
	}
}

// reader returns a function reading one column of one table slot; slots
// that an outer join may null-extend are checked for a missing row.
func (c *compiler) reader(slot, col int) valueFn {
	if !c.nullable[slot] {
		return func(e *env) Value { return e.row[slot][col] }
	}
	return func(e *env) Value {
		if row := e.row[slot]; row != nil {
			return row[col]
		}
		return Value{}
	}
}

func (c *compiler) match(x *matchExpr, mode exprMode) (*cexpr, error) {
	what := "LIKE"
	if x.Regexp {
		what = "REGEXP"
	}
	subj, err := c.expr(x.X, mode)
	if err != nil {
		return nil, err
	}
	pat, err := c.expr(x.Pattern, mode)
	if err != nil {
		return nil, err
	}
	if err := c.want(subj, TypeString, what); err != nil {
		return nil, err
	}
	if err := c.want(pat, TypeString, what+" pattern"); err != nil {
		return nil, err
	}
	out := newExpr(x, TypeBool)
	out.slots, out.agg = subj.slots|pat.slots, subj.agg || pat.agg
	sv, not := subj.value(), x.Not
	var test func(e *env, s string) (bool, bool) // (matched, known)
	var kernel batchFn
	switch {
	case pat.konst && pat.kv.kind == KindNull:
		test = func(*env, string) (bool, bool) { return false, false }
		kernel = func(_ *env, rows [][]Value, sel []int32, width int) ([]int32, bool) { return none(rows, sel, width) }
	case pat.konst && x.Regexp:
		re, err := regexp.Compile(pat.kv.s)
		if err != nil {
			return nil, &Error{Kind: ErrInvalidRegexp, Pos: x.Pattern.Position(),
				Msg: "invalid regexp " + strconv.Quote(pat.kv.s), Hint: regexpHint(err), Err: err}
		}
		test = func(_ *env, s string) (bool, bool) { return re.MatchString(s), true }
		kernel = kernelRegexp(subj.col, not, re)
	case pat.konst:
		m := newLikeMatcher(pat.kv.s)
		test = func(_ *env, s string) (bool, bool) { return m.match(s), true }
		kernel = kernelLike(subj.col, not, m)
	case pat.isParam():
		slot := len(c.matchers)
		c.matchers = append(c.matchers, matcherSpec{param: pat.param, regexp: x.Regexp, pos: x.Pattern.Position()})
		kernel = kernelMatchParam(subj.col, not, slot)
		test = func(e *env, s string) (bool, bool) {
			m := e.matches[slot]
			switch {
			case m.re != nil:
				return m.re.MatchString(s), true
			case m.like != nil:
				return m.like.match(s), true
			}
			return false, false // a NULL pattern
		}
	default:
		pv, isRe := pat.value(), x.Regexp
		test = func(e *env, s string) (bool, bool) {
			p := pv(e)
			if p.kind != KindString {
				return false, false
			}
			if isRe {
				re, err := regexp.Compile(p.s)
				if err != nil {
					return false, false
				}
				return re.MatchString(s), true
			}
			return newLikeMatcher(p.s).match(s), true
		}
	}
	if subj.isColumn() {
		read := c.reader(subj.slot, subj.col)
		sv = read
		out.batch = kernel
	}
	out.cond = func(e *env) tri {
		v := sv(e)
		if v.kind != KindString {
			return triNull
		}
		ok, known := test(e, v.s)
		if !known {
			return triNull
		}
		return boolTri(ok != not)
	}
	return out, nil
}

func regexpHint(err error) string {
	var re *syntax.Error
	if errors.As(err, &re) {
		return "Go RE2 syntax: " + string(re.Code)
	}
	return "Go RE2 syntax"
}

func (c *compiler) in(x *inExpr, mode exprMode) (*cexpr, error) {
	subj, err := c.expr(x.X, mode)
	if err != nil {
		return nil, err
	}
	out := newExpr(x, TypeBool)
	out.slots, out.agg = subj.slots, subj.agg
	items := make([]valueFn, len(x.List))
	allConst := true
	set := make(map[Value]bool)
	hasNull := false
	for i, it := range x.List {
		ci, err := c.expr(it, mode)
		if err != nil {
			return nil, err
		}
		if err := c.unify(it, subj, ci); err != nil {
			return nil, err
		}
		out.slots |= ci.slots
		out.agg = out.agg || ci.agg
		items[i] = ci.value()
		if ci.konst {
			if ci.kv.kind == KindNull {
				hasNull = true
			} else {
				set[ci.kv] = true
			}
		} else {
			allConst = false
		}
	}
	sv, not := subj.value(), x.Not
	if allConst {
		if subj.isColumn() {
			out.batch = kernelIn(subj.col, not, set, hasNull)
		}
		out.cond = func(e *env) tri {
			v := sv(e)
			if v.kind == KindNull {
				return triNull
			}
			if set[v] {
				return boolTri(!not)
			}
			if hasNull {
				return triNull
			}
			return boolTri(not)
		}
		return out, nil
	}
	out.cond = func(e *env) tri {
		v := sv(e)
		if v.kind == KindNull {
			return triNull
		}
		sawNull := false
		for _, f := range items {
			w := f(e)
			if w.kind == KindNull {
				sawNull = true
				continue
			}
			if compareValues(v, w) == 0 {
				return boolTri(!not)
			}
		}
		if sawNull {
			return triNull
		}
		return boolTri(not)
	}
	return out, nil
}
