package query

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// errStop ends a scan early once a LIMIT without ORDER BY is satisfied.
var errStop = errors.New("query: enough rows")

// Run executes the statement over db. args bind its parameters: NamedArg
// (see Named), Parameter and []Parameter values bind :name placeholders,
// other values bind the ? placeholders in order. A statement starting with
// EXPLAIN returns its plan, one line a row, in a column named "plan".
//
// The run stays within the Limits of the engine that compiled it (an error
// matching ErrLimit names the bound it hit) and stops soon after ctx is
// done, with an error matching ctx.Err().
func (q *Compiled) Run(ctx context.Context, db Database, args ...any) (*Result, error) {
	r := runners.Get().(*runner)
	defer r.release()
	params, err := q.bindInto(args, r.params1[:])
	if err != nil {
		return nil, err
	}
	if q.explain {
		res := newResult([]string{"plan"})
		for _, line := range q.plan {
			res.rows = append(res.rows, []Value{String(line)})
		}
		res.Count = len(res.rows)
		return res, nil
	}
	matches, err := q.compileMatchers(params)
	if err != nil {
		return nil, err
	}
	limit, offset, err := q.limits(params)
	if err != nil {
		return nil, err
	}
	r.q, r.ctx, r.budget = q, ctx, budget{lim: q.lim}
	row := r.slot1[:0:1]
	if len(q.scope) > 1 {
		row = make([][]Value, len(q.scope))
	} else {
		row = row[:len(q.scope)]
	}
	r.e = env{row: row, params: params, matches: matches}
	if q.usesNow {
		r.e.start = time.Now() // the clock costs ~50 ns: read only when asked
	}
	if err := r.load(db); err != nil {
		return nil, err
	}
	r.out = &r.outc
	r.out.init(q, limit, offset, &r.budget)
	if q.grouped {
		r.groups = newGrouper(q, &r.budget)
	}
	if err := r.scan(); err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	if q.grouped {
		if err := r.groups.finish(&r.e, len(q.scope), r.output); err != nil && !errors.Is(err, errStop) {
			return nil, err
		}
	}
	return r.out.result(q.columns), nil
}

// budget counts what one run holds and examines against its Limits.
type budget struct {
	lim   Limits
	rows  int
	cells int
	work  int
}

// hold accounts for rows more rows of cells values in all.
func (b *budget) hold(rows, cells int) error {
	b.rows += rows
	b.cells += cells
	switch {
	case b.rows > b.lim.Rows:
		return limitf("statement holds more than %d rows (the row limit); narrow it with WHERE or LIMIT", b.lim.Rows)
	case b.cells > b.lim.Cells:
		return limitf("statement holds more than %d values (the cell limit); select fewer columns or rows", b.lim.Cells)
	}
	return nil
}

func (q *Compiled) limits(params []Value) (limit, offset int64, err error) {
	limit = -1
	get := func(s limitSpec) int64 {
		if s.param >= 0 {
			return int64(params[s.param].n)
		}
		return s.n
	}
	if q.limit.set {
		limit = get(q.limit)
	}
	if q.offset.set {
		offset = get(q.offset)
	}
	return limit, offset, nil
}

// runner is the state of one run.
type runner struct {
	q       *Compiled
	ctx     context.Context
	e       env
	rows    [][][]Value // per slot; for slots > 0 already pre-filtered
	index   []*hashIndex
	matched [][]bool // per slot of a RIGHT join: which rows found a partner
	out     *collector
	groups  *grouper
	budget  budget
	// what a one-table statement needs, held here rather than allocated
	// for each run (a lookup by id runs in a few microseconds)
	slot1   [1][]Value
	params1 [4]Value         // the parameters, when there are no more
	preds1  [4]Predicate     // the pushed conditions of a table, when no more
	sel1    [batchRows]int32 // the kept rows of a batch
	rows1   [1][][]Value
	outc    collector
}

// runners holds runners between runs: a runner is some 600 bytes, and a
// lookup by id allocates little else. Nothing a run returns points into
// its runner (the result's rows live in chunks of their own).
var runners = sync.Pool{New: func() any { return new(runner) }}

// release clears r, so that the pool holds no rows, and returns it.
func (r *runner) release() {
	*r = runner{}
	runners.Put(r)
}

// tick counts one row combination examined; every 1024 it checks the join
// work bound and the context, which keeps the check off the per-row cost.
func (r *runner) tick() error {
	r.budget.work++
	if r.budget.work&1023 != 0 {
		return nil
	}
	return r.checkpoint()
}

// examine counts n row combinations examined at once, checking the bounds
// as tick would have on the way.
func (r *runner) examine(n int) error {
	before := r.budget.work
	r.budget.work += n
	if before>>10 == r.budget.work>>10 {
		return nil
	}
	return r.checkpoint()
}

