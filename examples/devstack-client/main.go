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
		fmt.Fprintln(os.Stderr, "devstack-client:", err)
		os.Exit(1)
	}
}

// run serves the API until ctx ends, then shuts down gracefully: it stops
// accepting, waits up to -grace for the requests in flight and closes the
// cloud.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	src, err := newSource(cfg)
	if err != nil {
		return err
	}
	defer src.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	logOut := stdout
	if cfg.quiet {
		logOut = io.Discard
	}
	srv := &http.Server{
		Handler:           newServer(&deps{cloud: src, log: slog.New(slog.NewTextHandler(logOut, nil))}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(stdout, "devstack-client listening on http://%s (API docs: http://%s/)\n", ln.Addr(), ln.Addr())
	fmt.Fprintf(stdout, "cloud: %s\n", src.Describe())
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
