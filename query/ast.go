package query

import (
	"strings"
)

// statement is one parsed SELECT (or EXPLAIN SELECT).
type statement struct {
	Explain  bool
	Distinct bool
	Items    []selectItem
	From     []fromItem // the first item has no join; each next one joins to all before it
	Where    node
	GroupBy  []node
	Having   node
	OrderBy  []orderItem
	Limit    node // nil when absent
	Offset   node // nil when absent
	Text     string
	Pos      Pos
}

// selectItem is one item of the select list: `*`, `t.*` or an expression
// with an optional alias.
type selectItem struct {
	Star      bool   // * or t.*
	StarTable string // t of t.*, "" for *
	node      node
	Alias     string
	Text      string // the item as written, for the result's column name
	Pos       Pos
}

// joinKind says how a fromItem joins to the items before it.
type joinKind uint8

// The join kinds. A comma list is a joinCross.
const (
	joinNone joinKind = iota
	joinInner
	joinCross
	joinLeft
	joinRight
)

// String returns the join kind in lower case.
func (k joinKind) String() string {
	return [...]string{"", "inner", "cross", "left", "right"}[k]
}

// fromItem is a table in the FROM clause with its join to the items before.
type fromItem struct {
	Table   string
	Alias   string
	Join    joinKind
	Natural bool
	On      node
	Using   []string
	Pos     Pos
}

// Name returns the name the table is referred to by: its alias or its name.
func (f fromItem) Name() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Table
}

// orderItem is one ORDER BY key.
type orderItem struct {
	node node
	Desc bool
}

// node is an expression node.
type node interface {
	Position() Pos
	// String formats the expression as SQL.
	String() string
}

// literal is a constant: string, number, bool or NULL.
type literal struct {
	Value Value
	Pos   Pos
}

// columnRef is a column, optionally qualified by a table name or alias.
type columnRef struct {
	Table, Name string
	Pos         Pos
}

// paramRef is a placeholder: `?` (Name empty, Index its 1-based position among
// the ?s of the statement) or `:name` / `:name:`.
type paramRef struct {
	Name  string
	Index int
	Pos   Pos
}

// unaryExpr is NOT x, !x or -x.
type unaryExpr struct {
	Op  string // "NOT" or "-"
	X   node
	Pos Pos
}

// binaryExpr is a binary operator: comparison, AND, OR, XOR or arithmetic.
type binaryExpr struct {
	Op   string // =, !=, <, <=, >, >=, <=>, AND, OR, XOR, +, -, *, /, %
	L, R node
	Pos  Pos
}

// matchExpr is x [NOT] LIKE pattern or x [NOT] REGEXP pattern.
type matchExpr struct {
	Regexp  bool
	Not     bool
	X       node
	Pattern node
	Pos     Pos
}

// inExpr is x [NOT] IN (list).
type inExpr struct {
	Not  bool
	X    node
	List []node
	Pos  Pos
}

// betweenExpr is x [NOT] BETWEEN lo AND hi.
type betweenExpr struct {
	Not       bool
	X, Lo, Hi node
	Pos       Pos
}

// isNullExpr is x IS [NOT] NULL.
type isNullExpr struct {
	Not bool
	X   node
	Pos Pos
}

// callExpr is a function call; Star is set for count(*).
type callExpr struct {
	Name     string // lower case
	Args     []node
	Star     bool
	Distinct bool
	Pos      Pos
}

// Position returns where the node starts.
func (e *literal) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *columnRef) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *paramRef) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *unaryExpr) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *binaryExpr) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *matchExpr) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *inExpr) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *betweenExpr) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *isNullExpr) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *callExpr) Position() Pos { return e.Pos }

func (e *literal) String() string     { return sqlText(e) }
func (e *columnRef) String() string   { return sqlText(e) }
func (e *paramRef) String() string    { return sqlText(e) }
func (e *unaryExpr) String() string   { return sqlText(e) }
func (e *binaryExpr) String() string  { return sqlText(e) }
func (e *matchExpr) String() string   { return sqlText(e) }
func (e *inExpr) String() string      { return sqlText(e) }
func (e *betweenExpr) String() string { return sqlText(e) }
func (e *isNullExpr) String() string  { return sqlText(e) }
func (e *callExpr) String() string    { return sqlText(e) }

// sqlText formats a node as SQL. It writes the whole tree into one buffer:
// formatting a chain of 5,000 ORs costs its length, not the square of it.
func sqlText(e node) string {
	var b strings.Builder
	writeSQL(&b, e)
	return b.String()
}

func writeSQL(b *strings.Builder, e node) {
	switch x := e.(type) {
	case *literal:
		b.WriteString(x.Value.sqlLiteral())
	case *columnRef:
		if x.Table != "" {
			b.WriteString(x.Table + ".")
		}
		b.WriteString(x.Name)
	case *paramRef:
		if x.Name == "" {
			b.WriteByte('?')
		} else {
			b.WriteString(":" + x.Name + ":")
		}
	case *unaryExpr:
		if x.Op == "NOT" {
			b.WriteString("NOT ")
		} else {
			b.WriteString(x.Op)
		}
		writeSQL(b, x.X)
	case *binaryExpr:
		b.WriteByte('(')
		writeSQL(b, x.L)
		b.WriteString(" " + x.Op + " ")
		writeSQL(b, x.R)
		b.WriteByte(')')
	case *matchExpr:
		writeSQL(b, x.X)
		b.WriteByte(' ')
		if x.Not {
			b.WriteString("NOT ")
		}
		if x.Regexp {
			b.WriteString("REGEXP ")
		} else {
			b.WriteString("LIKE ")
		}
		writeSQL(b, x.Pattern)
	case *inExpr:
		writeSQL(b, x.X)
		if x.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" IN (")
		writeList(b, x.List)
		b.WriteByte(')')
	case *betweenExpr:
		writeSQL(b, x.X)
		if x.Not {
			b.WriteString(" NOT")
		}
		b.WriteString(" BETWEEN ")
		writeSQL(b, x.Lo)
		b.WriteString(" AND ")
		writeSQL(b, x.Hi)
	case *isNullExpr:
		writeSQL(b, x.X)
		if x.Not {
			b.WriteString(" IS NOT NULL")
		} else {
			b.WriteString(" IS NULL")
		}
	case *callExpr:
		b.WriteString(x.Name + "(")
		switch {
		case x.Star:
			b.WriteByte('*')
		case x.Distinct:
			b.WriteString("DISTINCT ")
			fallthrough
		default:
			writeList(b, x.Args)
		}
		b.WriteByte(')')
	}
}

func writeList(b *strings.Builder, list []node) {
	for i, x := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		writeSQL(b, x)
	}
}

// walk calls fn for e and every node below it, depth first; fn returning
// false prunes the subtree.
func walk(e node, fn func(node) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch x := e.(type) {
	case *unaryExpr:
		walk(x.X, fn)
	case *binaryExpr:
		walk(x.L, fn)
		walk(x.R, fn)
	case *matchExpr:
		walk(x.X, fn)
		walk(x.Pattern, fn)
	case *inExpr:
		walk(x.X, fn)
		for _, y := range x.List {
			walk(y, fn)
		}
	case *betweenExpr:
		walk(x.X, fn)
		walk(x.Lo, fn)
		walk(x.Hi, fn)
	case *isNullExpr:
		walk(x.X, fn)
	case *callExpr:
		for _, y := range x.Args {
			walk(y, fn)
		}
	}
}
