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

func main() { httpserve.Main("devstack-client", run) }

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
	h := newServer(&deps{cloud: src, log: slog.New(slog.NewTextHandler(logOut, nil))})
	fmt.Fprintf(stdout, "devstack-client listening on http://%s (API docs: http://%s/)\n", ln.Addr(), ln.Addr())
	fmt.Fprintf(stdout, "cloud: %s\n", src.Describe())
	err = httpserve.Serve(ctx, ln, h, cfg.grace)
	if ctx.Err() != nil {
		fmt.Fprintln(stdout, "stopped")
	}
	return err
}
