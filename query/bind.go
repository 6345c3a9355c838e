package query

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// NamedArg is a named parameter value, for :name and :name: placeholders.
// Create one with Named.
type NamedArg struct {
	Name  string
	Value any
}

// Named binds value to the placeholder :name (or :name:). A leading ':'
// and a trailing ':' in name are ignored.
func Named(name string, value any) NamedArg {
	return NamedArg{Name: strings.Trim(name, ":"), Value: value}
}

// Parameter is a parameter as the Query API sends it:
// {"name": "name", "value": "selenium"}. A parameter without a name binds
// the next ? placeholder.
type Parameter struct {
	Name  string `json:"name,omitempty"`
	Value Value  `json:"value"`
}

// bindInto turns Run's arguments into one value per parameter slot, in buf
// when it has room for them all: NamedArg and Parameter values with a name
// bind named placeholders (a Parameter named "1", "2", … binds that ?),
// everything else binds the ?s in order. Values are converted to the type
// each parameter is used with.
func (q *Compiled) bindInto(args []any, buf []Value) ([]Value, error) {
	var named map[string]Value // made at the first named argument
	var posBuf [4]Value        // the positional ones, without allocating for a few
	positional := posBuf[:0]
	setNamed := func(name string, v Value) {
		if named == nil {
			named = map[string]Value{}
		}
		named[name] = v
	}
	for i, a := range args {
		switch x := a.(type) {
		case NamedArg:
			v, err := valueOf(x.Value)
			if err != nil {
				return nil, &Error{Kind: ErrInvalidParameter, Msg: fmt.Sprintf("invalid parameter :%s:: %v", x.Name, err)}
			}
			setNamed(x.Name, v)
		case Parameter:
			if x.Name == "" {
				positional = append(positional, x.Value)
			} else {
				setNamed(strings.Trim(x.Name, ":"), x.Value)
			}
		case []Parameter:
			for _, p := range x {
				if p.Name == "" {
					positional = append(positional, p.Value)
				} else {
					setNamed(strings.Trim(p.Name, ":"), p.Value)
				}
			}
		default:
			v, err := valueOf(a)
			if err != nil {
				return nil, &Error{Kind: ErrInvalidParameter, Msg: fmt.Sprintf("invalid argument %d: %v", i+1, err)}
			}
			positional = append(positional, v)
		}
	}
	var vals []Value
	if len(q.params) <= cap(buf) {
		vals = buf[:len(q.params)]
		clear(vals)
	} else {
		vals = make([]Value, len(q.params))
	}
	var missing []string
	for i, p := range q.params {
		var v Value
		var ok bool
		if p.name != "" {
			v, ok = named[p.name]
		} else {
			if p.index <= len(positional) {
				v, ok = positional[p.index-1], true
			} else {
				v, ok = named[strconv.Itoa(p.index)]
			}
		}
		if !ok {
			missing = append(missing, p.String())
			continue
		}
		cv, err := convertParam(v, p)
		if err != nil {
			return nil, err
		}
		vals[i] = cv
	}
	if len(missing) > 0 {
		e := &Error{Kind: ErrMissingParameter, Msg: "missing parameter " + strings.Join(missing, ", ")}
		if len(missing) == 1 {
			e.Pos = q.params[q.paramIndex(missing[0])].pos
		}
		return nil, e
	}
	return vals, nil
}

func (q *Compiled) paramIndex(s string) int {
	for i, p := range q.params {
		if p.String() == s {
			return i
		}
	}
	return 0
}

// convertParam converts a value to the type its placeholder is used with:
// a string spelling a number becomes that number, a number becomes its
// text, "true"/"false" become bools. Anything else is a type mismatch.
func convertParam(v Value, p paramSlot) (Value, error) {
	if v.kind == KindNull || p.typ == TypeAny || v.kind == p.typ.kind() {
		if p.limit && (v.kind != KindNumber || v.n < 0 || v.n != math.Trunc(v.n)) {
			return v, &Error{Kind: ErrInvalidParameter, Pos: p.pos,
				Msg: fmt.Sprintf("invalid parameter %s: LIMIT and OFFSET need a non-negative integer, got %s", p, v.sqlLiteral())}
		}
		return v, nil
	}
	bad := &Error{Kind: ErrTypeMismatch, Pos: p.pos,
		Msg: fmt.Sprintf("type mismatch: parameter %s is used as a %s, got %s", p, p.typ, v.sqlLiteral())}
	switch p.typ {
	case TypeString:
		return String(v.String()), nil
	case TypeNumber:
		if v.kind == KindString {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return convertParam(Number(f), p)
			}
		}
	case TypeBool:
		if v.kind == KindString {
			if b, err := strconv.ParseBool(v.s); err == nil {
				return Bool(b), nil
			}
		}
	}
	return v, bad
}

// matchers compiles the LIKE and REGEXP patterns given as parameters.
func (q *Compiled) compileMatchers(params []Value) ([]matcher, error) {
	if len(q.matchers) == 0 {
		return nil, nil
	}
	out := make([]matcher, len(q.matchers))
	for i, m := range q.matchers {
		v := params[m.param]
		if v.kind != KindString {
			continue // NULL pattern: the condition is unknown
		}
		if !m.regexp {
			out[i].like = newLikeMatcher(v.s)
			continue
		}
		re, err := regexp.Compile(v.s)
		if err != nil {
			return nil, &Error{Kind: ErrInvalidRegexp, Pos: m.pos, Err: err,
				Msg:  fmt.Sprintf("invalid regexp %q in parameter %s", v.s, q.params[m.param]),
				Hint: regexpHint(err)}
		}
		out[i].re = re
	}
	return out, nil
}
