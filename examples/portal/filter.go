package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
)

// The instance listing is filtered and ordered by the query package: the
// visible instances and the directory become tables, and seed 004's URL
// parameters become a SELECT through listFields.

func text(name string) query.Column { return query.Column{Name: name, Type: query.TypeString} }

// listSchema holds the tables the listing's filters and orderings read.
var listSchema = func() *query.Schema {
	s, err := query.NewSchema(
		query.NewTable("instances", text("uuid"), text("hostname"), text("state"), text("template_name"), text("project_uuid")),
		query.NewTable("projects", text("uuid"), text("name"), text("customer_uuid")),
		query.NewTable("customers", text("uuid"), text("name")),
		query.NewTable("project_group_projects", text("project_uuid"), text("group_name")),
	)
	if err != nil {
		panic(err) // the tables above are literals: a duplicate is a programming error found by any test
	}
	return s
}()

// listEngine compiles the listing's filters over listSchema (and keeps
// each shape of filter compiled), within the query package's default
// bounds on values and parameters.
var listEngine = query.NewEngine(listSchema)

// listFields maps seed 004's filters (?hostname=…) and orderings (?o=…)
// onto listSchema, deprecated spellings included.
var listFields = query.FieldMap{
	Select: "instances.uuid",
	From: "instances INNER JOIN projects ON instances.project_uuid = projects.uuid " +
		"INNER JOIN customers ON projects.customer_uuid = customers.uuid " +
		"LEFT JOIN project_group_projects ON project_group_projects.project_uuid = projects.uuid",
	Fields: map[string]string{
		"hostname":           "instances.hostname",
		"customer_name":      "customers.name",
		"state":              "instances.state",
		"project_name":       "projects.name",
		"project_group_name": "project_group_projects.group_name",
		"template_name":      "instances.template_name",
		"uuid":               "instances.uuid",
		"project":            "projects.name",                     // deprecated: project_name
		"project_group":      "project_group_projects.group_name", // deprecated: project_group_name
	},
	Order: map[string]string{
		"project__customer__name":       "customers.name",
		"project__project_groups__name": "project_group_projects.group_name",
		"project__name":                 "projects.name",
		"template__name":                "instances.template_name",
	},
	Ignore: []string{"format", "page", "page_size"},
}

// listed is an instance with the project it lives in.
type listed struct {
	inst perspective.Instance
	proj *project
}

// filterInstances keeps the instances of all that the URL's filters match,
// in the order its o= parameters ask for (by hostname when none).
func (p *portal) filterInstances(ctx context.Context, values url.Values, all []listed) ([]listed, error) {
	values, err := normalizeStates(values)
	if err != nil {
		return nil, err
	}
	if len(values["o"]) == 0 {
		values.Set("o", "hostname,uuid")
	}
	q, args, err := listEngine.Filter(values.Encode(), listFields)
	if errors.Is(err, query.ErrInvalidFilter) {
		return nil, badRequest(err.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("instance filter: %w", err)
	}
	db, byUUID, err := p.listDB(all)
	if err != nil {
		return nil, err
	}
	res, err := q.Run(ctx, db, args...)
	if err != nil {
		return nil, fmt.Errorf("instance filter: %w", err)
	}
	out := make([]listed, 0, res.Count)
	seen := map[string]bool{}
	for _, row := range res.Rows() {
		id := row[0].Str()
		if !seen[id] { // a project in two groups joins twice
			seen[id] = true
			out = append(out, byUUID[id])
		}
	}
	return out, nil
}

// listDB makes the tables of listSchema for the instances of all.
func (p *portal) listDB(all []listed) (*query.MemDB, map[string]listed, error) {
	db := query.NewMemDB(listSchema)
	byUUID := make(map[string]listed, len(all))
	insts := make([][]query.Value, 0, len(all))
	for _, l := range all {
		id := hexUUID(l.inst.ID)
		byUUID[id] = l
		tmpl := query.Null()
		if l.inst.Image != nil {
			tmpl = query.String(l.inst.Image.Name)
		}
		insts = append(insts, []query.Value{query.String(id), query.String(l.inst.Name),
			query.String(stateOf(l.inst.State).Symbol), tmpl, query.String(l.proj.UUID)})
	}
	var projects, customers, groups [][]query.Value
	for _, pr := range p.ordered {
		projects = append(projects, []query.Value{query.String(pr.UUID), query.String(pr.Name), query.String(pr.Customer)})
		for _, g := range pr.groups {
			groups = append(groups, []query.Value{query.String(pr.UUID), query.String(g.Name)})
		}
	}
	for _, c := range p.customers {
		customers = append(customers, []query.Value{query.String(c.UUID), query.String(c.Name)})
	}
	for table, rows := range map[string][][]query.Value{"instances": insts, "projects": projects,
		"customers": customers, "project_group_projects": groups} {
		if err := db.Set(table, rows); err != nil {
			return nil, nil, err
		}
	}
	return db, byUUID, nil
}

// normalizeStates turns every ?state= value (a symbol, or a constant or
// rendered name in any case) into its symbol. A '+' that was not escaped
// in the URL arrives as a space, and is taken for the '+' it was.
func normalizeStates(values url.Values) (url.Values, error) {
	out := url.Values{}
	for k, vs := range values {
		out[k] = append([]string(nil), vs...)
	}
	for i, v := range out["state"] {
		if v == " " {
			v = "+"
		}
		st, ok := parsePortalState(v)
		if !ok {
			var known []string
			for _, s := range portalStates {
				known = append(known, s.Symbol+" ("+s.Name+")")
			}
			return nil, badRequest(fmt.Sprintf("state: unknown state %q; use a symbol or a name: %s", v, strings.Join(known, ", ")))
		}
		out["state"][i] = st.Symbol
	}
	return out, nil
}
