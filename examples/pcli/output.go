package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// table is what a command prints for people (an aligned table) and for
// spreadsheets (CSV): a header and rows of cells.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// emit prints a command's result in the chosen output: v as JSON, or t as
// a table or CSV.
func (a *app) emit(v any, t table) error {
	return emitTo(a.stdout, a.output, v, t)
}

func emitTo(w io.Writer, format string, v any, t table) error {
	switch format {
	case "json":
		return writeJSON(w, v)
	case "csv":
		cw := csv.NewWriter(w)
		head := make([]string, len(t.header))
		for i, h := range t.header {
			head[i] = strings.ReplaceAll(strings.ToLower(h), " ", "_")
		}
		if err := cw.Write(head); err != nil {
			return err
		}
		if err := cw.WriteAll(t.rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	default:
		return writeTable(w, t)
	}
}

// writeTable prints t aligned in columns; cells stay on one line.
func writeTable(w io.Writer, t table) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, oneLine(c))
		}
		fmt.Fprintln(tw)
	}
	head := make([]string, len(t.header))
	for i, h := range t.header {
		head[i] = strings.ToUpper(h)
	}
	line(head)
	for _, r := range t.rows {
		line(r)
	}
	return tw.Flush()
}

// cellReplacer keeps a cell on one line and out of the column separators.
var cellReplacer = strings.NewReplacer("\t", " ", "\n", ", ", "\r", "")

func oneLine(s string) string { return cellReplacer.Replace(s) }

// writeJSON prints v as indented JSON, with HTML characters left alone.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// orderedObject is a JSON object whose keys keep their order (a query
// row: its columns in select order).
type orderedObject struct {
	keys   []string
	values []any
}

// MarshalJSON writes the keys in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(o.values[i])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
