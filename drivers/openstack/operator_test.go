package openstack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

const server = "7a1c9b4e-5f2d-4c3b-8a9e-0d1f2e3c4b5a"

// seen is one request the fake Nova received.
type seen struct {
	method, path, microversion string
	body                       map[string]any
}

// recorder answers with reply and keeps every request it sees.
type recorder struct {
	mu   sync.Mutex
	reqs []seen
}

func (rc *recorder) reply(status int, body []byte) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		s := seen{method: r.Method, path: r.URL.Path, microversion: r.Header.Get("X-OpenStack-Nova-API-Version")}
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			if len(b) > 0 {
				_ = json.Unmarshal(b, &s.body)
			}
		}
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, s)
		rc.mu.Unlock()
		return jsonReply(status, body)(r)
	}
}

func (rc *recorder) last(t *testing.T) seen {
	t.Helper()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	require.NotEmpty(t, rc.reqs, "a request reached Nova")
	return rc.reqs[len(rc.reqs)-1]
}

// novaAt makes the fake Nova offer microversions up to maxV.
func novaAt(f *fakeCloud, maxV string) {
	f.mock.RegisterResponder("GET", nova+"/", jsonReply(200, []byte(`{"version": {"id": "v2.1", "status": "CURRENT", "version": "`+
		maxV+`", "min_version": "2.1", "links": []}}`)))
}

func TestServerActionsSendNovasBodies(t *testing.T) {
	f := newFakeCloud(t)
	rc := &recorder{}
	f.on("POST", nova+"/servers/"+server+"/action", rc.reply(202, []byte(`{"image_id": "b4c7e1d2-0000-4000-8000-00000000000b"}`)))
	d := f.open()
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		want map[string]any
	}{
		{"shelve", func() error { return d.Shelve(ctx, server) }, map[string]any{"shelve": nil}},
		{"offload", func() error { return d.ShelveOffload(ctx, server) }, map[string]any{"shelveOffload": nil}},
		{"unshelve", func() error { return d.Unshelve(ctx, server) }, map[string]any{"unshelve": nil}},
		{"migrate", func() error { return d.Migrate(ctx, server, "") }, map[string]any{"migrate": nil}},
		{"migrate to host", func() error { return d.Migrate(ctx, server, "aio2") }, map[string]any{"migrate": map[string]any{"host": "aio2"}}},
		{"live by scheduler", func() error { return d.LiveMigrate(ctx, server, "") },
			map[string]any{"os-migrateLive": map[string]any{"host": nil, "block_migration": "auto"}}},
		{"live to host", func() error { return d.LiveMigrate(ctx, server, "aio2") },
			map[string]any{"os-migrateLive": map[string]any{"host": "aio2", "block_migration": "auto"}}},
		{"password", func() error { return d.SetAdminPassword(ctx, server, "n3w-Pass") },
			map[string]any{"changePassword": map[string]any{"adminPass": "n3w-Pass"}}},
		{"add group", func() error { return d.AddSecurityGroup(ctx, server, "web") }, map[string]any{"addSecurityGroup": map[string]any{"name": "web"}}},
		{"remove group", func() error { return d.RemoveSecurityGroup(ctx, server, "web") }, map[string]any{"removeSecurityGroup": map[string]any{"name": "web"}}},
		{"restore", func() error { return d.Restore(ctx, server) }, map[string]any{"restore": nil}},
		{"force delete", func() error { return d.ForceDelete(ctx, server) }, map[string]any{"forceDelete": ""}}, // gophercloud's body, which Nova accepts,
		{"reset state", func() error { return d.ResetState(ctx, server, driver.StateError) }, map[string]any{"os-resetState": map[string]any{"state": "error"}}},
		{"backup", func() error {
			img, err := d.Backup(ctx, server, driver.BackupSpec{Name: "nightly", Type: "daily", Rotation: 2})
			assert.Equal(t, "b4c7e1d2-0000-4000-8000-00000000000b", img.ID, "the image id of the 2.45 reply")
			assert.Equal(t, driver.ImageQueued, img.State)
			return err
		}, map[string]any{"createBackup": map[string]any{"name": "nightly", "backup_type": "daily", "rotation": float64(2)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.call())
			got := rc.last(t)
			assert.Equal(t, "/v2.1/servers/"+server+"/action", got.path)
			assert.Equal(t, tt.want, got.body)
			assert.Equal(t, "2.93", got.microversion, "the negotiated microversion")
		})
	}
}

