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

// Engine runs SQL text against a schema and keeps the compiled form of
// recently seen statements, so that a client repeating a query with other
// parameters skips parsing and planning. It is safe for concurrent use.
type Engine struct {
	schema *Schema
	mu     sync.Mutex
	cache  map[string]*Compiled
	order  []string
	max    int
}

// NewEngine returns an engine for schema that caches up to 256 statements.
func NewEngine(schema *Schema) *Engine {
	return &Engine{schema: schema, cache: make(map[string]*Compiled), max: 256}
}

// Schema returns the engine's schema.
func (en *Engine) Schema() *Schema { return en.schema }

// Prepare compiles one statement, or returns it from the cache.
func (en *Engine) Prepare(sql string) (*Compiled, error) {
	en.mu.Lock()
	q, ok := en.cache[sql]
	en.mu.Unlock()
	if ok {
		return q, nil
	}
	q, err := Compile(en.schema, sql)
	if err != nil {
		return nil, err
	}
	en.remember(sql, q)
	return q, nil
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

// Exec runs every ';'-separated statement of sql over db and returns one
// result per statement. It never fails as a whole: a statement that cannot
// be parsed, compiled or run gives a result with its status and message.
// args bind parameters as in Compiled.Run, for every statement.
func (en *Engine) Exec(ctx context.Context, db Database, sql string, args ...any) []*Result {
	stmts, errs := ParseScript(sql)
	out := make([]*Result, len(stmts))
	for i, st := range stmts {
		if errs[i] != nil {
			out[i] = ErrorResult(errs[i], nil)
			continue
		}
		out[i] = en.runStatement(ctx, db, st, args)
	}
	return out
}

func (en *Engine) runStatement(ctx context.Context, db Database, st *Statement, args []any) (res *Result) {
	en.mu.Lock()
	q, ok := en.cache[st.Text]
	en.mu.Unlock()
	if !ok {
		var err error
		if q, err = CompileStatement(en.schema, st); err != nil {
			return ErrorResult(err, nil)
		}
		en.remember(st.Text, q)
	}
	return RunResult(ctx, q, db, args...)
}

// RunResult runs a compiled statement and reports any failure as a Result
// with its status, never as a panic.
func RunResult(ctx context.Context, q *Compiled, db Database, args ...any) (res *Result) {
	defer func() {
		if p := recover(); p != nil {
			res = ErrorResult(&Error{Kind: ErrEvaluation, Msg: fmt.Sprintf("internal error evaluating query: %v", p)}, q.Columns())
		}
	}()
	res, err := q.Run(ctx, db, args...)
	if err != nil {
		return ErrorResult(err, q.Columns())
	}
	return res
}

// Batch runs several requests, each with its own parameters, and returns
// the results of all their statements in order (a request with two
// statements gives two results).
func (en *Engine) Batch(ctx context.Context, db Database, reqs []Request) []*Result {
	var out []*Result
	for _, r := range reqs {
		out = append(out, en.Exec(ctx, db, r.SQL, r.Parameters)...)
	}
	return out
}

// Exec runs every statement of sql over db against schema; see Engine.Exec.
func Exec(ctx context.Context, schema *Schema, db Database, sql string, args ...any) []*Result {
	return NewEngine(schema).Exec(ctx, db, sql, args...)
}
