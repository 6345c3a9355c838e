package openstack

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/config/clouds"

	"github.com/perspective-cloud/sdk/driver"
)

// Config says how to reach and authenticate to an OpenStack cloud. Fill it
// by hand, from the OS_* environment (ConfigFromEnv) or from clouds.yaml
// (ConfigFromCloudsYAML). Exactly one way to authenticate must be given:
// a password (Username or UserID with Password), an application credential
// (ApplicationCredentialID, or Name with a user, plus its Secret) or a Token.
//
// Password, ApplicationCredentialSecret and Token are secrets: Config's
// String, GoString and LogValue print them as "***", and no error or log
// line of this package contains them.
type Config struct {
	// AuthURL is Keystone's URL, e.g. http://127.0.0.1:5000/v3.
	AuthURL string
	// Username or UserID, with the user's domain (name or id).
	Username       string
	UserID         string
	UserDomainName string
	UserDomainID   string
	Password       string
	// ProjectName or ProjectID scopes the token, with the project's domain.
	ProjectName       string
	ProjectID         string
	ProjectDomainName string
	ProjectDomainID   string
	// Application credential (OS_AUTH_TYPE=v3applicationcredential).
	ApplicationCredentialID     string
	ApplicationCredentialName   string
	ApplicationCredentialSecret string
	// Token authenticates with an existing token. A token cannot be renewed:
	// when it expires, calls fail with perspective.ErrUnauthenticated.
	Token string
	// Region and Interface pick endpoints from the catalog (default: the
	// only region, the public interface).
	Region    string
	Interface string
	// CloudID names the cloud in global ids; it must stay the same across
	// restarts. Default: the clouds.yaml cloud name, else Keystone's host.
	CloudID string

	// HTTPClient makes the requests (default: a client with a 60 s timeout).
	HTTPClient *http.Client
	// TLS, when set, configures the transport of the default HTTP client.
	TLS *tls.Config
	// RateLimitFallback is the wait after a 429/413 reply without
	// Retry-After (default 2 s); MaxRateLimitWait bounds the wait one reply
	// may ask for (default 60 s: a longer one fails at once as rate limited);
	// MaxRateLimitRetries bounds the retries of one request (default 5).
	RateLimitFallback   time.Duration
	MaxRateLimitWait    time.Duration
	MaxRateLimitRetries uint
	// MaxMicroversion caps the compute microversion (default and ceiling:
	// MaxComputeMicroversion).
	MaxMicroversion string
	// Logger receives re-authentication, retry and negotiation events at
	// debug level; nil logs nothing. Secrets are never logged.
	Logger *slog.Logger
}

const redacted = "***"

// String describes the configuration with its secrets redacted.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("openstack.Config{")
	field := func(name, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %q, ", name, v)
		}
	}
	field("AuthURL", c.AuthURL)
	field("Username", c.Username)
	field("UserID", c.UserID)
	field("UserDomainName", c.UserDomainName)
	field("UserDomainID", c.UserDomainID)
	field("Password", mask(c.Password))
	field("ProjectName", c.ProjectName)
	field("ProjectID", c.ProjectID)
	field("ProjectDomainName", c.ProjectDomainName)
	field("ProjectDomainID", c.ProjectDomainID)
	field("ApplicationCredentialID", c.ApplicationCredentialID)
	field("ApplicationCredentialName", c.ApplicationCredentialName)
	field("ApplicationCredentialSecret", mask(c.ApplicationCredentialSecret))
	field("Token", mask(c.Token))
	field("Region", c.Region)
	field("Interface", c.Interface)
	field("CloudID", c.CloudID)
	return strings.TrimSuffix(b.String(), ", ") + "}"
}

// GoString is String, so that %#v does not print the secrets either.
func (c Config) GoString() string { return c.String() }

