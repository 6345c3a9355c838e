package query

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func vals(t *testing.T, rows [][]any) [][]Value {
	t.Helper()
	out := make([][]Value, len(rows))
	for i, r := range rows {
		out[i] = make([]Value, len(r))
		for j, x := range r {
			v, err := valueOf(x)
			require.NoError(t, err)
			out[i][j] = v
		}
	}
	return out
}

func TestRun(t *testing.T) {
	db := testDB(t)
	tests := []struct {
		name string
		sql  string
		args []any
		cols []string
		rows [][]any
	}{
		{"seed 001 with WHERE", "select id, name from projects where name regexp :name: order by name asc",
			[]any{Named("name", "selenium")}, []string{"id", "name"}, [][]any{{"p3", "selenium"}}},
		{"star gives bare names", "SELECT * FROM clouds ORDER BY id", nil,
			[]string{"id", "type"}, [][]any{{"mock1", "mock"}, {"os1", "openstack"}}},
		{"qualified names stay as written", "select clouds.id, c.type from clouds, clouds c where clouds.id = c.id and c.type = 'mock'", nil,
			[]string{"clouds.id", "c.type"}, [][]any{{"mock1", "mock"}}},
		{"alias with and without AS", "select id as i, type t from clouds where id = 'os1'", nil,
			[]string{"i", "t"}, [][]any{{"os1", "openstack"}}},
		{"t.*", "select c.* from clouds c where c.type = ?", []any{"openstack"},
			[]string{"id", "type"}, [][]any{{"os1", "openstack"}}},
		{"inner join", "select i.name, p.name from instances i join projects p on i.project_id = p.id where p.name = 'project-one' order by i.name", nil,
			[]string{"i.name", "p.name"}, [][]any{{"web-1", "project-one"}, {"web-2", "project-one"}}},
		{"left join keeps unmatched with nulls", "select instances.name, images.name from instances left join images on instances.image_id = images.id order by instances.name", nil,
			[]string{"instances.name", "images.name"}, [][]any{{"db-1", nil}, {"orphan", "ubuntu"}, {"test", nil}, {"web-1", "ubuntu"}, {"web-2", "centos"}}},
		{"left join on two keys", "select instances.name, flavors.name from instances left outer join flavors on instances.project_id = flavors.project_id and instances.flavor_id = flavors.id order by 1", nil,
			[]string{"instances.name", "flavors.name"}, [][]any{{"db-1", "tiny"}, {"orphan", nil}, {"test", nil}, {"web-1", "m1.small"}, {"web-2", "m1.large"}}},
		{"right join", "select instances.name, projects.name from instances right join projects on instances.project_id = projects.id and instances.state = 'error' order by projects.name", nil,
			[]string{"instances.name", "projects.name"}, [][]any{{nil, "project-one"}, {nil, "project-two"}, {"test", "selenium"}}},
		{"using", "select instances.name, key, value, cloud_id from instance_metadata join instances on instance_metadata.instance_id = instances.id join projects using (cloud_id) where key = 'role' and projects.id = 'p1' order by value", nil,
			[]string{"instances.name", "key", "value", "cloud_id"}, [][]any{{"db-1", "role", "db", "os1"}, {"web-1", "role", "web", "os1"}}},
		{"natural join merges columns", "select count(*) from image_metadata natural join project_images", nil,
			[]string{"count(*)"}, [][]any{{0}}},
		{"cross join", "select count(*) c from clouds cross join projects", nil, []string{"c"}, [][]any{{6}}},
		{"where with a join condition in WHERE", "select instances.id from instances, projects where instances.project_id = projects.id and projects.cloud_type = 'mock'", nil,
			[]string{"instances.id"}, [][]any{{"d"}}},
		{"like and not like", "select name from instances where name like 'web-_' and name not like '%2' ", nil,
			[]string{"name"}, [][]any{{"web-1"}}},
		{"regexp is unanchored", "select name from instances where name regexp 'eb-' order by name", nil,
			[]string{"name"}, [][]any{{"web-1"}, {"web-2"}}},
		{"in, not in", "select id from instances where state in ('error', 'shutoff') and id not in ('b') ", nil,
			[]string{"id"}, [][]any{{"d"}}},
		{"between", "select name from flavors where ram between 1000 and 9000 order by ram", nil,
			[]string{"name"}, [][]any{{"m1.small"}, {"m1.large"}}},
		{"not between", "select name from flavors where ram not between 1000 and 9000", nil,
			[]string{"name"}, [][]any{{"tiny"}}},
		{"is null", "select id from instances where flavor_id is null", nil, []string{"id"}, [][]any{{"d"}}},
		{"is not null with !", "select id from instances where !(image_id is not null)", nil, []string{"id"}, [][]any{{"c"}}},
		{"and binds tighter than or", "select id from instances where state = 'error' or state = 'launched' and name = 'web-1' order by id", nil,
			[]string{"id"}, [][]any{{"a"}, {"d"}}},
		{"xor, &&, ||", "select id from instances where (state = 'launched' xor cloud_type = 'openstack') || (id = 'd' && name = 'test') order by id", nil,
			[]string{"id"}, [][]any{{"b"}, {"d"}}},
		{"null comparisons are unknown", "select count(*) from instances where fqdn = 'x' or not (fqdn = 'x')", nil,
			[]string{"count(*)"}, [][]any{{0}}},
		{"null-safe equality", "select count(*) from instances where fqdn <=> null", nil, []string{"count(*)"}, [][]any{{5}}},
		{"functions", "select upper(name), length(name), concat(name, '-', ram), substring(name, 4), abs(-ram), round(ram / 3, 1) from flavors where id = 'f1' and project_id = 'p1'", nil,
			[]string{"upper(name)", "length(name)", "concat(name, '-', ram)", "substring(name, 4)", "abs(-ram)", "round(ram / 3, 1)"},
			[][]any{{"M1.SMALL", 8, "m1.small-2048", "small", 2048, 682.7}}},
		{"coalesce and lower", "select coalesce(notes, lower('NONE')) from flavors order by ram", nil,
			[]string{"coalesce(notes, lower('NONE'))"}, [][]any{{"none"}, {"none"}, {"big"}}},
		{"group by with aggregates", "select project_id, count(*) n, min(ram), max(ram), sum(vcpus), avg(ram) from flavors group by project_id order by project_id", nil,
			[]string{"project_id", "n", "min(ram)", "max(ram)", "sum(vcpus)", "avg(ram)"},
			[][]any{{"p1", 2, 2048, 8192, 5, 5120}, {"p2", 1, 512, 512, 1, 512}}},
		{"having on an alias", "select state, count(*) n from instances group by state having n > 1", nil,
			[]string{"state", "n"}, [][]any{{"launched", 3}}},
		{"order by aggregate desc", "select cloud_type, count(distinct state) from instances group by 1 order by count(*) desc", nil,
			[]string{"cloud_type", "count(distinct state)"}, [][]any{{"openstack", 2}, {"mock", 1}}},
		{"aggregate over no rows", "select count(*), max(name) from instances where id = 'zz'", nil,
			[]string{"count(*)", "max(name)"}, [][]any{{0, nil}}},
		{"limit", "select id from instances order by id limit 2", nil, []string{"id"}, [][]any{{"a"}, {"b"}}},
		{"limit off, n", "select id from instances order by id desc limit 1, 2", nil, []string{"id"}, [][]any{{"d"}, {"c"}}},
		{"limit n offset off", "select id from instances order by id limit 2 offset 3", nil, []string{"id"}, [][]any{{"d"}, {"e"}}},
		{"limit as parameter", "select id from instances order by id limit ?", []any{"1"}, []string{"id"}, [][]any{{"a"}}},
		{"limit without order stops early", "select id from instances limit 3", nil, []string{"id"}, [][]any{{"a"}, {"b"}, {"c"}}},
		{"limit 0", "select id from instances limit 0", nil, []string{"id"}, nil},
		{"distinct", "select distinct state from instances order by state", nil, []string{"state"}, [][]any{{"error"}, {"launched"}, {"shutoff"}}},
		{"dotted parameter names", "select id from instances where name = :instances.name: and state = :instances.state", []any{Named("instances.name", "web-1"), Named(":instances.state:", "launched")},
			[]string{"id"}, [][]any{{"a"}}},
		{"same parameter twice", "select id from instances where name = :n or id = :n:", []any{Named("n", "a")}, []string{"id"}, [][]any{{"a"}}},
		{"positional parameters", "select id from instances where state = ? and name like ?", []any{"launched", "%1"}, []string{"id"}, [][]any{{"a"}, {"c"}}},
		{"parameter string becomes a number", "select name from flavors where ram = :ram", []any{Named("ram", "512")}, []string{"name"}, [][]any{{"tiny"}}},
		{"regexp parameter", "select name from projects where name not regexp ? order by name", []any{"^project"}, []string{"name"}, [][]any{{"selenium"}}},
		{"bool columns", "select name from flavors where has_swap = true or is_public = false order by name", nil, []string{"name"}, [][]any{{"m1.large"}, {"tiny"}}},
		{"no FROM", "select 1 + 2 * 3, 'a' = 'a', null is null", nil, []string{"1 + 2 * 3", "'a' = 'a'", "null is null"}, [][]any{{7, true, true}}},
		{"keyword-like column names", "select `key`, instance_metadata.value from instance_metadata where instance_id = 'a' order by key", nil,
			[]string{"`key`", "instance_metadata.value"}, [][]any{{"env", "prod"}, {"role", "web"}}},
		{"comments and case-insensitive keywords", "SeLeCt /* c */ id FrOm clouds -- trailing\n WHERE id = 'os1'", nil, []string{"id"}, [][]any{{"os1"}}},
		{"empty result keeps columns", "select id, name from projects where id = 'none'", nil, []string{"id", "name"}, nil},
		{"division by zero is null", "select ram / 0 from flavors limit 1", nil, []string{"ram / 0"}, [][]any{{nil}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := testEngine().Compile(tc.sql)
			require.NoError(t, err)
			res, err := q.Run(context.Background(), db, tc.args...)
			require.NoError(t, err)
			assert.Equal(t, StatusSuccess, res.Status)
			assert.Equal(t, tc.cols, res.Columns())
			want := vals(t, tc.rows)
			if len(want) == 0 {
				want = [][]Value{}
			}
			assert.Equal(t, want, res.Rows())
			assert.Equal(t, len(tc.rows), res.Count)
		})
	}
}