func (r *runner) checkpoint() error {
	if r.budget.work > r.q.lim.JoinWork {
		return limitf("statement examines more than %d row combinations (the join work limit); join on equal columns or narrow it with WHERE", r.q.lim.JoinWork)
	}
	if err := r.ctx.Err(); err != nil {
		return canceled(err)
	}
	return nil
}

// load fetches the rows of every table once, builds the hash indexes of the
// joined tables, and pre-filters them.
func (r *runner) load(db Database) error {
	q := r.q
	n := len(q.scope)
	if n == 1 {
		r.rows = r.rows1[:]
	} else {
		r.rows = make([][][]Value, n)
		r.index = make([]*hashIndex, n)
		r.matched = make([][]bool, n)
	}
	cache := map[string][][]Value{}
	for k, st := range q.scope {
		step := &q.steps[k]
		var rows [][]Value
		var err error
		fdb, canFilter := db.(FilteringDatabase)
		if canFilter && len(step.push) > 0 {
			preds := r.preds1[:min(len(step.push), len(r.preds1))]
			if len(step.push) > len(r.preds1) {
				preds = make([]Predicate, len(step.push))
			}
			for i, p := range step.push {
				v := p.konst
				if p.param >= 0 {
					v = r.e.params[p.param]
				}
				preds[i] = Predicate{Column: p.column, Op: p.op, Value: v}
			}
			rows, err = fdb.FilteredRows(r.ctx, st.item.Table, preds)
		} else if cached, ok := cache[st.item.Table]; ok {
			rows = cached
		} else {
			rows, err = db.Rows(r.ctx, st.item.Table)
			cache[st.item.Table] = rows
		}
		if err != nil {
			if ctxErr := r.ctx.Err(); ctxErr != nil {
				return canceled(ctxErr)
			}
			return &Error{Kind: ErrEvaluation, Msg: fmt.Sprintf("read table %s: %v", st.item.Table, err), Err: err}
		}
		if k > 0 {
			// The first table's rows are checked batch by batch as the
			// scan reads them; a joined table's, here, in full.
			if err := checkWidth(st.table, rows, 0); err != nil {
				return err
			}
			if rows, err = r.prefilter(step, rows); err != nil {
				return err
			}
			if step.key != keyNone {
				r.index[k] = buildIndex(&r.e, step, rows)
			}
			if step.kind == joinRight {
				r.matched[k] = make([]bool, len(rows))
			}
		}
		r.rows[k] = rows
	}
	return r.checkpoint()
}

// checkWidth checks that every row has one value per column of t (a
// Database is not trusted to); first is the index of rows[0] in the table.
func checkWidth(t *Table, rows [][]Value, first int) error {
	for i, row := range rows {
		if len(row) != len(t.Columns) {
			return &Error{Kind: ErrEvaluation,
				Msg: fmt.Sprintf("table %s: row %d has %d values, want %d", t.Name, first+i, len(row), len(t.Columns))}
		}
	}
	return nil
}

func (r *runner) prefilter(step *joinStep, rows [][]Value) ([][]Value, error) {
	if step.prefilter == nil {
		return rows, nil
	}
	if forceRowAtATime {
		return r.prefilterRows(step, rows)
	}
	kf := &step.kernels
	width := len(r.q.scope[step.slot].table.Columns)
	sel := make([]int32, min(batchRows, len(rows)))
	var out [][]Value
	for lo := 0; lo < len(rows); lo += batchRows {
		if lo > 0 {
			if err := r.checkpoint(); err != nil {
				return nil, err
			}
		}
		batch := rows[lo:min(lo+batchRows, len(rows))]
		keep, _ := kf.filter(&r.e, batch, sel, width) // widths checked in load already
		for _, i := range keep {
			if kf.rest != nil {
				r.e.row[step.slot] = batch[i]
				if kf.rest(&r.e) != triTrue {
					continue
				}
			}
			out = append(out, batch[i])
		}
	}
	r.e.row[step.slot] = nil
	return out, nil
}

// prefilterRows is prefilter without the kernels, row by row through the
// conditions' condFn: the reference the kernels are tested against.
func (r *runner) prefilterRows(step *joinStep, rows [][]Value) ([][]Value, error) {
	var out [][]Value
	for i, row := range rows {
		if i&1023 == 1023 {
			if err := r.checkpoint(); err != nil {
				return nil, err
			}
		}
		r.e.row[step.slot] = row
		if step.prefilter(&r.e) == triTrue {
			out = append(out, row)
		}
	}
	r.e.row[step.slot] = nil
	return out, nil
}

// scan drives the pipeline from the rows of the first table, then lets
// every RIGHT join add its unmatched rows.
func (r *runner) scan() error {
	q := r.q
	if len(q.scope) == 0 {
		if len(q.steps) == 1 && q.steps[0].filter(&r.e) != triTrue {
			return nil
		}
		return r.sink()
	}
	// One table, no groups, no HAVING: a row that passes goes straight to
	// the output.
	direct := len(q.steps) == 1 && r.groups == nil && q.having == nil
	scan := r.scanBatches
	if forceRowAtATime {
		scan = r.scanRows
	}
	if err := scan(direct); err != nil {
		return err
	}
	return r.rightJoins()
}

