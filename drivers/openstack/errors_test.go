package openstack

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

const serverID = "3e9c1f6a-0000-4000-8000-000000000000"

func TestErrorMappingOfRealReplies(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		url     string
		status  int
		fixture string
		call    func(d *Driver) error
		want    driver.Code
		wantMsg string
	}{
		{"nova 404", "GET", nova + "/servers/" + serverID, 404, "nova_404.json",
			func(d *Driver) error { _, err := d.GetInstance(context.Background(), serverID); return err },
			driver.CodeNotFound, "could not be found"},
		{"nova 409 vm_state", "POST", nova + "/servers/" + serverID + "/action", 409, "nova_409_state.json",
			func(d *Driver) error { return d.Start(context.Background(), serverID) },
			driver.CodeInvalidState, "while it is in vm_state active"},
		{"nova 409 locked", "POST", nova + "/servers/" + serverID + "/action", 409, "nova_409_locked.json",
			func(d *Driver) error { return d.Reboot(context.Background(), serverID, false) },
			driver.CodeInvalidState, "is locked"},
		{"nova 409 conflict", "POST", nova + "/os-keypairs", 409, "nova_409_conflict.json",
			func(d *Driver) error {
				_, err := d.CreateKeypair(context.Background(), driver.KeypairSpec{Name: "k1"})
				return err
			},
			driver.CodeConflict, "already exists"},
		{"nova 403 quota", "POST", nova + "/servers", 403, "nova_403_quota.json",
			func(d *Driver) error {
				_, err := d.LaunchInstances(context.Background(), driver.LaunchSpec{Name: "q", Count: 3, FlavorID: "1", ImageID: "i"})
				return err
			},
			driver.CodeQuotaExceeded, "Quota exceeded for instances"},
		{"nova 403 policy", "GET", nova + "/servers/" + serverID + "/diagnostics", 403, "nova_403_policy.json",
			func(d *Driver) error {
				_, err := d.Usage(context.Background(), serverID, driver.UsageQuery{Item: driver.UsageCPU,
					From: time.Now().Add(-time.Hour), To: time.Now(), Points: 1})
				return err
			},
			driver.CodeUnsupported, "not allowed"},
		{"nova 403 forbidden", "DELETE", nova + "/servers/" + serverID, 403, "nova_403_policy.json",
			func(d *Driver) error { return d.DeleteInstance(context.Background(), serverID) },
			driver.CodeForbidden, "Policy doesn't allow"},
		{"nova 400", "PUT", nova + "/servers/" + serverID, 400, "nova_400.json",
			func(d *Driver) error { return d.Rename(context.Background(), serverID, "x") },
			driver.CodeInvalidArgument, "Invalid flavorRef"},
		{"nova 500", "GET", nova + "/servers/" + serverID, 500, "nova_500.json",
			func(d *Driver) error { _, err := d.GetInstance(context.Background(), serverID); return err },
			driver.CodeTransient, "Unexpected API Error"},
		{"glance 404 text", "GET", glance + "/v2/images/" + serverID, 404, "glance_404.txt",
			func(d *Driver) error { _, err := d.GetImage(context.Background(), serverID); return err },
			driver.CodeNotFound, "No image found with ID"},
		{"glance 503 html", "DELETE", glance + "/v2/images/" + serverID, 503, "glance_503.html",
			func(d *Driver) error { return d.DeleteImage(context.Background(), serverID) },
			driver.CodeTransient, "503 Service Unavailable"},
		{"neutron 404", "GET", neutron + "/v2.0/networks/" + serverID, 404, "neutron_404.json",
			func(d *Driver) error {
				_, err := d.LaunchInstances(context.Background(), driver.LaunchSpec{Name: "n", FlavorID: "1", ImageID: "i", Networks: []string{serverID}})
				return err
			},
			driver.CodeNotFound, ""},
		{"neutron 409 quota", "POST", neutron + "/v2.0/floatingips", 409, "neutron_409_quota.json",
			func(d *Driver) error {
				_, err := d.AddFloatingIP(context.Background(), serverID, driver.FloatingIPRequest{Network: "public"})
				return err
			},
			driver.CodeQuotaExceeded, "Quota exceeded for resources"},
		{"nova 413 exhausted", "GET", nova + "/servers/" + serverID, 413, "nova_413_overlimit.json",
			func(d *Driver) error { _, err := d.GetInstance(context.Background(), serverID); return err },
			driver.CodeRateLimited, "rate-limited"},
		{"nova 429 exhausted", "GET", nova + "/servers/" + serverID, 429, "nova_429.json",
			func(d *Driver) error { _, err := d.GetInstance(context.Background(), serverID); return err },
			driver.CodeRateLimited, "Rate limit exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeCloud(t)
			f.on(tt.method, tt.url, jsonReply(tt.status, fixture(t, tt.fixture)))
			// what the floating IP and network cases need before the failing call
			f.on("GET", neutron+"/v2.0/ports", jsonReply(200, []byte(`{"ports": [{"id": "p1", "device_id": "`+serverID+`", "fixed_ips": [{"subnet_id": "s", "ip_address": "10.20.0.5"}]}]}`)))
			f.on("GET", neutron+"/v2.0/networks/public", jsonReply(200, []byte(`{"network": {"id": "net-pub", "name": "public", "router:external": true}}`)))
			f.on("GET", neutron+"/v2.0/networks", jsonReply(200, []byte(`{"networks": []}`)))
			d := f.open(func(c *Config) { c.MaxRateLimitRetries = 1; c.MaxRateLimitWait = 2 * time.Second })
			err := tt.call(d)
			require.Error(t, err)
			assert.Equal(t, tt.want, driver.CodeOf(err), "%v", err)
			assert.Contains(t, err.Error(), tt.wantMsg)
			if tt.name != "neutron 404" { // found by name after the 404: no reply to keep
				var api *APIError
				if assert.True(t, errors.As(err, &api), "APIError reachable") {
					assert.Equal(t, tt.status, api.Status)
				}
				var gc gophercloud.ErrUnexpectedResponseCode
				assert.True(t, errors.As(err, &gc), "gophercloud error reachable")
			}
		})
	}
}

