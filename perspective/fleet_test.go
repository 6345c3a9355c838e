package perspective_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// fakeSource is a FleetSource whose members the test sets; it returns the
// same driver for a pair every time, as the contract asks.
type fakeSource struct {
	mu      sync.Mutex
	members []perspective.FleetMember
	err     error
	expands int
	closed  bool
}

func (s *fakeSource) Expand(context.Context) ([]perspective.FleetMember, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expands++
	return append([]perspective.FleetMember(nil), s.members...), s.err
}

func (s *fakeSource) Close() error { s.closed = true; return nil }

func pair(project, region string, opts ...mock.Option) perspective.FleetMember {
	id := "lab/" + project + "/" + region
	d := mock.New(append([]mock.Option{mock.WithCloudID(id), mock.WithProject(project+"-id", project), mock.WithRegion(region)}, opts...)...)
	return perspective.FleetMember{Target: perspective.Target{CloudID: id, ProjectID: project + "-id", Region: region},
		ProjectName: project, Driver: d}
}

func launchIn(t *testing.T, c *perspective.Cloud, name string) string {
	t.Helper()
	rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: name, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	return rep.Results[0].ID
}

func TestFleetOneFailingCloudNeverFailsTheListing(t *testing.T) {
	refused := &perspective.Error{Code: perspective.CodeForbidden, Msg: "the user has no role on the project"}
	src := &fakeSource{members: []perspective.FleetMember{
		pair("web", "R1"), pair("web", "R2"),
		pair("db", "R1", mock.WithFailing("ListInstances", refused)),
		{Target: perspective.Target{CloudID: "lab/ops", ProjectID: "ops-id"}, ProjectName: "ops", Err: refused},
		{Target: perspective.Target{CloudID: "lab/web/R9", ProjectID: "web-id", Region: "R9"}, ProjectName: "web", Note: "skipped: no compute"},
	}}
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{src})
	require.NoError(t, err)
	defer fl.Close()
	require.Len(t, fl.Set().Clouds(), 3)
	for _, c := range fl.Set().Clouds() {
		launchIn(t, c, "vm-"+c.Info().ProjectName+"-"+c.Info().Region)
	}

	l, err := fl.List(context.Background(), perspective.ListOptions{})
	require.NoError(t, err)
	var names []string
	for _, in := range l.Instances {
		names = append(names, in.Name)
	}
	assert.Equal(t, []string{"vm-web-R1", "vm-web-R2"}, names, "the clouds that answer still list")
	require.Len(t, l.Errors, 2)
	for _, e := range l.Errors {
		assert.ErrorIs(t, e.Err, perspective.ErrForbidden, "%s: %v", e.Target, e.Err)
	}
	assert.ErrorIs(t, l.Err(), perspective.ErrForbidden)

	// the fleet's Set says the same: the instances of the clouds that
	// answer, and each failed cloud (db/R1's listing, ops's scope) in its
	// *PartialError
	insts, err := fl.Set().Instances().List(context.Background(), perspective.ListOptions{})
	assert.Equal(t, l.Instances, insts)
	var pe *perspective.PartialError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, perspective.ErrForbidden)
	assert.Equal(t, l.Errors, pe.Failed)
	assert.Equal(t, []string{"db", "ops"}, []string{pe.Failed[0].ProjectName, pe.Failed[1].ProjectName})

	ps := fl.Projects()
	require.Len(t, ps, 3)
	assert.Equal(t, "db", ps[0].Name)
	assert.Equal(t, []perspective.Region{{ID: "R1"}}, ps[0].Regions)
	assert.Equal(t, "ops", ps[1].Name)
	assert.Empty(t, ps[1].Regions)
	require.Len(t, ps[1].Errors, 1)
	assert.Equal(t, "web", ps[2].Name)
	assert.Equal(t, []perspective.Region{{ID: "R1"}, {ID: "R2"}}, ps[2].Regions, "the note's region is not served")
}