// LogValue makes slog print the redacted form.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// secrets returns the secret values of c, for scrubbing error messages.
func (c Config) secrets() []string {
	var s []string
	for _, v := range []string{c.Password, c.ApplicationCredentialSecret, c.Token} {
		if len(v) >= 4 {
			s = append(s, v)
		}
	}
	return s
}

// ConfigFromEnv reads the OS_* variables of a standard openrc file (what
// Horizon and `openstack` write): OS_AUTH_URL, OS_USERNAME/OS_USER_ID,
// OS_PASSWORD, OS_USER_DOMAIN_NAME/ID, OS_PROJECT_NAME/ID (or OS_TENANT_*),
// OS_PROJECT_DOMAIN_NAME/ID, OS_DOMAIN_NAME/ID (fallback for both domains),
// OS_APPLICATION_CREDENTIAL_ID/NAME/SECRET, OS_TOKEN, OS_REGION_NAME and
// OS_INTERFACE. getenv is os.Getenv in production.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	first := func(names ...string) string {
		for _, n := range names {
			if v := strings.TrimSpace(getenv(n)); v != "" {
				return v
			}
		}
		return ""
	}
	c := Config{
		AuthURL:                     first("OS_AUTH_URL"),
		Username:                    first("OS_USERNAME"),
		UserID:                      first("OS_USER_ID"),
		UserDomainName:              first("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"),
		UserDomainID:                first("OS_USER_DOMAIN_ID", "OS_DOMAIN_ID"),
		Password:                    getenv("OS_PASSWORD"),
		ProjectName:                 first("OS_PROJECT_NAME", "OS_TENANT_NAME"),
		ProjectID:                   first("OS_PROJECT_ID", "OS_TENANT_ID"),
		ProjectDomainName:           first("OS_PROJECT_DOMAIN_NAME", "OS_DOMAIN_NAME"),
		ProjectDomainID:             first("OS_PROJECT_DOMAIN_ID", "OS_DOMAIN_ID"),
		ApplicationCredentialID:     first("OS_APPLICATION_CREDENTIAL_ID"),
		ApplicationCredentialName:   first("OS_APPLICATION_CREDENTIAL_NAME"),
		ApplicationCredentialSecret: getenv("OS_APPLICATION_CREDENTIAL_SECRET"),
		Token:                       first("OS_TOKEN", "OS_AUTH_TOKEN"),
		Region:                      first("OS_REGION_NAME"),
		Interface:                   first("OS_INTERFACE", "OS_ENDPOINT_TYPE"),
	}
	if c.AuthURL == "" {
		return c, driver.Errorf(driver.CodeInvalidArgument,
			"openstack: OS_AUTH_URL is not set; source an openrc file or name a cloud of clouds.yaml (OS_CLOUD)")
	}
	return c, c.validate()
}

// ConfigFromCloudsYAML reads cloud name of clouds.yaml (and secure.yaml),
// searched where python-openstackclient searches, or in OS_CLIENT_CONFIG_FILE.
// opts are gophercloud's clouds.ParseOption values (e.g. clouds.WithLocations).
func ConfigFromCloudsYAML(name string, opts ...clouds.ParseOption) (Config, error) {
	if name == "" {
		return Config{}, driver.Errorf(driver.CodeInvalidArgument, "openstack: empty clouds.yaml cloud name")
	}
	ao, eo, tlsConfig, err := clouds.Parse(append([]clouds.ParseOption{clouds.WithCloudName(name)}, opts...)...)
	if err != nil {
		return Config{}, driver.Wrap(driver.CodeInvalidArgument, err, "openstack: clouds.yaml cloud "+name)
	}
	c := Config{
		AuthURL:                     ao.IdentityEndpoint,
		Username:                    ao.Username,
		UserID:                      ao.UserID,
		UserDomainName:              ao.DomainName,
		UserDomainID:                ao.DomainID,
		Password:                    ao.Password,
		ProjectName:                 ao.TenantName,
		ProjectID:                   ao.TenantID,
		ApplicationCredentialID:     ao.ApplicationCredentialID,
		ApplicationCredentialName:   ao.ApplicationCredentialName,
		ApplicationCredentialSecret: ao.ApplicationCredentialSecret,
		Token:                       ao.TokenID,
		Region:                      eo.Region,
		Interface:                   string(eo.Availability),
		CloudID:                     name,
		TLS:                         tlsConfig,
	}
	if s := ao.Scope; s != nil {
		c.ProjectName = firstNonEmpty(s.ProjectName, c.ProjectName)
		c.ProjectID = firstNonEmpty(s.ProjectID, c.ProjectID)
		c.ProjectDomainName = s.DomainName
		c.ProjectDomainID = s.DomainID
	}
	return c, c.validate()
}

