package query

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// testDB builds a small inventory: two clouds, three projects, flavors,
// images and five instances.
func testDB(t testing.TB) *MemDB {
	t.Helper()
	db := NewMemDB(PerspectiveSchema())
	s, n, b := String, Int, Bool
	null := Null()
	set := func(table string, rows ...[]Value) {
		require.NoError(t, db.Set(table, rows))
	}
	set(TableClouds, []Value{s("os1"), s("openstack")}, []Value{s("mock1"), s("mock")})
	set(TableProjects,
		[]Value{s("p1"), s("project-one"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z")},
		[]Value{s("p2"), s("project-two"), s("os1"), s("openstack"), s("2024-01-02T00:00:00Z")},
		[]Value{s("p3"), s("selenium"), s("mock1"), s("mock"), s("2024-01-03T00:00:00Z")})
	set(TableFlavors,
		[]Value{s("f1"), s("p1"), s("m1.small"), n(2048), n(1), n(20), n(0), b(false), b(true), null},
		[]Value{s("f2"), s("p1"), s("m1.large"), n(8192), n(4), n(80), n(0), b(true), b(true), s("big")},
		[]Value{s("f1"), s("p2"), s("tiny"), n(512), n(1), n(1), n(0), b(false), b(false), null})
	set(TableImages,
		[]Value{s("i1"), s("r-i1"), s("ubuntu"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z"), s("2024-01-01T00:00:00Z"), s("saved"), null},
		[]Value{s("i2"), s("r-i2"), s("centos"), s("os1"), s("openstack"), s("2024-01-01T00:00:00Z"), s("2024-01-01T00:00:00Z"), s("saved"), s("abc")})
	inst := func(id, name, cloud, cloudType, project string, flavor, image Value, state string) []Value {
		return []Value{s(id), s("r-" + id), s(name), s(cloud), s(cloudType), s(project), flavor, image, s(state),
			s("2024-02-01T00:00:00Z"), s("2024-01-15T00:00:00Z"), null, s("10.0.0.1"), null}
	}
	set(TableInstances,
		inst("a", "web-1", "os1", "openstack", "p1", s("f1"), s("i1"), "launched"),
		inst("b", "web-2", "os1", "openstack", "p1", s("f2"), s("i2"), "shutoff"),
		inst("c", "db-1", "os1", "openstack", "p2", s("f1"), null, "launched"),
		inst("d", "test", "mock1", "mock", "p3", null, s("i9"), "error"),
		inst("e", "orphan", "os1", "openstack", "p9", s("f1"), s("i1"), "launched"))
	set(TableInstanceMetadata,
		[]Value{s("a"), s("role"), s("web")},
		[]Value{s("a"), s("env"), s("prod")},
		[]Value{s("c"), s("role"), s("db")})
	return db
}
