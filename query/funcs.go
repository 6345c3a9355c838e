package query

import (
	"math"
	"strings"
	"unicode/utf8"
)

// scalarFunc describes a scalar function: its arity and how its result type
// follows from its argument types.
type scalarFunc struct {
	min, max int // max < 0: variadic
	args     Type
	result   func(args []*cexpr) Type
	eval     func(args []Value) Value
}

func fixed(t Type) func([]*cexpr) Type { return func([]*cexpr) Type { return t } }

// scalarFuncs lists the scalar functions; names are matched
// case-insensitively.
var scalarFuncs = map[string]scalarFunc{
	"lower": {1, 1, TypeString, fixed(TypeString), func(a []Value) Value {
		return strFunc(a[0], strings.ToLower)
	}},
	"upper": {1, 1, TypeString, fixed(TypeString), func(a []Value) Value {
		return strFunc(a[0], strings.ToUpper)
	}},
	"trim": {1, 1, TypeString, fixed(TypeString), func(a []Value) Value {
		return strFunc(a[0], strings.TrimSpace)
	}},
	"length": {1, 1, TypeString, fixed(TypeNumber), func(a []Value) Value {
		if a[0].kind != KindString {
			return Null()
		}
		return Int(int64(len(a[0].s)))
	}},
	"char_length": {1, 1, TypeString, fixed(TypeNumber), func(a []Value) Value {
		if a[0].kind != KindString {
			return Null()
		}
		return Int(int64(utf8.RuneCountInString(a[0].s)))
	}},
	"concat": {1, -1, TypeAny, fixed(TypeString), func(a []Value) Value {
		var b strings.Builder
		for _, v := range a {
			if v.kind == KindNull {
				return Null()
			}
			b.WriteString(v.String())
		}
		return String(b.String())
	}},
	"substring": {2, 3, TypeAny, fixed(TypeString), substring},
	"substr":    {2, 3, TypeAny, fixed(TypeString), substring},
	"abs": {1, 1, TypeNumber, fixed(TypeNumber), func(a []Value) Value {
		if a[0].kind != KindNumber {
			return Null()
		}
		return Number(math.Abs(a[0].n))
	}},
	"round": {1, 2, TypeNumber, fixed(TypeNumber), func(a []Value) Value {
		if a[0].kind != KindNumber {
			return Null()
		}
		d := 0.0
		if len(a) > 1 {
			if a[1].kind != KindNumber {
				return Null()
			}
			d = math.Trunc(a[1].n)
		}
		if d > 15 || d < -15 {
			return a[0]
		}
		p := math.Pow(10, d)
		return finite(math.Round(a[0].n*p) / p)
	}},
	"coalesce": {1, -1, TypeAny, coalesceType, func(a []Value) Value {
		for _, v := range a {
			if v.kind != KindNull {
				return v
			}
		}
		return Null()
	}},
	"ifnull": {2, 2, TypeAny, coalesceType, func(a []Value) Value {
		if a[0].kind != KindNull {
			return a[0]
		}
		return a[1]
	}},
}

func coalesceType(args []*cexpr) Type {
	for _, a := range args {
		if a.typ != TypeAny {
			return a.typ
		}
	}
	return TypeAny
}

func strFunc(v Value, f func(string) string) Value {
	if v.kind != KindString {
		return Null()
	}
	return String(f(v.s))
}

// substring is MySQL's SUBSTRING(s, pos[, len]): pos is 1-based, negative
// counts from the end, 0 gives the empty string; it works on characters.
func substring(a []Value) Value {
	if a[0].kind != KindString || a[1].kind != KindNumber || (len(a) > 2 && a[2].kind != KindNumber) {
		return Null()
	}
	rs := []rune(a[0].s)
	pos := int(math.Max(math.Min(a[1].n, 1<<31), -(1 << 31)))
	switch {
	case pos == 0 || -pos > len(rs):
		return String("")
	case pos < 0:
		pos = len(rs) + pos
	default:
		pos--
	}
	if pos >= len(rs) {
		return String("")
	}
	end := len(rs)
	if len(a) > 2 {
		n := a[2].n
		if n <= 0 {
			return String("")
		}
		if float64(pos)+n < float64(end) {
			end = pos + int(n)
		}
	}
	return String(string(rs[pos:end]))
}

