package perspective_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func twoCloudSet(t *testing.T) (*perspective.Set, []string) {
	t.Helper()
	// Project ids are the clouds' own: two clouds with distinct projects.
	a, _ := newCloud(t, mock.WithCloudID("east"), mock.WithProject("p-east", "east-project"))
	b, _ := newCloud(t, mock.WithCloudID("west"), mock.WithProject("p-west", "west-project"))
	ids := append(launchN(t, a, "web", 2), launchN(t, b, "db", 1)...)
	set, err := perspective.NewSet(a, b)
	require.NoError(t, err)
	return set, ids
}

func TestSetQueryFifteenTables(t *testing.T) {
	set, ids := twoCloudSet(t)
	ctx := context.Background()
	for _, table := range perspective.Schema.Tables() {
		t.Run(table.Name, func(t *testing.T) {
			res, err := set.Query(ctx, "select * from "+table.Name)
			if table.Name == "hypervisors" {
				// seed 003's table is an administrator's; see TestQueryHypervisors*
				assert.ErrorIs(t, err, perspective.ErrForbidden)
				return
			}
			require.NoError(t, err)
			require.Len(t, res.Columns(), len(table.Columns))
			switch table.Name {
			case "instance_metadata", "keypairs", "project_metadata":
				// the mock's fresh instances, keypairs and projects carry none
			default:
				assert.NotZero(t, res.Count, "the mock fills %s", table.Name)
			}
			for _, row := range res.Rows() {
				for i, v := range row {
					if !v.IsNull() {
						assert.Equal(t, table.Columns[i].Type.String(), typeName(v.Kind()), "%s.%s", table.Name, table.Columns[i].Name)
					}
				}
			}
		})
	}
	res, err := set.Query(ctx, "select instances.id, clouds.type from instances join clouds on instances.cloud_id = clouds.id order by instances.id")
	require.NoError(t, err)
	assert.Equal(t, len(ids), res.Count, "instances from all clouds")
	assert.ElementsMatch(t, ids, column(res, 0))

	res, err = set.Query(ctx, "select count(*) from clouds")
	require.NoError(t, err)
	assert.Equal(t, 2.0, res.Rows()[0][0].Num())
}

func typeName(k query.Kind) string {
	switch k {
	case query.KindBool:
		return "boolean"
	default:
		return k.String()
	}
}

func column(res *query.Result, i int) []string {
	var out []string
	for _, r := range res.Rows() {
		out = append(out, r[i].Str())
	}
	return out
}

func TestSetQueryListingJoins(t *testing.T) {
	set, ids := twoCloudSet(t)
	ctx := context.Background()
	res, err := set.Query(ctx, "select instances.name, projects.name, flavors.name, images.name from instances "+
		"inner join projects on instances.project_id = projects.id "+
		"left join flavors on instances.project_id = flavors.project_id and instances.flavor_id = flavors.id "+
		"left join images on instances.image_id = images.id order by instances.name")
	require.NoError(t, err)
	require.Equal(t, len(ids), res.Count)
	for _, row := range res.Rows() {
		assert.False(t, row[1].IsNull(), "project found for %s", row[0])
		assert.Equal(t, "m1.tiny", row[2].Str(), "flavor joined for %s", row[0])
		assert.False(t, row[3].IsNull(), "image joined for %s", row[0])
	}
	assert.Equal(t, []string{"db", "web-1", "web-2"}, column(res, 0), "a single launch keeps its name")
}

func TestSetQueryParamsAndErrors(t *testing.T) {
	set, _ := twoCloudSet(t)
	ctx := context.Background()
	type row struct {
		ID      string
		Name    string
		CloudID string
	}
	res, err := set.Query(ctx, "select id, name, cloud_id from instances where cloud_id = :cloud: and name like ?", query.Named("cloud", "west"), "db%")
	require.NoError(t, err)
	rows, err := query.ScanAll[row](res)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, "west", rows[0].CloudID)

	_, err = set.Query(ctx, "select nmae from instances")
	assert.ErrorIs(t, err, query.ErrUnknownColumn)
	assert.EqualError(t, err, `unknown column "nmae" at 1:8 (did you mean "name"?)`)

	results, err := set.QueryBatch(ctx, []query.Request{
		{SQL: "select id, name from projects where name regexp :name: order by name asc", Parameters: []query.Parameter{{Name: "name", Value: query.String(".")}}},
		{SQL: "select id from instances where; select id from instances where state = :s"},
	})
	require.NoError(t, err)
	require.Len(t, results, 3)
	assert.Equal(t, query.StatusSuccess, results[0].Status)
	assert.Equal(t, query.StatusSyntaxError, results[1].Status)
	assert.Equal(t, query.StatusMissingParameters, results[2].Status)
}

