package perspective_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/perspective-cloud/sdk/query"
)

// threeClouds is a Set of projects web (R1, R2) and db (R1); db's driver
// fails the driver methods named in failing with a forbidden error. Each
// cloud but a failing db has one instance and one keypair named after its
// pair.
func threeClouds(t *testing.T, failing ...string) (*perspective.Set, perspective.Target) {
	t.Helper()
	var clouds []*perspective.Cloud
	var bad perspective.Target
	for _, p := range [][2]string{{"web", "R1"}, {"web", "R2"}, {"db", "R1"}} {
		opts := []mock.Option{mock.WithDelay(0), mock.WithCloudID("lab/" + p[0] + "/" + p[1]), mock.WithProject(p[0]+"-id", p[0]), mock.WithRegion(p[1])}
		if p[0] == "db" {
			for _, m := range failing {
				opts = append(opts, mock.WithFailing(perspective.Operation(m),
					&perspective.Error{Code: perspective.CodeForbidden, Msg: "the user has no role on db"}))
			}
			bad = perspective.Target{CloudID: "lab/db/R1", ProjectID: "db-id", Region: "R1"}
		}
		c, err := perspective.NewCloud(mock.New(opts...), perspective.WithRetry(0, 0))
		require.NoError(t, err)
		if p[0] != "db" || len(failing) == 0 {
			launchIn(t, c, "vm-"+p[0]+"-"+p[1])
			_, err = c.Keypairs().Create(context.Background(), perspective.KeypairSpec{Name: "key-" + p[0] + "-" + p[1]})
			require.NoError(t, err)
		}
		clouds = append(clouds, c)
	}
	set, err := perspective.NewSet(clouds...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = set.Close() })
	return set, bad
}

// requirePartial checks that err is the partial failure of one cloud,
// bad, refused, out of asked.
func requirePartial(t *testing.T, err error, asked int, bad perspective.Target) *perspective.PartialError {
	t.Helper()
	var pe *perspective.PartialError
	require.ErrorAs(t, err, &pe, "%v", err)
	assert.ErrorIs(t, err, perspective.ErrForbidden)
	assert.Equal(t, perspective.CodeForbidden, perspective.Code(err))
	assert.Equal(t, asked, pe.Clouds)
	assert.Equal(t, asked-1, pe.Answered())
	require.Len(t, pe.Failed, 1)
	assert.Equal(t, bad, pe.Failed[0].Target)
	assert.Equal(t, "db", pe.Failed[0].ProjectName)
	var ce *perspective.CloudError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, bad, ce.Target)
	assert.Contains(t, err.Error(), "1 of 3 clouds failed: cloud lab/db/R1 (project db, region R1)")
	assert.Contains(t, err.Error(), "no role on db")
	return pe
}

func TestSetListingsAnswerForTheCloudsThatAnswer(t *testing.T) {
	ctx := context.Background()
	t.Run("instances", func(t *testing.T) {
		set, bad := threeClouds(t, "ListInstances")
		insts, err := set.Instances().List(ctx, perspective.ListOptions{})
		requirePartial(t, err, 3, bad)
		var names []string
		for _, in := range insts {
			names = append(names, in.Name)
		}
		assert.Equal(t, []string{"vm-web-R1", "vm-web-R2"}, names, "the other clouds still list")

		// narrowed to the clouds that answer: no error at all
		insts, err = set.Instances().In(perspective.Target{ProjectID: "web-id"}).List(ctx, perspective.ListOptions{})
		require.NoError(t, err)
		assert.Len(t, insts, 2)
		// narrowed to the failing one: nothing answered
		insts, err = set.Instances().In(bad).List(ctx, perspective.ListOptions{})
		var pe *perspective.PartialError
		require.ErrorAs(t, err, &pe)
		assert.Zero(t, pe.Answered())
		assert.Empty(t, insts)
	})
	// Each metadata listing: the driver method db fails, and how many
	// objects each of the two clouds that answer contributes at least.
	for _, tc := range []struct {
		method string
		list   func(*perspective.Set) (int, error)
	}{
		{"ListImages", func(s *perspective.Set) (int, error) { v, err := s.Images().List(ctx); return len(v), err }},
		{"ListKeypairs", func(s *perspective.Set) (int, error) { v, err := s.Keypairs().List(ctx); return len(v), err }},
		{"ListFlavors", func(s *perspective.Set) (int, error) { v, err := s.Flavors().List(ctx); return len(v), err }},
		{"ListNetworks", func(s *perspective.Set) (int, error) { v, err := s.Networks().List(ctx); return len(v), err }},
		{"ListProjects", func(s *perspective.Set) (int, error) { v, err := s.Projects().List(ctx); return len(v), err }},
	} {
		t.Run(tc.method, func(t *testing.T) {
			healthy, _ := threeClouds(t)
			all, err := tc.list(healthy)
			require.NoError(t, err)
			set, bad := threeClouds(t, tc.method)
			n, err := tc.list(set)
			requirePartial(t, err, 3, bad)
			assert.Positive(t, n, "the clouds that answer still list")
			assert.Less(t, n, all, "the failed cloud's objects are left out")
		})
	}
}

