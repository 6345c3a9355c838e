package auth

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/drivers/openstack"
)

// fakeKeystone answers POST /v3/auth/tokens with 401 for every password
// but "right-pass", for which it answers 403 (the user has no role in the
// project): enough to see how the real driver's errors become sign-in
// errors without a whole cloud.
func fakeKeystone(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if r.Method != "POST" || !strings.HasSuffix(r.URL.Path, "/auth/tokens") {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":404,"message":"not found","title":"Not Found"}}`))
			return
		}
		var body strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := r.Body.Read(buf)
			body.Write(buf[:n])
			if err != nil {
				break
			}
		}
		if strings.Contains(body.String(), `"right-pass"`) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error":{"code":403,"message":"You are not authorized to perform the requested action.","title":"Forbidden"}}`))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestKeystoneRealDriverErrors(t *testing.T) {
	ks, calls := fakeKeystone(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	down := "http://" + ln.Addr().String() + "/v3"
	require.NoError(t, ln.Close())

	tests := []struct {
		name, authURL, pass string
		want                error
	}{
		{"wrong password", ks.URL + "/v3", "Wr0ng-pass-123", errBadCredentials},
		{"no role in the project", ks.URL + "/v3", "right-pass", errNoAccess},
		{"keystone down", down, "any-pass-456", errUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := newKeystone(keystoneConfig{Getenv: envOf(map[string]string{
				"OS_AUTH_URL": tt.authURL, "OS_PROJECT_NAME": "demo", "OS_PROJECT_DOMAIN_NAME": "Default",
				// The server's own credentials must not be used for the user.
				"OS_USERNAME": "admin", "OS_PASSWORD": "server-secret",
			})})
			require.NoError(t, err)
			p, err := k.Authenticate(context.Background(), "alice", tt.pass)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, p)
			assert.NotContains(t, err.Error(), tt.pass)
			assert.NotContains(t, err.Error(), "server-secret")
		})
	}
	assert.Positive(t, calls.Load(), "the fake Keystone was asked")
}

func TestKeystoneSession(t *testing.T) {
	var got openstack.Config
	var drv *closeCounting
	k, err := newKeystone(keystoneConfig{
		URL: "openstack://?region=RegionTwo",
		Getenv: envOf(map[string]string{"OS_AUTH_URL": "http://127.0.0.1:5000/v3", "OS_PROJECT_NAME": "demo",
			"OS_PROJECT_DOMAIN_NAME": "Default", "OS_USERNAME": "admin", "OS_PASSWORD": "server-secret"}),
		Open: func(_ context.Context, c openstack.Config) (driver.Driver, error) {
			got = c
			drv = &closeCounting{Driver: mock.New(mock.WithCloudID("os"), mock.WithProject("p-demo", "demo"), mock.WithRegion(c.Region))}
			return drv, nil
		},
	})
	require.NoError(t, err)
	p, err := k.Authenticate(context.Background(), "alice", "alice-pass")
	require.NoError(t, err)
	assert.Equal(t, "alice", got.Username)
	assert.Equal(t, "alice-pass", got.Password)
	assert.Equal(t, "Default", got.UserDomainName)
	assert.Equal(t, "RegionTwo", got.Region)
	assert.Equal(t, []Grant{{Cloud: "os", Project: "p-demo", Region: "RegionTwo", Role: RoleOperator}}, p.Grants)

	// The principal's own cloud replaces the server's, whatever that is.
	other := twoProjects(t)
	clouds := p.cloudsFor(other, ActionWrite)
	require.Len(t, clouds, 1)
	assert.Equal(t, "os", clouds[0].Info().CloudID)

	// Revoking the session closes the user's cloud.
	s := newSessionStore(defaultIdle, defaultMaxAge, 10, nil)
	tok, _ := s.Create(p, true)
	assert.Zero(t, drv.closed.Load())
	require.True(t, s.Revoke(tok))
	assert.Equal(t, int32(1), drv.closed.Load(), "signing out closes the user's cloud session")
}

// closeCounting is a mock driver that counts its Close calls.
type closeCounting struct {
	*mock.Driver
	closed atomic.Int32
}

func (d *closeCounting) Close() error {
	d.closed.Add(1)
	return d.Driver.Close()
}

func TestNewKeystoneErrors(t *testing.T) {
	for _, u := range []string{"mock://", "openstack://user:pw@host", "::"} {
		_, err := newKeystone(keystoneConfig{URL: u})
		assert.Error(t, err, u)
	}
	_, err := newKeystone(keystoneConfig{Role: "god"})
	assert.Error(t, err)
}
