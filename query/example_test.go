package query_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/perspective-cloud/sdk/query"
)

// schema is a two-table schema for the examples: the tables a program
// serves, with their columns in row order.
var schema = func() *query.Schema {
	text := func(name string) query.Column { return query.Column{Name: name, Type: query.TypeString} }
	s, err := query.NewSchema(
		query.NewTable("projects", text("id"), text("name")),
		query.NewTable("instances", text("id"), text("name"), text("project_id"), text("state")),
	)
	if err != nil {
		panic(err)
	}
	return s
}()

// inventory is a tiny in-memory database over schema.
func inventory() *query.MemDB {
	db := query.NewMemDB(schema)
	s := query.String
	if err := db.Set("projects", [][]query.Value{{s("p1"), s("project-one")}, {s("p2"), s("selenium")}}); err != nil {
		panic(err)
	}
	if err := db.Set("instances", [][]query.Value{
		{s("a"), s("web-1"), s("p1"), s("launched")},
		{s("b"), s("web-2"), s("p1"), s("shutoff")},
		{s("c"), s("grid-1"), s("p2"), s("launched")},
	}); err != nil {
		panic(err)
	}
	return db
}

// The Query API: each statement of each request gets its own result.
func ExampleEngine_Batch() {
	engine := query.NewEngine(schema)
	results, err := engine.Batch(context.Background(), inventory(), []query.Request{{
		SQL:        "select id, name from projects where name regexp :name: order by name asc; select nmae from projects",
		Parameters: []query.Parameter{{Name: "name", Value: query.String("selenium")}},
	}})
	if err != nil {
		panic(err)
	}
	enc := json.NewEncoder(os.Stdout)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			panic(err)
		}
	}
	// Output:
	// {"status":"success","count":1,"data":{"columnName":["id","name"],"row":[{"value":["p2","selenium"]}]},"message":""}
	// {"status":"evaluation_error","count":0,"data":{"columnName":[],"row":[]},"message":"unknown column \"nmae\" at 1:82 (did you mean \"name\"?)"}
}

// Compile once, run with different parameters, scan into structs.
func ExampleScanAll() {
	engine := query.NewEngine(schema)
	q, err := engine.Compile("SELECT instances.name, projects.name AS project FROM instances " +
		"JOIN projects ON instances.project_id = projects.id WHERE state = ? ORDER BY instances.name")
	if err != nil {
		panic(err)
	}
	type row struct {
		Name    string `query:"instances.name"`
		Project string
	}
	for _, state := range []string{"launched", "shutoff"} {
		res, err := q.Run(context.Background(), inventory(), state)
		if err != nil {
			panic(err)
		}
		rows, err := query.ScanAll[row](res)
		if err != nil {
			panic(err)
		}
		fmt.Println(state, rows)
	}
	// Output:
	// launched [{grid-1 selenium} {web-1 project-one}]
	// shutoff [{web-2 project-one}]
}

// EXPLAIN shows hash joins, filters and the bounded heap of ORDER BY … LIMIT.
func ExampleCompiled_Explain() {
	q, err := query.NewEngine(schema).Compile("select instances.name, projects.name from instances, projects " +
		"where instances.project_id = projects.id and instances.state = 'launched' order by instances.name limit 10")
	if err != nil {
		panic(err)
	}
	fmt.Println(q.Explain())
	// Output:
	// scan instances
	//   pushdown to source: state = 'launched'
	//   filter instances rows: (instances.state = 'launched')
	// hash join projects (inner) on instances.project_id = projects.id
	// sort by instances.name ASC (bounded heap of OFFSET+LIMIT rows, not a full sort)
	// limit 10
	// output: instances.name, projects.name
}

// Seed-004 URL filters compile to the equivalent SELECT; a malformed
// query string is an error, not a filter dropped.
func ExampleEngine_Filter() {
	engine := query.NewEngine(schema)
	fm := query.FieldMap{
		Select: "instances.name AS hostname, instances.state",
		From:   "instances",
		Fields: map[string]string{"hostname": "instances.name", "state": "instances.state"},
	}
	q, args, err := engine.Filter("state=launched&o=-hostname", fm)
	if err != nil {
		panic(err)
	}
	res, err := q.Run(context.Background(), inventory(), args...)
	if err != nil {
		panic(err)
	}
	fmt.Println(q, res.Rows())
	for _, bad := range []string{"hostnam=x", "hostname=web-1;x", "hostname=%zz"} {
		_, _, err = engine.Filter(bad, fm)
		fmt.Println(errors.Is(err, query.ErrInvalidFilter), err)
	}
	// Output:
	// SELECT instances.name AS hostname, instances.state FROM instances WHERE (instances.state = :f0:) ORDER BY instances.name DESC [[web-1 launched] [grid-1 launched]]
	// true unknown filter field "hostnam" (did you mean "hostname"?)
	// true invalid filter parameter "hostname=web-1;x": ';' is not a separator (separate parameters with &, and write a ';' in a value as %3B)
	// true invalid filter parameter "hostname=%zz": invalid URL escape "%zz"
}

// Limits bound what one statement may hold and examine: a join that
// would multiply rows fails with an error naming the bound.
func ExampleWithLimits() {
	engine := query.NewEngine(schema, query.WithLimits(query.Limits{Rows: 5}))
	q, err := engine.Compile("select a.id, b.id from instances a, instances b")
	if err != nil {
		panic(err)
	}
	_, err = q.Run(context.Background(), inventory())
	fmt.Println(errors.Is(err, query.ErrLimit), err)
	// Output:
	// true statement holds more than 5 rows (the row limit); narrow it with WHERE or LIMIT
}
