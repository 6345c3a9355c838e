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
	"github.com/perspective-cloud/sdk/operator"
	"golang.org/x/sync/errgroup"
)

func main() { httpserve.Main("compute-vnext", run) }

// run serves the consumer API on -addr and the operator API on
// -operator-addr until ctx ends, then shuts both down gracefully: they stop
// accepting, wait up to -grace for the requests in flight, the tasks in
// flight are stopped and waited for, and the cloud is closed.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	cloud, err := openCloud(ctx, cfg.cloud, getenv)
	if err != nil {
		return err
	}
	defer cloud.Close()
	op, err := operator.New(cloud)
	if err != nil {
		return err
	}
	consumerLn, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	operatorLn, err := net.Listen("tcp", cfg.operatorAddr)
	if err != nil {
		consumerLn.Close()
		return err
	}
	logOut := stdout
	if cfg.quiet {
		logOut = io.Discard
	}
	tasks := newTaskStore(cfg.tasks)
	defer tasks.close()
	d := &deps{cloud: cloud, op: op, tasks: tasks, taskTimeout: cfg.taskTimeout, log: slog.New(slog.NewTextHandler(logOut, nil))}
	fmt.Fprintf(stdout, "compute-vnext listening on http://%s (API docs: http://%s/)\n", consumerLn.Addr(), consumerLn.Addr())
	fmt.Fprintf(stdout, "operator API on http://%s (docs: http://%s/)\n", operatorLn.Addr(), operatorLn.Addr())
	fmt.Fprintf(stdout, "cloud: %s (%s, project %s)\n", cfg.cloud, cloud.Info().Type, cloud.Info().ProjectID)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return httpserve.Serve(gctx, consumerLn, newConsumer(d), cfg.grace) })
	g.Go(func() error { return httpserve.Serve(gctx, operatorLn, newOperator(d), cfg.grace) })
	err = g.Wait()
	if ctx.Err() != nil {
		fmt.Fprintln(stdout, "stopped")
	}
	return err
}
