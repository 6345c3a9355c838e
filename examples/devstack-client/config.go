package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/perspective-cloud/sdk/drivers/openstack"
)

// envVars are the variables seed 002 configures the cloud with, in the
// order its README lists them.
var envVars = []string{"AUTH_URL", "USERNAME", "PASSWORD", "PROJECT_ID", "USER_DOMAIN_NAME"}

// defaultAddr is where the API listens unless -addr says otherwise: not
// the original's Flask port 5000, which is Keystone's on the DevStack or
// all-in-one host this client is typically run on, nor a port of another
// OpenStack service (8000 heat-api-cfn, 8080 swift, 8774 nova, 9292
// glance, 9696 neutron, 6080 novnc).
const defaultAddr = "127.0.0.1:8090"

// config is what the command line and the environment say.
type config struct {
	addr  string
	grace time.Duration
	quiet bool
	// mock serves the mock cloud (-mock or DEVSTACK_MOCK=1).
	mock bool
	// os is the OpenStack configuration from the environment; missing
	// names the variables of envVars that are not set.
	os      openstack.Config
	missing []string
}

// parseConfig reads the flags and the environment.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	name := "devstack-client"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", defaultAddr, "listen on `HOST:PORT`")
	fs.BoolVar(&c.mock, "mock", false, "serve the in-memory mock cloud instead of OpenStack (also DEVSTACK_MOCK=1)")
	fs.DurationVar(&c.grace, "grace", 10*time.Second, "on SIGINT/SIGTERM, wait this long for requests in flight")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s [flags]\n\nEnvironment: %s (APP_SECRET_KEY is accepted and unused).\n\nFlags:\n",
			name, strings.Join(envVars, ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q (the flags are -addr, -mock, -grace, -quiet)", fs.Args())
	}
	switch v := strings.TrimSpace(getenv("DEVSTACK_MOCK")); v {
	case "", "0", "false":
	case "1", "true":
		c.mock = true
	default:
		return c, fmt.Errorf("DEVSTACK_MOCK=%q: want 1 or 0", v)
	}
	val := map[string]string{}
	for _, k := range envVars {
		val[k] = strings.TrimSpace(getenv(k))
		if val[k] == "" {
			c.missing = append(c.missing, k)
		}
	}
	c.os = openstack.Config{
		AuthURL:        val["AUTH_URL"],
		Username:       val["USERNAME"],
		Password:       getenv("PASSWORD"), // a password may start or end with a space
		ProjectID:      val["PROJECT_ID"],
		UserDomainName: val["USER_DOMAIN_NAME"],
	}
	return c, nil
}
