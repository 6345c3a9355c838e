package perspective_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// readMethods are the driver's reads that the query tables could cost.
var readMethods = []string{"ListInstances", "ListChanges", "GetInstance", "ListFlavors", "ListImages", "GetImage",
	"ListNetworks", "ListKeypairs", "ListProjects", "Quota", "AvailabilityZones"}

// reads returns how many of each read the drivers have answered.
func reads(ds ...*mock.Driver) map[string]int {
	out := map[string]int{}
	for _, d := range ds {
		for _, m := range readMethods {
			out[m] += d.Calls(m)
		}
	}
	return out
}

// Once the inventories have synced, queries over every table — the
// listing join of instances with projects, flavors and images, lookups by
// id and name, the fifteen tables — cost no cloud request.
func TestQueriesAfterTheFirstSyncCostNoRequest(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	var ds []*mock.Driver
	var cs []*perspective.Cloud
	for _, id := range []string{"east", "west"} {
		d := mock.New(mock.WithCloudID(id), mock.WithProject("p-"+id, id+"-project"), mock.WithQuota(1000))
		seedDirect(t, d, "vm-"+id, 500)
		ds = append(ds, d)
		cs = append(cs, openCloud(t, d, perspective.WithSync(time.Hour, time.Hour)))
	}
	set, err := perspective.NewSet(cs...)
	require.NoError(t, err)
	// The first query of each table syncs the inventories and lists the metadata.
	// Every table but seed 003's hypervisors, an operator's table read
	// live and for administrators only (tables_hosts.go).
	var tables []string
	for _, table := range perspective.Schema.Tables() {
		if table.Name != "hypervisors" {
			tables = append(tables, table.Name)
		}
	}
	for _, table := range tables {
		_, err := set.Query(ctx, "SELECT * FROM "+table)
		require.NoError(t, err)
	}
	first, err := set.ListInstances(ctx, nil)
	require.NoError(t, err)
	require.Len(t, first, 1000)
	before := reads(ds...)
	require.NotZero(t, before["ListProjects"], "the projects were listed once")

	join := "SELECT instances.name, projects.name, flavors.name, images.name FROM instances " +
		"JOIN projects ON instances.project_id = projects.id " +
		"LEFT JOIN flavors ON instances.project_id = flavors.project_id AND instances.flavor_id = flavors.id " +
		"LEFT JOIN images ON instances.image_id = images.id WHERE instances.state = 'launched'"
	for i := range 100 {
		row := first[i*7%len(first)]
		switch i % 5 {
		case 0:
			res, err := set.Query(ctx, join)
			require.NoError(t, err)
			require.Equal(t, 1000, res.Count)
			assert.Equal(t, "m1.tiny", res.Rows()[0][2].Str())
			assert.Equal(t, "cirros-0.6.2", res.Rows()[0][3].Str())
		case 1:
			rows, err := set.ListInstances(ctx, url.Values{"hostname": {row.Name}})
			require.NoError(t, err)
			require.Len(t, rows, 1)
			assert.Equal(t, row.ProjectName, rows[0].ProjectName)
			require.NotNil(t, rows[0].FlavorName)
			assert.Equal(t, "m1.tiny", *rows[0].FlavorName)
		case 2:
			res, err := set.Query(ctx, "SELECT name FROM instances WHERE id = ?", row.ID)
			require.NoError(t, err)
			assert.Equal(t, []string{row.Name}, column(res, 0))
		case 3:
			res, err := set.Query(ctx, "SELECT id FROM instances WHERE name = ?", row.Name)
			require.NoError(t, err)
			assert.Equal(t, []string{row.ID}, column(res, 0))
		case 4:
			table := tables[i/5%len(tables)]
			_, err := set.Query(ctx, "SELECT * FROM "+table)
			require.NoError(t, err)
		}
	}
	assert.Equal(t, before, reads(ds...), "100 queries after the first sync: no cloud request")
}

