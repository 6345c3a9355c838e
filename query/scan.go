package query

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode"
)

// ScanAll converts the rows of a successful result into values of type T,
// a struct. A field takes the column named by its `query:"name"` tag (or,
// untagged, its name in snake_case: ProjectName → project_name); a column
// "instances.name" also fills a field tagged "name" when no column is
// named exactly "name". Fields may be string, bool, integers, floats,
// time.Time (from ISO text), Value, any, or pointers to those, which stay
// nil for NULL. `query:"-"` skips a field.
func ScanAll[T any](r *Result) ([]T, error) {
	if err := r.Err(); err != nil {
		return nil, err
	}
	var zero T
	typ := reflect.TypeOf(zero)
	if typ == nil || typ.Kind() != reflect.Struct {
		return nil, fmt.Errorf("query: ScanAll needs a struct type, got %T", zero)
	}
	plan := scanPlan(typ, r.columns)
	out := make([]T, len(r.rows))
	for i, row := range r.rows {
		rv := reflect.ValueOf(&out[i]).Elem()
		for _, f := range plan {
			if err := setField(rv.FieldByIndex(f.index), row[f.col]); err != nil {
				return nil, fmt.Errorf("query: scan row %d column %q into field %s: %w", i, r.columns[f.col], f.name, err)
			}
		}
	}
	return out, nil
}

type scanField struct {
	index []int
	col   int
	name  string
}

func scanPlan(typ reflect.Type, columns []string) []scanField {
	var plan []scanField
	for _, f := range reflect.VisibleFields(typ) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name := f.Tag.Get("query")
		if name == "-" {
			continue
		}
		if name == "" {
			name = snakeCase(f.Name)
		}
		col := -1
		for i, c := range columns {
			if c == name {
				col = i
				break
			}
		}
		if col < 0 {
			for i, c := range columns {
				if strings.HasSuffix(c, "."+name) {
					col = i
					break
				}
			}
		}
		if col >= 0 {
			plan = append(plan, scanField{index: f.Index, col: col, name: f.Name})
		}
	}
	return plan
}

func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	timeType  = reflect.TypeOf(time.Time{})
	valueType = reflect.TypeOf(Value{})
)

func setField(f reflect.Value, v Value) error {
	if f.Type() == valueType {
		f.Set(reflect.ValueOf(v))
		return nil
	}
	if f.Kind() == reflect.Pointer {
		if v.kind == KindNull {
			f.Set(reflect.Zero(f.Type()))
			return nil
		}
		p := reflect.New(f.Type().Elem())
		if err := setField(p.Elem(), v); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	if f.Kind() == reflect.Interface && f.NumMethod() == 0 {
		if a := v.Any(); a != nil {
			f.Set(reflect.ValueOf(a))
		} else {
			f.Set(reflect.Zero(f.Type()))
		}
		return nil
	}
	if v.kind == KindNull {
		f.Set(reflect.Zero(f.Type()))
		return nil
	}
	mismatch := fmt.Errorf("cannot store a %s in a %s", v.kind, f.Type())
	switch {
	case f.Type() == timeType:
		if v.kind != KindString {
			return mismatch
		}
		t, err := time.Parse(time.RFC3339Nano, v.s)
		if err != nil {
			return fmt.Errorf("parse time %q: %w", v.s, err)
		}
		f.Set(reflect.ValueOf(t))
	case f.Kind() == reflect.String:
		if v.kind != KindString {
			return mismatch
		}
		f.SetString(v.s)
	case f.Kind() == reflect.Bool:
		if v.kind != KindBool {
			return mismatch
		}
		f.SetBool(v.n != 0)
	case f.CanInt():
		if v.kind != KindNumber || v.n != math.Trunc(v.n) || f.OverflowInt(int64(v.n)) {
			return fmt.Errorf("cannot store %s in a %s", v.sqlLiteral(), f.Type())
		}
		f.SetInt(int64(v.n))
	case f.CanUint():
		if v.kind != KindNumber || v.n < 0 || v.n != math.Trunc(v.n) || f.OverflowUint(uint64(v.n)) {
			return fmt.Errorf("cannot store %s in a %s", v.sqlLiteral(), f.Type())
		}
		f.SetUint(uint64(v.n))
	case f.CanFloat():
		if v.kind != KindNumber {
			return mismatch
		}
		f.SetFloat(v.n)
	default:
		return mismatch
	}
	return nil
}
