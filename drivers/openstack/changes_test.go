package openstack

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

func TestListChangesAsksNovaWithAnOverlapAndDedupes(t *testing.T) {
	f := newFakeCloud(t)
	var asked []string
	f.on("GET", nova+"/servers/detail", func(r *http.Request) (*http.Response, error) {
		q := r.URL.Query()
		asked = append(asked, q.Get("changes-since"))
		assert.Equal(t, []string{"uuid"}, q["sort_key"], "marker paging needs a unique key")
		if q.Get("marker") != "" {
			return jsonReply(200, fixture(t, "nova_changes_page2.json"))(r)
		}
		return jsonReply(200, fixture(t, "nova_changes_page1.json"))(r)
	})
	f.on("GET", nova+"/flavors/detail", jsonReply(200, fixture(t, "nova_flavors.json")))
	d := f.open()
	var _ driver.ChangeLister = d

	since := time.Date(2024, 5, 1, 10, 0, 7, 500_000_000, time.FixedZone("CEST", 2*3600))
	got, err := d.ListChanges(context.Background(), since)
	require.NoError(t, err)
	require.Len(t, asked, 2, "both pages")
	assert.Equal(t, "2024-05-01T08:00:05Z", asked[0], "since in UTC, less the overlap, to the second")

	require.Len(t, got, 3, "web-1 is on both pages and returned once")
	byName := map[string]driver.Instance{}
	for _, in := range got {
		byName[in.Name] = in
	}
	assert.Equal(t, driver.StateLaunched, byName["web-1"].State)
	assert.Equal(t, driver.StateDeleted, byName["old-1"].State, "Nova's DELETED server is the tombstone")
	assert.Equal(t, "a0000000-0000-4000-8000-000000000004", byName["old-1"].ID)
	assert.Equal(t, time.Date(2024, 5, 1, 10, 0, 9, 0, time.UTC), byName["old-1"].Updated.UTC())
	assert.Equal(t, driver.StateRebooting, byName["db-2"].State)
}

func TestListChangesWithoutSinceListsEverything(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/servers/detail", func(r *http.Request) (*http.Response, error) {
		assert.False(t, r.URL.Query().Has("changes-since"))
		return jsonReply(200, fixture(t, "nova_servers_empty.json"))(r)
	})
	d := f.open()
	got, err := d.ListChanges(context.Background(), time.Time{})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestListChangesClassifiesNovaErrors(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/servers/detail", jsonReply(500, fixture(t, "nova_500.json")))
	d := f.open()
	_, err := d.ListChanges(context.Background(), time.Now())
	require.Error(t, err)
	assert.NotEqual(t, driver.CodeUnknown, driver.CodeOf(err), "a Nova 500 is classified: %v", err)
}
