package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// Result is the result of one query. It encodes to JSON in the shape of
// the Query API (and decodes from it):
//
//	{"status":"success","count":2,"data":{"columnName":["id","name"],
//	 "row":[{"value":["…","…"]}]},"message":""}
//
// A failed query is a Result with a status other than success and a
// message; its columns are the statement's columns when it compiled.
type Result struct {
	Status  Status
	Count   int
	Message string
	columns []string
	rows    [][]Value
	err     error // the error of a failed local run, for Err
}

// newResult returns a successful result of no rows, to be appended to.
func newResult(columns []string) *Result { return resultOf(columns, 0) }

// errorResult returns the result reporting err, classified by its kind:
// syntax_error for syntax errors, missing_parameters for unbound
// placeholders, evaluation_error for everything else (unknown tables and
// columns, type mismatches, invalid regular expressions, bounds exceeded,
// failures reading data, cancellation). columns may be nil.
func errorResult(err error, columns []string) *Result {
	res := newResult(columns)
	res.Status = statusOf(err)
	res.Message = err.Error()
	res.err = err
	return res
}

func statusOf(err error) Status {
	switch {
	case err == nil:
		return StatusSuccess
	case errors.Is(err, ErrSyntax):
		return StatusSyntaxError
	case errors.Is(err, ErrMissingParameter):
		return StatusMissingParameters
	}
	return StatusEvaluationError
}

// Columns returns the result's column names.
func (r *Result) Columns() []string { return r.columns }

// Rows returns the result's rows: one value per column each.
func (r *Result) Rows() [][]Value { return r.rows }

// Err returns nil for a successful result and an error carrying the status
// and message otherwise; for a statement that failed in this process it
// is the statement's own error (an *Error matching the sentinel errors).
func (r *Result) Err() error {
	switch {
	case r.Status == StatusSuccess:
		return nil
	case r.err != nil:
		return r.err
	}
	return fmt.Errorf("%s: %s", r.Status, r.Message)
}

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
	for i, c := range r.columns {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, c)
	}
	b.WriteString(`],"row":[`)
	var scratch []byte
	for i, row := range r.rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":[`)
		for j, v := range row {
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

// wireResult is the Query API's shape of a Result.
type wireResult struct {
	Status Status `json:"status"`
	Count  int    `json:"count"`
	Data   struct {
		ColumnName []string `json:"columnName"`
		Row        []struct {
			Value []Value `json:"value"`
		} `json:"row"`
	} `json:"data"`
	Message string `json:"message"`
}

// UnmarshalJSON decodes a result in the Query API's shape.
func (r *Result) UnmarshalJSON(data []byte) error {
	var w wireResult
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*r = *newResult(w.Data.ColumnName)
	r.Status, r.Count, r.Message = w.Status, w.Count, w.Message
	for _, row := range w.Data.Row {
		r.rows = append(r.rows, row.Value)
	}
	return nil
}
