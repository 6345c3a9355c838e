package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the dynamic kind of a Value.
type Kind uint8

// The kinds of values a table cell, a literal or a parameter can hold.
const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
)

// String returns the lower-case name of the kind.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "bool"
	default:
		return "null"
	}
}

// Value is one cell: a string, a number (float64, exact for integers up to
// 2^53), a bool or null. It is small, comparable and copied by value, so
// evaluating a condition never allocates. The zero Value is null.
type Value struct {
	kind Kind
	s    string
	n    float64
}

// Null returns the null value.
func Null() Value { return Value{} }

// String returns a string value.
func String(s string) Value { return Value{kind: KindString, s: s} }

// Number returns a number value.
func Number(f float64) Value { return Value{kind: KindNumber, n: f} }

// Int returns a number value holding i.
func Int(i int64) Value { return Value{kind: KindNumber, n: float64(i)} }

// Bool returns a bool value.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, n: 1}
	}
	return Value{kind: KindBool}
}

// Time returns t as the ISO-8601 zoned date-time string the original's
// tables hold (RFC 3339 with nanoseconds when present), or null for the
// zero time.
func Time(t time.Time) Value {
	if t.IsZero() {
		return Null()
	}
	return String(t.Format(time.RFC3339Nano))
}

// valueOf converts a Go value into a Value: nil, Value, string, *string,
// bool, all integer and float types, time.Time and fmt.Stringer are
// accepted; anything else is an error.
func valueOf(x any) (Value, error) {
	switch v := x.(type) {
	case nil:
		return Null(), nil
	case Value:
		return v, nil
	case string:
		return String(v), nil
	case *string:
		if v == nil {
			return Null(), nil
		}
		return String(*v), nil
	case bool:
		return Bool(v), nil
	case int:
		return Int(int64(v)), nil
	case int8:
		return Int(int64(v)), nil
	case int16:
		return Int(int64(v)), nil
	case int32:
		return Int(int64(v)), nil
	case int64:
		return Int(v), nil
	case uint:
		return Number(float64(v)), nil
	case uint8:
		return Number(float64(v)), nil
	case uint16:
		return Number(float64(v)), nil
	case uint32:
		return Number(float64(v)), nil
	case uint64:
		return Number(float64(v)), nil
	case float32:
		return Number(float64(v)), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Null(), fmt.Errorf("query: cannot use %v as a value: not a finite number", v)
		}
		return Number(v), nil
	case time.Time:
		return Time(v), nil
	case fmt.Stringer:
		return String(v.String()), nil
	default:
		return Null(), fmt.Errorf("query: cannot use %T as a value", x)
	}
}

// Kind reports the kind of v.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.kind == KindNull }

// Str returns the string held by v, or "" when v is not a string.
func (v Value) Str() string { return v.s }

// Num returns the number held by v, or 0 when v is not a number.
func (v Value) Num() float64 {
	if v.kind == KindNumber {
		return v.n
	}
	return 0
}

// Truth returns the bool held by v, or false when v is not a bool.
func (v Value) Truth() bool { return v.kind == KindBool && v.n != 0 }

// Any returns v as a Go value: nil, string, float64 or bool.
func (v Value) Any() any {
	switch v.kind {
	case KindString:
		return v.s
	case KindNumber:
		return v.n
	case KindBool:
		return v.n != 0
	default:
		return nil
	}
}

// String formats v as text: strings as they are, numbers in their shortest
// form, bools as true/false and null as NULL.
func (v Value) String() string {
	switch v.kind {
	case KindString:
		return v.s
	case KindNumber:
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	case KindBool:
		return strconv.FormatBool(v.n != 0)
	default:
		return "NULL"
	}
}

// sqlLiteral formats v as it would be written in SQL text (for EXPLAIN).
func (v Value) sqlLiteral() string {
	if v.kind == KindString {
		return "'" + strings.ReplaceAll(v.s, "'", "''") + "'"
	}
	return v.String()
}

// MarshalJSON encodes v as a JSON string, number, bool or null.
func (v Value) MarshalJSON() ([]byte, error) {
	return v.appendJSON(nil), nil
}

func (v Value) appendJSON(b []byte) []byte {
	switch v.kind {
	case KindString:
		enc, _ := json.Marshal(v.s) // a string always encodes
		return append(b, enc...)
	case KindNumber:
		return strconv.AppendFloat(b, v.n, 'f', -1, 64)
	case KindBool:
		return strconv.AppendBool(b, v.n != 0)
	default:
		return append(b, "null"...)
	}
}

// UnmarshalJSON decodes a JSON string, number, bool or null into v. Arrays
// and objects are rejected: a parameter is always a single value.
func (v *Value) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return fmt.Errorf("query: empty JSON value")
	}
	switch data[0] {
	case 'n':
		if string(data) != "null" {
			return fmt.Errorf("query: invalid JSON value %q", data)
		}
		*v = Null()
	case 't', 'f':
		var b bool
		if err := json.Unmarshal(data, &b); err != nil {
			return fmt.Errorf("query: invalid JSON value %q: %w", data, err)
		}
		*v = Bool(b)
	case '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("query: invalid JSON string: %w", err)
		}
		*v = String(s)
	case '[', '{':
		return fmt.Errorf("query: a value must be a string, number, bool or null, not %s", map[byte]string{'[': "an array", '{': "an object"}[data[0]])
	default:
		f, err := strconv.ParseFloat(string(data), 64)
		if err != nil {
			return fmt.Errorf("query: invalid JSON number %q", data)
		}
		*v = Number(f)
	}
	return nil
}

// compareValues orders a and b: null first, then by kind (bool, number, string)
// when kinds differ; numbers numerically, strings byte-wise, false before
// true. It returns -1, 0 or +1.
func compareValues(a, b Value) int {
	if a.kind != b.kind {
		return cmpInt(kindRank(a.kind), kindRank(b.kind))
	}
	switch a.kind {
	case KindString:
		return strings.Compare(a.s, b.s)
	case KindNumber, KindBool:
		switch {
		case a.n < b.n:
			return -1
		case a.n > b.n:
			return 1
		}
	}
	return 0
}

func kindRank(k Kind) int {
	switch k {
	case KindNull:
		return 0
	case KindBool:
		return 1
	case KindNumber:
		return 2
	default:
		return 3
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
