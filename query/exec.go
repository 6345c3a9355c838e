package query

import (
	"context"
	"fmt"
	"sync"
)

// Request is one entry of a Query API request body:
// {"sql": "select …", "parameters": [{"name": "name", "value": "selenium"}]}.
type Request struct {
	SQL        string      `json:"sql"`
	Parameters []Parameter `json:"parameters"`
}

// Limits bound the work of the statements an Engine runs, so that no
// statement and no request can take the process's memory or time. A
// statement that goes over a bound fails with an error matching ErrLimit
// that names the bound; a field left zero takes its default.
type Limits struct {
	// Rows is how many rows one statement may hold: result rows (before
	// OFFSET and LIMIT apply, after WHERE), groups and distinct values.
	// Default 200,000.
	Rows int
	// Cells is how many values one statement may hold in those rows
	// (columns and ORDER BY keys of each). Default 1,000,000, about 32 MB.
	Cells int
	// JoinWork is how many row combinations one statement may examine
	// while scanning and joining its tables. Default 10,000,000.
	JoinWork int
	// Statements is how many statements one Batch may run. Default 100.
	Statements int
	// FilterValues is how many values one field of a URL filter may carry
	// (?hostname=a&hostname=b is two). Default 100.
	FilterValues int
	// FilterParams is how many parameters one URL filter may carry, o=
	// included. Default 500.
	FilterParams int
}

// The defaults of Limits.
const (
	defaultRows         = 200_000
	defaultCells        = 1_000_000
	defaultJoinWork     = 10_000_000
	defaultStatements   = 100
	defaultFilterValues = 100
	defaultFilterParams = 500
)

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.Rows, defaultRows)
	def(&l.Cells, defaultCells)
	def(&l.JoinWork, defaultJoinWork)
	def(&l.Statements, defaultStatements)
	def(&l.FilterValues, defaultFilterValues)
	def(&l.FilterParams, defaultFilterParams)
	return l
}

// Option tunes an Engine.
type Option func(*Engine)

// WithLimits sets the bounds of the engine's statements and requests.
func WithLimits(l Limits) Option { return func(en *Engine) { en.limits = l.withDefaults() } }

// Engine compiles and runs statements of the dialect against a schema,
// within its Limits. It keeps the compiled form of recently seen
// statements, so that a client repeating a query with other parameters
// skips parsing and planning. It is safe for concurrent use.
type Engine struct {
	schema *Schema
	limits Limits
	mu     sync.Mutex
	cache  map[string]*Compiled
	order  []string
	max    int
}

// NewEngine returns an engine for schema that caches up to 256 statements.
func NewEngine(schema *Schema, opts ...Option) *Engine {
	en := &Engine{schema: schema, limits: Limits{}.withDefaults(), cache: make(map[string]*Compiled), max: 256}
	for _, o := range opts {
		o(en)
	}
	return en
}

// Compile parses and compiles one statement (a trailing ';' is allowed),
// or returns it from the cache. Run the result any number of times.
func (en *Engine) Compile(sql string) (*Compiled, error) {
	if q := en.cached(sql); q != nil {
		return q, nil
	}
	st, err := parse(sql)
	if err != nil {
		return nil, err
	}
	q, err := compileStatement(en.schema, st, en.limits)
	if err != nil {
		return nil, err
	}
	en.remember(sql, q)
	return q, nil
}

func (en *Engine) cached(sql string) *Compiled {
	en.mu.Lock()
	defer en.mu.Unlock()
	return en.cache[sql]
}

func (en *Engine) remember(sql string, q *Compiled) {
	en.mu.Lock()
	defer en.mu.Unlock()
	if _, ok := en.cache[sql]; ok {
		return
	}
	if len(en.order) >= en.max {
		delete(en.cache, en.order[0])
		en.order = en.order[1:]
	}
	en.cache[sql] = q
	en.order = append(en.order, sql)
}

// Batch runs the requests of a Query API call (POST /query) over db, each
// with its own parameters, and returns one result per statement, in order:
// a request whose SQL holds two ';'-separated statements gives two
// results. A statement that fails is a result with its status and message.
// A request whose text cannot even be cut into statements (an unterminated
// string or comment) is one syntax_error result, and none of its
// statements run.
//
// Batch runs every statement or none: when the requests hold more than
// Limits.Statements statements it runs nothing and returns an error
// matching ErrLimit. Once ctx is done, the statements left are results
// reporting the cancellation.
func (en *Engine) Batch(ctx context.Context, db Database, reqs []Request) ([]*Result, error) {
	scripts := make([]script, len(reqs))
	total := 0
	for i, r := range reqs {
		scripts[i] = parseScript(r.SQL)
		total += scripts[i].results()
		if total > en.limits.Statements {
			return nil, &Error{Kind: ErrLimit,
				Msg: fmt.Sprintf("too many statements: more than %d in one request", en.limits.Statements)}
		}
	}
	out := make([]*Result, 0, total)
	for i, sc := range scripts {
		if sc.err != nil {
			out = append(out, errorResult(sc.err, nil))
			continue
		}
		for j, st := range sc.stmts {
			if sc.errs[j] != nil {
				out = append(out, errorResult(sc.errs[j], nil))
				continue
			}
			out = append(out, en.runStatement(ctx, db, st, reqs[i].Parameters))
		}
	}
	return out, nil
}

func (en *Engine) runStatement(ctx context.Context, db Database, st *statement, params []Parameter) *Result {
	if err := ctx.Err(); err != nil {
		return errorResult(canceled(err), nil)
	}
	q := en.cached(st.Text)
	if q == nil {
		var err error
		if q, err = compileStatement(en.schema, st, en.limits); err != nil {
			return errorResult(err, nil)
		}
		en.remember(st.Text, q)
	}
	return runResult(ctx, q, db, params)
}

// runResult runs a compiled statement and reports any failure as a Result
// with its status, never as a panic.
func runResult(ctx context.Context, q *Compiled, db Database, params []Parameter) (res *Result) {
	defer func() {
		if p := recover(); p != nil {
			res = errorResult(&Error{Kind: ErrEvaluation, Msg: fmt.Sprintf("internal error evaluating query: %v", p)}, q.Columns())
		}
	}()
	res, err := q.Run(ctx, db, params)
	if err != nil {
		return errorResult(err, q.Columns())
	}
	return res
}
