package query

import (
	"context"
	"fmt"
	"sync"
)

// Database gives a running query the rows of its tables. A row holds one
// Value per column of the table, in the schema's column order.
//
// The engine asks for each table a query reads once per run and never
// modifies the rows it gets, so an implementation can hand out slices it
// keeps (a snapshot of 100,000 rows costs nothing to pass). The rows of one
// run must come from one consistent snapshot: an implementation that
// refreshes its data builds new slices instead of writing into old ones.
type Database interface {
	Rows(ctx context.Context, table string) ([][]Value, error)
}

// FilteringDatabase is an optional interface of a Database that can filter
// rows at the source (for example on a cloud's server). The engine passes
// the simple predicates of a query's WHERE clause that apply to the table;
// the database may return any superset of the matching rows, since the
// engine evaluates the whole WHERE clause again: pushing a filter down never
// changes a result. FilteredRows must not keep preds after it returns:
// the engine reuses them.
type FilteringDatabase interface {
	Database
	FilteredRows(ctx context.Context, table string, preds []Predicate) ([][]Value, error)
}

// Predicate is a simple condition on one column of one table, as pushed to
// a FilteringDatabase: Column Op Value, where Op is one of =, !=, <, <=, >,
// >=, LIKE, REGEXP.
type Predicate struct {
	Column string
	Op     string
	Value  Value
}

// MemDB is an in-memory Database, safe for concurrent use. Set replaces a
// table's rows as a whole, so a query that already got the old rows keeps a
// consistent view.
type MemDB struct {
	mu     sync.RWMutex
	tables map[string][][]Value
	schema *Schema
}

// NewMemDB returns an empty in-memory database for the tables of schema.
// Tables that were never set are empty.
func NewMemDB(schema *Schema) *MemDB {
	return &MemDB{schema: schema, tables: make(map[string][][]Value)}
}

// Set replaces the rows of a table. Every row must have one value per
// column, of the column's type or null.
func (m *MemDB) Set(table string, rows [][]Value) error {
	if err := m.check(table, rows); err != nil {
		return err
	}
	m.mu.Lock()
	m.tables[table] = rows
	m.mu.Unlock()
	return nil
}

func (m *MemDB) check(table string, rows [][]Value) error {
	t := m.schema.Table(table)
	if t == nil {
		return fmt.Errorf("query: set rows: unknown table %q", table)
	}
	for i, r := range rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("query: set rows of %s: row %d has %d values, want %d", table, i, len(r), len(t.Columns))
		}
		for j, v := range r {
			if v.kind != KindNull && v.kind != t.Columns[j].Type.kind() {
				return fmt.Errorf("query: set rows of %s: row %d column %s is a %s, want %s",
					table, i, t.Columns[j].Name, v.kind, t.Columns[j].Type)
			}
		}
	}
	return nil
}

// Rows returns the rows of a table.
func (m *MemDB) Rows(_ context.Context, table string) ([][]Value, error) {
	if m.schema.Table(table) == nil {
		return nil, fmt.Errorf("query: unknown table %q", table)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.tables[table], nil
}
