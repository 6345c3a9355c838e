package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
)

// config is what the command line and the environment say.
type config struct {
	addr     string
	clouds   []string
	maxTasks int
	taskMiB  int
	grace    time.Duration
	quiet    bool
	authFile string
	refresh  time.Duration // how often a fleet is expanded again (fleet.go); 0: never
}

// urlList is a repeatable -cloud flag.
type urlList []string

func (l *urlList) String() string { return strings.Join(*l, " ") }

func (l *urlList) Set(s string) error {
	if s == "" {
		return fmt.Errorf("empty cloud URL")
	}
	*l = append(*l, s)
	return nil
}

// parseConfig reads the flags, and the environment for the clouds when no
// -cloud is given: OS_CLOUD (a cloud of clouds.yaml) or OS_AUTH_URL (a
// sourced openrc) open OpenStack; otherwise the mock cloud is served.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	var clouds urlList
	fs := flag.NewFlagSet(progName(args), flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	fs.Var(&clouds, "cloud", "serve the cloud at `URL` (repeatable), e.g. mock://?delay=2s, openstack://?cloud=devstack, openstack:// (OS_* variables)")
	fs.IntVar(&c.maxTasks, "tasks", 1024, "keep at most `N` bulk tasks in memory (per user with -auth)")
	fs.IntVar(&c.taskMiB, "task-mib", defaultTaskBytes>>20, "let the kept tasks' results take at most `MiB` (per user with -auth)")
	fs.DurationVar(&c.grace, "grace", 10*time.Second, "on SIGINT/SIGTERM, wait this long for requests in flight")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	fs.StringVar(&c.authFile, "auth", "", "sign users in as `FILE` says (static users, LDAP or OpenStack; see examples/server/README.md); without it the server runs open, on loopback only")
	fs.DurationVar(&c.refresh, "refresh", defaultRefresh,
		"on a fleet (projects=/regions= URL), list the user's projects and regions again this often, so that new ones are served and lost ones reported; 0: never")
	if len(args) > 0 {
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q (the flags are -addr, -cloud, -tasks, -task-mib, -grace, -quiet, -auth, -refresh; the one command is %s)",
			fs.Args(), hashPasswordCommand)
	}
	if c.maxTasks < 1 {
		return c, fmt.Errorf("-tasks %d: keep at least 1 task", c.maxTasks)
	}
	if c.refresh != 0 && c.refresh < minRefresh {
		return c, fmt.Errorf("-refresh %s: give 0 (never) or at least %s (each refresh asks Keystone once per project)", c.refresh, minRefresh)
	}
	if least := maxTaskBytes >> 20; c.taskMiB < least || c.taskMiB > 1<<20 {
		return c, fmt.Errorf("-task-mib %d: give from %d (one task of %d items) to %d", c.taskMiB, least, maxItems, 1<<20)
	}
	c.clouds = clouds
	if len(c.clouds) == 0 {
		c.clouds = []string{defaultCloud(getenv)}
	}
	return c, nil
}

// limits returns the bounds of a task store.
func (c config) limits() taskLimits { return taskLimits{count: c.maxTasks, bytes: c.taskMiB << 20} }

func progName(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return "server"
}

// defaultCloud picks the cloud to serve from the environment: with
// OpenStack credentials, the user's whole fleet (every project they have a
// role on, in every region with compute), as the original server does.
func defaultCloud(getenv func(string) string) string {
	switch {
	case getenv("OS_CLOUD") != "":
		return "openstack://?cloud=" + url.QueryEscape(getenv("OS_CLOUD")) + "&" + fleetQuery
	case getenv("OS_AUTH_URL") != "":
		return "openstack://?" + fleetQuery
	}
	return "mock://"
}

// buildVersion is the module version the binary was built from.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "unknown"
}
