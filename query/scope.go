package query

import (
	"sort"
	"strconv"
)

// scopeTable is one table of the FROM clause, at its slot.
type scopeTable struct {
	item  fromItem
	table *Table
	// merged marks the columns a USING or NATURAL join made equal to a
	// column of an earlier table: a bare name refers to the earlier one and
	// `*` shows it once.
	merged map[string]bool
}

func (s scopeTable) name() string { return s.item.Name() }

func itoa(i int) string { return strconv.Itoa(i) }

// column resolves a column reference against the tables in scope.
func (c *compiler) column(x *columnRef) (*cexpr, error) {
	slot, idx, err := c.resolve(x)
	if err != nil {
		return nil, err
	}
	col := c.scope[slot].table.Columns[idx]
	r := newExpr(x, col.Type)
	r.slot, r.col = slot, idx
	r.slots = 1 << uint(slot)
	if c.nilSafe {
		r.val = func(e *env) Value {
			if row := e.row[slot]; row != nil {
				return row[idx]
			}
			return Value{}
		}
	} else {
		r.val = c.reader(slot, idx)
	}
	return r, nil
}

func (c *compiler) resolve(x *columnRef) (slot, idx int, err error) {
	if x.Table != "" {
		slot = c.tableSlot(x.Table)
		if slot < 0 {
			return 0, 0, c.unknownTable(x)
		}
		t := c.scope[slot].table
		idx = t.columnIndex(x.Name)
		if idx < 0 {
			names := make([]string, len(t.Columns))
			for i, col := range t.Columns {
				names[i] = col.Name
			}
			return 0, 0, errorf(ErrUnknownColumn, x.Pos, "unknown column %q", x.Table+"."+x.Name).
				withHint("%s", didYouMean(x.Name, names))
		}
		return slot, idx, nil
	}
	var found [][2]int
	for s, st := range c.scope {
		if i := st.table.columnIndex(x.Name); i >= 0 && !st.merged[x.Name] {
			found = append(found, [2]int{s, i})
		}
	}
	switch len(found) {
	case 1:
		return found[0][0], found[0][1], nil
	case 0:
		e := errorf(ErrUnknownColumn, x.Pos, "unknown column %q", x.Name)
		if len(c.scope) == 0 {
			return 0, 0, e.withHint("the query has no FROM clause")
		}
		if c.isAlias(x.Name) {
			return 0, 0, e.withHint("a select-list alias can be used in ORDER BY, GROUP BY and HAVING, not here")
		}
		var names []string
		seen := map[string]bool{}
		for _, st := range c.scope {
			for _, col := range st.table.Columns {
				if !seen[col.Name] {
					seen[col.Name] = true
					names = append(names, col.Name)
				}
			}
		}
		if h := didYouMean(x.Name, names); h != "" {
			return 0, 0, e.withHint("%s", h)
		}
		for _, st := range c.schema.tables {
			if st.columnIndex(x.Name) >= 0 {
				return 0, 0, e.withHint("%s has such a column but is not in FROM", st.Name)
			}
		}
		return 0, 0, e
	default:
		var alts []string
		for _, f := range found {
			alts = append(alts, c.scope[f[0]].name()+"."+x.Name)
		}
		sort.Strings(alts)
		return 0, 0, errorf(ErrAmbiguousColumn, x.Pos, "ambiguous column %q", x.Name).
			withHint("qualify it: %s", joinOr(alts))
	}
}

func joinOr(s []string) string {
	out := ""
	for i, x := range s {
		switch {
		case i == 0:
		case i == len(s)-1:
			out += " or "
		default:
			out += ", "
		}
		out += x
	}
	return out
}

func (c *compiler) tableSlot(name string) int {
	for i, st := range c.scope {
		if st.name() == name {
			return i
		}
	}
	return -1
}

func (c *compiler) unknownTable(x *columnRef) error {
	e := errorf(ErrUnknownTable, x.Pos, "unknown table %q", x.Table)
	for _, st := range c.scope {
		if st.item.Table == x.Table && st.item.Alias != "" {
			return e.withHint("it is aliased as %q", st.item.Alias)
		}
	}
	names := make([]string, len(c.scope))
	for i, st := range c.scope {
		names[i] = st.name()
	}
	if h := didYouMean(x.Table, names); h != "" {
		return e.withHint("%s", h)
	}
	if c.schema.Table(x.Table) != nil {
		return e.withHint("add %s to FROM", x.Table)
	}
	return e
}

func (c *compiler) isAlias(name string) bool {
	for _, it := range c.stmt.Items {
		if it.Alias == name {
			return true
		}
	}
	return false
}

// addTable puts a FROM item in scope.
func (c *compiler) addTable(item fromItem) error {
	t := c.schema.Table(item.Table)
	if t == nil {
		names := make([]string, len(c.schema.tables))
		for i, tt := range c.schema.tables {
			names[i] = tt.Name
		}
		return errorf(ErrUnknownTable, item.Pos, "unknown table %q", item.Table).
			withHint("%s", didYouMean(item.Table, names))
	}
	if c.tableSlot(item.Name()) >= 0 {
		return errorf(ErrSyntax, item.Pos, "syntax error: table name %q is used twice", item.Name()).
			withHint("give one of them an alias")
	}
	if len(c.scope) >= 64 {
		return errorf(ErrSyntax, item.Pos, "syntax error: too many tables in FROM (at most 64)")
	}
	c.scope = append(c.scope, scopeTable{item: item, table: t, merged: map[string]bool{}})
	return nil
}
