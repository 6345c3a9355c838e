package query_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"github.com/perspective-cloud/sdk/query"
)

// inventory is a tiny in-memory database for the examples.
func inventory() *query.MemDB {
	db := query.NewMemDB(query.PerspectiveSchema())
	s := query.String
	_ = db.Set(query.TableProjects, [][]query.Value{
		{s("p1"), s("project-one"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z")},
		{s("p2"), s("selenium"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z")},
	})
	inst := func(id, name, project, state string) []query.Value {
		return []query.Value{s(id), s("r-" + id), s(name), s("os1"), s("openstack"), s(project), query.Null(), query.Null(),
			s(state), s("2024-02-01T00:00:00Z"), s("2024-01-15T00:00:00Z"), query.Null(), s("10.0.0.1"), query.Null()}
	}
	_ = db.Set(query.TableInstances, [][]query.Value{
		inst("a", "web-1", "p1", "launched"), inst("b", "web-2", "p1", "shutoff"), inst("c", "grid-1", "p2", "launched"),
	})
	return db
}

// The Query API: several statements, each with its own result.
func ExampleEngine_Exec() {
	engine := query.NewEngine(query.PerspectiveSchema())
	results := engine.Exec(context.Background(), inventory(),
		"select id, name from projects where name regexp :name: order by name asc; select nmae from projects",
		query.Named("name", "selenium"))
	enc := json.NewEncoder(os.Stdout)
	for _, r := range results {
		_ = enc.Encode(r)
	}
	// Output:
	// {"status":"success","count":1,"data":{"columnName":["id","name"],"row":[{"value":["p2","selenium"]}]},"message":""}
	// {"status":"evaluation_error","count":0,"data":{"columnName":[],"row":[]},"message":"unknown column \"nmae\" at 1:82 (did you mean \"name\"?)"}
}

// Compile once, run with different parameters, scan into structs.
func ExampleScanAll() {
	q, err := query.Compile(query.PerspectiveSchema(),
		"SELECT instances.name, projects.name AS project FROM instances JOIN projects ON instances.project_id = projects.id WHERE state = ? ORDER BY instances.name")
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
	q, err := query.Compile(query.PerspectiveSchema(),
		"select instances.name, projects.name from instances, projects where instances.project_id = projects.id and instances.state = 'launched' order by instances.name limit 10")
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

// Seed-004 URL filters compile to the equivalent SELECT.
func ExampleCompileFilter() {
	fm := query.FieldMap{
		Select: "instances.name AS hostname, instances.state",
		From:   "instances",
		Fields: map[string]string{"hostname": "instances.name", "state": "instances.state"},
	}
	values, _ := url.ParseQuery("state=launched&o=-hostname")
	q, args, err := query.CompileFilter(query.PerspectiveSchema(), values, fm)
	if err != nil {
		panic(err)
	}
	res, err := q.Run(context.Background(), inventory(), args...)
	if err != nil {
		panic(err)
	}
	fmt.Println(q, res.Rows())
	_, _, err = query.FilterSQL(url.Values{"hostnam": {"x"}}, fm)
	fmt.Println(err)
	// Output:
	// SELECT instances.name AS hostname, instances.state FROM instances WHERE (instances.state = :f0:) ORDER BY instances.name DESC [[web-1 launched] [grid-1 launched]]
	// unknown filter field "hostnam" (did you mean "hostname"?)
}

// The original client's filter convention: ^x$ is =, %x% is LIKE, else REGEXP.
func ExampleClientCondition() {
	cond, args, err := query.ClientCondition(map[string][]string{"instances.name": {"^web-1$", "grid"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(cond, len(args))
	// Output:
	// (instances.name = :c0: OR instances.name REGEXP :c1:) 2
}
