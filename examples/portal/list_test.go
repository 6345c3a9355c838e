package main

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVisibility: each role sees exactly the instances seed 004 says.
func TestVisibility(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	tests := []struct {
		user, token string
		want        []string
	}{
		{"staff see all", staffToken, []string{"api-1", "db-1", "web-1", "web-2"}},
		{"owner sees the customer's", olgaToken, []string{"db-1", "web-1", "web-2"}},
		{"other owner", borisToken, []string{"api-1"}},
		{"administrator sees the project's", aliceToken, []string{"web-1", "web-2"}},
		{"manager sees the project's", mikeToken, []string{"web-1", "web-2"}},
		{"administrator of another project", carolToken, []string{"db-1"}},
		{"administrator of another customer's project", bobToken, []string{"api-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			assert.Equal(t, tt.want, hostnames(tp.list(t, tt.token, "")))
		})
	}
	// Nothing of another project: not even by its uuid.
	db1 := tp.uuidOf(t, "db-1")
	for _, token := range []string{aliceToken, mikeToken, borisToken, bobToken} {
		for _, path := range []string{"/", "/usage/?item=cpu"} {
			status, body := tp.call(t, token, "GET", "/api/instances/"+db1+path, "")
			assert.Equal(t, 404, status, "%s", body)
		}
	}
	status, _ := tp.call(t, olgaToken, "GET", "/api/instances/"+db1+"/", "")
	assert.Equal(t, 200, status, "the owner sees the customer's instance")
}

func TestListFilters(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	status, body := tp.call(t, aliceToken, "POST", "/api/instances/"+tp.uuidOf(t, "web-1")+"/stop/", "")
	require.Equal(t, 202, status, "%s", body)
	tests := []struct {
		query string
		want  []string
	}{
		{"?hostname=web-1", []string{"web-1"}},
		{"?hostname=web-1&hostname=db-1", []string{"db-1", "web-1"}},
		{"?customer_name=Beta+Ltd", []string{"api-1"}},
		{"?state=%2B", []string{"api-1", "db-1", "web-2"}},
		{"?state=+", []string{"api-1", "db-1", "web-2"}}, // an unescaped + arrives as a space
		{"?state=-", []string{"web-1"}},
		{"?state=Offline", []string{"web-1"}},
		{"?state=OFFLINE", []string{"web-1"}},
		{"?state=online&project_name=alpha-web", []string{"web-2"}},
		{"?state=p", []string{}},
		{"?project_name=alpha-data", []string{"db-1"}},
		{"?project=alpha-data", []string{"db-1"}},
		{"?project_group_name=Alpha+Web", []string{"web-1", "web-2"}},
		{"?project_group=Alpha+Engineering", []string{"db-1", "web-1", "web-2"}},
		{"?project_group_name=Beta+Production&project_name=alpha-web", []string{}},
		{"?template_name=ubuntu-24.04", []string{"api-1", "web-2"}},
		{"?o=hostname", []string{"api-1", "db-1", "web-1", "web-2"}},
		{"?o=-hostname", []string{"web-2", "web-1", "db-1", "api-1"}},
		{"?o=state,hostname", []string{"api-1", "db-1", "web-2", "web-1"}}, // '+' sorts before '-'
		{"?o=-state,hostname", []string{"web-1", "api-1", "db-1", "web-2"}},
		{"?o=customer_name,-hostname", []string{"web-2", "web-1", "db-1", "api-1"}},
		{"?o=-customer_name,hostname", []string{"api-1", "db-1", "web-1", "web-2"}},
		{"?o=project__customer__name&o=hostname", []string{"db-1", "web-1", "web-2", "api-1"}},
		{"?o=project_name,hostname", []string{"db-1", "web-1", "web-2", "api-1"}},
		{"?o=project__name,-hostname", []string{"db-1", "web-2", "web-1", "api-1"}},
		{"?o=-project_group_name,hostname", []string{"api-1", "web-1", "web-2", "db-1"}},
		{"?o=project__project_groups__name,hostname&project_group_name=Alpha+Web", []string{"web-1", "web-2"}},
		{"?o=template_name,hostname", []string{"web-1", "db-1", "api-1", "web-2"}},
		{"?o=-template__name,hostname", []string{"api-1", "web-2", "db-1", "web-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			assert.Equal(t, tt.want, hostnames(tp.list(t, staffToken, tt.query)))
		})
	}
	// Filters never widen what a user sees.
	assert.Equal(t, []string{"web-1", "web-2"}, hostnames(tp.list(t, mikeToken, "?customer_name=Alpha+Corp")))
	assert.Empty(t, tp.list(t, mikeToken, "?project_name=alpha-data"))
}

func TestListFilterErrors(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	tests := []struct{ query, want string }{
		{"?hostnme=x", `unknown filter field "hostnme"`},
		{"?o=cores", `unknown ordering field "cores"`},
		{"?o=-", `unknown ordering field ""`},
		{"?state=Running", `state: unknown state "Running"`},
		{"?state=x", `use a symbol or a name: p (Provisioning Scheduled)`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := tp.call(t, staffToken, "GET", "/api/instances/"+tt.query, "")
			assert.Equal(t, 400, status)
			assert.Contains(t, detail(t, body), tt.want)
		})
	}
}

func TestRendering(t *testing.T) {
	tp := newTestPortal(t, sample(t, nil))
	list := tp.list(t, staffToken, "?hostname=web-2")
	require.Len(t, list, 1)
	in := list[0]
	base := tp.srv.URL
	assert.Len(t, in.UUID, 32)
	assert.Equal(t, base+"/api/instances/"+in.UUID+"/", in.URL)
	assert.Equal(t, "Online", in.State)
	assert.Equal(t, "ubuntu-24.04", in.TemplateName)
	assert.Equal(t, "ubuntu", in.TemplateOS)
	assert.Equal(t, "alpha-web", in.ProjectName)
	assert.Equal(t, base+"/api/projects/"+alphaWeb+"/", in.Project)
	assert.Equal(t, "Alpha Corp", in.CustomerName)
	assert.Equal(t, "ALPHA", in.CustomerAbbreviation)
	assert.Equal(t, "CloudAccount of Alpha Corp", in.CloudName)
	assert.Equal(t, []string{"Alpha Engineering", "Alpha Web"}, []string{in.ProjectGroups[0].Name, in.ProjectGroups[1].Name})
	assert.Equal(t, "demo instance", in.Description)
	assert.Equal(t, 20*1024, in.SystemVolumeSize)
	assert.Equal(t, 1, in.Cores)
	assert.Equal(t, 2048, in.RAM)
	require.Len(t, in.InternalIPs, 1)
	assert.NotNil(t, in.StartTime)
	assert.NotNil(t, in.SecurityGroups, "empty lists render as [], not null")
	// The same instance by its uuid, with or without dashes.
	assert.Equal(t, in, tp.get(t, in.UUID))
	dashed, ok := instanceID(in.UUID)
	require.True(t, ok)
	assert.Equal(t, in.UUID, tp.get(t, url.PathEscape(dashed)).UUID)
}