func TestConnectionErrorIsTransient(t *testing.T) {
	f := newFakeCloud(t)
	f.mock.RegisterResponder("GET", nova+"/servers/"+serverID, httpmock.ConnectionFailure)
	d := f.open()
	_, err := d.GetInstance(context.Background(), serverID)
	assert.Equal(t, driver.CodeTransient, driver.CodeOf(err), "%v", err)
}

func TestCanceledContext(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/servers/"+serverID, func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done() // a server that never answers
		return nil, r.Context().Err()
	})
	d := f.open()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := d.GetInstance(ctx, serverID)
	assert.Equal(t, driver.CodeCanceled, driver.CodeOf(err), "%v", err)
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusRequestEntityTooLarge} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newFakeCloud(t)
			var calls int
			var gaps []time.Duration
			last := time.Now()
			f.on("GET", nova+"/servers/"+serverID, func(r *http.Request) (*http.Response, error) {
				calls++
				gaps = append(gaps, time.Since(last))
				last = time.Now()
				switch calls {
				case 1:
					resp := httpmock.NewBytesResponse(status, fixture(t, "nova_429.json"))
					resp.Header.Set("Retry-After", "1")
					return resp, nil
				case 2: // no Retry-After: the fallback delay
					return httpmock.NewBytesResponse(status, fixture(t, "nova_429.json")), nil
				}
				return jsonReply(200, []byte(`{"server": {"id": "`+serverID+`", "name": "s", "status": "ACTIVE"}}`))(r)
			})
			d := f.open(func(c *Config) { c.RateLimitFallback = 50 * time.Millisecond })
			inst, err := d.GetInstance(context.Background(), serverID)
			require.NoError(t, err)
			assert.Equal(t, serverID, inst.ID)
			require.Equal(t, 3, calls)
			assert.GreaterOrEqual(t, gaps[1], 950*time.Millisecond, "waited for Retry-After: 1")
			assert.GreaterOrEqual(t, gaps[2], 50*time.Millisecond, "waited the fallback")
			assert.Less(t, gaps[2], 900*time.Millisecond)
		})
	}
}

func TestRateLimitTooLongFailsAtOnceWithRetryAfter(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/servers/"+serverID, func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(429, fixture(t, "nova_429.json"))
		resp.Header.Set("Retry-After", "3600")
		return resp, nil
	})
	d := f.open()
	start := time.Now()
	_, err := d.GetInstance(context.Background(), serverID)
	assert.Less(t, time.Since(start), time.Second)
	assert.Equal(t, driver.CodeRateLimited, driver.CodeOf(err))
	wait, ok := perspective.RetryAfter(err)
	assert.True(t, ok)
	assert.Equal(t, time.Hour, wait)
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0}, {"5", 5 * time.Second}, {"0", 0}, {"-3", 0}, {"soon", 0},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(-30 * time.Second).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		assert.Equal(t, tt.want, retryAfter(h, now), tt.header)
	}
	assert.Equal(t, time.Second, bodyRetryAfter(fixture(t, "nova_413_overlimit.json")))
}

func TestReplyMessage(t *testing.T) {
	tests := []struct{ body, want string }{
		{string(fixture(t, "nova_404.json")), "Instance 3e9c1f6a-0000-4000-8000-000000000000 could not be found."},
		{string(fixture(t, "neutron_404.json")), "Network 5e3c1e2a-9d0b-4f6c-8a1e-2b3c4d5e6f70 could not be found."},
		{string(fixture(t, "keystone_401.json")), "The request you have made requires authentication."},
		{string(fixture(t, "glance_404.txt")), "404 Not Found No image found with ID 9f1c3b2a-0000-4000-8000-000000000000"},
		{`{"errors": [{"status": 409, "title": "Conflict", "detail": "resource provider generation conflict"}]}`, "resource provider generation conflict"},
		{`{"message": "plain"}`, "plain"},
		{"", ""},
		{strings.Repeat("é", 400), strings.Repeat("é", 150) + "…"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, replyMessage([]byte(tt.body)))
	}
}

func FuzzReplyMessage(f *testing.F) {
	for _, name := range []string{"nova_404.json", "neutron_409_quota.json", "glance_503.html", "keystone_401.json", "nova_413_overlimit.json"} {
		b, err := readFixture(name)
		if err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg := replyMessage(body)
		if len(msg) > maxMessage+len("…") {
			t.Fatalf("message of %d bytes exceeds the bound", len(msg))
		}
		_ = bodyRetryAfter(body)
		_ = statusCode(409, msg)
	})
}
