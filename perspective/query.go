package perspective

import (
	"context"
	"errors"
	"net/url"

	"github.com/perspective-cloud/sdk/query"
)

// queries compiles and caches the statements every Set and Cloud runs.
var queries = query.NewEngine(query.PerspectiveSchema())

// Query runs one SQL statement of the original Perspective's dialect over
// the set's inventory (instances from every cloud, and the flavors, images,
// networks, keypairs, projects, … of the fifteen tables; see
// query.PerspectiveSchema) and returns its result. args bind the
// statement's parameters: query.Named("name", v) for :name or :name:, plain
// values for ? in order. A statement that fails is an error (a *query.Error
// with its position and hint, or the clouds' classified error).
func (s *Set) Query(ctx context.Context, sql string, args ...any) (*query.Result, error) {
	return runQuery(ctx, s.Tables(), sql, args)
}

// Query runs one SQL statement over the cloud's inventory; see Set.Query.
func (c *Cloud) Query(ctx context.Context, sql string, args ...any) (*query.Result, error) {
	return runQuery(ctx, c.Tables(), sql, args)
}

func runQuery(ctx context.Context, db query.Database, sql string, args []any) (*query.Result, error) {
	if ctx == nil {
		return nil, invalidArg("query", "ctx", "is nil")
	}
	q, err := queries.Prepare(sql)
	if err != nil {
		return nil, queryError(err)
	}
	res, err := q.Run(ctx, db, args...)
	return res, queryError(err)
}

// queryError classifies an error of a query: a fault of the statement (its
// syntax, an unknown column, a missing parameter) is an invalid argument;
// an error of the clouds behind the tables keeps its own code (the tables
// classify it). The
// *query.Error, with its position and hint, stays reachable with errors.As.
func queryError(err error) error {
	if err == nil {
		return nil
	}
	var qe *query.Error
	if Code(err) == CodeUnknown && errors.As(err, &qe) {
		return &Error{Code: CodeInvalidArgument, Err: err}
	}
	return err
}

// QueryBatch runs the requests of a Query API call (POST /query) over one
// consistent view of the set's inventory: every ';'-separated statement of
// every request gets its own result, and a statement that fails is a result
// with its status and message, never an error of the whole batch.
func (s *Set) QueryBatch(ctx context.Context, reqs []query.Request) []*query.Result {
	return queries.Batch(ctx, s.Tables(), reqs)
}

// QueryBatch runs the requests of a Query API call over the cloud's
// inventory; see Set.QueryBatch.
func (c *Cloud) QueryBatch(ctx context.Context, reqs []query.Request) []*query.Result {
	return queries.Batch(ctx, c.Tables(), reqs)
}

// Querier is what Set and Cloud have in common for queries.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (*query.Result, error)
}

// QueryAs runs a statement and scans its rows into structs of type T (see
// query.ScanAll for how columns meet fields).
func QueryAs[T any](ctx context.Context, q Querier, sql string, args ...any) ([]T, error) {
	res, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return query.ScanAll[T](res)
}

// ListedInstance is one row of the instance listing of the original
// client: an instance with the names of its project, flavor and image
// (template). Pointers are nil when the flavor or image is unknown.
type ListedInstance struct {
	ID               string  `query:"id" json:"id"`
	RealID           string  `query:"real_id" json:"real_id"`
	Name             string  `query:"name" json:"name"`
	CloudID          string  `query:"cloud_id" json:"cloud_id"`
	CloudType        string  `query:"cloud_type" json:"cloud_type"`
	ProjectID        string  `query:"project_id" json:"project_id"`
	ProjectName      string  `query:"project_name" json:"project_name"`
	FlavorID         *string `query:"flavor_id" json:"flavor_id"`
	FlavorName       *string `query:"flavor_name" json:"flavor_name"`
	ImageID          *string `query:"image_id" json:"image_id"`
	TemplateName     *string `query:"template_name" json:"template_name"`
	State            State   `query:"state" json:"state"`
	AvailabilityZone *string `query:"availability_zone" json:"availability_zone"`
	Addresses        string  `query:"addresses" json:"addresses"`
	FQDN             *string `query:"fqdn" json:"fqdn"`
	Created          string  `query:"created" json:"created"`
	LastUpdated      string  `query:"last_updated" json:"last_updated"`
}

// ListInstances is the instance listing with seed-004 filters and ordering,
// without SQL text: filters such as hostname, state, project_name,
// template_name (see query.DefaultFieldMap; several values of a field are
// OR-ed) and o=[-]field, several allowed. An unknown field is an error
// matching query.ErrUnknownField.
func (s *Set) ListInstances(ctx context.Context, filters url.Values) ([]ListedInstance, error) {
	return listInstances(ctx, s.Tables(), filters)
}

// ListInstances is the instance listing of the cloud; see Set.ListInstances.
func (c *Cloud) ListInstances(ctx context.Context, filters url.Values) ([]ListedInstance, error) {
	return listInstances(ctx, c.Tables(), filters)
}

func listInstances(ctx context.Context, db query.Database, filters url.Values) ([]ListedInstance, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	q, args, err := query.CompileFilter(query.PerspectiveSchema(), filters, query.DefaultFieldMap())
	if err != nil {
		return nil, queryError(err)
	}
	res, err := q.Run(ctx, db, args...)
	if err != nil {
		return nil, queryError(err)
	}
	return query.ScanAll[ListedInstance](res)
}
