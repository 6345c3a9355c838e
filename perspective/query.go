package perspective

import (
	"context"
	"errors"
	"net/url"

	"github.com/perspective-cloud/sdk/query"
)

// queries compiles and caches the statements every Set and Cloud runs,
// within the query package's default Limits.
var queries = query.NewEngine(schema)

// Query runs one SQL statement of the original Perspective's dialect over
// the set's inventory and returns its result. The tables are the
// original's fifteen: instances (id, real_id, name, cloud_id, cloud_type,
// project_id, flavor_id, image_id, state, last_updated, created,
// availability_zone, addresses, fqdn) from every cloud, flavors, images,
// image_metadata, instance_metadata, instance_networks, keypairs,
// networks, network_subnets, projects, project_images, project_metadata,
// project_quota, clouds and availability_zones; seed 003 adds the
// instances' host (NULL unless the credentials may see it: on OpenStack,
// administrators) and the table hypervisors (id, cloud_id, cloud_type,
// region, host, hostname, type, host_ip, state, status, vcpus, vcpus_used,
// ram, ram_used, disk, disk_used, running_vms; usage NULL when the cloud
// does not report it), one row per cloud and hypervisor, listed from the
// clouds each time a statement reads it. Join it with instances on
// cloud_id and host. Credentials that may not list hypervisors give no
// rows; when no cloud of the set may, reading the table is ErrForbidden.
// args bind the statement's
// parameters: query.Named("name", v) for :name or :name:, plain values for
// ? in order. Scan the result into structs with query.ScanAll.
//
// A statement that fails is an error: a *query.Error with its position and
// hint (CodeInvalidArgument; a statement over the engine's bounds matches
// query.ErrLimit), or CodeCanceled once ctx is done, which stops the
// statement within a few thousand rows.
//
// A cloud that fails while the tables are read never fails the statement:
// its rows are left out of every table, and the result (over the clouds
// that answered) comes with a *PartialError naming each failed cloud, and
// the Set's absent fleet members, as for Instances.List. Aggregates and
// joins then cover the clouds that answered only; a program that needs
// them all treats the *PartialError as any error.
func (s *Set) Query(ctx context.Context, sql string, args ...any) (*query.Result, error) {
	t := newTables(s.clouds...)
	res, err := runQuery(ctx, t, sql, args)
	return res, t.outcome(err, s.absent)
}

// Query runs one SQL statement over the cloud's inventory; see Set.Query.
func (c *Cloud) Query(ctx context.Context, sql string, args ...any) (*query.Result, error) {
	t := newTables(c)
	res, err := runQuery(ctx, t, sql, args)
	return res, t.outcome(err, nil)
}

func runQuery(ctx context.Context, db query.Database, sql string, args []any) (*query.Result, error) {
	if ctx == nil {
		return nil, invalidArg("query", "ctx", "is nil")
	}
	q, err := queries.Compile(sql)
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
// with its status and message. It runs every statement or none: requests
// holding more statements than the engine's bound are refused with an
// error (CodeInvalidArgument, matching query.ErrLimit) and nothing runs.
// Clouds that fail while the tables are read are left out, and the results
// come with a *PartialError naming them, as for Query.
func (s *Set) QueryBatch(ctx context.Context, reqs []query.Request) ([]*query.Result, error) {
	t := newTables(s.clouds...)
	res, err := queries.Batch(ctx, t, reqs)
	return res, t.outcome(queryError(err), s.absent)
}

// QueryBatch runs the requests of a Query API call over the cloud's
// inventory; see Set.QueryBatch.
func (c *Cloud) QueryBatch(ctx context.Context, reqs []query.Request) ([]*query.Result, error) {
	t := newTables(c)
	res, err := queries.Batch(ctx, t, reqs)
	return res, t.outcome(queryError(err), nil)
}

// ListedInstance is one row of the instance listing of the original
// client: an instance with the names of its project, flavor and image
// (template). Pointers are nil when the flavor or image is unknown.
type ListedInstance struct {
	ID               string  `query:"id"`
	RealID           string  `query:"real_id"`
	Name             string  `query:"name"`
	CloudID          string  `query:"cloud_id"`
	CloudType        string  `query:"cloud_type"`
	ProjectID        string  `query:"project_id"`
	ProjectName      string  `query:"project_name"`
	FlavorID         *string `query:"flavor_id"`
	FlavorName       *string `query:"flavor_name"`
	ImageID          *string `query:"image_id"`
	TemplateName     *string `query:"template_name"`
	State            State   `query:"state"`
	AvailabilityZone *string `query:"availability_zone"`
	Addresses        string  `query:"addresses"`
	FQDN             *string `query:"fqdn"`
	Created          string  `query:"created"`
	LastUpdated      string  `query:"last_updated"`
}

// ListInstances is the instance listing with seed-004 filters and ordering,
// without SQL text: filters on hostname (or name), state, project_name,
// template_name, flavor_name, cloud_id and the other instance columns
// (several values of a field are OR-ed) and o=[-]field, several allowed.
// A fault of the filters (an unknown field, too many values or parameters:
// see query.Limits) is an error matching query.ErrInvalidFilter
// (CodeInvalidArgument). Clouds that fail are left out, and the rows come
// with a *PartialError naming them, as for Query.
func (s *Set) ListInstances(ctx context.Context, filters url.Values) ([]ListedInstance, error) {
	t := newTables(s.clouds...)
	rows, err := listInstances(ctx, t, filters)
	return rows, t.outcome(err, s.absent)
}

// ListInstances is the instance listing of the cloud; see Set.ListInstances.
func (c *Cloud) ListInstances(ctx context.Context, filters url.Values) ([]ListedInstance, error) {
	t := newTables(c)
	rows, err := listInstances(ctx, t, filters)
	return rows, t.outcome(err, nil)
}

func listInstances(ctx context.Context, db query.Database, filters url.Values) ([]ListedInstance, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	q, args, err := queries.Filter(filters.Encode(), listingFields)
	if err != nil {
		return nil, queryError(err)
	}
	res, err := q.Run(ctx, db, args...)
	if err != nil {
		return nil, queryError(err)
	}
	return query.ScanAll[ListedInstance](res)
}
