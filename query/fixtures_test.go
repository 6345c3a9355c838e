package query

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The test schema is the original Perspective's fifteen tables, as the
// perspective package serves them: the shapes the engine's tests, benchmarks
// and fuzz corpora are written for.
const (
	tableAvailabilityZones = "availability_zones"
	tableClouds            = "clouds"
	tableFlavors           = "flavors"
	tableImages            = "images"
	tableImageMetadata     = "image_metadata"
	tableInstances         = "instances"
	tableInstanceMetadata  = "instance_metadata"
	tableInstanceNetworks  = "instance_networks"
	tableKeypairs          = "keypairs"
	tableNetworks          = "networks"
	tableNetworkSubnets    = "network_subnets"
	tableProjects          = "projects"
	tableProjectImages     = "project_images"
	tableProjectMetadata   = "project_metadata"
	tableProjectQuota      = "project_quota"
)

func str(name string) Column     { return Column{Name: name, Type: TypeString} }
func strNull(name string) Column { return Column{Name: name, Type: TypeString, Nullable: true} }
func num(name string) Column     { return Column{Name: name, Type: TypeNumber} }
func boolean(name string) Column { return Column{Name: name, Type: TypeBool} }

var testSchema = func() *Schema {
	s, err := NewSchema(
		NewTable(tableAvailabilityZones, str("name"), str("project_id")),
		NewTable(tableClouds, str("id"), str("type")),
		NewTable(tableFlavors, str("id"), str("project_id"), str("name"), num("ram"), num("vcpus"),
			num("root_disk"), num("ephemeral_disk"), boolean("has_swap"), boolean("is_public"), strNull("notes")),
		NewTable(tableImages, str("id"), str("real_id"), str("name"), str("cloud_id"), str("cloud_type"),
			str("created"), str("last_updated"), str("state"), strNull("checksum")),
		NewTable(tableImageMetadata, str("image_id"), str("key"), str("value")),
		NewTable(tableInstances, str("id"), str("real_id"), str("name"), str("cloud_id"), str("cloud_type"),
			str("project_id"), strNull("flavor_id"), strNull("image_id"), str("state"), str("last_updated"),
			str("created"), strNull("availability_zone"), str("addresses"), strNull("fqdn")),
		NewTable(tableInstanceMetadata, str("instance_id"), str("key"), str("value")),
		NewTable(tableInstanceNetworks, str("instance_id"), str("network_id")),
		NewTable(tableKeypairs, str("name"), str("project_id"), str("fingerprint"), str("public_key")),
		NewTable(tableNetworks, str("id"), str("project_id"), str("name"), str("state"), boolean("is_shared")),
		NewTable(tableNetworkSubnets, str("id"), str("project_id"), str("network_id"), str("name"), str("cidr"),
			num("protocol_version"), strNull("gateway"), boolean("is_dhcp_enabled")),
		NewTable(tableProjects, str("id"), str("name"), str("cloud_id"), str("cloud_type"), str("last_updated")),
		NewTable(tableProjectImages, str("project_id"), str("image_id")),
		NewTable(tableProjectMetadata, str("project_id"), str("key"), str("value")),
		NewTable(tableProjectQuota, str("project_id"), strNull("instances"), strNull("vcpus"), strNull("ram"),
			strNull("disk"), strNull("ips"), strNull("security_groups"), strNull("volumes"), strNull("keypairs")),
	)
	if err != nil {
		panic(err)
	}
	return s
}()

// testEngine returns an engine over the test schema with default limits.
func testEngine(opts ...Option) *Engine { return NewEngine(testSchema, opts...) }

// mustCompile compiles one statement over the test schema.
func mustCompile(t testing.TB, sql string) *Compiled {
	t.Helper()
	q, err := testEngine().Compile(sql)
	require.NoError(t, err)
	return q
}

// testDB builds a small inventory: two clouds, three projects, flavors,
// images and five instances.
func testDB(t testing.TB) *MemDB {
	t.Helper()
	db := NewMemDB(testSchema)
	s, n, b := String, Int, Bool
	null := Null()
	set := func(table string, rows ...[]Value) {
		require.NoError(t, db.Set(table, rows))
	}
	set(tableClouds, []Value{s("os1"), s("openstack")}, []Value{s("mock1"), s("mock")})
	set(tableProjects,
		[]Value{s("p1"), s("project-one"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z")},
		[]Value{s("p2"), s("project-two"), s("os1"), s("openstack"), s("2024-01-02T00:00:00Z")},
		[]Value{s("p3"), s("selenium"), s("mock1"), s("mock"), s("2024-01-03T00:00:00Z")})
	set(tableFlavors,
		[]Value{s("f1"), s("p1"), s("m1.small"), n(2048), n(1), n(20), n(0), b(false), b(true), null},
		[]Value{s("f2"), s("p1"), s("m1.large"), n(8192), n(4), n(80), n(0), b(true), b(true), s("big")},
		[]Value{s("f1"), s("p2"), s("tiny"), n(512), n(1), n(1), n(0), b(false), b(false), null})
	set(tableImages,
		[]Value{s("i1"), s("r-i1"), s("ubuntu"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z"), s("2024-01-01T00:00:00Z"), s("saved"), null},
		[]Value{s("i2"), s("r-i2"), s("centos"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z"), s("2024-01-01T00:00:00Z"), s("saved"), s("abc")})
	inst := func(id, name, cloud, cloudType, project string, flavor, image Value, state string) []Value {
		return []Value{s(id), s("r-" + id), s(name), s(cloud), s(cloudType), s(project), flavor, image, s(state),
			s("2024-02-01T00:00:00Z"), s("2024-01-15T00:00:00Z"), null, s("10.0.0.1"), null}
	}
	set(tableInstances,
		inst("a", "web-1", "os1", "openstack", "p1", s("f1"), s("i1"), "launched"),
		inst("b", "web-2", "os1", "openstack", "p1", s("f2"), s("i2"), "shutoff"),
		inst("c", "db-1", "os1", "openstack", "p2", s("f1"), null, "launched"),
		inst("d", "test", "mock1", "mock", "p3", null, s("i9"), "error"),
		inst("e", "orphan", "os1", "openstack", "p9", s("f1"), s("i1"), "launched"))
	set(tableInstanceMetadata,
		[]Value{s("a"), s("role"), s("web")},
		[]Value{s("a"), s("env"), s("prod")},
		[]Value{s("c"), s("role"), s("db")})
	return db
}
