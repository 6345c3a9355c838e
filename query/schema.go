package query

import "fmt"

// Type is the static type of a column or an expression.
type Type uint8

// The static types. TypeAny is the type of a NULL literal or of a parameter
// whose type cannot be inferred from its context.
const (
	TypeAny Type = iota
	TypeString
	TypeNumber
	TypeBool
)

// String returns the lower-case name of the type.
func (t Type) String() string {
	switch t {
	case TypeString:
		return "string"
	case TypeNumber:
		return "number"
	case TypeBool:
		return "boolean"
	default:
		return "any"
	}
}

func (t Type) kind() Kind {
	switch t {
	case TypeString:
		return KindString
	case TypeNumber:
		return KindNumber
	case TypeBool:
		return KindBool
	default:
		return KindNull
	}
}

// Column describes one column of a table.
type Column struct {
	Name     string
	Type     Type
	Nullable bool
}

// Table describes one table: its name and its columns in row order. A row
// given by a Database holds exactly one Value per column, in this order.
type Table struct {
	Name    string
	Columns []Column
	index   map[string]int
}

// NewTable returns a table with the given columns.
func NewTable(name string, cols ...Column) *Table {
	t := &Table{Name: name, Columns: cols, index: make(map[string]int, len(cols))}
	for i, c := range cols {
		t.index[c.Name] = i
	}
	return t
}

// ColumnIndex returns the position of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	if i, ok := t.index[name]; ok {
		return i
	}
	return -1
}

// Schema is a set of tables, looked up by exact name.
type Schema struct {
	tables []*Table
	byName map[string]*Table
}

// NewSchema returns a schema holding the given tables; table names must be
// unique.
func NewSchema(tables ...*Table) (*Schema, error) {
	s := &Schema{byName: make(map[string]*Table, len(tables))}
	for _, t := range tables {
		if _, dup := s.byName[t.Name]; dup {
			return nil, fmt.Errorf("query: table %q defined twice", t.Name)
		}
		seen := make(map[string]bool, len(t.Columns))
		for _, c := range t.Columns {
			if seen[c.Name] {
				return nil, fmt.Errorf("query: column %q defined twice in table %q", c.Name, t.Name)
			}
			seen[c.Name] = true
		}
		s.byName[t.Name] = t
		s.tables = append(s.tables, t)
	}
	return s, nil
}

// Table returns the named table, or nil.
func (s *Schema) Table(name string) *Table { return s.byName[name] }

// Tables returns every table in definition order.
func (s *Schema) Tables() []*Table { return append([]*Table(nil), s.tables...) }

func str(name string) Column     { return Column{Name: name, Type: TypeString} }
func strNull(name string) Column { return Column{Name: name, Type: TypeString, Nullable: true} }
func num(name string) Column     { return Column{Name: name, Type: TypeNumber} }
func boolean(name string) Column { return Column{Name: name, Type: TypeBool} }

// The names of the fifteen tables of the original Perspective.
const (
	TableAvailabilityZones = "availability_zones"
	TableClouds            = "clouds"
	TableFlavors           = "flavors"
	TableImages            = "images"
	TableImageMetadata     = "image_metadata"
	TableInstances         = "instances"
	TableInstanceMetadata  = "instance_metadata"
	TableInstanceNetworks  = "instance_networks"
	TableKeypairs          = "keypairs"
	TableNetworks          = "networks"
	TableNetworkSubnets    = "network_subnets"
	TableProjects          = "projects"
	TableProjectImages     = "project_images"
	TableProjectMetadata   = "project_metadata"
	TableProjectQuota      = "project_quota"
)

var perspectiveSchema = mustSchema(
	NewTable(TableAvailabilityZones, str("name"), str("project_id")),
	NewTable(TableClouds, str("id"), str("type")),
	NewTable(TableFlavors, str("id"), str("project_id"), str("name"), num("ram"), num("vcpus"),
		num("root_disk"), num("ephemeral_disk"), boolean("has_swap"), boolean("is_public"), strNull("notes")),
	NewTable(TableImages, str("id"), str("real_id"), str("name"), str("cloud_id"), str("cloud_type"),
		str("created"), str("last_updated"), str("state"), strNull("checksum")),
	NewTable(TableImageMetadata, str("image_id"), str("key"), str("value")),
	NewTable(TableInstances, str("id"), str("real_id"), str("name"), str("cloud_id"), str("cloud_type"),
		str("project_id"), strNull("flavor_id"), strNull("image_id"), str("state"), str("last_updated"),
		str("created"), strNull("availability_zone"), str("addresses"), strNull("fqdn")),
	NewTable(TableInstanceMetadata, str("instance_id"), str("key"), str("value")),
	NewTable(TableInstanceNetworks, str("instance_id"), str("network_id")),
	NewTable(TableKeypairs, str("name"), str("project_id"), str("fingerprint"), str("public_key")),
	NewTable(TableNetworks, str("id"), str("project_id"), str("name"), str("state"), boolean("is_shared")),
	NewTable(TableNetworkSubnets, str("id"), str("project_id"), str("network_id"), str("name"), str("cidr"),
		num("protocol_version"), strNull("gateway"), boolean("is_dhcp_enabled")),
	NewTable(TableProjects, str("id"), str("name"), str("cloud_id"), str("cloud_type"), str("last_updated")),
	NewTable(TableProjectImages, str("project_id"), str("image_id")),
	NewTable(TableProjectMetadata, str("project_id"), str("key"), str("value")),
	NewTable(TableProjectQuota, str("project_id"), strNull("instances"), strNull("vcpus"), strNull("ram"),
		strNull("disk"), strNull("ips"), strNull("security_groups"), strNull("volumes"), strNull("keypairs")),
)

func mustSchema(tables ...*Table) *Schema {
	s, err := NewSchema(tables...)
	if err != nil {
		panic(err) // the built-in schema is a constant of this package
	}
	return s
}

// PerspectiveSchema returns the schema of the original Perspective's fifteen
// tables, with the exact table names, column names, column order and types
// its clients rely on. It is the contract of the dialect: a Database serving
// these tables gives rows in this column order. The returned schema is
// shared and must not be modified.
func PerspectiveSchema() *Schema { return perspectiveSchema }
