package auth

import (
	"errors"
	"fmt"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

// fileConfig is the layout of an auth configuration file (YAML or JSON):
//
//	backend: ldap            # static, ldap or openstack
//	session: {idle: 30m, max_age: 12h}
//	static: {file: users.yaml}
//	ldap:
//	  url: ldap://127.0.0.1:389
//	  bind_dn: cn=admin,dc=example,dc=org
//	  bind_password: secret
//	  user_base_dn: ou=people,dc=example,dc=org
//	  group_base_dn: ou=groups,dc=example,dc=org
//	  groups:
//	    ops:  [{project: demo, role: operator}]
//	    devs: [{project: demo, role: viewer}]
//	openstack: {url: "openstack://?cloud=devstack", role: operator}
type fileConfig struct {
	Backend string `yaml:"backend"`
	Session struct {
		Idle   string `yaml:"idle"`
		MaxAge string `yaml:"max_age"`
	} `yaml:"session"`
	Static struct {
		File  string       `yaml:"file"`
		Users []StaticUser `yaml:"users"`
	} `yaml:"static"`
	LDAP      ldapConfig     `yaml:"ldap"`
	OpenStack keystoneConfig `yaml:"openstack"`
}

// LoadConfig reads an auth configuration file and returns the Config it
// describes; getenv supplies the OS_* variables to the openstack back-end.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("auth config: %w", err)
	}
	return parseConfig(b, getenv)
}

// parseConfig reads the contents of an auth configuration file.
func parseConfig(b []byte, getenv func(string) string) (Config, error) {
	var f fileConfig
	if err := yaml.Unmarshal(b, &f); err != nil {
		return Config{}, fmt.Errorf("auth config: %v", err)
	}
	var c Config
	var err error
	if c.Idle, err = parseDuration("session.idle", f.Session.Idle); err != nil {
		return c, err
	}
	if c.MaxAge, err = parseDuration("session.max_age", f.Session.MaxAge); err != nil {
		return c, err
	}
	switch f.Backend {
	case "static":
		var s *Static
		switch {
		case f.Static.File != "" && len(f.Static.Users) > 0:
			return c, errors.New("auth config: static: give either file or users, not both")
		case f.Static.File != "":
			s, err = LoadStatic(f.Static.File)
		default:
			s, err = NewStatic(f.Static.Users)
		}
		c.Identity = s
	case "ldap":
		c.Identity, err = newLDAP(f.LDAP)
	case "openstack":
		f.OpenStack.Getenv = getenv
		c.Identity, err = newKeystone(f.OpenStack)
	default:
		return c, fmt.Errorf("auth config: backend %q: expected static, ldap or openstack", f.Backend)
	}
	if err != nil {
		return Config{}, fmt.Errorf("auth config: %w", err)
	}
	return c, nil
}

func parseDuration(what, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("auth config: %s: %q is not a positive duration such as 30m", what, s)
	}
	return d, nil
}
