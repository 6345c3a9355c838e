package query

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// FieldMap says how URL filters in the seed-004 style
// (?hostname=web-1&state=launched&o=-hostname) map onto a query: the rows
// they filter (Select and From) and, for each field name a client may use,
// the column it stands for. The Fields values are trusted SQL expressions
// written by the program; the URL's values only ever become parameters.
type FieldMap struct {
	Select string            // the select list, e.g. "instances.*, projects.name AS project_name"
	From   string            // the FROM clause, joins included
	Fields map[string]string // field → column expression, e.g. "hostname" → "instances.name"
	// Order maps extra names accepted only by o= (deprecated spellings
	// such as project__name) to a column expression; Fields are accepted too.
	Order map[string]string
	// OrderKey is the ordering parameter, "o" when empty.
	OrderKey string
	// Ignore lists parameters that are not filters (page, page_size, …).
	Ignore []string
	// ClientConvention makes each value follow the original client's
	// convention (see ClientCondition) instead of meaning equality.
	ClientConvention bool
}

// DefaultFieldMap returns the fields of the instance listing over the
// Perspective tables: the original client's listing (instances joined with
// projects, flavors and images) filtered by hostname, state, project_name,
// template_name, flavor_name, cloud and the other instance columns. The
// seed-004 portal adds its own fields (customer_name, project_group_name)
// with its own FieldMap.
func DefaultFieldMap() FieldMap {
	return FieldMap{
		Select: "instances.*, projects.name AS project_name, flavors.name AS flavor_name, images.name AS template_name",
		From: "instances INNER JOIN projects ON instances.project_id = projects.id " +
			"LEFT JOIN flavors ON instances.project_id = flavors.project_id AND instances.flavor_id = flavors.id " +
			"LEFT JOIN images ON instances.image_id = images.id",
		Fields: map[string]string{
			"id":                "instances.id",
			"real_id":           "instances.real_id",
			"hostname":          "instances.name",
			"name":              "instances.name",
			"state":             "instances.state",
			"cloud_id":          "instances.cloud_id",
			"cloud_type":        "instances.cloud_type",
			"project_id":        "instances.project_id",
			"project_name":      "projects.name",
			"project":           "projects.name",
			"flavor_id":         "instances.flavor_id",
			"flavor_name":       "flavors.name",
			"image_id":          "instances.image_id",
			"template_name":     "images.name",
			"image_name":        "images.name",
			"availability_zone": "instances.availability_zone",
			"fqdn":              "instances.fqdn",
			"created":           "instances.created",
			"last_updated":      "instances.last_updated",
		},
		Order: map[string]string{
			"project__name":  "projects.name",
			"template__name": "images.name",
		},
	}
}

// FilterSQL turns URL filters into the equivalent SELECT text and its
// arguments: the values of one field are OR-ed, fields are AND-ed, and
// every o= value (several allowed, also comma-separated) adds an ORDER BY
// key, descending when it starts with '-'. An unknown field is an
// ErrUnknownField error naming it.
func FilterSQL(values url.Values, fm FieldMap) (string, []any, error) {
	orderKey := fm.OrderKey
	if orderKey == "" {
		orderKey = "o"
	}
	ignore := map[string]bool{}
	for _, k := range fm.Ignore {
		ignore[k] = true
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var conds []string
	var args []any
	for _, k := range keys {
		if k == orderKey || ignore[k] {
			continue
		}
		col, ok := fm.Fields[k]
		if !ok {
			return "", nil, unknownField(k, fm.fieldNames(false))
		}
		var alts []string
		for _, v := range values[k] {
			name := "f" + itoa(len(args))
			args = append(args, Named(name, v))
			if fm.ClientConvention {
				op, pattern := clientOp(v)
				args[len(args)-1] = Named(name, pattern)
				alts = append(alts, col+" "+op+" :"+name+":")
			} else {
				alts = append(alts, col+" = :"+name+":")
			}
		}
		if len(alts) > 0 {
			conds = append(conds, "("+strings.Join(alts, " OR ")+")")
		}
	}
	var orders []string
	for _, o := range values[orderKey] {
		for _, f := range strings.Split(o, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			dir := " ASC"
			if strings.HasPrefix(f, "-") {
				f, dir = f[1:], " DESC"
			}
			col, ok := fm.Fields[f]
			if !ok {
				col, ok = fm.Order[f]
			}
			if !ok {
				e := unknownField(f, fm.fieldNames(true))
				e.Msg = "unknown ordering field " + quoteName(f)
				return "", nil, e
			}
			orders = append(orders, col+dir)
		}
	}
	sql := "SELECT " + fm.Select + " FROM " + fm.From
	if len(conds) > 0 {
		sql += " WHERE " + strings.Join(conds, " AND ")
	}
	if len(orders) > 0 {
		sql += " ORDER BY " + strings.Join(orders, ", ")
	}
	return sql, args, nil
}

func unknownField(name string, known []string) *Error {
	e := &Error{Kind: ErrUnknownField, Msg: "unknown filter field " + quoteName(name)}
	if h := didYouMean(name, known); h != "" {
		e.Hint = h
	} else {
		e.Hint = "known fields: " + strings.Join(known, ", ")
	}
	return e
}

func (fm FieldMap) fieldNames(order bool) []string {
	var names []string
	for k := range fm.Fields {
		names = append(names, k)
	}
	if order {
		for k := range fm.Order {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// CompileFilter compiles URL filters into the same plan as the equivalent
// SELECT (see FilterSQL) and returns it with the arguments to run it with.
func CompileFilter(schema *Schema, values url.Values, fm FieldMap) (*Compiled, []any, error) {
	sql, args, err := FilterSQL(values, fm)
	if err != nil {
		return nil, nil, err
	}
	q, err := Compile(schema, sql)
	if err != nil {
		return nil, nil, err
	}
	return q, args, nil
}

var columnName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// ClientCondition builds a WHERE condition the way the original
// Perspective client builds its filters: for each column (a name such as
// "instances.name"), a value written ^x$ means column = 'x', a value
// written %x% means column LIKE '%x%', any other value is an unanchored
// REGEXP; several values of one column are OR-ed, columns are AND-ed (in
// name order). The values become named parameters (:c0:, :c1:, …),
// returned as arguments; a column name that is not a plain (qualified)
// name is rejected, since it is written into the SQL text.
func ClientCondition(filters map[string][]string) (string, []any, error) {
	cols := make([]string, 0, len(filters))
	for c := range filters {
		if !columnName.MatchString(c) {
			return "", nil, &Error{Kind: ErrUnknownField, Msg: "invalid column name " + quoteName(c),
				Hint: "use a column name such as instances.name"}
		}
		cols = append(cols, c)
	}
	sort.Strings(cols)
	var conds []string
	var args []any
	for _, c := range cols {
		var alts []string
		for _, v := range filters[c] {
			op, pattern := clientOp(v)
			name := "c" + itoa(len(args))
			args = append(args, Named(name, pattern))
			alts = append(alts, c+" "+op+" :"+name+":")
		}
		if len(alts) > 0 {
			conds = append(conds, "("+strings.Join(alts, " OR ")+")")
		}
	}
	return strings.Join(conds, " AND "), args, nil
}

// clientOp applies the original client's value convention.
func clientOp(v string) (op, pattern string) {
	switch {
	case len(v) >= 2 && strings.HasPrefix(v, "^") && strings.HasSuffix(v, "$"):
		return "=", v[1 : len(v)-1]
	case len(v) >= 2 && strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%"):
		return "LIKE", v
	}
	return "REGEXP", v
}
