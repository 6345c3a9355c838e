package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	_ "github.com/perspective-cloud/sdk/drivers/mock"
	_ "github.com/perspective-cloud/sdk/drivers/openstack"
	"github.com/perspective-cloud/sdk/perspective"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run serves the API until ctx ends, then shuts down gracefully: it stops
// accepting, waits for requests in flight (up to -grace), cancels the
// asynchronous tasks still running and closes the clouds.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	fleet, err := perspective.OpenFleet(ctx, cfg.clouds)
	if err != nil {
		return fmt.Errorf("open %v: %w", cfg.clouds, err)
	}
	defer fleet.Close()
	set := fleet.Set()
	logOut := stdout
	if cfg.quiet {
		logOut = io.Discard
	}
	users, err := loadUsers(cfg.authFile, getenv, cfg.maxTasks, slog.New(slog.NewTextHandler(logOut, nil)))
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
	tasks := newTaskStore(cfg.maxTasks)
	defer tasks.Close()
	srv := &http.Server{
		Handler:           newServer(&deps{set: set, fleet: fleetOf(cfg.clouds, fleet), tasks: tasks, version: buildVersion(), log: slog.New(slog.NewTextHandler(logOut, nil)), users: users}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(stdout, "Perspective REST API listening on http://%s (docs: http://%s/docs)\n", ln.Addr(), ln.Addr())
	printMembers(stdout, fleet)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	err = srv.Shutdown(shutdown)
	<-errc // Serve has returned http.ErrServerClosed
	fmt.Fprintln(stdout, "stopped")
	return err
}
