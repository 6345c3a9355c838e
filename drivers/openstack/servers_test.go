package openstack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

func TestListInstancesFollowsEveryPage(t *testing.T) {
	f := newFakeCloud(t)
	page1, page2 := fixture(t, "nova_servers_page1.json"), fixture(t, "nova_servers_page2.json")
	f.on("GET", nova+"/servers/detail", func(r *http.Request) (*http.Response, error) {
		if r.URL.Query().Get("marker") != "" {
			return jsonReply(200, page2)(r) // Nova's next link keeps the query
		}
		assert.Equal(t, []string{"uuid"}, r.URL.Query()["sort_key"], "a unique sort key: marker paging cannot skip or repeat")
		return jsonReply(200, page1)(r)
	})
	f.on("GET", nova+"/flavors/detail", jsonReply(200, fixture(t, "nova_flavors.json")))
	d := f.open()
	insts, err := d.ListInstances(context.Background(), driver.ListOptions{})
	require.NoError(t, err)
	require.Len(t, insts, 3)

	web1 := insts[0]
	assert.Equal(t, "web-1", web1.Name)
	assert.Equal(t, driver.StateLaunched, web1.State)
	assert.Equal(t, "ACTIVE", web1.Status)
	assert.True(t, web1.Locked)
	assert.Equal(t, []string{"prod"}, web1.Tags)
	assert.Equal(t, "1", web1.Flavor.ID, "flavor id found from original_name")
	assert.Equal(t, 512, web1.Flavor.RAM)
	assert.Equal(t, "k1", web1.KeyName)
	assert.Contains(t, web1.Addresses, driver.Address{Network: "private", IP: "203.0.113.20", Kind: driver.AddressFloating, Version: 4})
	assert.Equal(t, "11111111-2222-4333-8444-555555555555", web1.ImageID)

	assert.Equal(t, driver.StateStarting, insts[1].State, "SHUTOFF + powering-on")
	assert.Equal(t, "2", insts[1].Flavor.ID)
	assert.Equal(t, driver.StateError, insts[2].State)
	assert.Contains(t, insts[2].Fault, "No valid host")
	assert.Equal(t, "2.93", f.lastMicroversion)
}

func TestLaunchManyUsesOneRequestAndTheReservationID(t *testing.T) {
	f := newFakeCloud(t)
	var body map[string]map[string]any
	f.on("POST", nova+"/servers", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(b, &body))
		return jsonReply(202, []byte(`{"reservation_id": "r-3kv1a0c9"}`))(r)
	})
	f.on("GET", nova+"/servers/detail", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "r-3kv1a0c9", r.URL.Query().Get("reservation_id"))
		return jsonReply(200, fixture(t, "nova_servers_page2.json"))(r)
	})
	f.on("GET", nova+"/flavors/detail", jsonReply(200, fixture(t, "nova_flavors.json")))
	d := f.open()
	insts, err := d.LaunchInstances(context.Background(), driver.LaunchSpec{
		Name: "db", Count: 3, FlavorID: "1", ImageID: "img", KeyName: "k1", Tags: []string{"t"}})
	require.NoError(t, err)
	require.Len(t, insts, 1)
	srv := body["server"]
	assert.EqualValues(t, 3, srv["min_count"])
	assert.EqualValues(t, 3, srv["max_count"])
	assert.Equal(t, true, srv["return_reservation_id"])
	assert.Equal(t, "auto", srv["networks"], "microversion ≥ 2.37 must say networks")
	assert.Equal(t, "k1", srv["key_name"])
	assert.Equal(t, []any{"t"}, srv["tags"])
}

func TestMicroversionNegotiation(t *testing.T) {
	doc := func(minV, maxV string) []byte {
		return []byte(`{"version": {"id": "v2.1", "status": "CURRENT", "version": "` + maxV + `", "min_version": "` + minV + `", "links": []}}`)
	}
	tests := []struct {
		name     string
		body     []byte
		ceiling  string
		want     string
		wantCode driver.Code
	}{
		{"Zed", doc("2.1", "2.93"), "", "2.93", driver.CodeOK},
		{"newer than the driver", doc("2.1", "2.100"), "", MaxComputeMicroversion, driver.CodeOK},
		{"caller's ceiling", doc("2.1", "2.93"), "2.60", "2.60", driver.CodeOK},
		{"ceiling above the driver's", doc("2.1", "2.93"), "2.200", "2.93", driver.CodeOK},
		{"server needs more than the driver knows", doc("2.97", "2.100"), "", "", driver.CodeUnsupported},
		{"no microversions", []byte(`{"version": {"id": "v2.0", "status": "SUPPORTED", "links": []}}`), "", "2.1", driver.CodeOK},
		{"bad ceiling", doc("2.1", "2.93"), "two", "", driver.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.mock.RegisterResponder("GET", nova+"/", jsonReply(200, tt.body))
			c := f.config()
			c.MaxMicroversion = tt.ceiling
			d, err := New(context.Background(), c)
			assert.Equal(t, tt.wantCode, driver.CodeOf(err), "%v", err)
			if tt.wantCode == driver.CodeOK {
				assert.Equal(t, tt.want, d.Microversion())
			}
		})
	}
}

func TestOpenByURL(t *testing.T) {
	dir := t.TempDir()
	clouds := `clouds:
  aio:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      password: demo-secret
      project_name: demo
      user_domain_name: Users
      project_domain_name: Projects
    region_name: RegionOne
    interface: public
`
	path := filepath.Join(dir, "clouds.yaml")
	require.NoError(t, os.WriteFile(path, []byte(clouds), 0o600))
	u := mustURL(t, "openstack://?cloud=aio&clouds_file="+path+"&id=lab")
	c, err := ConfigFromURL(u, func(string) string { return "" })
	require.NoError(t, err)
	assert.Equal(t, "demo", c.Username)
	assert.Equal(t, "Users", c.UserDomainName)
	assert.Equal(t, "demo", c.ProjectName)
	assert.Equal(t, "Projects", c.ProjectDomainName)
	assert.Equal(t, "RegionOne", c.Region)
	assert.Equal(t, "lab", c.CloudID)

	env := map[string]string{"OS_AUTH_URL": keystone + "/v3", "OS_USERNAME": "a", "OS_PASSWORD": "p", "OS_USER_DOMAIN_NAME": "Default"}
	c, err = ConfigFromURL(mustURL(t, "openstack://?region=R2"), func(k string) string { return env[k] })
	require.NoError(t, err)
	assert.Equal(t, "R2", c.Region)
	assert.Equal(t, "a", c.Username)

	for _, bad := range []string{"openstack://u:p@?cloud=x", "openstack://?colud=x", "openstack://?cloud=missing&clouds_file=" + path} {
		_, err := ConfigFromURL(mustURL(t, bad), func(string) string { return "" })
		assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err), bad)
		assert.NotContains(t, err.Error(), "demo-secret")
	}
	assert.Contains(t, perspective.Schemes(), Scheme)
}
