package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// The web application's routes join the route table of TestEveryRoute.
func init() {
	instanceCases = append(instanceCases,
		routeCase{method: "POST", path: "/instances/dryrun", body: `{"ids":["$ID"],"operations":["reboot","start"]}`, status: 200,
			check: func(t *testing.T, _ *http.Response, b []byte) {
				v := decodeJSON[struct{ Operations map[string]admits }](t, b)
				assert.Equal(t, 1, v.Operations["reboot"].Admitted, "a running instance admits reboot")
				assert.Equal(t, 0, v.Operations["start"].Admitted)
				if assert.Len(t, v.Operations["start"].Refused, 1) {
					assert.Equal(t, "invalid_state", v.Operations["start"].Refused[0].Code)
				}
			}},
		routeCase{method: "POST", path: "/instances/dryrun", body: `{"ids":[]}`, status: 400},
		routeCase{method: "POST", path: "/instances/dryrun", body: `{"ids":["$ID"],"operations":["fly"]}`, status: 400},
		routeCase{method: "GET", path: "/instances/$ID/usage?item=memory&datapoints=4", status: 200,
			check: func(t *testing.T, _ *http.Response, b []byte) {
				s := decodeJSON[perspective.UsageSeries](t, b)
				assert.Len(t, s.Points, 4)
				assert.Equal(t, "MiB", s.Unit)
				assert.Equal(t, "mock", s.Source, "the series says where its figures came from")
			}},
		routeCase{method: "GET", path: "/instances/$ID/usage?from=yesterday", status: 400},
		routeCase{method: "GET", path: "/instances/$ID/usage?datapoints=0", status: 400},
		routeCase{method: "GET", path: "/instances/nope/usage", status: 404},
		routeCase{method: "GET", path: "/instances/$ID/tags", status: 200},
		routeCase{method: "GET", path: "/flavors", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
			assert.NotEmpty(t, decodeJSON[[]flavorView](t, b))
		}},
		routeCase{method: "GET", path: "/networks", status: 200},
	)
	globalCases = append(globalCases,
		routeCase{method: "GET", path: "/ui/js/app.js", status: 200},
		routeCase{method: "GET", path: "/auth/me", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
			assert.Contains(t, string(b), `"open":true`)
		}},
		routeCase{method: "POST", path: "/auth/login", body: `{"username":"a","password":"b"}`, status: 404},
		routeCase{method: "POST", path: "/auth/token", body: `{"username":"a","password":"b"}`, status: 404},
		routeCase{method: "POST", path: "/auth/logout", status: 200},
		routeCase{method: "POST", path: "/images/upload?name=uploaded&diskFormat=raw", body: "disk bytes", status: 201},
		routeCase{method: "POST", path: "/images/upload", body: "disk bytes", status: 400},
		routeCase{method: "GET", path: "/projects/demo/regions/RegionOne/images", status: 200, check: func(t *testing.T, _ *http.Response, b []byte) {
			assert.NotEmpty(t, decodeJSON[[]map[string]any](t, b))
		}},
		routeCase{method: "GET", path: "/projects/demo/regions/R9/images", status: 404},
	)
}

func TestCheckOpenAddr(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:8080": true, "[::1]:80": true, "localhost:1": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "nonsense": false} {
		err := checkOpenAddr(nil, addr, &discard{})
		assert.Equal(t, ok, err == nil, "%s: %v", addr, err)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestDryRunLimit: limit lists at most that many refusals per operation
// while refusedCount counts them all; a negative limit is a 400.
func TestDryRunLimit(t *testing.T) {
	e := newEnv(t)
	ids := e.launch("a", "b", "c")
	body := `{"ids":["` + strings.Join(ids, `","`) + `"],"operations":["start","reboot"],"limit":1}`
	resp, b := e.do("POST", "/instances/dryrun", body)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	v := decodeJSON[struct{ Operations map[string]admits }](t, b)
	assert.Equal(t, 0, v.Operations["start"].Admitted)
	assert.Equal(t, 3, v.Operations["start"].RefusedCount)
	assert.Len(t, v.Operations["start"].Refused, 1)
	assert.Equal(t, 3, v.Operations["reboot"].Admitted)
	assert.Equal(t, 0, v.Operations["reboot"].RefusedCount)
	assert.Empty(t, v.Operations["reboot"].Refused)

	resp, b = e.do("POST", "/instances/dryrun", strings.Replace(body, `"limit":1`, `"limit":0`, 1))
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", b)
	v = decodeJSON[struct{ Operations map[string]admits }](t, b)
	assert.Len(t, v.Operations["start"].Refused, 3, "limit 0 lists every refusal")

	resp, b = e.do("POST", "/instances/dryrun", strings.Replace(body, `"limit":1`, `"limit":-1`, 1))
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(b), "limit: -1 is negative")
}