func TestRunIsReusable(t *testing.T) {
	db := testDB(t)
	q, err := testEngine().Compile("select count(*) from instances where state = :s")
	require.NoError(t, err)
	for state, want := range map[string]float64{"launched": 3, "error": 1, "nope": 0} {
		res, err := q.Run(context.Background(), db, Named("s", state))
		require.NoError(t, err)
		assert.Equal(t, want, res.Rows()[0][0].Num(), state)
	}
}

func TestRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	q, err := testEngine().Compile("select id from instances")
	require.NoError(t, err)
	_, err = q.Run(ctx, testDB(t))
	require.ErrorIs(t, err, context.Canceled)
}

// filterDB records the predicates pushed to it and returns all rows, so a
// test can check that pushing never changes a result.
type filterDB struct {
	*MemDB
	got []Predicate
}

func (f *filterDB) FilteredRows(ctx context.Context, table string, preds []Predicate) ([][]Value, error) {
	f.got = append(f.got, preds...)
	return f.Rows(ctx, table)
}

func TestPushdown(t *testing.T) {
	db := &filterDB{MemDB: testDB(t)}
	q, err := testEngine().Compile("select id from instances where state = ? and name like 'web%' and length(name) > 2 order by id")
	require.NoError(t, err)
	res, err := q.Run(context.Background(), db, "launched")
	require.NoError(t, err)
	assert.Equal(t, vals(t, [][]any{{"a"}}), res.Rows())
	assert.Equal(t, []Predicate{{Column: "state", Op: "=", Value: String("launched")}, {Column: "name", Op: "LIKE", Value: String("web%")}}, db.got)
	assert.Contains(t, q.Explain(), "pushdown to source: state = (parameter) AND name LIKE 'web%'")
}