func TestEvacuateIsPinnedAndAHostUpIsAConflict(t *testing.T) {
	f := newFakeCloud(t)
	novaAt(f, "2.96")
	rc := &recorder{}
	f.on("POST", nova+"/servers/"+server+"/action", rc.reply(200, []byte(`{}`)))
	d := f.open()
	ctx := context.Background()
	require.NoError(t, d.Evacuate(ctx, server, "aio2"))
	got := rc.last(t)
	assert.Equal(t, map[string]any{"evacuate": map[string]any{"host": "aio2"}}, got.body, "no onSharedStorage from 2.14")
	assert.Equal(t, "2.94", got.microversion, "pinned at 2.94: at 2.95 an evacuated server would be left stopped")
	require.NoError(t, d.Evacuate(ctx, server, ""))
	assert.Equal(t, map[string]any{"evacuate": map[string]any{}}, rc.last(t).body, "the scheduler's choice")

	f.on("POST", nova+"/servers/"+server+"/action", jsonReply(400, fixture(t, "nova_400_evacuate.json")))
	err := d.Evacuate(ctx, server, "")
	assert.Equal(t, driver.CodeConflict, driver.CodeOf(err))
	assert.ErrorContains(t, err, "Compute service of aio is still in use")
}

func TestCallsNeedingAMicroversionTheCloudLacks(t *testing.T) {
	f := newFakeCloud(t)
	rc := &recorder{}
	f.on("POST", nova+"/servers/"+server+"/action", rc.reply(202, nil))
	f.on("PUT", nova+"/os-services/x", rc.reply(200, fixture(t, "nova_service_update.json")))
	d := f.open(func(c *Config) { c.MaxMicroversion = "2.20" })
	ctx := context.Background()
	for name, err := range map[string]error{
		"live to host":    d.LiveMigrate(ctx, server, "aio2"),
		"migrate to host": d.Migrate(ctx, server, "aio2"),
		"evacuate":        d.Evacuate(ctx, server, "aio2"),
		"service update":  func() error { _, err := d.UpdateService(ctx, "x", driver.ServiceUpdate{}); return err }(),
		"flavor update":   func() error { _, err := d.UpdateFlavor(ctx, "1", driver.FlavorUpdate{}); return err }(),
	} {
		assert.Equal(t, driver.CodeUnsupported, driver.CodeOf(err), name)
		assert.ErrorContains(t, err, "needs compute microversion", name)
	}
	assert.Empty(t, rc.reqs, "nothing is sent that the cloud cannot do")
	require.NoError(t, d.LiveMigrate(ctx, server, ""))
	assert.Equal(t, map[string]any{"os-migrateLive": map[string]any{"host": nil, "block_migration": false, "disk_over_commit": false}},
		rc.last(t).body, "before 2.25 block migration is a boolean and disk_over_commit is required")
	require.NoError(t, d.Evacuate(ctx, server, ""), "2.14 is enough for the scheduler's choice")
}

