package query

import (
	"math/bits"
	"strings"
)

// joinStep is one step of the left-deep join pipeline. Step 0 scans the
// first table; step k joins table slot k to the rows built so far, by a
// hash lookup when the join has equality conditions between the new table
// and the earlier ones (never a nested loop over two large tables), or by a
// nested loop over the new table's (pre-filtered) rows otherwise.
type joinStep struct {
	slot      int
	kind      joinKind
	probe     []valueFn // key expressions over earlier tables
	build     []valueFn // key expressions over this table
	key       keyKind
	prefilter condFn       // conditions on this table alone, applied before joining
	kernels   kernelFilter // the same conditions, as kernels and the rest
	on        condFn       // remaining join conditions, per candidate pair
	filter    condFn       // WHERE conditions complete once this table is joined
	push      []pushSpec
	desc      []string // for EXPLAIN
}

type keyKind uint8

const (
	keyNone keyKind = iota
	keyString1
	keyString2
	keyGeneric
)

// maxHashKeys is how many equalities one hash key holds; further ones are
// checked as residual conditions.
const maxHashKeys = 4

// pushSpec is a predicate that may be pushed to a FilteringDatabase.
type pushSpec struct {
	column string
	op     string
	konst  Value
	param  int // -1 when konst holds the value
}

type conjunct struct {
	src  node
	ce   *cexpr
	step int
	onK  int // the step whose ON clause it came from, -1 for WHERE
}

func splitAnd(e node, out []node) []node {
	if b, ok := e.(*binaryExpr); ok && b.Op == "AND" {
		return splitAnd(b.R, splitAnd(b.L, out))
	}
	if e != nil {
		out = append(out, e)
	}
	return out
}

func highestSlot(slots uint64) int {
	if slots == 0 {
		return 0
	}
	return 63 - bits.LeadingZeros64(slots)
}

func (c *compiler) planJoins() ([]joinStep, error) {
	n := len(c.scope)
	if n == 0 {
		if c.stmt.Where == nil {
			return nil, nil
		}
		ce, err := c.expr(c.stmt.Where, modeRow)
		if err != nil {
			return nil, err
		}
		if err := c.want(ce, TypeBool, "WHERE"); err != nil {
			return nil, err
		}
		return []joinStep{{slot: -1, filter: ce.condition(), desc: []string{"filter: " + c.stmt.Where.String()}}}, nil
	}
	lastRight := 0
	for k, st := range c.scope {
		if st.item.Join == joinRight {
			lastRight = k
		}
	}
	var conjs []*conjunct
	for _, w := range splitAnd(c.stmt.Where, nil) {
		ce, err := c.expr(w, modeRow)
		if err != nil {
			return nil, err
		}
		if err := c.want(ce, TypeBool, "WHERE"); err != nil {
			return nil, err
		}
		step := max(highestSlot(ce.slots), lastRight)
		conjs = append(conjs, &conjunct{src: w, ce: ce, step: step, onK: -1})
	}
	for k := 1; k < n; k++ {
		for _, o := range splitAnd(c.scope[k].item.On, nil) {
			ce, err := c.expr(o, modeRow)
			if err != nil {
				return nil, err
			}
			if err := c.want(ce, TypeBool, "ON"); err != nil {
				return nil, err
			}
			if hs := highestSlot(ce.slots); hs > k {
				return nil, errorf(ErrUnknownTable, o.Position(), "ON clause of %s refers to %s, which is joined later",
					c.scope[k].name(), c.scope[hs].name())
			}
			conjs = append(conjs, &conjunct{src: o, ce: ce, step: k, onK: k})
		}
	}
	steps := make([]joinStep, n)
	for k := range steps {
		if err := c.planStep(&steps[k], k, conjs); err != nil {
			return nil, err
		}
	}
	return steps, nil
}

