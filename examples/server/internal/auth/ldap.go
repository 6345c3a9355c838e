package auth

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// ldapConfig says how to find and check users in an LDAP directory and
// how their groups map to projects and roles.
type ldapConfig struct {
	// URL is the directory's address: ldap://host:389 or ldaps://host:636.
	URL string `yaml:"url"`
	// StartTLS upgrades an ldap:// connection before any bind; TLS
	// configures it and ldaps://.
	StartTLS bool        `yaml:"start_tls"`
	TLS      *tls.Config `yaml:"-"`
	// BindDN and BindPassword are the service account that searches for
	// users and groups; empty means an anonymous search.
	BindDN       string `yaml:"bind_dn"`
	BindPassword string `yaml:"bind_password"`
	// UserBaseDN is where users live; UserFilter finds one, {user} being
	// the (escaped) user name. Default: (uid={user}).
	UserBaseDN string `yaml:"user_base_dn"`
	UserFilter string `yaml:"user_filter"`
	// GroupBaseDN is where groups live; GroupFilter finds a user's groups,
	// {dn} being the user's (escaped) DN and {user} the user name.
	// Default: (|(member={dn})(uniqueMember={dn})(memberUid={user})).
	GroupBaseDN string `yaml:"group_base_dn"`
	GroupFilter string `yaml:"group_filter"`
	// GroupNameAttr is the attribute that names a group. Default: cn.
	GroupNameAttr string `yaml:"group_name_attr"`
	// Groups maps a group name to the grants its members get.
	Groups map[string][]Grant `yaml:"groups"`
	// Timeout bounds each connection and request. Default: 5 s.
	Timeout time.Duration `yaml:"timeout"`
}

// ldapBackend is the identity back-end of an LDAP directory: a user signs in
// with their directory password, and their groups give them projects.
type ldapBackend struct {
	cfg ldapConfig
}

// newLDAP checks cfg and returns the back-end. It does not connect: the
// directory may come up later, and each sign-in connects anew.
func newLDAP(cfg ldapConfig) (*ldapBackend, error) {
	if cfg.URL == "" {
		return nil, errors.New("ldap: url is required, e.g. ldap://127.0.0.1:389")
	}
	if cfg.UserBaseDN == "" {
		return nil, errors.New("ldap: user_base_dn is required, e.g. ou=people,dc=example,dc=org")
	}
	if cfg.GroupBaseDN == "" {
		cfg.GroupBaseDN = cfg.UserBaseDN
	}
	if cfg.UserFilter == "" {
		cfg.UserFilter = "(uid={user})"
	}
	if cfg.GroupFilter == "" {
		cfg.GroupFilter = "(|(member={dn})(uniqueMember={dn})(memberUid={user}))"
	}
	if cfg.GroupNameAttr == "" {
		cfg.GroupNameAttr = "cn"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if len(cfg.Groups) == 0 {
		return nil, errors.New("ldap: groups is empty: map at least one group to projects, or nobody can sign in")
	}
	for name, gs := range cfg.Groups {
		for i, g := range gs {
			r, err := parseRole(string(g.Role))
			if err != nil {
				return nil, fmt.Errorf("ldap: group %q, grant %d: %w", name, i+1, err)
			}
			gs[i].Role = r
		}
	}
	return &ldapBackend{cfg: cfg}, nil
}

// Name implements Identity.
func (l *ldapBackend) Name() string { return "ldap" }

// Authenticate implements Identity: it finds the user's entry, binds as
// the user with password, then reads the user's groups.
func (l *ldapBackend) Authenticate(ctx context.Context, user, password string) (*Principal, error) {
	if err := checkCredentials(user, password); err != nil {
		return nil, err
	}
	conn, err := l.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := l.serviceBind(conn); err != nil {
		return nil, err
	}
	dn, err := l.findUser(conn, user)
	if err != nil {
		return nil, err
	}
	if err := conn.Bind(dn, password); err != nil {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			return nil, fmt.Errorf("ldap user %q: %w", user, errBadCredentials)
		}
		return nil, fmt.Errorf("ldap user %q: bind: %w: %v", user, errUnavailable, err)
	}
	// Search the groups as the service account: users may not read them.
	if err := l.serviceBind(conn); err != nil {
		return nil, err
	}
	groups, err := l.groupsOf(conn, user, dn)
	if err != nil {
		return nil, err
	}
	var grants []Grant
	for _, g := range groups {
		grants = append(grants, l.cfg.Groups[g]...)
	}
	if len(grants) == 0 {
		return nil, fmt.Errorf("ldap user %q (groups %v): %w", user, groups, errNoAccess)
	}
	return &Principal{Name: user, Grants: grants, Backend: l.Name()}, nil
}

