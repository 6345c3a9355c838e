package query

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// FieldMap says how URL filters in the seed-004 style
// (?hostname=web-1&state=launched&o=-hostname) map onto a query: the rows
// they filter (Select and From) and, for each field name a client may use,
// the column it stands for. The Fields values are trusted SQL expressions
// written by the program; the URL's values only ever become parameters.
type FieldMap struct {
	Select string            // the select list, e.g. "instances.*, projects.name AS project_name"
	From   string            // the FROM clause, joins included
	Fields map[string]string // field → column expression, e.g. "hostname" → "instances.name"
	// Order maps extra names accepted only by o= (deprecated spellings
	// such as project__name) to a column expression; Fields are accepted too.
	Order map[string]string
	// OrderKey is the ordering parameter, "o" when empty.
	OrderKey string
	// Ignore lists parameters that are not filters (page, page_size, …).
	Ignore []string
	// ClientConvention makes each value follow the original Perspective
	// client's convention instead of meaning equality: ^x$ is = 'x', %x% is
	// LIKE '%x%', anything else an unanchored REGEXP.
	ClientConvention bool
}

// Filter compiles the URL filters of rawQuery, a URL's query string as it
// arrived (r.URL.RawQuery, or url.Values.Encode()), into a statement over
// fm's rows and returns it with the arguments to run it with. The values of
// one field are OR-ed, fields are AND-ed, and every o= value (several
// allowed, also comma-separated) adds an ORDER BY key, descending when it
// starts with '-'; a repeated key adds nothing.
//
// The client's text is read strictly and within the engine's Limits: a
// ';' between parameters, a bad %-escape, an unknown field, more than
// Limits.FilterParams parameters or more than Limits.FilterValues values of
// one field is an error matching ErrInvalidFilter that names the parameter
// or the bound, never a filter silently dropped.
func (en *Engine) Filter(rawQuery string, fm FieldMap) (*Compiled, []any, error) {
	values, err := en.parseFilter(rawQuery)
	if err != nil {
		return nil, nil, err
	}
	sql, args, err := en.filterSQL(values, fm)
	if err != nil {
		return nil, nil, err
	}
	q, err := en.Compile(sql)
	if err != nil {
		return nil, nil, fmt.Errorf("filter statement %q: %w", clip(sql, 200), err)
	}
	return q, args, nil
}

// parseFilter reads a query string as url.ParseQuery does, but fails
// instead of skipping a malformed parameter, and stops counting at the
// parameter limit before holding more.
func (en *Engine) parseFilter(raw string) (url.Values, error) {
	values := url.Values{}
	n := 0
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		if n++; n > en.limits.FilterParams {
			return nil, &Error{Kind: errFilterLimit,
				Msg: fmt.Sprintf("invalid filter: more than %d parameters (the parameter limit)", en.limits.FilterParams)}
		}
		if strings.Contains(pair, ";") {
			return nil, &Error{Kind: ErrInvalidFilter,
				Msg:  fmt.Sprintf("invalid filter parameter %q: ';' is not a separator", clip(pair, 64)),
				Hint: "separate parameters with &, and write a ';' in a value as %3B"}
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err == nil {
			v, err = url.QueryUnescape(v)
		}
		if err != nil {
			return nil, &Error{Kind: ErrInvalidFilter, Err: err,
				Msg: fmt.Sprintf("invalid filter parameter %q: %v", clip(pair, 64), err)}
		}
		values[key] = append(values[key], v)
	}
	return values, nil
}

// filterSQL writes the SELECT equivalent to values: its text grows with
// the number of values, and every value becomes a parameter.
func (en *Engine) filterSQL(values url.Values, fm FieldMap) (string, []any, error) {
	orderKey := cmpOr(fm.OrderKey, "o")
	keys := make([]string, 0, len(values))
	for k := range values {
		if k != orderKey && !slices.Contains(fm.Ignore, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString("SELECT " + fm.Select + " FROM " + fm.From)
	var args []any
	for i, k := range keys {
		col, ok := fm.Fields[k]
		if !ok {
			return "", nil, unknownField("unknown filter field", k, fm.fieldNames(false))
		}
		vals := values[k]
		if len(vals) > en.limits.FilterValues {
			return "", nil, &Error{Kind: errFilterLimit,
				Msg: fmt.Sprintf("invalid filter: field %q has %d values, more than %d (the value limit)", k, len(vals), en.limits.FilterValues)}
		}
		if i == 0 {
			b.WriteString(" WHERE (")
		} else {
			b.WriteString(" AND (")
		}
		switch {
		case fm.ClientConvention:
			for j, v := range vals {
				op, pattern := clientOp(v)
				if j > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString(col + " " + op + " ")
				args = writeParam(&b, args, pattern)
			}
		case len(vals) == 1:
			b.WriteString(col + " = ")
			args = writeParam(&b, args, vals[0])
		default:
			b.WriteString(col + " IN (")
			for j, v := range vals {
				if j > 0 {
					b.WriteString(", ")
				}
				args = writeParam(&b, args, v)
			}
			b.WriteByte(')')
		}
		b.WriteByte(')')
	}
	seen := map[string]bool{}
	for _, o := range values[orderKey] {
		for f := range strings.SplitSeq(o, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			dir := " ASC"
			if strings.HasPrefix(f, "-") {
				f, dir = f[1:], " DESC"
			}
			col, ok := fm.Fields[f]
			if !ok {
				col, ok = fm.Order[f]
			}
			if !ok {
				return "", nil, unknownField("unknown ordering field", f, fm.fieldNames(true))
			}
			if seen[col] {
				continue // ordering by a column twice orders nothing more
			}
			if len(seen) == 0 {
				b.WriteString(" ORDER BY ")
			} else {
				b.WriteString(", ")
			}
			seen[col] = true
			b.WriteString(col + dir)
		}
	}
	return b.String(), args, nil
}

// writeParam writes the next parameter's placeholder and binds v to it.
func writeParam(b *strings.Builder, args []any, v string) []any {
	name := "f" + itoa(len(args))
	b.WriteString(":" + name + ":")
	return append(args, Named(name, v))
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// clip shortens s for an error message, so that a client's huge input is
// not echoed whole.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func unknownField(what, name string, known []string) *Error {
	e := &Error{Kind: ErrUnknownField, Msg: fmt.Sprintf("%s %q", what, clip(name, 64))}
	if h := didYouMean(name, known); h != "" {
		e.Hint = h
	} else {
		e.Hint = "known fields: " + strings.Join(known, ", ")
	}
	return e
}

func (fm FieldMap) fieldNames(order bool) []string {
	var names []string
	for k := range fm.Fields {
		names = append(names, k)
	}
	if order {
		for k := range fm.Order {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	return names
}

// clientOp applies the original client's value convention.
func clientOp(v string) (op, pattern string) {
	switch {
	case len(v) >= 2 && strings.HasPrefix(v, "^") && strings.HasSuffix(v, "$"):
		return "=", v[1 : len(v)-1]
	case len(v) >= 2 && strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%"):
		return "LIKE", v
	}
	return "REGEXP", v
}