// scanBatches reads the first table in batches: the kernels of its
// conditions filter a batch, then each row they kept goes on (checked
// against the other conditions, joined, output). The rows of a batch count
// as examined when the batch starts.
func (r *runner) scanBatches(direct bool) error {
	q := r.q
	kf := &q.steps[0].kernels
	// When the result is plain columns, unsorted, the collector takes the
	// rows a batch kept at once.
	whole := direct && r.out.direct()
	rows, table := r.rows[0], q.scope[0].table
	width := len(table.Columns)
	sel := r.sel1[:min(batchRows, len(rows))]
	for lo := 0; lo < len(rows); lo += batchRows {
		batch := rows[lo:min(lo+batchRows, len(rows))]
		if err := r.examine(len(batch)); err != nil {
			return err
		}
		keep, ok := kf.filter(&r.e, batch, sel, width)
		if !ok {
			return checkWidth(table, rows[lo:], lo)
		}
		if whole {
			if kf.rest != nil {
				n := 0
				for _, i := range keep {
					r.e.row[0] = batch[i]
					if kf.rest(&r.e) == triTrue {
						keep[n] = i
						n++
					}
				}
				keep = keep[:n]
			}
			if err := r.out.addRows(batch, keep); err != nil {
				return err
			}
			continue
		}
		for _, i := range keep {
			r.e.row[0] = batch[i]
			if kf.rest != nil && kf.rest(&r.e) != triTrue {
				continue
			}
			if err := r.next(direct); err != nil {
				return err
			}
		}
	}
	return nil
}

// scanRows is scanBatches without the kernels, row by row through the
// conditions' condFn and the collector's add: the reference the kernels
// and addRows are tested against.
func (r *runner) scanRows(direct bool) error {
	if err := checkWidth(r.q.scope[0].table, r.rows[0], 0); err != nil {
		return err
	}
	pre := r.q.steps[0].prefilter
	for _, row := range r.rows[0] {
		if err := r.tick(); err != nil {
			return err
		}
		r.e.row[0] = row
		if pre != nil && pre(&r.e) != triTrue {
			continue
		}
		if err := r.next(direct); err != nil {
			return err
		}
	}
	return nil
}

// next passes on a row of the first table that its conditions kept:
// straight to the output, or to the next join step.
func (r *runner) next(direct bool) error {
	if direct {
		return r.out.add(&r.e)
	}
	return r.step(1)
}

// rightJoins lets every RIGHT join add the rows of its table that found no
// partner.
func (r *runner) rightJoins() error {
	q := r.q
	for k := 1; k < len(q.steps); k++ {
		if q.steps[k].kind != joinRight {
			continue
		}
		step := &q.steps[k]
		for j := 0; j < k; j++ {
			r.e.row[j] = nil
		}
		for i, row := range r.rows[k] {
			if r.matched[k][i] {
				continue
			}
			if err := r.tick(); err != nil {
				return err
			}
			r.e.row[k] = row
			if step.filter != nil && step.filter(&r.e) != triTrue {
				continue
			}
			if err := r.step(k + 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// step joins table slot k to the current row of the tables before it.
func (r *runner) step(k int) error {
	if k == len(r.q.steps) {
		return r.sink()
	}
	s := &r.q.steps[k]
	rows := r.rows[k]
	e := &r.e
	matched := false
	if idx := r.index[k]; idx != nil {
		for j := idx.lookup(e, s.probe); j >= 0; j = idx.next[j] {
			if err := r.tick(); err != nil {
				return err
			}
			e.row[k] = rows[j]
			if s.on != nil && s.on(e) != triTrue {
				continue
			}
			matched = true
			if r.matched[k] != nil {
				r.matched[k][j] = true
			}
			if s.filter != nil && s.filter(e) != triTrue {
				continue
			}
			if err := r.step(k + 1); err != nil {
				return err
			}
		}
	} else {
		for j, row := range rows {
			if err := r.tick(); err != nil {
				return err
			}
			e.row[k] = row
			if s.on != nil && s.on(e) != triTrue {
				continue
			}
			matched = true
			if r.matched[k] != nil {
				r.matched[k][j] = true
			}
			if s.filter != nil && s.filter(e) != triTrue {
				continue
			}
			if err := r.step(k + 1); err != nil {
				return err
			}
		}
	}
	if !matched && s.kind == joinLeft {
		e.row[k] = nil
		if s.filter == nil || s.filter(e) == triTrue {
			return r.step(k + 1)
		}
	}
	return nil
}

// sink receives each joined row: into the groups of a grouped query, or to
// the output.
func (r *runner) sink() error {
	if r.groups != nil {
		return r.groups.add(&r.e)
	}
	return r.output()
}

func (r *runner) output() error {
	if r.q.having != nil && r.q.having(&r.e) != triTrue {
		return nil
	}
	return r.out.add(&r.e)
}