// dial connects to the directory within the timeout.
func (l *ldapBackend) dial(ctx context.Context) (*ldap.Conn, error) {
	d := &net.Dialer{Timeout: l.cfg.Timeout}
	if dl, ok := ctx.Deadline(); ok {
		d.Deadline = dl
	}
	opts := []ldap.DialOpt{ldap.DialWithDialer(d)}
	if l.cfg.TLS != nil {
		opts = append(opts, ldap.DialWithTLSConfig(l.cfg.TLS))
	}
	conn, err := ldap.DialURL(l.cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("ldap %s: %w: %v", l.cfg.URL, errUnavailable, err)
	}
	conn.SetTimeout(l.cfg.Timeout)
	if l.cfg.StartTLS {
		tc := l.cfg.TLS
		if tc == nil {
			tc = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		if err := conn.StartTLS(tc); err != nil {
			conn.Close()
			return nil, fmt.Errorf("ldap %s: StartTLS: %w: %v", l.cfg.URL, errUnavailable, err)
		}
	}
	return conn, nil
}

// serviceBind binds as the service account, or anonymously without one.
func (l *ldapBackend) serviceBind(conn *ldap.Conn) error {
	var err error
	if l.cfg.BindDN == "" {
		err = conn.UnauthenticatedBind("")
	} else {
		err = conn.Bind(l.cfg.BindDN, l.cfg.BindPassword)
	}
	if err != nil {
		// A wrong service password is the server's configuration, not
		// the user's fault: the service is unavailable to them.
		return fmt.Errorf("ldap %s: service bind as %q: %w: %v", l.cfg.URL, l.cfg.BindDN, errUnavailable, err)
	}
	return nil
}

// findUser returns the DN of user's entry.
func (l *ldapBackend) findUser(conn *ldap.Conn, user string) (string, error) {
	filter := strings.ReplaceAll(l.cfg.UserFilter, "{user}", ldap.EscapeFilter(user))
	res, err := conn.Search(ldap.NewSearchRequest(l.cfg.UserBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, int(l.cfg.Timeout.Seconds()), false, filter, []string{"dn"}, nil))
	if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded) {
		if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			return "", fmt.Errorf("ldap user %q: %w", user, errUnknownUser)
		}
		return "", fmt.Errorf("ldap user %q: search: %w: %v", user, errUnavailable, err)
	}
	switch {
	case res == nil || len(res.Entries) == 0:
		return "", fmt.Errorf("ldap user %q: %w", user, errUnknownUser)
	case len(res.Entries) > 1:
		return "", fmt.Errorf("ldap user %q: %w: the filter %s finds several entries", user, errUnavailable, filter)
	}
	return res.Entries[0].DN, nil
}

// groupsOf returns the names of the groups user (whose entry is dn) is in.
func (l *ldapBackend) groupsOf(conn *ldap.Conn, user, dn string) ([]string, error) {
	filter := strings.NewReplacer("{dn}", ldap.EscapeFilter(dn), "{user}", ldap.EscapeFilter(user)).Replace(l.cfg.GroupFilter)
	res, err := conn.Search(ldap.NewSearchRequest(l.cfg.GroupBaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, int(l.cfg.Timeout.Seconds()), false, filter, []string{l.cfg.GroupNameAttr}, nil))
	if err != nil {
		return nil, fmt.Errorf("ldap user %q: group search: %w: %v", user, errUnavailable, err)
	}
	var names []string
	for _, e := range res.Entries {
		names = append(names, e.GetAttributeValues(l.cfg.GroupNameAttr)...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}
