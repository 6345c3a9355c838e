package perspective

import "github.com/perspective-cloud/sdk/query"

// Schema is the fifteen tables, for the external tests.
var Schema = schema

// TablesOf is a view of the cloud's inventory as the fifteen tables, for
// the external tests.
func TablesOf(c *Cloud) query.Database { return newTables(c) }

// TablesOfSet is a view of the set's inventories as the fifteen tables,
// for the external tests and benchmarks.
func TablesOfSet(s *Set) query.FilteringDatabase { return newTables(s.clouds...) }
