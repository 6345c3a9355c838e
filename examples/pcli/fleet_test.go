package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Three mock clouds: project web in R1 and R2, project db in R1.
var fleetClouds = []string{
	"--cloud", "mock://a?project=web&region=R1", "--cloud", "mock://b?project=web&region=R2",
	"--cloud", "mock://c?project=db&region=R1", "--seed-instances", "vm=1",
}

func TestProjectAndRegionSelectTheClouds(t *testing.T) {
	t.Setenv("OS_AUTH_URL", "")
	t.Setenv("OS_CLOUD", "")
	cases := []struct {
		args  []string
		cloud []string // the cloud column of the listing
	}{
		{nil, []string{"a", "b", "c"}},
		{[]string{"--project", "web"}, []string{"a", "b"}},
		{[]string{"--region", "R1"}, []string{"a", "c"}},
		{[]string{"--project", "web", "--region", "R2"}, []string{"b"}},
		{[]string{"--project", "db", "--project", "web", "--region", "R1"}, []string{"a", "c"}},
		{[]string{"--project", "all", "--region", "all"}, []string{"a", "b", "c"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append(append(append([]string{}, fleetClouds...), tc.args...), "list", "instances", "-o", "json")
			got := runPCLI(t, "", args...)
			require.Equal(t, 0, got.code, "%s", got.stderr)
			var list []struct {
				CloudID string `json:"cloudId"`
			}
			require.NoError(t, json.Unmarshal([]byte(got.stdout), &list), "%s", got.stdout)
			var clouds []string
			for _, in := range list {
				clouds = append(clouds, in.CloudID)
			}
			assert.ElementsMatch(t, tc.cloud, clouds)
		})
	}
}

func TestProjectAndRegionMistakes(t *testing.T) {
	t.Setenv("OS_AUTH_URL", "")
	t.Setenv("OS_CLOUD", "")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--project", "nope"}, 1, "--project nope: no cloud serves it"},
		{[]string{"--region", "R9"}, 1, "--region R9: no cloud serves it"},
		{[]string{"--project", "web", "--project", "web"}, 2, `--project "web" given twice`},
		{[]string{"--project", "all", "--project", "web"}, 2, "all and names exclude each other"},
		{[]string{"--project", "a,b"}, 2, "not a project or region name or id"},
		{[]string{"--region", ""}, 2, "empty"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append(append(append([]string{}, fleetClouds...), tc.args...), "list", "instances")
			got := runPCLI(t, "", args...)
			assert.Equal(t, tc.code, got.code, "%s", got.stderr)
			assert.Contains(t, got.stderr, tc.want)
			assert.Empty(t, got.stdout)
		})
	}
}

func TestFleetURLOfOpenStackClouds(t *testing.T) {
	a := &app{projects: []string{"web", "db"}, regions: []string{"RegionTwo"}}
	u, err := a.fleetURL("openstack://?cloud=prod&region=RegionOne")
	require.NoError(t, err)
	assert.Equal(t, "openstack://?cloud=prod&projects=web%2Cdb&regions=RegionTwo", u)
	u, err = (&app{projects: []string{"web"}}).fleetURL("openstack://")
	require.NoError(t, err)
	assert.Equal(t, "openstack://?projects=web&regions=all", u)
	u, err = a.fleetURL("mock://a")
	require.NoError(t, err)
	assert.Equal(t, "mock://a", u, "other schemes are narrowed after opening")
	_, err = a.fleetURL("openstack://?projects=all")
	assert.ErrorContains(t, err, "already selects projects")
	u, err = (&app{}).fleetURL("openstack://")
	require.NoError(t, err)
	assert.Equal(t, "openstack://", u, "no flags: the one cloud of the environment")
}
