package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
)

// TestQueryHypervisors: POST /query reads seed 003's hypervisors table and
// the instances' host on an administrator's cloud; a member's statement
// over hypervisors is an evaluation_error saying why, and the member sees
// no host.
func TestQueryHypervisors(t *testing.T) {
	const join = `[{"sql": "select i.name, h.hostname, h.running_vms from instances i join hypervisors h ` +
		`on i.cloud_id = h.cloud_id and i.host = h.host order by i.name"}, {"sql": "select name, host from instances order by name"}]`

	admin := newEnv(t, mock.WithAdmin(true))
	admin.launch("web-1", "web-2")
	resp, b := admin.do("POST", "/query", join)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	got := decodeJSON[[]map[string]any](t, b)
	require.Len(t, got, 2)
	assert.Equal(t, "success", got[0]["status"], "%s", b)
	assert.EqualValues(t, 2, got[0]["count"], "each instance joins its hypervisor: %s", b)
	rows := got[0]["data"].(map[string]any)["row"].([]any)
	assert.Equal(t, []any{"web-1", "aio", 1.0}, rows[0].(map[string]any)["value"])
	assert.Equal(t, []any{"web-2", "aio2", 1.0}, rows[1].(map[string]any)["value"])

	member := newEnv(t)
	member.launch("web-1")
	resp, b = member.do("POST", "/query", join)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	got = decodeJSON[[]map[string]any](t, b)
	require.Len(t, got, 2)
	assert.Equal(t, "evaluation_error", got[0]["status"], "%s", b)
	assert.Contains(t, got[0]["message"], "read table hypervisors: an administrator's credentials are needed")
	assert.Equal(t, "success", got[1]["status"])
	rows = got[1]["data"].(map[string]any)["row"].([]any)
	assert.Equal(t, []any{"web-1", nil}, rows[0].(map[string]any)["value"], "a member sees no host")
}