// ConfigFromURL reads the URL form of perspective.Open:
//
//	openstack://?cloud=NAME   the cloud NAME of clouds.yaml
//	openstack://              the OS_* environment (a sourced openrc)
//
// Query parameters: cloud, region, interface, id (the CloudID), clouds_file
// (a clouds.yaml path), max_microversion. Credentials never go in the URL.
// The fleet parameters projects and regions (see FleetFromURL) are refused
// here: a fleet is many clouds, opened with perspective.OpenFleet.
func ConfigFromURL(u *url.URL, getenv func(string) string) (Config, error) {
	c, sel, err := FleetFromURL(u, getenv)
	if err != nil {
		return c, err
	}
	if sel.fleet {
		return Config{}, driver.Errorf(driver.CodeInvalidArgument,
			"openstack: the URL parameters projects and regions open a fleet of clouds: use perspective.OpenFleet, not perspective.Open")
	}
	return c, nil
}

// Bounds of a fleet selection.
const (
	// MaxSelection is the most names one of Selection's lists may hold.
	MaxSelection = 256
	// MaxSelectionName is the longest project or region name or id, in bytes.
	MaxSelectionName = 255
)

// Selection names the projects and regions of a fleet (see OpenFleet).
type Selection struct {
	// Projects are project names or ids; empty means every project the
	// user has a role on (GET /v3/auth/projects).
	Projects []string
	// Regions are region ids; empty means every region of a project's
	// catalog that has a compute endpoint.
	Regions []string

	fleet bool // the URL asked for a fleet
}