func TestHypervisorsServicesAndHosts(t *testing.T) {
	f := newFakeCloud(t)
	novaAt(f, "2.96")
	rc := &recorder{}
	f.on("GET", nova+"/os-hypervisors/detail", rc.reply(200, fixture(t, "nova_hypervisors.json")))
	f.on("GET", nova+"/os-services", rc.reply(200, fixture(t, "nova_services.json")))
	f.on("GET", nova+"/os-hosts", rc.reply(200, fixture(t, "nova_hosts.json")))
	f.on("PUT", nova+"/os-services/e5f6a7b8-3c4d-4e5f-9a01-b2c3d4e5f6a7", rc.reply(200, fixture(t, "nova_service_update.json")))
	d := f.open()
	ctx := context.Background()

	hvs, err := d.ListHypervisors(ctx)
	require.NoError(t, err)
	assert.Equal(t, "2.87", rc.last(t).microversion, "pinned at 2.87: from 2.88 hypervisors carry no usage")
	require.Len(t, hvs, 2)
	assert.Equal(t, driver.Hypervisor{ID: "8ad0a1e7-1a5a-4a4a-9e6f-0c0b1c2f3a41", Hostname: "aio", Host: "aio", Type: "fake",
		HostIP: "192.168.122.10", State: "up", Status: "enabled", UsageKnown: true, VCPUs: 1000, VCPUsUsed: 3,
		MemoryMiB: 800000, MemoryUsed: 3584, DiskGiB: 600000, DiskUsed: 3, RunningVMs: 3}, hvs[0])
	assert.Equal(t, "down", hvs[1].State)

	svcs, err := d.ListServices(ctx)
	require.NoError(t, err)
	require.Len(t, svcs, 4)
	assert.Equal(t, "e5f6a7b8-3c4d-4e5f-9a01-b2c3d4e5f6a7", svcs[3].ID)
	assert.True(t, svcs[3].ForcedDown)
	assert.Equal(t, "maintenance", svcs[3].DisabledReason)
	assert.Equal(t, 2026, svcs[3].Updated.Year())

	up := false
	no := false
	s, err := d.UpdateService(ctx, svcs[3].ID, driver.ServiceUpdate{ForcedDown: &up, Disabled: &no})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"forced_down": false, "status": "enabled"}, rc.last(t).body,
		"forced_down false is sent (gophercloud's UpdateOpts would drop it)")
	assert.Equal(t, "up", s.State)
	yes := true
	_, err = d.UpdateService(ctx, svcs[3].ID, driver.ServiceUpdate{Disabled: &yes, DisabledReason: "disk"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"status": "disabled", "disabled_reason": "disk"}, rc.last(t).body)

	hosts, err := d.ListHosts(ctx)
	require.NoError(t, err)
	assert.Equal(t, "2.42", rc.last(t).microversion, "os-hosts is gone from 2.43")
	assert.Equal(t, []driver.Host{{Name: "aio", Zone: "nova", Services: []string{"scheduler", "conductor", "compute"}},
		{Name: "aio2", Zone: "nova", Services: []string{"compute"}}}, hosts)
}

func TestAggregates(t *testing.T) {
	f := newFakeCloud(t)
	rc := &recorder{}
	one := fixture(t, "nova_aggregate.json")
	f.on("GET", nova+"/os-aggregates", rc.reply(200, fixture(t, "nova_aggregates.json")))
	f.on("POST", nova+"/os-aggregates", rc.reply(200, one))
	f.on("GET", nova+"/os-aggregates/3", rc.reply(200, one))
	f.on("PUT", nova+"/os-aggregates/3", rc.reply(200, one))
	f.on("POST", nova+"/os-aggregates/3/action", rc.reply(200, one))
	f.on("DELETE", nova+"/os-aggregates/3", rc.reply(200, nil))
	d := f.open()
	ctx := context.Background()

	list, err := d.ListAggregates(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "3", list[0].ID)
	assert.Equal(t, []string{}, list[0].Hosts)
	a, err := d.CreateAggregate(ctx, driver.AggregateSpec{Name: "ssd-hosts", AvailabilityZone: "fast"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"aggregate": map[string]any{"name": "ssd-hosts", "availability_zone": "fast"}}, rc.last(t).body)
	assert.Equal(t, []string{"aio2"}, a.Hosts)
	assert.Equal(t, "true", a.Metadata["ssd"])

	none := ""
	_, err = d.UpdateAggregate(ctx, "3", driver.AggregateUpdate{AvailabilityZone: &none})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"aggregate": map[string]any{"availability_zone": nil}}, rc.last(t).body, "an empty zone takes it out of any")
	_, err = d.AddAggregateHost(ctx, "3", "aio2")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"add_host": map[string]any{"host": "aio2"}}, rc.last(t).body)
	_, err = d.RemoveAggregateHost(ctx, "3", "aio2")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"remove_host": map[string]any{"host": "aio2"}}, rc.last(t).body)
	_, err = d.SetAggregateMetadata(ctx, "3", map[string]string{"ssd": "true"}, []string{"tier"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"set_metadata": map[string]any{"metadata": map[string]any{"ssd": "true", "tier": nil}}}, rc.last(t).body)
	require.NoError(t, d.DeleteAggregate(ctx, "3"))
	assert.Equal(t, "DELETE", rc.last(t).method)

	n := len(rc.reqs)
	_, err = d.GetAggregate(ctx, "not-a-number")
	assert.Equal(t, driver.CodeNotFound, driver.CodeOf(err))
	assert.Len(t, rc.reqs, n, "an id Nova cannot have is not sent")
}

