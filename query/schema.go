package query

import "fmt"

// Type is the static type of a column or an expression.
type Type uint8

// The static types. TypeAny is the type of a NULL literal or of a parameter
// whose type cannot be inferred from its context.
const (
	TypeAny Type = iota
	TypeString
	TypeNumber
	TypeBool
)

// String returns the lower-case name of the type.
func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeNumber:
		return "number"
	case TypeBool:
		return "boolean"
	default:
		return "any"
	}
}

func (t Type) kind() Kind {
	switch t {
	case TypeString:
		return KindString
	case TypeNumber:
		return KindNumber
	case TypeBool:
		return KindBool
	default:
		return KindNull
	}
}

// Column describes one column of a table.
type Column struct {
	Name     string
	Type     Type
	Nullable bool
}

// Table describes one table: its name and its columns in row order. A row
// given by a Database holds exactly one Value per column, in this order.
type Table struct {
	Name    string
	Columns []Column
	index   map[string]int
}

// NewTable returns a table with the given columns.
func NewTable(name string, cols ...Column) *Table {
	t := &Table{Name: name, Columns: cols, index: make(map[string]int, len(cols))}
	for i, c := range cols {
		t.index[c.Name] = i
	}
	return t
}

// columnIndex returns the position of the named column, or -1.
func (t *Table) columnIndex(name string) int {
	if i, ok := t.index[name]; ok {
		return i
	}
	return -1
}

// Schema is a set of tables, looked up by exact name.
type Schema struct {
	tables []*Table
	byName map[string]*Table
}

// NewSchema returns a schema holding the given tables; table names must be
// unique.
func NewSchema(tables ...*Table) (*Schema, error) {
	s := &Schema{byName: make(map[string]*Table, len(tables))}
	for _, t := range tables {
		if _, dup := s.byName[t.Name]; dup {
			return nil, fmt.Errorf("query: table %q defined twice", t.Name)
		}
		seen := make(map[string]bool, len(t.Columns))
		for _, c := range t.Columns {
			if seen[c.Name] {
				return nil, fmt.Errorf("query: column %q defined twice in table %q", c.Name, t.Name)
			}
			seen[c.Name] = true
		}
		s.byName[t.Name] = t
		s.tables = append(s.tables, t)
	}
	return s, nil
}

// Table returns the named table, or nil.
func (s *Schema) Table(name string) *Table { return s.byName[name] }

// Tables returns every table in definition order.
func (s *Schema) Tables() []*Table { return append([]*Table(nil), s.tables...) }
