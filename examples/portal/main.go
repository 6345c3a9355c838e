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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

// run serves the portal until ctx ends, then shuts down gracefully: it
// stops accepting, waits up to -grace for the requests in flight, stops
// the resize confirmations still waiting and closes the clouds. getenv is
// unused: everything the portal needs is in its -config file.
func run(ctx context.Context, args []string, _ func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	dir, err := loadDirectory(cfg)
	if err != nil {
		return err
	}
	p, err := openPortal(ctx, dir)
	if err != nil {
		return err
	}
	defer p.Close()
	if !cfg.noDemo {
		if err := p.launchDemo(ctx); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	logOut := stdout
	if cfg.quiet {
		logOut = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	confirm := newConfirmer(p.set, log)
	defer confirm.Close()
	srv := &http.Server{
		Handler:           newServer(&deps{portal: p, confirm: confirm, log: log}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	source := cfg.directory
	if source == "" {
		source = "the sample directory (portal.sample.json)"
	}
	fmt.Fprintf(stdout, "portal listening on http://%s (docs: http://%s/)\n", ln.Addr(), ln.Addr())
	fmt.Fprintf(stdout, "%d users, %d projects from %s\n", len(p.users), len(p.ordered), source)
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
