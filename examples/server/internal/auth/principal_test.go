package auth

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// twoProjects is a Set of two mock clouds: project a and project b.
func twoProjects(t testing.TB) *perspective.Set {
	t.Helper()
	var clouds []*perspective.Cloud
	for _, p := range []string{"a", "b"} {
		c, err := perspective.NewCloud(mock.New(mock.WithCloudID("mock-"+p), mock.WithProject(p, "project-"+p)))
		require.NoError(t, err)
		clouds = append(clouds, c)
	}
	set, err := perspective.NewSet(clouds...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = set.Close() })
	return set
}

func TestPrincipalCan(t *testing.T) {
	a := perspective.CloudInfo{CloudID: "c1", ProjectID: "p1", ProjectName: "demo", Region: "r1"}
	tests := []struct {
		name   string
		p      *Principal
		action Action
		want   bool
	}{
		{"nil principal", nil, ActionRead, false},
		{"no grants", &Principal{}, ActionRead, false},
		{"unrestricted", &Principal{Unrestricted: true}, ActionWrite, true},
		{"viewer reads", &Principal{Grants: []Grant{{Project: "p1", Role: RoleViewer}}}, ActionRead, true},
		{"viewer cannot write", &Principal{Grants: []Grant{{Project: "p1", Role: RoleViewer}}}, ActionWrite, false},
		{"operator writes", &Principal{Grants: []Grant{{Project: "p1", Role: RoleOperator}}}, ActionWrite, true},
		{"project by name", &Principal{Grants: []Grant{{Project: "demo", Role: RoleOperator}}}, ActionWrite, true},
		{"other project", &Principal{Grants: []Grant{{Project: "p2", Role: RoleOperator}}}, ActionRead, false},
		{"other region", &Principal{Grants: []Grant{{Project: "p1", Region: "r2", Role: RoleOperator}}}, ActionRead, false},
		{"other cloud", &Principal{Grants: []Grant{{Cloud: "c2", Role: RoleOperator}}}, ActionRead, false},
		{"whole cloud", &Principal{Grants: []Grant{{Cloud: "c1", Role: RoleOperator}}}, ActionWrite, true},
		{"viewer here, operator there", &Principal{Grants: []Grant{{Project: "p1", Role: RoleViewer}, {Project: "p2", Role: RoleOperator}}}, ActionWrite, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.p.can(a, tt.action))
		})
	}
}

func TestPrincipalNarrow(t *testing.T) {
	ctx := context.Background()
	set := twoProjects(t)
	// Launch one instance in each project through the full set.
	for _, p := range []string{"a", "b"} {
		c, ok := set.Cloud(perspective.Target{ProjectID: p})
		require.True(t, ok)
		f, err := c.Flavors().List(ctx)
		require.NoError(t, err)
		img, err := c.Images().List(ctx)
		require.NoError(t, err)
		_, err = c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "vm-" + p, FlavorID: f[0].ID, ImageID: img[0].ID})
		require.NoError(t, err)
	}
	all, err := set.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	require.Len(t, all, 2)
	idOf := map[string]string{}
	for _, in := range all {
		idOf[in.ProjectID] = in.ID
	}

	alice := &Principal{Name: "alice", Grants: []Grant{{Project: "a", Role: RoleOperator}, {Project: "b", Role: RoleViewer}}}
	read := alice.Narrow(set, ActionRead)
	list, err := read.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	assert.Len(t, list, 2, "alice sees both projects")

	write := alice.Narrow(set, ActionWrite)
	assert.Equal(t, []perspective.Target{{CloudID: "mock-a", ProjectID: "a", Region: "RegionOne"}}, alice.targets(set, ActionWrite))
	rep, err := write.Instances().Reboot(ctx, idOf["a"], idOf["b"])
	require.Error(t, err)
	require.Len(t, rep.Results, 2)
	assert.NoError(t, rep.Results[0].Err, "alice operates project a")
	assert.Equal(t, perspective.CodeNotFound, perspective.Code(rep.Results[1].Err), "project b is not hers to act on: as if it did not exist")

	stranger := &Principal{Name: "eve"}
	list, err = stranger.Narrow(set, ActionRead).Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = stranger.Narrow(set, ActionRead).Instances().Get(ctx, idOf["a"])
	assert.Equal(t, perspective.CodeNotFound, perspective.Code(err))
}

func TestContext(t *testing.T) {
	_, ok := FromContext(context.Background())
	assert.False(t, ok)
	p := &Principal{Name: "x"}
	got, ok := FromContext(newContext(context.Background(), p))
	assert.True(t, ok)
	assert.Same(t, p, got)
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"": RoleViewer, "viewer": RoleViewer, "operator": RoleOperator} {
		got, err := parseRole(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := parseRole("root")
	assert.ErrorContains(t, err, `role "root"`)
	assert.Equal(t, ActionRead, ActionOf("HEAD"))
	assert.Equal(t, ActionWrite, ActionOf("DELETE"))
}
