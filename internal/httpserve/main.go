package httpserve

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// RunFunc is a server program's body: it serves until ctx ends. args are
// the command line with the program's name first, getenv reads the
// environment, and stdout takes the program's messages and request log.
// Tests call it with their own arguments, environment and buffer.
type RunFunc func(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error

// Main runs run with the process's arguments, environment and standard
// output, and a context that ends on SIGINT or SIGTERM. When run fails it
// prints "name: error" on standard error and exits with status 1.
func Main(name string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := exitCode(ctx, name, run, os.Args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitCode is Main without the process: it returns the exit status.
func exitCode(ctx context.Context, name string, run RunFunc, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if err := run(ctx, args, getenv, stdout); err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return 1
	}
	return 0
}