func TestSetGetLooksInEveryCloudThatAnswers(t *testing.T) {
	ctx := context.Background()
	set, _ := threeClouds(t, "ListImages", "GetImage")
	// db fails first in the Set's order only when it comes first: put it first
	clouds := set.Clouds()
	reordered, err := perspective.NewSet(clouds[2], clouds[0], clouds[1])
	require.NoError(t, err)
	img, err := reordered.Images().Get(ctx, "cirros-0.6.2")
	require.NoError(t, err, "a cloud that fails does not hide the image in the others")
	assert.True(t, strings.HasPrefix(img.CloudID, "lab/web/"), img.CloudID)

	_, err = reordered.Images().Get(ctx, "no-such-image")
	assert.ErrorIs(t, err, perspective.ErrForbidden, "not found is not certain while a cloud failed")
	var ce *perspective.CloudError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "lab/db/R1", ce.Target.CloudID)

	_, err = set.Instances().In(perspective.Target{ProjectID: "web-id"}).Get(ctx, "nope")
	assert.ErrorIs(t, err, perspective.ErrNotFound)
}

func TestSetQueryAnswersForTheCloudsThatAnswer(t *testing.T) {
	ctx := context.Background()
	set, bad := threeClouds(t, "ListInstances", "ListFlavors")
	res, err := set.Query(ctx, "SELECT i.name, f.name AS flavor FROM instances i JOIN flavors f ON f.id = i.flavor_id AND f.project_id = i.project_id ORDER BY i.name")
	requirePartial(t, err, 3, bad)
	require.NotNil(t, res)
	var names []string
	for _, row := range res.Rows() {
		names = append(names, row[0].Str())
	}
	assert.Equal(t, []string{"vm-web-R1", "vm-web-R2"}, names)

	res, err = set.Query(ctx, "SELECT COUNT(*) FROM instances")
	requirePartial(t, err, 3, bad)
	assert.InDelta(t, 2, res.Rows()[0][0].Num(), 0, "the count of the clouds that answered")

	batch, err := set.QueryBatch(ctx, []query.Request{{SQL: "SELECT name FROM instances; SELECT name FROM flavors"}})
	requirePartial(t, err, 3, bad)
	require.Len(t, batch, 2)
	for _, r := range batch {
		assert.Equal(t, query.StatusSuccess, r.Status, "%s", r.Message)
	}

	listed, err := set.ListInstances(ctx, url.Values{"o": {"hostname"}})
	requirePartial(t, err, 3, bad)
	require.Len(t, listed, 2)
	assert.Equal(t, "vm-web-R1", listed[0].Name)

	// a fault of the statement is still the statement's error, no partial one
	_, err = set.Query(ctx, "SELECT nope FROM instances")
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
	var pe *perspective.PartialError
	assert.False(t, errors.As(err, &pe))

	// a query over the clouds that answer has no error
	healthy, _ := threeClouds(t)
	res, err = healthy.Query(ctx, "SELECT COUNT(*) FROM instances")
	require.NoError(t, err)
	assert.InDelta(t, 3, res.Rows()[0][0].Num(), 0)
}

