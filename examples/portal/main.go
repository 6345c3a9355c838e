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

func main() { httpserve.Main("portal", run) }

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
	h := newServer(&deps{portal: p, confirm: confirm, log: log})
	source := cfg.directory
	if source == "" {
		source = "the sample directory (portal.sample.json)"
	}
	fmt.Fprintf(stdout, "portal listening on http://%s (docs: http://%s/)\n", ln.Addr(), ln.Addr())
	fmt.Fprintf(stdout, "%d users, %d projects from %s\n", len(p.users), len(p.ordered), source)
	err = httpserve.Serve(ctx, ln, h, cfg.grace)
	if ctx.Err() != nil {
		fmt.Fprintln(stdout, "stopped")
	}
	return err
}