// A lookup by id, real id, name or name prefix answers what a scan of the
// whole table answers.
func TestIndexedLookupsAnswerAsAScan(t *testing.T) {
	set, _ := twoCloudSet(t)
	ctx := context.Background()
	all, err := set.Query(ctx, "SELECT id, real_id, name FROM instances")
	require.NoError(t, err)
	require.Equal(t, 3, all.Count)
	for _, row := range all.Rows() {
		id, real, name := row[0].Str(), row[1].Str(), row[2].Str()
		for _, q := range []struct {
			sql string
			arg string
		}{
			{"SELECT id FROM instances WHERE id = ?", id},
			{"SELECT id FROM instances WHERE real_id = ?", real},
			{"SELECT id FROM instances WHERE name = ?", name},
			{"SELECT id FROM instances WHERE name LIKE ? AND id = '" + id + "'", name[:2] + "%"},
		} {
			res, err := set.Query(ctx, q.sql, q.arg)
			require.NoError(t, err, q.sql)
			assert.Equal(t, []string{id}, column(res, 0), q.sql)
		}
	}
	res, err := set.Query(ctx, "SELECT name FROM instances WHERE name LIKE 'web%'")
	require.NoError(t, err)
	assert.Equal(t, []string{"web-1", "web-2"}, column(res, 0), "in listing order")
	res, err = set.Query(ctx, `SELECT name FROM instances WHERE name LIKE 'we\_%'`)
	require.NoError(t, err)
	assert.Zero(t, res.Count, "an escaped wildcard is a literal")
	res, err = set.Query(ctx, "SELECT name FROM instances WHERE id = 'nowhere'")
	require.NoError(t, err)
	assert.Zero(t, res.Count)
}

// A change made behind the library's back (another client of the same
// cloud) to a flavor, an image or a keypair is not seen while the
// inventory holds the lists (reads cost nothing), and is seen once a sync
// has listed them again: by Sync, and by the sync loop.
func TestMetadataChangesBehindTheBackAppearAfterASync(t *testing.T) {
	ctx := context.Background()
	snapshot := func(t *testing.T, c *perspective.Cloud) (flavors, images, keypairs []string) {
		t.Helper()
		for _, q := range []struct {
			sql string
			out *[]string
		}{
			{"SELECT concat(name, ':', coalesce(notes, '')) FROM flavors ORDER BY name", &flavors},
			{"SELECT name FROM images ORDER BY name", &images},
			{"SELECT name FROM keypairs ORDER BY name", &keypairs},
		} {
			res, err := c.Query(ctx, q.sql)
			require.NoError(t, err)
			*q.out = column(res, 0)
		}
		return
	}
	behind := func(t *testing.T, d *mock.Driver) {
		t.Helper()
		_, err := d.CreateFlavor(ctx, driver.FlavorSpec{Name: "m1.xl", RAM: 16384, VCPUs: 8, RootDisk: 160, IsPublic: true})
		require.NoError(t, err)
		notes := "retiring"
		_, err = d.UpdateFlavor(ctx, "1", driver.FlavorUpdate{Description: &notes})
		require.NoError(t, err)
		name := "cirros-renamed"
		_, err = d.UpdateImage(ctx, "00000000-0000-4000-8000-000000000001", driver.ImageUpdate{Name: &name})
		require.NoError(t, err)
		require.NoError(t, d.DeleteImage(ctx, "00000000-0000-4000-8000-000000000003"))
		_, err = d.CreateKeypair(ctx, driver.KeypairSpec{Name: "elsewhere"})
		require.NoError(t, err)
	}
	check := func(t *testing.T, c *perspective.Cloud) {
		t.Helper()
		flavors, images, keypairs := snapshot(t, c)
		assert.Contains(t, flavors, "m1.xl:")
		assert.Contains(t, flavors, "m1.tiny:retiring")
		assert.Contains(t, images, "cirros-renamed")
		assert.NotContains(t, images, "cirros-0.6.2")
		assert.NotContains(t, images, "debian-12")
		assert.Equal(t, []string{"elsewhere"}, keypairs)
	}
	short := []perspective.Option{perspective.WithCacheTTL(perspective.KindFlavor, time.Millisecond),
		perspective.WithCacheTTL(perspective.KindImage, time.Millisecond),
		perspective.WithCacheTTL(perspective.KindKeypair, time.Millisecond)}

	t.Run("Sync", func(t *testing.T) {
		noLeaks(t)
		d := mock.New(mock.WithAdmin(true))
		c := openCloud(t, d, append(short, perspective.WithSync(time.Hour, time.Hour))...)
		f0, i0, k0 := snapshot(t, c)
		before := reads(d)
		behind(t, d)
		f1, i1, k1 := snapshot(t, c)
		assert.Equal(t, before, reads(d), "held: no request")
		assert.Equal(t, [][]string{f0, i0, k0}, [][]string{f1, i1, k1}, "not seen before a sync")
		time.Sleep(2 * time.Millisecond) // the lists' interval (1 ms) has passed
		require.NoError(t, c.Sync(ctx))
		check(t, c)
	})
	t.Run("loop", func(t *testing.T) {
		noLeaks(t)
		d := mock.New(mock.WithAdmin(true))
		c := openCloud(t, d, append(short, perspective.WithSync(10*time.Millisecond, time.Hour))...)
		snapshot(t, c)
		behind(t, d)
		require.Eventually(t, func() bool {
			f, i, k := snapshot(t, c)
			return len(k) == 1 && len(f) == 5 && len(i) == 2 && i[0] == "cirros-renamed"
		}, 10*time.Second, 5*time.Millisecond)
		check(t, c)
	})
	t.Run("interval not passed", func(t *testing.T) {
		noLeaks(t)
		d := mock.New(mock.WithAdmin(true))
		c := openCloud(t, d, perspective.WithSync(time.Hour, time.Hour))
		f0, i0, k0 := snapshot(t, c)
		behind(t, d)
		require.NoError(t, c.Sync(ctx))
		assert.Equal(t, 1, d.Calls("ListImages"), "a sync lists a kind only once its interval has passed")
		f1, i1, k1 := snapshot(t, c)
		assert.Equal(t, [][]string{f0, i0, k0}, [][]string{f1, i1, k1})
		c.InvalidateCache()
		check(t, c)
	})
}