// FleetFromURL reads a fleet URL for perspective.OpenFleet: the parameters
// of ConfigFromURL plus
//
//	projects=all | NAME-OR-ID,…   (default all)
//	regions=all  | REGION,…       (default all)
//
// e.g. "openstack://?projects=all&regions=all" (every project the user has a
// role on × every region of its catalog with a compute endpoint) or
// "openstack://?cloud=prod&projects=web,db&regions=RegionOne". A parameter
// may be repeated; its values add up. An empty name, "all" beside names, a
// name given twice, "region" beside "regions", or more than MaxSelection
// names are invalid arguments naming the parameter.
func FleetFromURL(u *url.URL, getenv func(string) string) (Config, Selection, error) {
	if u == nil {
		return Config{}, Selection{}, driver.Errorf(driver.CodeInvalidArgument, "openstack: nil URL")
	}
	if u.User != nil {
		return Config{}, Selection{}, driver.Errorf(driver.CodeInvalidArgument,
			"openstack: credentials do not belong in the URL; use clouds.yaml or OS_* variables")
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	q := u.Query()
	known := map[string]bool{"cloud": true, "region": true, "interface": true, "id": true,
		"clouds_file": true, "max_microversion": true, "projects": true, "regions": true}
	for k := range q {
		if !known[k] {
			return Config{}, Selection{}, driver.Errorf(driver.CodeInvalidArgument,
				"openstack: unknown URL parameter %q (known: cloud, region, interface, id, clouds_file, max_microversion, projects, regions)", truncateName(k))
		}
	}
	var sel Selection
	var err error
	_, sel.fleet = q["projects"]
	if _, ok := q["regions"]; ok {
		sel.fleet = true
		if _, both := q["region"]; both {
			return Config{}, Selection{}, driver.Errorf(driver.CodeInvalidArgument,
				"openstack: URL parameters region and regions exclude each other; a fleet takes regions")
		}
	}
	if sel.Projects, err = selectionList("projects", q["projects"]); err != nil {
		return Config{}, Selection{}, err
	}
	if sel.Regions, err = selectionList("regions", q["regions"]); err != nil {
		return Config{}, Selection{}, err
	}
	var c Config
	cloud := firstNonEmpty(q.Get("cloud"), u.Host)
	if cloud == "" && getenv("OS_AUTH_URL") == "" {
		cloud = getenv("OS_CLOUD")
	}
	if cloud != "" {
		var opts []clouds.ParseOption
		if f := q.Get("clouds_file"); f != "" {
			opts = append(opts, clouds.WithLocations(f))
		}
		c, err = ConfigFromCloudsYAML(cloud, opts...)
	} else {
		c, err = ConfigFromEnv(getenv)
	}
	if err != nil {
		return c, Selection{}, err
	}
	if v := q.Get("region"); v != "" {
		c.Region = v
	}
	if v := q.Get("interface"); v != "" {
		c.Interface = v
	}
	if v := q.Get("id"); v != "" {
		c.CloudID = v
	}
	if v := q.Get("max_microversion"); v != "" {
		c.MaxMicroversion = v
	}
	return c, sel, nil
}

// selectionList reads the values of a projects or regions parameter: comma
// lists, added up; "all" alone is nil (every one).
func selectionList(param string, values []string) ([]string, error) {
	var names []string
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if strings.TrimSpace(name) == "" {
				return nil, driver.Errorf(driver.CodeInvalidArgument,
					"openstack: %s: empty name in %q (want all, or names separated by commas)", param, truncateName(v))
			}
			names = append(names, strings.TrimSpace(name))
			if len(names) > MaxSelection+1 {
				break // checkNames reports the bound
			}
		}
	}
	return checkNames(param, names)
}

// checkNames checks a list of project or region names: none empty or too
// long, none twice, at most MaxSelection, and "all" only alone (which is nil:
// every one).
func checkNames(param string, names []string) ([]string, error) {
	bad := func(format string, args ...any) error {
		return driver.Errorf(driver.CodeInvalidArgument, "openstack: "+param+": "+format, args...)
	}
	if len(names) > MaxSelection {
		return nil, bad("more than %d names", MaxSelection)
	}
	var out []string
	all := false
	seen := map[string]bool{}
	for _, name := range names {
		switch {
		case name == "" || strings.TrimSpace(name) != name:
			return nil, bad("name %q is empty or has spaces around it", truncateName(name))
		case len(name) > MaxSelectionName:
			return nil, bad("name %q is longer than %d bytes", truncateName(name), MaxSelectionName)
		case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
			return nil, bad("name %q has invalid UTF-8 or a control character", truncateName(name))
		case name == "all":
			all = true
			continue
		case seen[name]:
			return nil, bad("%q is named twice", truncateName(name))
		}
		seen[name] = true
		out = append(out, name)
	}
	if all && len(out) > 0 {
		return nil, bad("all and names (%s) exclude each other", truncateName(strings.Join(out, ",")))
	}
	return out, nil
}

// normalized checks s and returns it with "all" as empty lists.
func (s Selection) normalized() (Selection, error) {
	var err error
	if s.Projects, err = checkNames("projects", s.Projects); err != nil {
		return s, err
	}
	if s.Regions, err = checkNames("regions", s.Regions); err != nil {
		return s, err
	}
	return s, nil
}

