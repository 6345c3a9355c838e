package query

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		sql  string
		kind error
		msg  string
	}{
		{"select nmae from projects", ErrUnknownColumn, `unknown column "nmae" at 1:8 (did you mean "name"?)`},
		{"select id from projcts", ErrUnknownTable, `unknown table "projcts" at 1:16 (did you mean "projects"?)`},
		{"select p.nme from projects p", ErrUnknownColumn, `unknown column "p.nme" at 1:8 (did you mean "name"?)`},
		{"select projects.id from projects p", ErrUnknownTable, `unknown table "projects" at 1:8 (it is aliased as "p")`},
		{"select id from instances, projects", ErrAmbiguousColumn, `ambiguous column "id" at 1:8 (qualify it: instances.id or projects.id)`},
		{"select id from projects where ram > 1", ErrUnknownColumn, `unknown column "ram" at 1:31 (flavors has such a column but is not in FROM)`},
		{"select name from flavors where ram = 'big'", ErrTypeMismatch, `type mismatch: cannot compare ram (number) with 'big' (string) at 1:36`},
		{"select name from flavors where name = 5", ErrTypeMismatch, `type mismatch: cannot compare name (string) with 5 (number) at 1:37 (quote the value: '5')`},
		{"select id from projects where name regexp '('", ErrInvalidRegexp, `invalid regexp "(" at 1:43 (Go RE2 syntax: missing closing ))`},
		{"select lowr(name) from projects", ErrUnknownFunction, `unknown function lowr() at 1:8 (did you mean "lower"?)`},
		{"select id from projects where count(*) > 1", ErrSyntax, `syntax error: aggregate count() is not allowed here at 1:31 (aggregates belong in the select list, HAVING or ORDER BY)`},
		{"select id from projects where name", ErrTypeMismatch, `type mismatch: WHERE needs a boolean, got name (string) at 1:31`},
		{"select id from projects name regexp :name:", ErrSyntax, `syntax error: unexpected REGEXP, expected a join or WHERE at 1:30 (missing WHERE? write: FROM projects WHERE name REGEXP …)`},
		{"select id from projects where", ErrSyntax, `syntax error: unexpected end of statement, expected an expression at 1:30`},
		{"select 'abc from projects", ErrSyntax, `syntax error: unterminated string at 1:8 (close it with ')`},
		{"delete from projects", ErrSyntax, `syntax error: only SELECT statements are supported, got name "delete" at 1:1`},
		{"select id from projects where id in (select id from projects)", ErrSyntax, `syntax error: subqueries are not supported at 1:38 (use a JOIN)`},
		{"select id from projects p join projects p on p.id = p.id", ErrSyntax, `syntax error: table name "p" is used twice at 1:32 (give one of them an alias)`},
		{"select id from projects limit -1", ErrSyntax, `syntax error: unexpected "-", expected a number or a parameter at 1:31`},
		{"select id from projects left join clouds", ErrSyntax, `syntax error: unexpected end of statement, expected ON or USING at 1:41`},
		{"select id from projects where name like 1", ErrTypeMismatch, `type mismatch: LIKE pattern needs a string, got 1 (number) at 1:41`},
		{"select id from projects where name = :", ErrSyntax, `syntax error: a parameter name must follow ':' at 1:38 (write :name or :name:)`},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := testEngine().Compile(tc.sql)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			assert.Equal(t, tc.msg, err.Error())
		})
	}
}

func TestRunErrors(t *testing.T) {
	db := testDB(t)
	tests := []struct {
		sql  string
		args []any
		kind error
		msg  string
	}{
		{"select id from projects where name = :name: and id = ?", []any{}, ErrMissingParameter, "missing parameter :name:, ?1"},
		{"select id from projects where name = :name:", nil, ErrMissingParameter, "missing parameter :name: at 1:38"},
		{"select id from flavors where ram > :r", []any{Named("r", "lots")}, ErrTypeMismatch, `type mismatch: parameter :r: is used as a number, got 'lots' at 1:36`},
		{"select id from projects where name regexp ?", []any{"a("}, ErrInvalidRegexp, `invalid regexp "a(" in parameter ?1 at 1:43 (Go RE2 syntax: missing closing ))`},
		{"select id from projects limit ?", []any{-3}, ErrInvalidParameter, `invalid parameter ?1: LIMIT and OFFSET need a non-negative integer, got -3 at 1:31`},
		{"select id from projects where name = ?", []any{struct{}{}}, ErrInvalidParameter, `invalid argument 1: query: cannot use struct {} as a value`},
	}
	for _, tc := range tests {
		t.Run(tc.sql, func(t *testing.T) {
			q, err := testEngine().Compile(tc.sql)
			require.NoError(t, err)
			_, err = q.Run(context.Background(), db, tc.args...)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.kind)
			assert.Equal(t, tc.msg, err.Error())
		})
	}
}

func TestStatusOf(t *testing.T) {
	db := testDB(t)
	res, err := testEngine().Batch(context.Background(), db, []Request{{SQL: "select id from projects where; select nmae from projects; select id from projects where id = :x; select id from projects where id = 'p1'"}})
	require.NoError(t, err)
	require.Len(t, res, 4)
	assert.Equal(t, StatusSyntaxError, res[0].Status)
	assert.Equal(t, StatusEvaluationError, res[1].Status)
	assert.Equal(t, StatusMissingParameters, res[2].Status)
	assert.Equal(t, []string{"id"}, res[2].Columns(), "a failed run still carries its columns")
	assert.Equal(t, StatusSuccess, res[3].Status)
	assert.Equal(t, 1, res[3].Count)
	assert.NoError(t, res[3].Err())
	assert.EqualError(t, res[1].Err(), `unknown column "nmae" at 1:39 (did you mean "name"?)`,
		"positions count from the start of the whole text")
	assert.ErrorIs(t, res[1].Err(), ErrUnknownColumn, "a local result keeps its error's kind")
}

func TestSuggest(t *testing.T) {
	assert.Equal(t, "name", suggest("nmae", []string{"id", "name", "state"}))
	assert.Equal(t, "", suggest("zzzzzz", []string{"id", "name"}))
	assert.Equal(t, 1, editDistance("nmae", "name"))
	assert.Equal(t, 3, editDistance("", "abc"))
}
