package query

import (
	"strings"
)

// Statement is one parsed SELECT (or EXPLAIN SELECT).
type Statement struct {
	Explain  bool
	Distinct bool
	Items    []SelectItem
	From     []FromItem // the first item has no join; each next one joins to all before it
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	OrderBy  []OrderItem
	Limit    Expr // nil when absent
	Offset   Expr // nil when absent
	Text     string
	Pos      Pos
}

// SelectItem is one item of the select list: `*`, `t.*` or an expression
// with an optional alias.
type SelectItem struct {
	Star      bool   // * or t.*
	StarTable string // t of t.*, "" for *
	Expr      Expr
	Alias     string
	Text      string // the item as written, for the result's column name
	Pos       Pos
}

// JoinKind says how a FromItem joins to the items before it.
type JoinKind uint8

// The join kinds. A comma list is a JoinCross.
const (
	JoinNone JoinKind = iota
	JoinInner
	JoinCross
	JoinLeft
	JoinRight
)

// String returns the join kind in lower case.
func (k JoinKind) String() string {
	return [...]string{"", "inner", "cross", "left", "right"}[k]
}

// FromItem is a table in the FROM clause with its join to the items before.
type FromItem struct {
	Table   string
	Alias   string
	Join    JoinKind
	Natural bool
	On      Expr
	Using   []string
	Pos     Pos
}

// Name returns the name the table is referred to by: its alias or its name.
func (f FromItem) Name() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Table
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Expr Expr
	Desc bool
}

// Expr is an expression node.
type Expr interface {
	Position() Pos
	// String formats the expression as SQL.
	String() string
}

// Literal is a constant: string, number, bool or NULL.
type Literal struct {
	Value Value
	Pos   Pos
}

// ColumnRef is a column, optionally qualified by a table name or alias.
type ColumnRef struct {
	Table, Name string
	Pos         Pos
}

// Param is a placeholder: `?` (Name empty, Index its 1-based position among
// the ?s of the statement) or `:name` / `:name:`.
type Param struct {
	Name  string
	Index int
	Pos   Pos
}

// Unary is NOT x, !x or -x.
type Unary struct {
	Op  string // "NOT" or "-"
	X   Expr
	Pos Pos
}

// Binary is a binary operator: comparison, AND, OR, XOR or arithmetic.
type Binary struct {
	Op   string // =, !=, <, <=, >, >=, <=>, AND, OR, XOR, +, -, *, /, %
	L, R Expr
	Pos  Pos
}

// Match is x [NOT] LIKE pattern or x [NOT] REGEXP pattern.
type Match struct {
	Regexp  bool
	Not     bool
	X       Expr
	Pattern Expr
	Pos     Pos
}

// In is x [NOT] IN (list).
type In struct {
	Not  bool
	X    Expr
	List []Expr
	Pos  Pos
}

// Between is x [NOT] BETWEEN lo AND hi.
type Between struct {
	Not       bool
	X, Lo, Hi Expr
	Pos       Pos
}

// IsNull is x IS [NOT] NULL.
type IsNull struct {
	Not bool
	X   Expr
	Pos Pos
}

// Call is a function call; Star is set for count(*).
type Call struct {
	Name     string // lower case
	Args     []Expr
	Star     bool
	Distinct bool
	Pos      Pos
}

// Position returns where the node starts.
func (e *Literal) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *ColumnRef) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *Param) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *Unary) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *Binary) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *Match) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *In) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *Between) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *IsNull) Position() Pos { return e.Pos }

// Position returns where the node starts.
func (e *Call) Position() Pos { return e.Pos }

// String formats the node as SQL.
func (e *Literal) String() string { return e.Value.sqlLiteral() }

// String formats the node as SQL.
func (e *ColumnRef) String() string {
	if e.Table != "" {
		return e.Table + "." + e.Name
	}
	return e.Name
}

// String formats the node as SQL.
func (e *Param) String() string {
	if e.Name == "" {
		return "?"
	}
	return ":" + e.Name + ":"
}

// String formats the node as SQL.
func (e *Unary) String() string {
	if e.Op == "NOT" {
		return "NOT " + e.X.String()
	}
	return e.Op + e.X.String()
}

// String formats the node as SQL.
func (e *Binary) String() string { return "(" + e.L.String() + " " + e.Op + " " + e.R.String() + ")" }

// String formats the node as SQL.
func (e *Match) String() string {
	op := "LIKE"
	if e.Regexp {
		op = "REGEXP"
	}
	if e.Not {
		op = "NOT " + op
	}
	return e.X.String() + " " + op + " " + e.Pattern.String()
}

// String formats the node as SQL.
func (e *In) String() string {
	parts := make([]string, len(e.List))
	for i, x := range e.List {
		parts[i] = x.String()
	}
	op := " IN ("
	if e.Not {
		op = " NOT IN ("
	}
	return e.X.String() + op + strings.Join(parts, ", ") + ")"
}

// String formats the node as SQL.
func (e *Between) String() string {
	op := " BETWEEN "
	if e.Not {
		op = " NOT BETWEEN "
	}
	return e.X.String() + op + e.Lo.String() + " AND " + e.Hi.String()
}

// String formats the node as SQL.
func (e *IsNull) String() string {
	if e.Not {
		return e.X.String() + " IS NOT NULL"
	}
	return e.X.String() + " IS NULL"
}

// String formats the node as SQL.
func (e *Call) String() string {
	if e.Star {
		return e.Name + "(*)"
	}
	parts := make([]string, len(e.Args))
	for i, x := range e.Args {
		parts[i] = x.String()
	}
	d := ""
	if e.Distinct {
		d = "DISTINCT "
	}
	return e.Name + "(" + d + strings.Join(parts, ", ") + ")"
}

// walk calls fn for e and every node below it, depth first; fn returning
// false prunes the subtree.
func walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch x := e.(type) {
	case *Unary:
		walk(x.X, fn)
	case *Binary:
		walk(x.L, fn)
		walk(x.R, fn)
	case *Match:
		walk(x.X, fn)
		walk(x.Pattern, fn)
	case *In:
		walk(x.X, fn)
		for _, y := range x.List {
			walk(y, fn)
		}
	case *Between:
		walk(x.X, fn)
		walk(x.Lo, fn)
		walk(x.Hi, fn)
	case *IsNull:
		walk(x.X, fn)
	case *Call:
		for _, y := range x.Args {
			walk(y, fn)
		}
	}
}