// TestConjunctionThreeValued checks AND over column conditions, in WHERE
// (split into per-table filters) and as a value, against De Morgan's
// NOT (NOT a OR NOT b OR NOT c), NULLs included.
func TestConjunctionThreeValued(t *testing.T) {
	db := testDB(t)
	preds := []string{"state = 'launched'", "state != 'error'", "fqdn = 'x'", "flavor_id != 'f2'", "image_id = :img",
		"name LIKE 'web%'", "name NOT LIKE '%1'", "flavor_id LIKE :pat", "name REGEXP '^d'", "image_id NOT REGEXP :re",
		"cloud_id = :cloud", "availability_zone != :img"}
	args := []any{Named("img", "i1"), Named("pat", "f%"), Named("re", "9$"), Named("cloud", "os1")}
	nullArgs := []any{Named("img", nil), Named("pat", nil), Named("re", nil), Named("cloud", nil)}
	en := testEngine()
	for i := range preds {
		for j := range preds {
			for k := range preds {
				if i >= j || j >= k {
					continue
				}
				a, b, c := preds[i], preds[j], preds[k]
				fused := "select id, (" + a + " AND " + b + " AND " + c + ") from instances where " + a + " AND " + b + " AND " + c
				plain := "select id, NOT (NOT " + a + " OR NOT " + b + " OR NOT " + c + ") from instances where NOT (NOT " + a + " OR NOT " + b + " OR NOT " + c + ")"
				for _, bind := range [][]any{args, nullArgs} {
					qf, err := en.Compile(fused)
					require.NoError(t, err)
					qp, err := en.Compile(plain)
					require.NoError(t, err)
					rf, err := qf.Run(context.Background(), db, bind...)
					require.NoError(t, err, fused)
					rp, err := qp.Run(context.Background(), db, bind...)
					require.NoError(t, err, plain)
					assert.Equal(t, rp.Rows(), rf.Rows(), "%s with %v", fused, bind)
				}
			}
		}
	}
}

// now() is the run's start, in UTC to the second, the same for every row
// of a run, formatted only when a statement asks for it.
func TestNowIsTheRunsStart(t *testing.T) {
	db := kernelDB()
	q := mustCompile(t, "SELECT now(), id FROM flavors LIMIT 50")
	before := time.Now().UTC().Truncate(time.Second)
	res, err := q.Run(context.Background(), db)
	require.NoError(t, err)
	after := time.Now().UTC()
	require.Equal(t, 50, res.Count)
	first := res.rows[0][0]
	require.Equal(t, KindString, first.kind)
	at, err := time.Parse(time.RFC3339, first.s)
	require.NoError(t, err, "RFC 3339: %q", first.s)
	assert.True(t, !at.Before(before) && !at.After(after), "%s within [%s, %s]", at, before, after)
	assert.True(t, strings.HasSuffix(first.s, "Z"), "UTC: %q", first.s)
	for i, row := range res.rows {
		require.Equal(t, first, row[0], "row %d: one now() a run", i)
	}
	e := env{start: time.Date(2026, 12, 7, 9, 30, 15, 999, time.FixedZone("x", 3600))}
	assert.Equal(t, String("2026-12-07T08:30:15Z"), e.nowValue())
}