// truncateName cuts untrusted text for an error message.
func truncateName(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// validate checks that exactly one way to authenticate is complete.
func (c Config) validate() error {
	bad := func(format string, args ...any) error {
		return driver.Errorf(driver.CodeInvalidArgument, "openstack: "+format, args...)
	}
	if c.AuthURL == "" {
		return bad("no auth URL (OS_AUTH_URL or auth.auth_url)")
	}
	if u, err := url.Parse(c.AuthURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("auth URL %q is not an http(s) URL", c.AuthURL)
	}
	switch {
	case c.Token != "":
		return nil
	case c.ApplicationCredentialID != "" || c.ApplicationCredentialName != "":
		if c.ApplicationCredentialSecret == "" {
			return bad("application credential without its secret (OS_APPLICATION_CREDENTIAL_SECRET)")
		}
		if c.ApplicationCredentialID == "" && c.Username == "" && c.UserID == "" {
			return bad("application credential by name needs the user (OS_USERNAME or OS_USER_ID)")
		}
		return nil
	case c.Username != "" || c.UserID != "":
		if c.Password == "" {
			return bad("user %q has no password (OS_PASSWORD)", firstNonEmpty(c.Username, c.UserID))
		}
		if c.Username != "" && c.UserDomainName == "" && c.UserDomainID == "" {
			return bad("user %q needs its domain (OS_USER_DOMAIN_NAME or OS_USER_DOMAIN_ID)", c.Username)
		}
		if c.ProjectName != "" && c.ProjectDomainName == "" && c.ProjectDomainID == "" {
			return bad("project %q needs its domain (OS_PROJECT_DOMAIN_NAME or OS_PROJECT_DOMAIN_ID)", c.ProjectName)
		}
		return nil
	}
	return bad("no credentials: set OS_USERNAME and OS_PASSWORD, an application credential, or OS_TOKEN")
}

// authOptions builds gophercloud's options: the user's domain in
// DomainName/DomainID, the project's in the scope (gophercloud's
// AuthOptionsFromEnv cannot express both, which is why this driver reads
// the environment itself).
func (c Config) authOptions() gophercloud.AuthOptions {
	ao := gophercloud.AuthOptions{IdentityEndpoint: c.AuthURL}
	switch {
	case c.Token != "":
		ao.TokenID = c.Token
	case c.ApplicationCredentialID != "" || c.ApplicationCredentialName != "":
		ao.ApplicationCredentialID = c.ApplicationCredentialID
		ao.ApplicationCredentialName = c.ApplicationCredentialName
		ao.ApplicationCredentialSecret = c.ApplicationCredentialSecret
		if c.ApplicationCredentialID == "" {
			ao.Username, ao.UserID = c.Username, c.UserID
			ao.DomainName, ao.DomainID = c.UserDomainName, c.UserDomainID
		}
		ao.AllowReauth = true
		// an application credential carries its project: no scope
		return ao
	default:
		ao.Username, ao.UserID, ao.Password = c.Username, c.UserID, c.Password
		if c.UserID == "" {
			ao.DomainName, ao.DomainID = c.UserDomainName, c.UserDomainID
		}
		ao.AllowReauth = true
	}
	if ao.DomainID != "" {
		ao.DomainName = ""
	}
	switch {
	case c.ProjectID != "":
		ao.Scope = &gophercloud.AuthScope{ProjectID: c.ProjectID}
	case c.ProjectName != "":
		ao.Scope = &gophercloud.AuthScope{ProjectName: c.ProjectName,
			DomainName: c.ProjectDomainName, DomainID: c.ProjectDomainID}
		if ao.Scope.DomainID != "" {
			ao.Scope.DomainName = ""
		}
	}
	return ao
}

// cloudID is CloudID or Keystone's host.
func (c Config) cloudID() string {
	if c.CloudID != "" {
		return c.CloudID
	}
	if u, err := url.Parse(c.AuthURL); err == nil && u.Host != "" {
		return u.Host
	}
	return c.AuthURL
}
