package auth

import (
	"context"
	"fmt"
	"net/url"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

// keystoneConfig says which OpenStack cloud users sign in to with their
// own Keystone credentials.
type keystoneConfig struct {
	// URL is the cloud as perspective.Open takes it, without credentials:
	// openstack://?cloud=NAME (clouds.yaml) or openstack:// (OS_*
	// variables). The user's name and password replace the credentials it
	// would carry; the project, domain, region and endpoints stay.
	URL string `yaml:"url"`
	// Role is what a signed-in user may do in the project the token is
	// scoped to. Default: operator (Keystone and Nova enforce the rest).
	Role Role `yaml:"role"`
	// Getenv reads the OS_* variables (default: none are set).
	Getenv func(string) string `yaml:"-"`
	// Options tune the user's Cloud (cache TTLs, concurrency…).
	Options []perspective.Option `yaml:"-"`
	// Open opens the driver; tests replace it. Default: openstack.New.
	Open func(ctx context.Context, c openstack.Config) (driver.Driver, error) `yaml:"-"`
}

// keystoneBackend is the identity back-end of the OpenStack cloud itself: a user
// signs in with their Keystone name and password, and the server keeps an
// authenticated cloud session for them (the driver re-authenticates by
// itself when the token expires), so no request fetches a token.
type keystoneBackend struct {
	cfg  keystoneConfig
	base *url.URL
}

// newKeystone checks cfg and returns the back-end.
func newKeystone(cfg keystoneConfig) (*keystoneBackend, error) {
	if cfg.URL == "" {
		cfg.URL = "openstack://"
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Scheme != openstack.Scheme {
		return nil, fmt.Errorf("keystone: url %q is not an openstack:// URL", cfg.URL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("keystone: url must not carry credentials: each user signs in with their own")
	}
	r, err := parseRole(string(cfg.Role))
	if err != nil {
		return nil, fmt.Errorf("keystone: %w", err)
	}
	if cfg.Role == "" {
		r = RoleOperator
	}
	cfg.Role = r
	if cfg.Getenv == nil {
		cfg.Getenv = func(string) string { return "" }
	}
	if cfg.Open == nil {
		cfg.Open = func(ctx context.Context, c openstack.Config) (driver.Driver, error) {
			return openstack.New(ctx, c)
		}
	}
	return &keystoneBackend{cfg: cfg, base: u}, nil
}

// Name implements Identity.
func (k *keystoneBackend) Name() string { return "openstack" }

// Authenticate implements Identity: it opens the cloud with the user's
// credentials. The principal keeps that cloud session; signing out or
// the session's expiry closes it.
func (k *keystoneBackend) Authenticate(ctx context.Context, user, password string) (*Principal, error) {
	if err := checkCredentials(user, password); err != nil {
		return nil, err
	}
	c, err := openstack.ConfigFromURL(k.base, k.userEnv(user, password))
	if err != nil {
		return nil, fmt.Errorf("keystone user %q: %w: the cloud is misconfigured: %v", user, errUnavailable, err)
	}
	c.Username, c.Password = user, password
	c.UserID, c.Token = "", ""
	c.ApplicationCredentialID, c.ApplicationCredentialName, c.ApplicationCredentialSecret = "", "", ""
	if c.UserDomainName == "" && c.UserDomainID == "" {
		c.UserDomainName = "Default"
	}
	drv, err := k.cfg.Open(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("keystone user %q: %w", user, classifyCloudError(err))
	}
	cloud, err := perspective.NewCloud(drv, k.cfg.Options...)
	if err != nil {
		return nil, fmt.Errorf("keystone user %q: %w: %v", user, errUnavailable, err)
	}
	set, err := perspective.NewSet(cloud)
	if err != nil {
		_ = cloud.Close()
		return nil, fmt.Errorf("keystone user %q: %w: %v", user, errUnavailable, err)
	}
	i := cloud.Info()
	return &Principal{Name: user, Backend: k.Name(), clouds: set,
		Grants: []Grant{{Cloud: i.CloudID, Project: i.ProjectID, Region: i.Region, Role: k.cfg.Role}}}, nil
}

// userEnv is the server's OS_* environment with the user's credentials
// in place of any it holds.
func (k *keystoneBackend) userEnv(user, password string) func(string) string {
	return func(key string) string {
		switch key {
		case "OS_USERNAME":
			return user
		case "OS_PASSWORD":
			return password
		case "OS_USER_ID", "OS_TOKEN", "OS_AUTH_TOKEN", "OS_APPLICATION_CREDENTIAL_ID",
			"OS_APPLICATION_CREDENTIAL_NAME", "OS_APPLICATION_CREDENTIAL_SECRET", "OS_AUTH_TYPE":
			return ""
		case "OS_USER_DOMAIN_NAME":
			if v := k.cfg.Getenv(key); v != "" || k.cfg.Getenv("OS_USER_DOMAIN_ID") != "" {
				return v
			}
			return "Default"
		}
		return k.cfg.Getenv(key)
	}
}

// classifyCloudError turns the driver's classified error into a sign-in
// error, keeping the cloud's message (which never holds the password).
func classifyCloudError(err error) error {
	switch perspective.Code(err) {
	case perspective.CodeUnauthenticated, perspective.CodeNotFound:
		return fmt.Errorf("%w (%v)", errBadCredentials, err)
	case perspective.CodeForbidden:
		return fmt.Errorf("%w (%v)", errNoAccess, err)
	case perspective.CodeInvalidArgument:
		return fmt.Errorf("%w (%v)", errInvalidRequest, err)
	}
	return fmt.Errorf("%w (%v)", errUnavailable, err)
}