func (c *compiler) planStep(s *joinStep, k int, conjs []*conjunct) error {
	s.slot, s.kind = k, c.scope[k].item.Join
	inner := s.kind == joinNone || s.kind == joinInner || s.kind == joinCross
	var pre, on, post []*conjunct
	var probes, builds []*cexpr
	var keyTexts [2][]string
	for _, cj := range conjs {
		if cj.step != k {
			continue
		}
		fromWhere := cj.onK < 0
		only := cj.ce.slots == 1<<uint(k) || cj.ce.slots == 0
		switch {
		case only && (inner || (s.kind == joinLeft && !fromWhere)):
			pre = append(pre, cj)
			continue
		case !inner && fromWhere:
			post = append(post, cj)
			continue
		}
		if k > 0 && len(probes) < maxHashKeys {
			if l, r, ok := c.equiSides(cj, k); ok {
				probes, builds = append(probes, l), append(builds, r)
				keyTexts[0] = append(keyTexts[0], l.src.String())
				keyTexts[1] = append(keyTexts[1], r.src.String())
				continue
			}
		}
		on = append(on, cj)
	}
	name := c.scope[k].item.Table
	if c.scope[k].item.Alias != "" {
		name += " AS " + c.scope[k].item.Alias
	}
	s.prefilter = andOf(pre)
	s.kernels = kernelsOf(pre, k)
	s.on = andOf(on)
	s.filter = andOf(post)
	for _, cj := range pre {
		if p, ok := c.pushable(cj, k); ok {
			s.push = append(s.push, p)
		}
	}
	switch {
	case k == 0:
		s.desc = append(s.desc, "scan "+name)
	case len(probes) > 0:
		for i := range probes {
			s.probe = append(s.probe, probes[i].value())
			s.build = append(s.build, builds[i].value())
		}
		s.key = keyGeneric
		if allStrings(probes) && allStrings(builds) && len(probes) <= 2 {
			s.key = keyString1 + keyKind(len(probes)-1)
		}
		s.desc = append(s.desc, "hash join "+name+" ("+joinKindName(s.kind, true)+") on "+tupleText(keyTexts[0])+" = "+tupleText(keyTexts[1]))
	default:
		s.desc = append(s.desc, "nested loop join "+name+" ("+joinKindName(s.kind, len(on) > 0)+")")
	}
	if len(s.push) > 0 {
		texts := make([]string, len(s.push))
		for i, p := range s.push {
			texts[i] = p.String()
		}
		s.desc = append(s.desc, "  pushdown to source: "+strings.Join(texts, " AND "))
	}
	if len(pre) > 0 {
		s.desc = append(s.desc, "  filter "+c.scope[k].name()+" rows: "+conjText(pre))
	}
	if len(on) > 0 {
		s.desc = append(s.desc, "  join condition: "+conjText(on))
	}
	if len(post) > 0 {
		s.desc = append(s.desc, "  then filter: "+conjText(post))
	}
	return nil
}

func (p pushSpec) String() string {
	if p.param >= 0 {
		return p.column + " " + p.op + " (parameter)"
	}
	return p.column + " " + p.op + " " + p.konst.sqlLiteral()
}

func joinKindName(k joinKind, conditional bool) string {
	if k == joinNone || (k == joinCross && conditional) {
		return "inner"
	}
	return k.String()
}

func tupleText(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return "(" + strings.Join(s, ", ") + ")"
}

func conjText(cs []*conjunct) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.src.String()
	}
	return strings.Join(parts, " AND ")
}

func allStrings(cs []*cexpr) bool {
	for _, c := range cs {
		if c.typ != TypeString {
			return false
		}
	}
	return true
}

func andOf(cs []*conjunct) condFn {
	switch len(cs) {
	case 0:
		return nil
	case 1:
		return cs[0].ce.condition()
	}
	conds := make([]condFn, len(cs))
	for i, c := range cs {
		conds[i] = c.ce.condition()
	}
	return logicalCond(true, conds)
}

// equiSides recognises `a = b` where one side reads only table slot k and
// the other only earlier tables: a hash-join key. It returns the earlier
// side first.
func (c *compiler) equiSides(cj *conjunct, k int) (*cexpr, *cexpr, bool) {
	b, ok := cj.src.(*binaryExpr)
	if !ok || b.Op != "=" || cj.ce.agg {
		return nil, nil, false
	}
	l, err := c.expr(b.L, modeRow)
	if err != nil {
		return nil, nil, false
	}
	r, err := c.expr(b.R, modeRow)
	if err != nil {
		return nil, nil, false
	}
	if err := c.unify(b, l, r); err != nil {
		return nil, nil, false
	}
	mine := uint64(1) << uint(k)
	earlier := mine - 1
	switch {
	case l.slots == mine && r.slots != 0 && r.slots&^earlier == 0:
		return r, l, true
	case r.slots == mine && l.slots != 0 && l.slots&^earlier == 0:
		return l, r, true
	}
	return nil, nil, false
}

// pushable recognises `column op constant-or-parameter` on table slot k.
func (c *compiler) pushable(cj *conjunct, k int) (pushSpec, bool) {
	var col, val node
	op := ""
	switch x := cj.src.(type) {
	case *binaryExpr:
		switch x.Op {
		case "=", "!=", "<", "<=", ">", ">=":
			col, val, op = x.L, x.R, x.Op
			if _, isCol := col.(*columnRef); !isCol {
				col, val, op = x.R, x.L, flipOp(x.Op)
			}
		}
	case *matchExpr:
		if !x.Not {
			col, val, op = x.X, x.Pattern, "LIKE"
			if x.Regexp {
				op = "REGEXP"
			}
		}
	}
	ref, ok := col.(*columnRef)
	if !ok {
		return pushSpec{}, false
	}
	slot, idx, err := c.resolve(ref)
	if err != nil || slot != k {
		return pushSpec{}, false
	}
	name := c.scope[k].table.Columns[idx].Name
	switch v := val.(type) {
	case *literal:
		if v.Value.kind != c.scope[k].table.Columns[idx].Type.kind() {
			return pushSpec{}, false
		}
		return pushSpec{column: name, op: op, konst: v.Value, param: -1}, true
	case *paramRef:
		return pushSpec{column: name, op: op, param: c.paramSlot(v)}, true
	}
	return pushSpec{}, false
}