func TestFlavorManagement(t *testing.T) {
	f := newFakeCloud(t)
	rc := &recorder{}
	const id = "c0ffee00-0000-4000-8000-000000000001"
	f.on("POST", nova+"/flavors", rc.reply(200, fixture(t, "nova_flavor_create.json")))
	f.on("PUT", nova+"/flavors/"+id, rc.reply(200, fixture(t, "nova_flavor_create.json")))
	f.on("DELETE", nova+"/flavors/"+id, rc.reply(202, nil))
	f.on("GET", nova+"/flavors/"+id+"/os-flavor-access", rc.reply(200, fixture(t, "nova_flavor_access.json")))
	f.on("POST", nova+"/flavors/"+id+"/action", rc.reply(200, fixture(t, "nova_flavor_access.json")))
	f.on("GET", nova+"/flavors/"+id+"/os-extra_specs", rc.reply(200, fixture(t, "nova_extra_specs.json")))
	f.on("POST", nova+"/flavors/"+id+"/os-extra_specs", rc.reply(200, fixture(t, "nova_extra_specs.json")))
	f.on("DELETE", nova+"/flavors/"+id+"/os-extra_specs/hw:numa_nodes", rc.reply(200, nil))
	d := f.open()
	ctx := context.Background()

	fl, err := d.CreateFlavor(ctx, driver.FlavorSpec{Name: "m1.private", RAM: 256, VCPUs: 1, RootDisk: 1, Description: "for one project"})
	require.NoError(t, err)
	body := rc.last(t).body["flavor"].(map[string]any)
	assert.Equal(t, false, body["os-flavor-access:is_public"], "private unless asked")
	assert.Equal(t, "for one project", body["description"])
	assert.Equal(t, driver.Flavor{ID: id, Name: "m1.private", RAM: 256, VCPUs: 1, RootDisk: 1, Notes: "for one project"}, fl)

	desc := ""
	_, err = d.UpdateFlavor(ctx, id, driver.FlavorUpdate{Description: &desc})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"flavor": map[string]any{"description": ""}}, rc.last(t).body, "an empty description is sent")

	projects, err := d.FlavorAccess(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"6f70656e737461636b20342065766572"}, projects)
	require.NoError(t, d.AddFlavorAccess(ctx, id, "p2"))
	assert.Equal(t, map[string]any{"addTenantAccess": map[string]any{"tenant": "p2"}}, rc.last(t).body)
	require.NoError(t, d.RemoveFlavorAccess(ctx, id, "p2"))
	assert.Equal(t, map[string]any{"removeTenantAccess": map[string]any{"tenant": "p2"}}, rc.last(t).body)

	specs, err := d.ExtraSpecs(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "dedicated", specs["hw:cpu_policy"])
	require.NoError(t, d.SetExtraSpecs(ctx, id, map[string]string{"hw:numa_nodes": "1"}))
	assert.Equal(t, map[string]any{"extra_specs": map[string]any{"hw:numa_nodes": "1"}}, rc.last(t).body)
	require.NoError(t, d.UnsetExtraSpec(ctx, id, "hw:numa_nodes"))
	require.NoError(t, d.DeleteFlavor(ctx, id))
	assert.Equal(t, "DELETE", rc.last(t).method)
}

