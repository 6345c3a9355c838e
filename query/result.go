package query

import (
	"bytes"
	"encoding/json"
)

// Status is the outcome of one query, as the Query API reports it.
type Status string

// The statuses of a query result.
const (
	StatusSuccess           Status = "success"
	StatusSyntaxError       Status = "syntax_error"
	StatusMissingParameters Status = "missing_parameters"
	StatusEvaluationError   Status = "evaluation_error"
)

// Result is the result of one query in the shape of the Query API:
//
//	{"status":"success","count":2,"data":{"columnName":["id","name"],
//	 "row":[{"value":["…","…"]}]},"message":""}
//
// A failed query is a Result with a status other than success and a
// message; its columnName is the statement's columns when it compiled.
type Result struct {
	Status  Status `json:"status"`
	Count   int    `json:"count"`
	Data    Data   `json:"data"`
	Message string `json:"message"`
}

// Data holds the column names and the rows of a Result.
type Data struct {
	ColumnName []string `json:"columnName"`
	Row        []Row    `json:"row"`
}

// Row is one result row: one value per column.
type Row struct {
	Value []Value `json:"value"`
}

func newResult(columns []string) *Result {
	if columns == nil {
		columns = []string{}
	}
	return &Result{Status: StatusSuccess, Data: Data{ColumnName: columns, Row: []Row{}}}
}

// ErrorResult returns the result reporting err, classified by its kind:
// syntax_error for syntax errors, missing_parameters for unbound
// placeholders, evaluation_error for everything else (unknown tables and
// columns, type mismatches, invalid regular expressions, failures while
// reading data). columns may be nil.
func ErrorResult(err error, columns []string) *Result {
	res := newResult(columns)
	res.Status = StatusOf(err)
	res.Message = err.Error()
	return res
}

// StatusOf classifies an error of this package into a result status.
func StatusOf(err error) Status {
	switch {
	case err == nil:
		return StatusSuccess
	case isKind(err, ErrSyntax):
		return StatusSyntaxError
	case isKind(err, ErrMissingParameter):
		return StatusMissingParameters
	}
	return StatusEvaluationError
}

func isKind(err, kind error) bool {
	e, ok := err.(*Error)
	if ok {
		return e.Kind == kind
	}
	for u := err; u != nil; {
		if x, ok := u.(*Error); ok {
			return x.Kind == kind
		}
		w, ok := u.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		u = w.Unwrap()
	}
	return false
}

// Columns returns the result's column names.
func (r *Result) Columns() []string { return r.Data.ColumnName }

// Rows returns the result's rows as slices of values.
func (r *Result) Rows() [][]Value {
	out := make([][]Value, len(r.Data.Row))
	for i, row := range r.Data.Row {
		out[i] = row.Value
	}
	return out
}

// ColumnIndex returns the position of the named result column, or -1. Names
// are matched exactly, as the original's client does.
func (r *Result) ColumnIndex(name string) int {
	for i, c := range r.Data.ColumnName {
		if c == name {
			return i
		}
	}
	return -1
}

// Err returns nil for a successful result and an error carrying the status
// and message otherwise.
func (r *Result) Err() error {
	if r.Status == StatusSuccess {
		return nil
	}
	return &ResultError{Status: r.Status, Message: r.Message}
}

// ResultError is the error of a failed Result.
type ResultError struct {
	Status  Status
	Message string
}

// Error returns the status and the message.
func (e *ResultError) Error() string { return string(e.Status) + ": " + e.Message }

// MarshalJSON encodes the result in the Query API's shape; a result with
// no rows has "row":[] and its column names. Values are written straight to
// the buffer, which keeps encoding 100,000 rows cheap.
func (r Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"status":`)
	writeJSONString(&b, string(r.Status))
	b.WriteString(`,"count":`)
	b.WriteString(itoa(r.Count))
	b.WriteString(`,"data":{"columnName":[`)
	for i, c := range r.Data.ColumnName {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, c)
	}
	b.WriteString(`],"row":[`)
	var scratch []byte
	for i, row := range r.Data.Row {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":[`)
		for j, v := range row.Value {
			if j > 0 {
				b.WriteByte(',')
			}
			scratch = v.appendJSON(scratch[:0])
			b.Write(scratch)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]},"message":`)
	writeJSONString(&b, r.Message)
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// UnmarshalJSON decodes a result in the Query API's shape.
func (r *Result) UnmarshalJSON(data []byte) error {
	type plain Result
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*r = Result(p)
	if r.Data.ColumnName == nil {
		r.Data.ColumnName = []string{}
	}
	if r.Data.Row == nil {
		r.Data.Row = []Row{}
	}
	return nil
}