func TestFleetRoutesEachIDToItsPair(t *testing.T) {
	a, b := pair("web", "R1"), pair("web", "R2")
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{&fakeSource{members: []perspective.FleetMember{a, b}}})
	require.NoError(t, err)
	defer fl.Close()
	ca, _ := fl.Set().Cloud(a.Target)
	cb, _ := fl.Set().Cloud(b.Target)
	ida, idb := launchIn(t, ca, "x"), launchIn(t, cb, "x")
	assert.NotEqual(t, perspective.GlobalID(a.Target.CloudID, perspective.KindInstance, "same"),
		perspective.GlobalID(b.Target.CloudID, perspective.KindInstance, "same"), "a pair's CloudID is in its global ids")

	// bulk over the fleet routes each id to its own pair
	rep, err := fl.Set().Instances().Reboot(context.Background(), ida, idb)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Succeeded())
	assert.Equal(t, 1, a.Driver.(*mock.Driver).Calls("Reboot"))
	assert.Equal(t, 1, b.Driver.(*mock.Driver).Calls("Reboot"))
}

func TestFleetRefresh(t *testing.T) {
	web := pair("web", "R1")
	src := &fakeSource{members: []perspective.FleetMember{web}}
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{src})
	require.NoError(t, err)
	first := fl.Set()
	cWeb, _ := first.Cloud(web.Target)

	// a project added, web lost
	db := pair("db", "R1")
	lost := web
	lost.Driver, lost.Err = nil, &perspective.Error{Code: perspective.CodeForbidden, Msg: "lost"}
	src.mu.Lock()
	src.members = []perspective.FleetMember{lost, db}
	src.mu.Unlock()
	require.NoError(t, fl.Refresh(context.Background()))
	require.Len(t, fl.Set().Clouds(), 1)
	assert.Equal(t, "db", fl.Set().Clouds()[0].Info().ProjectName)
	_, err = cWeb.Instances().List(context.Background(), perspective.ListOptions{})
	assert.NoError(t, err, "a Set handed out before the refresh stays usable")
	assert.Len(t, first.Clouds(), 1)

	// web back: a new Cloud for it; db keeps its own
	cDB, _ := fl.Set().Cloud(db.Target)
	web2 := pair("web", "R1")
	src.mu.Lock()
	src.members = []perspective.FleetMember{web2, db}
	src.mu.Unlock()
	require.NoError(t, fl.Refresh(context.Background()))
	got, _ := fl.Set().Cloud(db.Target)
	assert.Same(t, cDB, got)
	assert.Len(t, fl.Set().Clouds(), 2)

	// a source that cannot expand leaves the fleet as it was
	src.mu.Lock()
	src.err = errors.New("keystone down")
	src.mu.Unlock()
	assert.Error(t, fl.Refresh(context.Background()))
	assert.Len(t, fl.Set().Clouds(), 2)

	require.NoError(t, fl.Close())
	assert.True(t, src.closed)
	assert.Error(t, fl.Refresh(context.Background()), "closed")
}

func TestFleetDuplicateMembersAreRefused(t *testing.T) {
	a := pair("web", "R1")
	dup := a
	dup.Driver = mock.New(mock.WithCloudID(a.Target.CloudID), mock.WithProject("web-id", "web"), mock.WithRegion("R1"))
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{&fakeSource{members: []perspective.FleetMember{a, dup}}})
	require.NoError(t, err)
	defer fl.Close()
	assert.Len(t, fl.Set().Clouds(), 1)
	var errs int
	for _, m := range fl.Members() {
		if m.Err != nil {
			errs++
			assert.ErrorIs(t, m.Err, perspective.ErrInvalidArgument)
		}
	}
	assert.Equal(t, 1, errs)
}

func TestOpenFleetWithPlainURLs(t *testing.T) {
	fl, err := perspective.OpenFleet(context.Background(), []string{"mock://a?project=p1&region=R1", "mock://b?project=p2&region=R2"})
	require.NoError(t, err)
	defer fl.Close()
	assert.Len(t, fl.Set().Clouds(), 2)
	ps := fl.Projects()
	require.Len(t, ps, 2)
	assert.Equal(t, "p1", ps[0].Name)

	_, err = perspective.OpenFleet(context.Background(), []string{"nosuch://x"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = perspective.OpenFleet(context.Background(), nil)
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = perspective.OpenFleet(context.Background(), []string{"mock://a?bogus=1"})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	_, err = perspective.NewFleet(context.Background(), []perspective.FleetSource{nil})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

var _ driver.Driver = (*mock.Driver)(nil)