// What a read hands out is the caller's own: changing its maps, slices and
// pointed-to values changes neither the inventory nor later reads.
func TestCallersCannotChangeTheInventory(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	d := mock.New()
	c := openCloud(t, d, perspective.WithSync(time.Hour, time.Hour))
	_, err := c.Keypairs().Create(ctx, perspective.KeypairSpec{Name: "key"})
	require.NoError(t, err)
	rep, err := c.Instances().Launch(ctx, perspective.LaunchSpec{Name: "vm", FlavorID: "m1.tiny", ImageID: "cirros-0.6.2",
		Networks: []string{"private"}, KeyName: "key", Tags: []string{"blue", "green"}, Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	id := rep.IDs()[0]
	w, err := c.Watch(ctx, perspective.WatchOptions{Snapshot: true})
	require.NoError(t, err)
	defer w.Close()

	get := func() perspective.Instance {
		t.Helper()
		in, err := c.Instances().Get(ctx, id)
		require.NoError(t, err)
		return in
	}
	want := get()
	// What is compared is the JSON of the values, taken before any
	// change: a copy that shared memory with the inventory would change
	// with it.
	asJSON := func(v any) string {
		t.Helper()
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return string(b)
	}
	wantJSON := asJSON(want)
	require.NotEmpty(t, want.Addresses)
	require.NotEmpty(t, want.Networks)
	require.NotNil(t, want.Flavor)
	require.NotNil(t, want.Image)
	require.NotEmpty(t, want.Image.Metadata)
	require.NotNil(t, want.Keypair)
	wantRow, err := c.Query(ctx, "SELECT * FROM instances WHERE id = ?", id)
	require.NoError(t, err)

	vandalize := func(in *perspective.Instance) {
		in.Name = "changed"
		in.Tags[0] = "changed"
		in.Tags = append(in.Tags, "more")
		in.Metadata["k"] = "changed"
		in.Metadata["new"] = "x"
		in.Addresses[0].IP = "192.0.2.99"
		in.Networks[0].Name = "changed"
		in.Networks[0].Subnets = append(in.Networks[0].Subnets, perspective.Subnet{CIDR: "192.0.2.0/24"})
		in.Flavor.Name = "changed"
		in.Image.Name = "changed"
		in.Image.Metadata["os_distro"] = "changed"
		in.Keypair.Name = "changed"
	}
	got := get()
	vandalize(&got)
	listed, err := c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	vandalize(&listed[0])
	ev, err := w.Next(ctx)
	require.NoError(t, err)
	require.Equal(t, perspective.EventSnapshot, ev.Kind)
	vandalize(ev.New)

	assert.Equal(t, wantJSON, asJSON(get()), "Get")
	listed, err = c.Instances().List(ctx, perspective.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, wantJSON, asJSON(listed[0]), "List")
	row, err := c.Query(ctx, "SELECT * FROM instances WHERE id = ?", id)
	require.NoError(t, err)
	assert.Equal(t, wantRow.Rows(), row.Rows(), "the instances table")

	// the metadata lists too
	imgs, err := c.Images().List(ctx)
	require.NoError(t, err)
	name, distro := imgs[0].Name, imgs[0].Metadata["os_distro"]
	imgs[0].Name, imgs[0].Metadata["os_distro"] = "changed", "changed"
	fs, err := c.Flavors().List(ctx)
	require.NoError(t, err)
	fs[0].Name = "changed"
	ns, err := c.Networks().List(ctx)
	require.NoError(t, err)
	ns[0].Subnets[0].CIDR = "changed"
	ps, err := c.Projects().List(ctx)
	require.NoError(t, err)
	ps[0].Regions[0].ID = "changed"
	imgs, err = c.Images().List(ctx)
	require.NoError(t, err)
	assert.Equal(t, name, imgs[0].Name)
	assert.Equal(t, distro, imgs[0].Metadata["os_distro"])
	fs, err = c.Flavors().List(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, "changed", fs[0].Name)
	ns, err = c.Networks().List(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, "changed", ns[0].Subnets[0].CIDR)
	ps, err = c.Projects().List(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, "changed", ps[0].Regions[0].ID)
	assert.Equal(t, wantJSON, asJSON(get()), "the instance's flavor and image are copies of the held ones")
}

// The project quotas show this library's own launches and deletes at the
// next read (the quotas are listed again, one request), and cost nothing
// while nothing changed.
func TestQuotasShowOwnInstanceChanges(t *testing.T) {
	noLeaks(t)
	ctx := context.Background()
	d := mock.New(mock.WithQuota(10))
	c := openCloud(t, d, perspective.WithSync(time.Hour, time.Hour))
	used := func() string {
		t.Helper()
		res, err := c.Query(ctx, "SELECT instances FROM project_quota")
		require.NoError(t, err)
		require.Equal(t, 1, res.Count)
		return res.Rows()[0][0].Str()
	}
	assert.Equal(t, "0/10", used())
	assert.Equal(t, "0/10", used())
	assert.Equal(t, 1, d.Calls("Quota"), "held")
	ids := launchN(t, c, "q", 2)
	assert.Equal(t, "2/10", used(), "a launch is seen at once")
	_, err := c.Instances().Delete(ctx, ids[0])
	require.NoError(t, err)
	_, err = c.Instances().WaitFor(ctx, ids[:1], perspective.StateDeleted)
	require.NoError(t, err)
	assert.Equal(t, "1/10", used(), "a delete is seen at once")
	calls := d.Calls("Quota")
	assert.Equal(t, "1/10", used())
	assert.Equal(t, calls, d.Calls("Quota"), "held again")
}
