package query

import (
	"context"
	"encoding/json"
	"net/url"
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
	res := NewEngine(PerspectiveSchema()).Batch(context.Background(), db, reqs)
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
	assert.Equal(t, []Row{}, back[2].Data.Row)
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

func TestFilterSQL(t *testing.T) {
	v := url.Values{"hostname": {"web-1", "web-2"}, "state": {"launched"}, "o": {"-hostname", "project__name"}}
	sql, args, err := FilterSQL(v, DefaultFieldMap())
	require.NoError(t, err)
	fm := DefaultFieldMap()
	assert.Equal(t, "SELECT "+fm.Select+" FROM "+fm.From+
		" WHERE (instances.name = :f0: OR instances.name = :f1:) AND (instances.state = :f2:) ORDER BY instances.name DESC, projects.name ASC", sql)
	assert.Equal(t, []any{Named("f0", "web-1"), Named("f1", "web-2"), Named("f2", "launched")}, args)

	q, args, err := CompileFilter(PerspectiveSchema(), v, fm)
	require.NoError(t, err)
	same, err := Compile(PerspectiveSchema(), sql)
	require.NoError(t, err)
	assert.Equal(t, same.Explain(), q.Explain(), "the same plan as the equivalent SELECT")
	res, err := q.Run(context.Background(), testDB(t), args...)
	require.NoError(t, err)
	type row struct {
		Name        string
		ProjectName string
		Flavor      *string `query:"flavor_name"`
	}
	rows, err := ScanAll[row](res)
	require.NoError(t, err)
	small := "m1.small"
	assert.Equal(t, []row{{Name: "web-1", ProjectName: "project-one", Flavor: &small}}, rows)

	_, _, err = FilterSQL(url.Values{"hostnme": {"x"}}, fm)
	assert.ErrorIs(t, err, ErrUnknownField)
	assert.EqualError(t, err, `unknown filter field "hostnme" (did you mean "hostname"?)`)
	_, _, err = FilterSQL(url.Values{"o": {"-color"}}, fm)
	assert.ErrorIs(t, err, ErrUnknownField)
	assert.Contains(t, err.Error(), `unknown ordering field "color"`)
}

func TestPortalFieldMap(t *testing.T) {
	fm := FieldMap{
		Select: "instances.name AS hostname, projects.name AS project_name",
		From:   "instances JOIN projects ON instances.project_id = projects.id",
		Fields: map[string]string{"hostname": "instances.name", "customer_name": "projects.cloud_id", "project_group_name": "projects.name"},
		Ignore: []string{"page"},
	}
	q, args, err := CompileFilter(PerspectiveSchema(), url.Values{"customer_name": {"mock1"}, "page": {"2"}, "o": {"hostname"}}, fm)
	require.NoError(t, err)
	res, err := q.Run(context.Background(), testDB(t), args...)
	require.NoError(t, err)
	assert.Equal(t, vals(t, [][]any{{"test", "selenium"}}), res.Rows())
}

func TestClientCondition(t *testing.T) {
	cond, args, err := ClientCondition(map[string][]string{
		"instances.name":  {"^web-1$", "%db%"},
		"instances.state": {"launch"},
	})
	require.NoError(t, err)
	assert.Equal(t, "(instances.name = :c0: OR instances.name LIKE :c1:) AND (instances.state REGEXP :c2:)", cond)
	assert.Equal(t, []any{Named("c0", "web-1"), Named("c1", "%db%"), Named("c2", "launch")}, args)
	q, err := Compile(PerspectiveSchema(), "select id from instances where "+cond+" order by id")
	require.NoError(t, err)
	res, err := q.Run(context.Background(), testDB(t), args...)
	require.NoError(t, err)
	assert.Equal(t, vals(t, [][]any{{"a"}, {"c"}}), res.Rows())

	_, _, err = ClientCondition(map[string][]string{"name; drop": {"x"}})
	assert.ErrorIs(t, err, ErrUnknownField)
}

func TestScan(t *testing.T) {
	db := testDB(t)
	q, err := Compile(PerspectiveSchema(), "select name, ram, has_swap, notes, project_id, ram AS size from flavors order by ram")
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

	var name string
	var ram float64
	require.NoError(t, res.Scan(0, &name, &ram, nil, nil, nil, nil))
	assert.Equal(t, "tiny", name)
	assert.Equal(t, 512.0, ram)
	assert.Error(t, res.Scan(0, &ram, &ram, nil, nil, nil, nil), "a string cannot go into a float64")
	assert.Error(t, res.Scan(9, &name))

	type bad struct {
		Name int
	}
	_, err = ScanAll[bad](res)
	assert.Error(t, err)

	type stamped struct {
		Created time.Time
	}
	res2, err := Exec(context.Background(), PerspectiveSchema(), db, "select created from instances where id = 'a'")[0], nil
	require.NoError(t, err)
	ts, err := ScanAll[stamped](res2)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), ts[0].Created.UTC())
}

func TestMemDB(t *testing.T) {
	db := NewMemDB(PerspectiveSchema())
	assert.Error(t, db.Set("nope", nil))
	assert.Error(t, db.Set(TableClouds, [][]Value{{String("x")}}), "too few values")
	assert.Error(t, db.Set(TableClouds, [][]Value{{String("x"), Int(1)}}), "wrong type")
	require.NoError(t, db.Append(TableClouds, String("x"), Null()))
	rows, err := db.Rows(context.Background(), TableClouds)
	require.NoError(t, err)
	assert.Len(t, rows, 1)
}
