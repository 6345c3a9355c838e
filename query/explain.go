package query

import (
	"strings"
)

// describe writes the plan of a compiled statement, one step a line.
func (q *Compiled) describe(st *statement) []string {
	var lines []string
	if len(q.scope) == 0 {
		lines = append(lines, "no table: one row")
	}
	for _, s := range q.steps {
		lines = append(lines, s.desc...)
	}
	if q.grouped {
		var keys []string
		for _, g := range st.GroupBy {
			keys = append(keys, g.String())
		}
		line := "group"
		if len(keys) > 0 {
			line += " by " + strings.Join(keys, ", ") + " (hash)"
		} else {
			line += " all rows into one"
		}
		if len(q.aggs) > 0 {
			var aggs []string
			for _, a := range q.aggs {
				aggs = append(aggs, a.text)
			}
			line += "; aggregates " + strings.Join(aggs, ", ")
		}
		lines = append(lines, line)
	}
	if st.Having != nil {
		lines = append(lines, "having "+st.Having.String())
	}
	if q.distinct {
		lines = append(lines, "distinct rows (hash)")
	}
	if len(q.keys) > 0 {
		var keys []string
		for _, k := range q.keys {
			dir := " ASC"
			if k.desc {
				dir = " DESC"
			}
			keys = append(keys, k.text+dir)
		}
		line := "sort by " + strings.Join(keys, ", ")
		if q.limit.set {
			line += " (bounded heap of OFFSET+LIMIT rows, not a full sort)"
		}
		lines = append(lines, line)
	}
	if q.limit.set || q.offset.set {
		line := "limit " + limitText(q.limit, q.params)
		if q.offset.set {
			line += " offset " + limitText(q.offset, q.params)
		}
		if len(q.keys) == 0 && !q.grouped {
			line += " (stops reading early)"
		}
		lines = append(lines, line)
	}
	lines = append(lines, "output: "+strings.Join(q.columns, ", "))
	return lines
}

func limitText(l limitSpec, params []paramSlot) string {
	if !l.set {
		return "0"
	}
	if l.param >= 0 {
		return params[l.param].String()
	}
	return itoa(int(l.n))
}
