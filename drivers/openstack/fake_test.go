package openstack

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const (
	keystone = "http://127.0.0.1:5000"
	nova     = "http://127.0.0.1:8774/v2.1"
	glance   = "http://127.0.0.1:9292"
	neutron  = "http://127.0.0.1:9696"
)

// fakeCloud answers like Keystone and Nova's version document; tests add
// the replies they need. Nothing leaves the process: httpmock is the
// transport.
type fakeCloud struct {
	t          *testing.T
	mock       *httpmock.MockTransport
	tokenPosts atomic.Int32
	mu         sync.Mutex
	token      string // the token the services accept; "" accepts any
	// lastMicroversion is the compute microversion of the last Nova request
	lastMicroversion string
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func jsonReply(status int, body []byte) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r := httpmock.NewBytesResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		r.Request = req // gophercloud's pager reads the request URL
		return r, nil
	}
}

func newFakeCloud(t *testing.T) *fakeCloud {
	f := &fakeCloud{t: t, mock: httpmock.NewMockTransport()}
	versions := jsonReply(200, fixture(t, "keystone_versions.json"))
	f.mock.RegisterResponder("GET", keystone+"/", versions)
	f.mock.RegisterResponder("GET", keystone+"/v3/", versions)
	token := fixture(t, "keystone_token.json")
	f.mock.RegisterResponder("POST", keystone+"/v3/auth/tokens", func(*http.Request) (*http.Response, error) {
		n := f.tokenPosts.Add(1)
		r := httpmock.NewBytesResponse(201, token)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Subject-Token", "token-"+strconv.Itoa(int(n)))
		return r, nil
	})
	f.mock.RegisterResponder("GET", nova+"/", f.authed(jsonReply(200, fixture(t, "nova_version.json"))))
	f.mock.RegisterResponder("GET", glance+"/", jsonReply(300, fixture(t, "glance_versions.json")))
	f.mock.RegisterResponder("GET", neutron+"/", jsonReply(200, fixture(t, "neutron_versions.json")))
	return f
}

// authed refuses requests whose token is not the current one with
// Keystone-middleware's 401.
func (f *fakeCloud) authed(next httpmock.Responder) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		f.mu.Lock()
		want := f.token
		if v := r.Header.Get("X-OpenStack-Nova-API-Version"); v != "" {
			f.lastMicroversion = v
		}
		f.mu.Unlock()
		if want != "" && r.Header.Get("X-Auth-Token") != want {
			return jsonReply(401, fixture(f.t, "keystone_401.json"))(r)
		}
		return next(r)
	}
}

func (f *fakeCloud) expireTokens(valid string) {
	f.mu.Lock()
	f.token = valid
	f.mu.Unlock()
}

func (f *fakeCloud) config() Config {
	return Config{
		AuthURL: keystone + "/v3", Username: "admin", Password: "s3cret-pass", UserDomainName: "Default",
		ProjectName: "admin", ProjectDomainName: "Default", Region: "RegionOne",
		HTTPClient: &http.Client{Transport: f.mock}, RateLimitFallback: 5 * time.Millisecond,
	}
}

func (f *fakeCloud) open(mod ...func(*Config)) *Driver {
	f.t.Helper()
	c := f.config()
	for _, m := range mod {
		m(&c)
	}
	d, err := New(context.Background(), c)
	require.NoError(f.t, err)
	return d
}

func (f *fakeCloud) on(method, url string, r httpmock.Responder) {
	f.mock.RegisterResponder(method, url, f.authed(r))
}

func readFixture(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}
