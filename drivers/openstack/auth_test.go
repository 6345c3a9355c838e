package openstack

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

func TestReauthOnExpiryIsSharedByConcurrentCallers(t *testing.T) {
	f := newFakeCloud(t)
	body := []byte(`{"server": {"id": "` + serverID + `", "name": "s", "status": "ACTIVE"}}`)
	f.on("GET", nova+"/servers/"+serverID, jsonReply(200, body))
	var logs bytes.Buffer
	d := f.open(func(c *Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	require.EqualValues(t, 1, f.tokenPosts.Load())

	// Keystone revokes token-1: the next token it issues is the only valid one.
	f.expireTokens("token-2")
	const callers = 50
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			_, errs[i] = d.GetInstance(context.Background(), serverID)
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "caller %d", i)
	}
	assert.EqualValues(t, 2, f.tokenPosts.Load(), "one re-authentication for all callers")
	assert.Contains(t, logs.String(), "re-authenticating")
	assert.NotContains(t, logs.String(), "s3cret-pass")
}

func TestReauthFailureIsUnauthenticated(t *testing.T) {
	f := newFakeCloud(t)
	f.on("GET", nova+"/servers/"+serverID, jsonReply(200, []byte(`{"server": {"id": "x"}}`)))
	d := f.open()
	f.expireTokens("never-issued")
	f.mock.RegisterResponder("POST", keystone+"/v3/auth/tokens", jsonReply(401, fixture(t, "keystone_401.json")))
	_, err := d.GetInstance(context.Background(), serverID)
	assert.Equal(t, driver.CodeUnauthenticated, driver.CodeOf(err), "%v", err)
	assert.NotContains(t, err.Error(), "s3cret-pass")
}

func TestSecretsNeverShow(t *testing.T) {
	c := Config{AuthURL: keystone + "/v3", Username: "u", UserDomainName: "Default",
		Password: "s3cret-pass", ApplicationCredentialSecret: "app-s3cret", Token: "tok-s3cret"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", c)
	for _, out := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), logs.String()} {
		assert.NotContains(t, out, "s3cret")
		assert.Contains(t, out, redacted)
	}

	// a Keystone that echoes the password in its refusal
	f := newFakeCloud(t)
	f.mock.RegisterResponder("POST", keystone+"/v3/auth/tokens",
		jsonReply(401, []byte(`{"error": {"code": 401, "message": "bad password s3cret-pass", "title": "Unauthorized"}}`)))
	_, err := New(context.Background(), f.config())
	require.Error(t, err)
	assert.Equal(t, driver.CodeUnauthenticated, driver.CodeOf(err))
	assert.NotContains(t, err.Error(), "s3cret-pass")
	assert.Contains(t, err.Error(), redacted)
}

func TestAuthOptionsFromAStandardOpenrc(t *testing.T) {
	env := map[string]string{
		"OS_AUTH_URL": keystone + "/v3", "OS_USERNAME": "demo", "OS_PASSWORD": "pw",
		"OS_PROJECT_NAME": "demo", "OS_USER_DOMAIN_NAME": "Users", "OS_PROJECT_DOMAIN_NAME": "Projects",
		"OS_REGION_NAME": "RegionOne", "OS_INTERFACE": "public", "OS_IDENTITY_API_VERSION": "3",
	}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	ao := c.authOptions()
	assert.Equal(t, "Users", ao.DomainName, "user domain")
	require.NotNil(t, ao.Scope)
	assert.Equal(t, "demo", ao.Scope.ProjectName)
	assert.Equal(t, "Projects", ao.Scope.DomainName, "project domain")
	assert.True(t, ao.AllowReauth)
	assert.Equal(t, "RegionOne", c.Region)
	assert.Equal(t, "127.0.0.1:5000", c.cloudID())
}

func TestConfigFromEnvKinds(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{"nothing", map[string]string{}, "OS_AUTH_URL is not set", nil},
		{"no password", map[string]string{"OS_AUTH_URL": keystone, "OS_USERNAME": "u", "OS_USER_DOMAIN_NAME": "d"}, "OS_PASSWORD", nil},
		{"no user domain", map[string]string{"OS_AUTH_URL": keystone, "OS_USERNAME": "u", "OS_PASSWORD": "p"}, "OS_USER_DOMAIN_NAME", nil},
		{"OS_DOMAIN_NAME for both", map[string]string{"OS_AUTH_URL": keystone, "OS_USERNAME": "u", "OS_PASSWORD": "p",
			"OS_PROJECT_NAME": "x", "OS_DOMAIN_NAME": "Default"}, "", func(t *testing.T, c Config) {
			assert.Equal(t, "Default", c.UserDomainName)
			assert.Equal(t, "Default", c.ProjectDomainName)
		}},
		{"application credential", map[string]string{"OS_AUTH_URL": keystone, "OS_AUTH_TYPE": "v3applicationcredential",
			"OS_APPLICATION_CREDENTIAL_ID": "ac1", "OS_APPLICATION_CREDENTIAL_SECRET": "sec"}, "", func(t *testing.T, c Config) {
			ao := c.authOptions()
			assert.Equal(t, "ac1", ao.ApplicationCredentialID)
			assert.Nil(t, ao.Scope)
			assert.True(t, ao.AllowReauth)
		}},
		{"application credential without secret", map[string]string{"OS_AUTH_URL": keystone,
			"OS_APPLICATION_CREDENTIAL_ID": "ac1"}, "OS_APPLICATION_CREDENTIAL_SECRET", nil},
		{"token", map[string]string{"OS_AUTH_URL": keystone, "OS_TOKEN": "gAAAA", "OS_PROJECT_ID": "p1"}, "", func(t *testing.T, c Config) {
			ao := c.authOptions()
			assert.Equal(t, "gAAAA", ao.TokenID)
			assert.False(t, ao.AllowReauth, "a token cannot be renewed")
			assert.Equal(t, "p1", ao.Scope.ProjectID)
		}},
		{"not a URL", map[string]string{"OS_AUTH_URL": "keystone:5000", "OS_TOKEN": "t"}, "not an http(s) URL", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err))
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

func TestOpenWithTokenAuth(t *testing.T) {
	f := newFakeCloud(t)
	f.mock.RegisterResponder("GET", keystone+"/v3/auth/tokens", func(r *http.Request) (*http.Response, error) {
		resp, _ := jsonReply(200, fixture(t, "keystone_token.json"))(r)
		resp.Header.Set("X-Subject-Token", r.Header.Get("X-Subject-Token"))
		return resp, nil
	})
	c := f.config()
	c.Username, c.Password, c.ProjectName, c.Token = "", "", "", "existing-token"
	d, err := New(context.Background(), c)
	require.NoError(t, err)
	assert.Equal(t, "existing-token", d.ProviderClient().Token())
	assert.EqualValues(t, 0, f.tokenPosts.Load())
}
