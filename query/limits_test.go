package query

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fleetDB holds n instances (and nothing else), as issue 16's attack had 15.
func fleetDB(t testing.TB, n int) *MemDB {
	t.Helper()
	db := NewMemDB(testSchema)
	rows := make([][]Value, n)
	s := String
	for i := range rows {
		id := "i" + itoa(i)
		rows[i] = []Value{s(id), s("r-" + id), s("vm-" + itoa(i)), s("os1"), s("openstack"), s("p1"), Null(), Null(),
			s("launched"), s("2024-02-01T00:00:00Z"), s("2024-01-15T00:00:00Z"), Null(), s("10.0.0.1"), Null()}
	}
	require.NoError(t, db.Set(tableInstances, rows))
	return db
}

// selfJoin is "select * from instances a, instances b, …" with n tables.
func selfJoin(sel string, n int) string {
	from := make([]string, n)
	for i := range from {
		from[i] = "instances t" + itoa(i)
	}
	return "select " + sel + " from " + strings.Join(from, ", ")
}

// TestStatementBudget runs issue 16's statements: each would hold or
// examine far more than its bound (the 4-way join is 50,625 rows of 56
// values, +470 MB in the server), and each fails with an error naming the
// bound, having held at most the bound.
func TestStatementBudget(t *testing.T) {
	db := fleetDB(t, 15)
	tests := []struct {
		name   string
		sql    string
		limits Limits
		msg    string
	}{
		{"4-way join: cells", selfJoin("*", 4), Limits{},
			"statement holds more than 1000000 values (the cell limit); select fewer columns or rows"},
		{"4-way join of ids: rows", selfJoin("t0.id, t1.id, t2.id, t3.id", 4), Limits{Rows: 10_000},
			"statement holds more than 10000 rows (the row limit); narrow it with WHERE or LIMIT"},
		{"7-way count: join work", selfJoin("count(*)", 7), Limits{JoinWork: 1_000_000},
			"statement examines more than 1000000 row combinations (the join work limit); join on equal columns or narrow it with WHERE"},
		{"groups", "select t0.id, t1.id, count(*) from instances t0, instances t1, instances t2 group by t0.id, t1.id, t2.id",
			Limits{Rows: 1000}, "statement holds more than 1000 rows (the row limit); narrow it with WHERE or LIMIT"},
		{"distinct", "select distinct t0.id, t1.id, t2.id from instances t0, instances t1, instances t2",
			Limits{Rows: 1000}, "statement holds more than 1000 rows (the row limit); narrow it with WHERE or LIMIT"},
		{"count distinct", "select count(distinct concat(t0.id, t1.id, t2.id)) from instances t0, instances t1, instances t2",
			Limits{Rows: 1000}, "statement holds more than 1000 rows (the row limit); narrow it with WHERE or LIMIT"},
		{"order by with a large limit", selfJoin("*", 4) + " order by t0.name limit 1000000", Limits{},
			"statement holds more than 1000000 values (the cell limit); select fewer columns or rows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := testEngine(WithLimits(tc.limits)).Compile(tc.sql)
			require.NoError(t, err)
			n := allocated(func() { _, err = q.Run(context.Background(), db) })
			require.ErrorIs(t, err, ErrLimit)
			assert.EqualError(t, err, tc.msg)
			t.Logf("%.1f MB allocated", float64(n)/(1<<20))
			assert.Less(t, n, uint64(maxAttackBytes))
		})
	}
	q, err := testEngine().Compile(selfJoin("t0.id, t1.id", 2) + " order by t0.id, t1.id limit 3")
	require.NoError(t, err)
	res, err := q.Run(context.Background(), db)
	require.NoError(t, err, "within the bounds a join runs")
	assert.Equal(t, 3, res.Count)
}

// TestManyOrderKeys: 10,000 ORDER BY keys made every chunk of collected
// rows 2,048 × 10,001 values (655 MB); chunks now hold what the rows need.
func TestManyOrderKeys(t *testing.T) {
	db := fleetDB(t, 15)
	sql := "select id from instances order by " + strings.Repeat("name, ", 9999) + "name"
	var res *Result
	n := allocated(func() {
		q, err := testEngine().Compile(sql)
		require.NoError(t, err)
		res, err = q.Run(context.Background(), db)
		require.NoError(t, err)
	})
	assert.Equal(t, 15, res.Count)
	t.Logf("%.1f MB allocated", float64(n)/(1<<20))
	assert.Less(t, n, uint64(maxAttackBytes))
}

// TestRunStopsWhenCanceled runs a join of 15^9 (38 billion) combinations
// with the join work bound lifted: only the context can stop it.
func TestRunStopsWhenCanceled(t *testing.T) {
	db := fleetDB(t, 15)
	q, err := testEngine(WithLimits(Limits{JoinWork: 1 << 62})).Compile(selfJoin("count(*)", 9))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := q.Run(ctx, db)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, ErrEvaluation)
		assert.EqualError(t, err, "query stopped: context canceled")
	case <-time.After(10 * time.Second):
		t.Fatal("the statement went on after its context was canceled")
	}
}

// countingDB counts the table reads, to show what ran.
type countingDB struct {
	*MemDB
	reads atomic.Int64
}

func (c *countingDB) Rows(ctx context.Context, table string) ([][]Value, error) {
	c.reads.Add(1)
	return c.MemDB.Rows(ctx, table)
}

func TestBatchRunsEveryStatementOrNone(t *testing.T) {
	ctx := context.Background()
	db := &countingDB{MemDB: testDB(t)}
	en := testEngine(WithLimits(Limits{Statements: 3}))

	res, err := en.Batch(ctx, db, []Request{{SQL: "select id from instances where id = 'a'; drop table instances"}})
	require.NoError(t, err)
	require.Len(t, res, 2, "the statement after ';' is not dropped")
	assert.Equal(t, StatusSuccess, res[0].Status)
	assert.Equal(t, StatusSyntaxError, res[1].Status)
	assert.Equal(t, `syntax error: only SELECT statements are supported, got name "drop" at 1:42`, res[1].Message)

	_, err = en.Compile("select id from instances; drop table instances")
	assert.ErrorIs(t, err, ErrSyntax, "one statement is asked for: several are refused")

	before := db.reads.Load()
	res, err = en.Batch(ctx, db, []Request{{SQL: "select id from instances; select 'unterminated"}})
	require.NoError(t, err)
	require.Len(t, res, 1, "a text that cannot be cut into statements is one error")
	assert.Equal(t, StatusSyntaxError, res[0].Status)
	assert.Equal(t, before, db.reads.Load(), "and none of its statements ran")

	res, err = en.Batch(ctx, db, []Request{{SQL: "select 1; select 2"}, {SQL: "select id from instances; select 4"}})
	require.ErrorIs(t, err, ErrLimit)
	assert.EqualError(t, err, "too many statements: more than 3 in one request")
	assert.Nil(t, res)
	assert.Equal(t, before, db.reads.Load(), "nothing ran")
}

func TestBatchCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := testEngine().Batch(ctx, testDB(t), []Request{{SQL: "select id from instances; select 1"}})
	require.NoError(t, err)
	require.Len(t, res, 2)
	for _, r := range res {
		assert.Equal(t, StatusEvaluationError, r.Status)
		assert.True(t, errors.Is(r.Err(), context.Canceled), r.Message)
	}
}