func TestSetReadsFailWholeWhenTheContextEnds(t *testing.T) {
	set, _ := threeClouds(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := set.Images().List(ctx)
	assert.ErrorIs(t, err, perspective.ErrCanceled)
	var pe *perspective.PartialError
	assert.False(t, errors.As(err, &pe), "a call the caller gave up on is no partial answer: %v", err)
	//lint:ignore SA1012 a nil ctx is refused, as a call-level error
	_, err = set.Instances().List(nil, perspective.ListOptions{})
	assert.ErrorIs(t, err, perspective.ErrInvalidArgument)
}

func TestFleetSetReportsItsAbsentMembers(t *testing.T) {
	refused := &perspective.Error{Code: perspective.CodeForbidden, Msg: "no role on ops"}
	src := &fakeSource{members: []perspective.FleetMember{
		pair("web", "R1"), pair("web", "R2"),
		{Target: perspective.Target{CloudID: "lab/ops", ProjectID: "ops-id"}, ProjectName: "ops", Err: refused},
		{Target: perspective.Target{CloudID: "lab/web/R9", ProjectID: "web-id", Region: "R9"}, ProjectName: "web", Note: "skipped: no compute"},
	}}
	fl, err := perspective.NewFleet(context.Background(), []perspective.FleetSource{src})
	require.NoError(t, err)
	defer fl.Close()
	for _, c := range fl.Set().Clouds() {
		launchIn(t, c, "vm-"+c.Info().Region)
	}
	ctx := context.Background()
	insts, err := fl.Set().Instances().List(ctx, perspective.ListOptions{})
	assert.Len(t, insts, 2)
	var pe *perspective.PartialError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, perspective.ErrForbidden)
	assert.Equal(t, 3, pe.Clouds, "two open, one refused; the note is no cloud")
	require.Len(t, pe.Failed, 1)
	assert.Equal(t, "ops", pe.Failed[0].ProjectName)

	for _, tc := range []struct {
		t      perspective.Target
		absent bool
	}{
		{perspective.Target{ProjectID: "web-id"}, false},
		{perspective.Target{ProjectID: "web-id", Region: "R1"}, false},
		{perspective.Target{ProjectID: "ops-id", Region: "R1"}, true}, // the project failed in every region
		{perspective.Target{Region: "R2"}, true},
	} {
		_, err := fl.Set().Images().In(tc.t).List(ctx)
		assert.Equal(t, tc.absent, errors.As(err, &pe), "%s: %v", tc.t, err)
	}
	_, err = fl.Set().Query(ctx, "SELECT name FROM instances")
	assert.ErrorIs(t, err, perspective.ErrForbidden, "the query reports the refused project too")

	// Select keeps the absent members it keeps
	webOnly := fl.Set().Select(func(i perspective.CloudInfo) bool { return i.ProjectName == "web" })
	require.Len(t, webOnly.Clouds(), 2)
	_, err = webOnly.Instances().List(ctx, perspective.ListOptions{})
	assert.NoError(t, err, "ops is not web's")
	opsToo := fl.Set().Select(func(i perspective.CloudInfo) bool { return i.Region != "R2" })
	require.Len(t, opsToo.Clouds(), 1)
	insts, err = opsToo.Instances().List(ctx, perspective.ListOptions{})
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "ops", pe.Failed[0].ProjectName)
	assert.Len(t, insts, 1)

	// a set made of the fleet's clouds by hand knows nothing of the fleet
	plain, err := perspective.NewSet(fl.Set().Clouds()...)
	require.NoError(t, err)
	_, err = plain.Instances().List(ctx, perspective.ListOptions{})
	assert.NoError(t, err)
}

func TestPartialErrorMessageIsBounded(t *testing.T) {
	pe := &perspective.PartialError{Op: perspective.OpList, Kind: perspective.KindImage, Clouds: 40}
	for i := range 30 {
		pe.Failed = append(pe.Failed, perspective.CloudError{
			Target: perspective.Target{CloudID: fmt.Sprintf("c%d", i), ProjectID: "p", Region: "R"},
			Err:    &perspective.Error{Code: perspective.CodeTransient, Msg: "down"}})
	}
	msg := pe.Error()
	assert.True(t, strings.HasPrefix(msg, "list image: 30 of 40 clouds failed: cloud c0 (project p, region R): down; "), msg)
	assert.Equal(t, 3, strings.Count(msg, "cloud c"), msg)
	assert.True(t, strings.HasSuffix(msg, "; and 27 more"), msg)
	assert.ErrorIs(t, pe, perspective.ErrTransient)
	assert.Equal(t, 10, pe.Answered())
}
