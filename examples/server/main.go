package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/perspective-cloud/sdk/internal/httpserve"
)

func main() { httpserve.Main("server", run) }

// run serves the API until ctx ends, then shuts down gracefully: it stops
// accepting, waits for requests in flight (up to -grace), cancels the
// asynchronous tasks still running and closes the clouds. getenv is the
// only environment it reads (OS_CLOUD, OS_AUTH_URL and the other OS_*
// variables of an openrc). "server hash-password" prints the bcrypt hash
// of the password on standard input, for a static users file.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 1 && args[1] == hashPasswordCommand {
		return hashPassword(args[2:], stdin, stdout)
	}
	cfg, err := parseConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	fleet, err := openClouds(ctx, cfg.clouds, getenv)
	if err != nil {
		return err
	}
	defer fleet.Close()
	set := fleet.Set()
	defer warmInventories(ctx, set)() // before the clouds close (health.go)
	logOut := stdout
	if cfg.quiet {
		logOut = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	users, err := loadUsers(cfg.authFile, getenv, cfg.limits(), log)
	if err != nil {
		return err
	}
	defer users.Close()
	if err := checkOpenAddr(users, cfg.addr, stdout); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	tasks := newBoundedTaskStore(cfg.limits())
	defer tasks.Close()
	h := newLiveServer(&deps{set: set, fleet: fleetOf(cfg.clouds, fleet), tasks: tasks, version: buildVersion(), log: log, users: users,
		events: newEventStreams(ctx)}) // the event streams end when ctx does, so that shutdown need not wait for them
	if h.base.fleet != nil && cfg.refresh > 0 {
		defer h.refreshEvery(ctx, cfg.refresh, log)() // stops before the fleet closes
	}
	fmt.Fprintf(stdout, "Perspective REST API listening on http://%s (docs: http://%s/docs)\n", ln.Addr(), ln.Addr())
	printMembers(stdout, fleet)
	err = httpserve.Serve(ctx, ln, h, cfg.grace)
	fmt.Fprintln(stdout, "stopped")
	return err
}
