package main

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// defaultMockURL is the cloud served when neither -cloud nor an openrc
// says otherwise: the mock with an administrator's credentials (so that
// the operator address and server type writes work) and soft delete (so
// that a terminated server can be restored).
const defaultMockURL = "mock://vnext?admin=true&softdelete=true"

// config is what the command line and the environment say.
type config struct {
	addr, operatorAddr string
	cloud              string // the cloud's URL
	grace              time.Duration
	quiet              bool
	tasks              taskLimits
	taskTimeout        time.Duration
}

// parseConfig reads the flags, and the environment for the cloud when no
// -cloud is given: OS_CLOUD (a cloud of clouds.yaml) or OS_AUTH_URL (a
// sourced openrc) open OpenStack; otherwise the mock is served.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	c := config{tasks: defaultTaskLimits}
	name := "compute-vnext"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8095", "serve the consumer API on `HOST:PORT`")
	fs.StringVar(&c.operatorAddr, "operator-addr", "127.0.0.1:8096", "serve the operator API on `HOST:PORT`")
	fs.StringVar(&c.cloud, "cloud", "", "serve the cloud at `URL`, e.g. "+defaultMockURL+", openstack://?cloud=devstack, openstack:// (OS_* variables); default: OpenStack when OS_CLOUD or OS_AUTH_URL is set, else the mock")
	fs.IntVar(&c.tasks.count, "tasks", defaultTaskLimits.count, "keep at most `N` tasks in memory (the oldest finished ones go first)")
	fs.IntVar(&c.tasks.running, "running", defaultTaskLimits.running, "run at most `N` tasks at once; the others wait, queued")
	fs.DurationVar(&c.taskTimeout, "task-timeout", 30*time.Minute, "fail a task whose server has not settled after this long")
	fs.DurationVar(&c.grace, "grace", 10*time.Second, "on SIGINT/SIGTERM, wait this long for requests in flight")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q (the flags are -addr, -operator-addr, -cloud, -tasks, -running, -task-timeout, -grace, -quiet)", fs.Args())
	}
	if c.tasks.count < 1 || c.tasks.count > maxTaskCount {
		return c, fmt.Errorf("-tasks %d: give from 1 to %d", c.tasks.count, maxTaskCount)
	}
	if c.tasks.running < 1 || c.tasks.running > c.tasks.count {
		return c, fmt.Errorf("-running %d: give from 1 to -tasks (%d)", c.tasks.running, c.tasks.count)
	}
	if c.taskTimeout <= 0 {
		return c, fmt.Errorf("-task-timeout %v: give a positive duration", c.taskTimeout)
	}
	if c.cloud == "" {
		c.cloud = defaultCloud(getenv)
	}
	return c, nil
}

// defaultCloud picks the cloud to serve from the environment.
func defaultCloud(getenv func(string) string) string {
	switch {
	case getenv("OS_CLOUD") != "":
		return "openstack://?cloud=" + getenv("OS_CLOUD")
	case getenv("OS_AUTH_URL") != "":
		return "openstack://"
	}
	return defaultMockURL
}