// aggregateFuncs are the aggregate functions; they need a GROUP BY or make
// the whole result one group.
var aggregateFuncs = map[string]bool{"count": true, "min": true, "max": true, "sum": true, "avg": true}

func funcNames() []string {
	names := []string{"now"}
	for n := range scalarFuncs {
		names = append(names, n)
	}
	for n := range aggregateFuncs {
		names = append(names, n)
	}
	return names
}

func (c *compiler) call(x *callExpr, mode exprMode) (*cexpr, error) {
	if aggregateFuncs[x.Name] {
		return c.aggregate(x, mode)
	}
	if x.Star || x.Distinct {
		return nil, errorf(ErrSyntax, x.Pos, "syntax error: %s() takes no * or DISTINCT", x.Name)
	}
	if x.Name == "now" {
		if len(x.Args) != 0 {
			return nil, errorf(ErrSyntax, x.Pos, "syntax error: now() takes no arguments")
		}
		c.usesNow = true
		out := newExpr(x, TypeString)
		out.val = func(e *env) Value { return e.nowValue() }
		return out, nil
	}
	f, ok := scalarFuncs[x.Name]
	if !ok {
		return nil, errorf(ErrUnknownFunction, x.Pos, "unknown function %s()", x.Name).
			withHint("%s", didYouMean(x.Name, funcNames()))
	}
	if len(x.Args) < f.min || (f.max >= 0 && len(x.Args) > f.max) {
		return nil, errorf(ErrSyntax, x.Pos, "syntax error: %s() takes %s, got %d", x.Name, arity(f), len(x.Args))
	}
	out := newExpr(x, TypeAny)
	args := make([]*cexpr, len(x.Args))
	fns := make([]valueFn, len(x.Args))
	for i, a := range x.Args {
		ca, err := c.expr(a, mode)
		if err != nil {
			return nil, err
		}
		want := f.args
		if (x.Name == "substring" || x.Name == "substr") && i > 0 {
			want = TypeNumber
		} else if x.Name == "substring" || x.Name == "substr" {
			want = TypeString
		}
		if want != TypeAny {
			if err := c.want(ca, want, x.Name+"()"); err != nil {
				return nil, err
			}
		}
		args[i], fns[i] = ca, ca.value()
		out.slots |= ca.slots
		out.agg = out.agg || ca.agg
	}
	if f.result != nil {
		out.typ = f.result(args)
	}
	if x.Name == "coalesce" || x.Name == "ifnull" {
		for _, a := range args {
			if a.typ != TypeAny && a.typ != out.typ {
				return nil, errorf(ErrTypeMismatch, a.src.Position(), "type mismatch: %s() mixes %s and %s", x.Name, out.typ, a.typ)
			}
			if err := c.want(a, out.typ, x.Name+"()"); out.typ != TypeAny && err != nil {
				return nil, err
			}
		}
	}
	eval := f.eval
	switch len(fns) {
	case 1:
		a := fns[0]
		out.val = func(e *env) Value {
			var buf [1]Value
			buf[0] = a(e)
			return eval(buf[:])
		}
	case 2:
		a, b := fns[0], fns[1]
		out.val = func(e *env) Value {
			var buf [2]Value
			buf[0], buf[1] = a(e), b(e)
			return eval(buf[:])
		}
	default:
		out.val = func(e *env) Value {
			buf := make([]Value, len(fns))
			for i, f := range fns {
				buf[i] = f(e)
			}
			return eval(buf)
		}
	}
	return out, nil
}

func arity(f scalarFunc) string {
	switch {
	case f.max < 0:
		return "at least " + itoa(f.min) + " arguments"
	case f.min == f.max && f.min == 1:
		return "1 argument"
	case f.min == f.max:
		return itoa(f.min) + " arguments"
	}
	return itoa(f.min) + " to " + itoa(f.max) + " arguments"
}