func TestDiagnosticsAndHost(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/servers/"+server+"/diagnostics", jsonReply(200, fixture(t, "nova_diagnostics.json")))
	d := f.open()
	dg, err := d.Diagnostics(context.Background(), server)
	require.NoError(t, err)
	assert.Equal(t, "running", dg.State)
	assert.Equal(t, "fake", dg.Driver)
	assert.Equal(t, 1, dg.CPUs)
	assert.Equal(t, 512, dg.MemoryMiB)
	assert.Equal(t, 256, dg.MemoryUsed)
	assert.True(t, dg.ConfigDrive)
	assert.Equal(t, "46664", dg.Raw["uptime"])
	assert.Equal(t, 46664, int(dg.Uptime.Seconds()))

	old := diagnosticsOf(map[string]any{"cpu0_time": 17300000000.0, "memory": 524288.0, "vda_read": 262144.0, "nested": map[string]any{"x": 1.0}})
	assert.Equal(t, "1.73e+10", old.Raw["cpu0_time"], "a pre-2.48 reply is kept as raw values")
	assert.NotContains(t, old.Raw, "nested")
	huge := map[string]any{}
	for i := range 2 * driver.MaxDiagnosticsKeys {
		huge[string(rune('a'+i%26))+json.Number(rune(i)).String()] = "v"
	}
	assert.LessOrEqual(t, len(diagnosticsOf(huge).Raw), driver.MaxDiagnosticsKeys, "a reply's keys are bounded")
}

func TestOperatorCallsForbiddenByNovasPolicy(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/os-hypervisors/detail", jsonReply(403, []byte(`{"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:os-hypervisors:list-detail to be performed."}}`)))
	f.on("POST", nova+"/servers/"+server+"/action", jsonReply(403, []byte(`{"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:os-migrate-server:migrate_live to be performed."}}`)))
	d := f.open()
	c, err := perspective.NewCloud(d)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	op, err := operator.New(c)
	require.NoError(t, err)
	assert.Equal(t, operator.Operations(), op.Operations(), "the driver has every operator capability")
	_, err = op.Hypervisors(context.Background())
	assert.ErrorIs(t, err, perspective.ErrForbidden)
	assert.ErrorContains(t, err, "os-hypervisors:list-detail")
	err = d.LiveMigrate(context.Background(), server, "")
	assert.Equal(t, driver.CodeForbidden, driver.CodeOf(err))
}

func TestServerHostAndSeed003States(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/flavors/detail", jsonReply(200, fixture(t, "nova_flavors.json")))
	reply := func(status, vm, host string) []byte {
		return []byte(`{"server": {"id": "` + server + `", "name": "web-1", "status": "` + status + `", "tenant_id": "p",
			"OS-EXT-STS:task_state": null, "OS-EXT-STS:vm_state": "` + vm + `", "OS-EXT-SRV-ATTR:host": ` + host + `,
			"OS-EXT-SRV-ATTR:hypervisor_hostname": ` + host + `, "flavor": {"original_name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1},
			"image": {"id": "11111111-2222-4333-8444-555555555555"}, "addresses": {}, "metadata": {},
			"created": "2026-12-03T10:00:00Z", "updated": "2026-12-03T10:05:00Z"}}`)
	}
	tests := []struct {
		status, vm, host string
		state            driver.State
		wantHost         string
	}{
		{"ACTIVE", "active", `"aio2"`, driver.StateLaunched, "aio2"},
		{"SHELVED_OFFLOADED", "shelved_offloaded", "null", driver.StateShelvedOffloaded, ""},
		{"SOFT_DELETED", "soft-delete", `"aio"`, driver.StateSoftDeleted, "aio"},
	}
	d := f.open()
	for _, tt := range tests {
		f.on("GET", nova+"/servers/"+server, jsonReply(200, reply(tt.status, tt.vm, tt.host)))
		inst, err := d.GetInstance(context.Background(), server)
		require.NoError(t, err, tt.status)
		assert.Equal(t, tt.state, inst.State, tt.status)
		assert.Equal(t, tt.wantHost, inst.Host, "OS-EXT-SRV-ATTR:host of a %s server", tt.status)
	}
}