func TestCloudQueryAndListing(t *testing.T) {
	c, _ := newCloud(t)
	launchN(t, c, "web", 3)
	ctx := context.Background()
	res, err := c.Query(ctx, "select count(*) from instances")
	require.NoError(t, err)
	assert.Equal(t, 3.0, res.Rows()[0][0].Num())

	list, err := c.ListInstances(ctx, url.Values{"hostname": {"web-1", "web-3"}, "o": {"-hostname"}})
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "web-3", list[0].Name)
	assert.Equal(t, "web-1", list[1].Name)
	require.NotNil(t, list[0].FlavorName)
	assert.Equal(t, "m1.tiny", *list[0].FlavorName)
	assert.NotEmpty(t, list[0].ProjectName)

	_, err = c.ListInstances(ctx, url.Values{"colour": {"red"}})
	assert.ErrorIs(t, err, query.ErrUnknownField)

	state := string(list[0].State)
	byState, err := c.ListInstances(ctx, url.Values{"state": {state}})
	require.NoError(t, err)
	assert.Len(t, byState, 3)
}

func TestTablesPushdownKeepsResult(t *testing.T) {
	c, _ := newCloud(t)
	launchN(t, c, "web", 2)
	launchN(t, c, "db", 2)
	ctx := context.Background()
	sql := "select id from instances where name like 'web%' and state = :s order by id"
	all, err := c.Query(ctx, "select state from instances limit 1")
	require.NoError(t, err)
	state := all.Rows()[0][0].Str()

	pushed, err := query.NewEngine(perspective.Schema).Compile(sql)
	require.NoError(t, err)
	assert.Contains(t, pushed.Explain(), "pushdown to source")
	viaTables, err := pushed.Run(ctx, perspective.TablesOf(c), query.Named("s", state))
	require.NoError(t, err)

	db := query.NewMemDB(perspective.Schema)
	rows, err := perspective.TablesOf(c).Rows(ctx, "instances")
	require.NoError(t, err)
	require.NoError(t, db.Set("instances", rows))
	plain, err := pushed.Run(ctx, db, query.Named("s", state))
	require.NoError(t, err)
	assert.Equal(t, plain.Rows(), viaTables.Rows())
	assert.Equal(t, 2, viaTables.Count)
}

// TestQueryBounds: the Set's statements and listings stay within the
// query engine's bounds, and a canceled context stops them, each with a
// classified error.
func TestQueryBounds(t *testing.T) {
	c, _ := newCloud(t)
	launchN(t, c, "vm", 15)
	set, err := perspective.NewSet(c)
	require.NoError(t, err)
	ctx := context.Background()

	_, err = set.Query(ctx, "select * from instances a, instances b, instances c, instances d")
	assert.ErrorIs(t, err, query.ErrLimit, "50,625 rows of 56 values")
	assert.Equal(t, perspective.CodeInvalidArgument, perspective.Code(err))

	many := make([]query.Request, 101)
	for i := range many {
		many[i] = query.Request{SQL: "select count(*) from instances"}
	}
	res, err := set.QueryBatch(ctx, many)
	assert.ErrorIs(t, err, query.ErrLimit)
	assert.Equal(t, perspective.CodeInvalidArgument, perspective.Code(err))
	assert.Nil(t, res)

	hosts := url.Values{}
	for i := range 5000 {
		hosts.Add("hostname", fmt.Sprintf("a%d", i))
	}
	_, err = set.ListInstances(ctx, hosts)
	assert.ErrorIs(t, err, query.ErrInvalidFilter)
	assert.ErrorIs(t, err, query.ErrLimit)
	assert.Equal(t, perspective.CodeInvalidArgument, perspective.Code(err))

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = set.Query(canceled, "select count(*) from instances")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, perspective.CodeCanceled, perspective.Code(err))
	res, err = set.QueryBatch(canceled, many[:2])
	require.NoError(t, err)
	for _, r := range res {
		assert.ErrorIs(t, r.Err(), context.Canceled)
	}
}

// Query the inventory of every cloud of a set with the original
// Perspective's SQL.
func ExampleSet_Query() {
	ctx := context.Background()
	cloud, err := perspective.NewCloud(mock.New(mock.WithCloudID("demo")))
	if err != nil {
		panic(err)
	}
	defer cloud.Close()
	if _, err := cloud.Instances().Launch(ctx, perspective.LaunchSpec{Name: "web", Count: 2, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"}); err != nil {
		panic(err)
	}
	set, err := perspective.NewSet(cloud)
	if err != nil {
		panic(err)
	}
	res, err := set.Query(ctx, "select instances.name, flavors.name, flavors.ram from instances "+
		"left join flavors on instances.project_id = flavors.project_id and instances.flavor_id = flavors.id "+
		"where instances.name like :prefix order by instances.name", query.Named("prefix", "web%"))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Columns())
	fmt.Println(res.Rows())
	// Output:
	// [instances.name flavors.name flavors.ram]
	// [[web-1 m1.tiny 512] [web-2 m1.tiny 512]]
}
