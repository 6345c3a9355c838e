package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuery checks POST /query against seed 001's request and response
// shapes, and that a bad statement is a result, not an HTTP error.
func TestQuery(t *testing.T) {
	e := newEnv(t)
	ids := e.launch("web-1", "db-1")

	resp, b := e.do("POST", "/query", `[ {
  "sql" : "select id, name from instances where name regexp :name: order by name asc",
  "parameters" : [ { "name" : "name", "value" : "^web" } ]
}, {
  "sql" : "select instances.name, flavors.ram from instances left join flavors on instances.project_id = flavors.project_id and instances.flavor_id = flavors.id order by instances.name; selec 1"
}, {
  "sql" : "select name from projects where id = :id:"
} ]`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	got := decodeJSON[[]map[string]any](t, b)
	require.Len(t, got, 4, "one result per statement: %s", b)

	for _, r := range got {
		assert.ElementsMatch(t, []string{"status", "count", "data", "message"}, keys(r))
	}
	assert.Equal(t, "success", got[0]["status"])
	assert.EqualValues(t, 1, got[0]["count"])
	data := got[0]["data"].(map[string]any)
	assert.Equal(t, []any{"id", "name"}, data["columnName"])
	assert.Equal(t, []any{map[string]any{"value": []any{ids[0], "web-1"}}}, data["row"])

	data = got[1]["data"].(map[string]any)
	assert.Equal(t, []any{"instances.name", "flavors.ram"}, data["columnName"])
	assert.Len(t, data["row"], 2)

	assert.Equal(t, "syntax_error", got[2]["status"])
	assert.NotEmpty(t, got[2]["message"])
	assert.Equal(t, "missing_parameters", got[3]["status"])
	assert.Equal(t, []any{"name"}, got[3]["data"].(map[string]any)["columnName"])

	for _, body := range []string{`[]`, `[{"sql":" "}]`, `{"sql":"select 1"}`, `[{"sql":"select 1","parameters":[{"name":"a","value":{}}]}]`} {
		resp, b := e.do("POST", "/query", body)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s → %s", body, b)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
