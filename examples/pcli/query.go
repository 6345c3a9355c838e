package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
)

// queryCommand runs SQL over the inventory (Set.Query).
func (a *app) queryCommand() *cobra.Command {
	var params []string
	c := &cobra.Command{
		Use:   "query SQL [-p NAME=VALUE]...",
		Short: "Run a SELECT over the inventory (the original Perspective's tables)",
		Long: `Run one SELECT (or EXPLAIN SELECT) of the original Perspective's dialect
over the clouds' inventory: instances, flavors, images, networks, keypairs,
projects and their metadata, joins included. Parameters are bound with
-p NAME=VALUE for :NAME (or :NAME:) and with -p VALUE, in order, for ?; a
parameter is always a value, never SQL text.

Tables and columns: instances (id, real_id, name, cloud_id, cloud_type,
project_id, flavor_id, image_id, state, last_updated, created,
availability_zone, addresses, fqdn, host), flavors, images, image_metadata,
instance_metadata, instance_networks, keypairs, networks, network_subnets,
projects, project_images, project_metadata, project_quota, clouds,
availability_zones, and for operators hypervisors (id, cloud_id, cloud_type,
region, host, hostname, type, host_ip, state, status, vcpus, vcpus_used,
ram, ram_used, disk, disk_used, running_vms). An instance's host is NULL
unless the credentials may see it (an administrator's); the hypervisors
table needs an administrator's credentials (the query fails otherwise).
Join them on cloud_id and host.`,
		Example: `  pcli query "SELECT name, state FROM instances WHERE name LIKE :p" -p p=web-%
  pcli query "SELECT state, COUNT(*) AS n FROM instances GROUP BY state ORDER BY n DESC" -o csv
  pcli query "SELECT i.name, f.name AS flavor FROM instances i JOIN flavors f ON i.project_id = f.project_id AND i.flavor_id = f.id WHERE f.ram >= ?" -p 2048
  pcli query "SELECT h.host, h.state, COUNT(i.id) AS n FROM hypervisors h LEFT JOIN instances i ON i.cloud_id = h.cloud_id AND i.host = h.host GROUP BY h.host, h.state"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			res, err := set.Query(cmd.Context(), args[0], queryArgs(params)...)
			if err != nil && answeredPartly(err) == nil {
				return queryErr(err)
			}
			if eerr := a.emit(resultObjects(res), resultTable(res)); eerr != nil {
				return eerr
			}
			return a.listed(err)
		},
	}
	addParamFlag(c, &params)
	return c
}

func addParamFlag(c *cobra.Command, params *[]string) {
	c.Flags().StringArrayVarP(params, "param", "p", nil, "parameter: NAME=VALUE binds :NAME, a bare VALUE binds the next ? (repeatable)")
}

// queryArgs turns -p flags into Query arguments: NAME=VALUE binds :NAME,
// anything else binds the next ?.
func queryArgs(params []string) []any {
	args := make([]any, 0, len(params))
	for _, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if ok && name != "" && !strings.ContainsAny(name, " '\"") {
			args = append(args, query.Named(name, value))
			continue
		}
		args = append(args, p)
	}
	return args
}

// queryErr makes a mistake in the SQL text a usage error: the statement,
// not the cloud, is wrong.
func queryErr(err error) error {
	var qe *query.Error
	if errors.As(err, &qe) && !errors.Is(err, query.ErrEvaluation) {
		return &usageError{err}
	}
	return err
}

// resultTable is a query result as a table.
func resultTable(res *query.Result) table {
	t := table{header: res.Columns()}
	for _, row := range res.Rows() {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = v.String()
		}
		t.rows = append(t.rows, cells)
	}
	return t
}

// resultObjects is a query result as JSON objects, one per row, with the
// columns in select order.
func resultObjects(res *query.Result) []orderedObject {
	cols := res.Columns()
	out := make([]orderedObject, 0, len(res.Rows()))
	for _, row := range res.Rows() {
		o := orderedObject{keys: cols, values: make([]any, len(row))}
		for i, v := range row {
			o.values[i] = v.Any()
		}
		out = append(out, o)
	}
	return out
}

// addWhereFlag adds --where (and -p for its parameters) to a bulk command.
func (a *app) addWhereFlag(c *cobra.Command, where *string, params *[]string) {
	c.Flags().StringVar(where, "where", "", "act on the instances matching this WHERE condition over the instances table, "+
		"e.g. \"name LIKE 'web-%' AND state = 'launched'\"")
	addParamFlag(c, params)
}

func (a *app) whereHelp() string {
	return ", or selected with --where, a condition of the query language over the\n" +
		"instances table (its columns as in pcli query; -p binds its parameters)"
}

func (a *app) whereHint() string { return ", or select them with --where" }

// wherePrefix is the statement --where completes.
const wherePrefix = "SELECT instances.id, instances.name FROM instances WHERE "

// selectWhere returns the ids and names of the instances a WHERE
// condition selects, in name order.
func (a *app) selectWhere(ctx context.Context, set *perspective.Set, where string, params []string) ([]string, map[string]string, error) {
	res, err := set.Query(ctx, wherePrefix+where, queryArgs(params)...)
	if err = a.searched(err); err != nil {
		return nil, nil, whereErr(err)
	}
	rows := res.Rows()
	slices.SortFunc(rows, func(x, y []query.Value) int {
		return cmp.Or(strings.Compare(x[1].String(), y[1].String()), strings.Compare(x[0].String(), y[0].String()))
	})
	ids := make([]string, 0, len(rows))
	names := make(map[string]string, len(rows))
	for _, row := range rows {
		id := row[0].String()
		ids = append(ids, id)
		names[id] = row[1].String()
	}
	return ids, names, nil
}

// whereErr places an error of the statement in the --where text.
func whereErr(err error) error {
	var qe *query.Error
	if !errors.As(err, &qe) {
		return err
	}
	cp := *qe
	if cp.Pos.Line == 1 {
		cp.Pos.Col -= utf8.RuneCountInString(wherePrefix)
		if cp.Pos.Col < 1 {
			cp.Pos = query.Pos{}
		}
	}
	return queryErr(fmt.Errorf("--where: %w", &cp))
}

// listFilters are the seed-004 filters and ordering of list instances.
type listFilters struct {
	filters []string
	order   []string
}

// addFilterFlags adds --filter and --order to list instances.
func (a *app) addFilterFlags(c *cobra.Command, lf *listFilters) {
	c.Flags().StringArrayVar(&lf.filters, "filter", nil,
		"FIELD=VALUE, seed-004 style: hostname, state, project_name, template_name, flavor_name, … (repeatable; one field's values are OR-ed)")
	c.Flags().StringArrayVar(&lf.order, "order", nil, "order by [-]FIELD, - for descending (repeatable or comma-separated; -o -FIELD too)")
}

// active reports whether the filters or ordering are in use.
func (lf *listFilters) active() bool { return len(lf.filters) > 0 || len(lf.order) > 0 }

// values turns the flags into URL filters.
func (lf *listFilters) values() (url.Values, error) {
	v := url.Values{}
	for _, f := range lf.filters {
		k, val, ok := strings.Cut(f, "=")
		if !ok || k == "" || k == "o" {
			return nil, usagef("--filter %q: want FIELD=VALUE", f)
		}
		v.Add(k, val)
	}
	for _, o := range lf.order {
		v.Add("o", o)
	}
	return v, nil
}

// listFiltered lists instances through Set.ListInstances with seed-004
// filters and ordering.
func (a *app) listFiltered(ctx context.Context, lf *listFilters) error {
	v, err := lf.values()
	if err != nil {
		return err
	}
	set, err := a.open(ctx)
	if err != nil {
		return err
	}
	rows, err := set.ListInstances(ctx, v)
	if errors.Is(err, query.ErrInvalidFilter) {
		return &usageError{err}
	}
	if err != nil && answeredPartly(err) == nil {
		return err
	}
	t := table{header: []string{"id", "name", "state", "project", "flavor", "image", "addresses"}}
	out := make([]listedJSON, 0, len(rows))
	for _, r := range rows {
		t.add(r.ID, r.Name, string(r.State), r.ProjectName, deref(r.FlavorName), deref(r.TemplateName), r.Addresses)
		out = append(out, listedJSON(r))
	}
	if eerr := a.emit(out, t); eerr != nil {
		return eerr
	}
	return a.listed(err)
}

// listedJSON is perspective.ListedInstance with the listing's column names
// as JSON keys.
type listedJSON struct {
	ID               string            `json:"id"`
	RealID           string            `json:"real_id"`
	Name             string            `json:"name"`
	CloudID          string            `json:"cloud_id"`
	CloudType        string            `json:"cloud_type"`
	ProjectID        string            `json:"project_id"`
	ProjectName      string            `json:"project_name"`
	FlavorID         *string           `json:"flavor_id"`
	FlavorName       *string           `json:"flavor_name"`
	ImageID          *string           `json:"image_id"`
	TemplateName     *string           `json:"template_name"`
	State            perspective.State `json:"state"`
	AvailabilityZone *string           `json:"availability_zone"`
	Addresses        string            `json:"addresses"`
	FQDN             *string           `json:"fqdn"`
	Created          string            `json:"created"`
	LastUpdated      string            `json:"last_updated"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
