package query

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResultJSONIsSeed001Shape(t *testing.T) {
	db := testDB(t)
	var reqs []Request
	require.NoError(t, json.Unmarshal([]byte(`[ {
	  "sql" : "select id, name from projects where name regexp :name: order by name asc",
	  "parameters" : [ { "name" : "name", "value" : "project" } ]
	}, {"sql": "select id from projects where id = 'none'; select nope from projects", "parameters": []} ]`), &reqs))
	res, err := testEngine().Batch(context.Background(), db, reqs)
	require.NoError(t, err)
	got, err := json.Marshal(res)
	require.NoError(t, err)
	assert.JSONEq(t, `[
	 {"status":"success","count":2,"data":{"columnName":["id","name"],"row":[{"value":["p1","project-one"]},{"value":["p2","project-two"]}]},"message":""},
	 {"status":"success","count":0,"data":{"columnName":["id"],"row":[]},"message":""},
	 {"status":"evaluation_error","count":0,"data":{"columnName":[],"row":[]},"message":"unknown column \"nope\" at 1:51 (did you mean \"name\"?)"}
	]`, string(got))

	var back []*Result
	require.NoError(t, json.Unmarshal(got, &back))
	assert.Equal(t, res[0].Rows(), back[0].Rows())
	assert.Equal(t, [][]Value{}, back[2].Rows())
	assert.Equal(t, StatusEvaluationError, back[2].Status)
	assert.EqualError(t, back[2].Err(), `evaluation_error: unknown column "nope" at 1:51 (did you mean "name"?)`)
}

func TestValueJSON(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		json string
	}{
		{String("a\"b<"), `"a\"b\u003c"`}, {Number(1024), `1024`}, {Number(0.5), `0.5`},
		{Bool(true), `true`}, {Null(), `null`},
	} {
		b, err := json.Marshal(tc.v)
		require.NoError(t, err)
		assert.Equal(t, tc.json, string(b))
		var back Value
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, tc.v, back)
	}
	var v Value
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &v))
	assert.Error(t, json.Unmarshal([]byte(`{}`), &v))
}

func TestScan(t *testing.T) {
	db := testDB(t)
	q, err := testEngine().Compile("select name, ram, has_swap, notes, project_id, ram AS size from flavors order by ram")
	require.NoError(t, err)
	res, err := q.Run(context.Background(), db)
	require.NoError(t, err)
	type flavor struct {
		Name    string
		RAM     int `query:"ram"`
		HasSwap bool
		Notes   *string
		Any     any    `query:"project_id"`
		Size    Value  `query:"size"`
		Skipped string `query:"-"`
	}
	got, err := ScanAll[flavor](res)
	require.NoError(t, err)
	require.Len(t, got, 3)
	big := "big"
	assert.Equal(t, flavor{Name: "m1.large", RAM: 8192, HasSwap: true, Notes: &big, Any: "p1", Size: Number(8192)}, got[2])
	assert.Nil(t, got[0].Notes)

	type bad struct {
		Name int
	}
	_, err = ScanAll[bad](res)
	assert.Error(t, err)

	type stamped struct {
		Created time.Time
	}
	res2, err := mustCompile(t, "select created from instances where id = 'a'").Run(context.Background(), db)
	require.NoError(t, err)
	ts, err := ScanAll[stamped](res2)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), ts[0].Created.UTC())
}

func TestMemDB(t *testing.T) {
	db := NewMemDB(testSchema)
	assert.Error(t, db.Set("nope", nil))
	assert.Error(t, db.Set(tableClouds, [][]Value{{String("x")}}), "too few values")
	assert.Error(t, db.Set(tableClouds, [][]Value{{String("x"), Int(1)}}), "wrong type")
	require.NoError(t, db.Set(tableClouds, [][]Value{{String("x"), Null()}}))
	rows, err := db.Rows(context.Background(), tableClouds)
	require.NoError(t, err)
	assert.Len(t, rows, 1)
}
