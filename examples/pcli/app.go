package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/perspective-cloud/sdk/perspective"
)

// Exit statuses.
const (
	exitOK      = 0 // everything succeeded
	exitFailed  = 1 // some items failed or were canceled, or the cloud failed
	exitUsage   = 2 // the command line was wrong
	programName = "pcli"
)

// app is one run of pcli: its streams, its global flags and the clouds it
// opened.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	clouds      []string
	output      string
	concurrency int
	timeout     time.Duration
	seed        string
	projects    []string // --project: names or ids (fleet.go)
	regions     []string // --region

	set   *perspective.Set
	fleet *perspective.Fleet // what open opened; set is its clouds, narrowed
	// openedFleet: a URL selected projects or regions (projects lists the fleet's)
	openedFleet bool
	// unselected: --project/--region name a command's target, not the clouds
	unselected bool
	cancel     context.CancelFunc // of --timeout
	// started is set once flags and arguments are parsed: errors before it
	// are usage errors.
	started bool
}

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// partialError says that some items of a bulk command failed; the summary
// has been printed already (exit status 1).
type partialError struct{ failed, total int }

func (e *partialError) Error() string {
	return fmt.Sprintf("%d of %d items did not succeed", e.failed, e.total)
}

// run is pcli without the process: it parses args, runs the command and
// returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if a.cancel != nil {
		a.cancel()
	}
	if a.fleet != nil {
		_ = a.fleet.Close()
	}
	return a.exitStatus(err)
}

// exitStatus prints err (if any) and maps it to the exit status.
func (a *app) exitStatus(err error) int {
	if err == nil {
		return exitOK
	}
	var pe *partialError
	var fe *failedCloudsError
	if errors.As(err, &pe) || errors.As(err, &fe) {
		return exitFailed // the summary, or the lines naming the failed clouds, said it all
	}
	var ue *usageError
	if errors.As(err, &ue) || !a.started || perspective.Code(err) == perspective.CodeInvalidArgument {
		fmt.Fprintf(a.stderr, "%s: %v\nRun '%s --help' for usage.\n", programName, err, programName)
		return exitUsage
	}
	fmt.Fprintf(a.stderr, "%s: %v\n", programName, err)
	return exitFailed
}

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   programName,
		Short: "Act on many cloud instances at once, query them, print for people or scripts",
		Long: `pcli manages virtual machines through the Perspective library: bulk actions
on many instances at once (with a progress bar and a per-item summary),
queries over the inventory, images, keypairs, flavors, networks and projects.

Clouds: --cloud mock (the built-in mock cloud), a mock URL such as
mock://demo?delay=2s, a cloud name of clouds.yaml, an openstack:// URL, or,
without --cloud, the OS_* variables of a sourced openrc (or OS_CLOUD).

Exit status: 0 when everything succeeded, 1 when some items failed or were
canceled or some cloud did not answer (a listing prints what the others
have, and names the failed clouds on stderr), 2 on usage errors.`,
		Example: `  pcli --cloud mock --seed-instances web=5 list instances
  pcli --cloud devstack reboot web-1 web-2 --wait
  pcli --cloud devstack shutdown --where "name LIKE 'batch-%'" --dry-run`,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.started = true
			switch a.output {
			case "table", "json", "csv":
			default:
				if cmd.Name() != "instances" || cmd.Parent() == nil || cmd.Parent().Name() != "list" {
					return usagef("-o %q: the output is table, json or csv", a.output)
				}
			}
			if a.concurrency < 0 {
				return usagef("--concurrency %d: must be zero (the library's default) or more", a.concurrency)
			}
			if a.timeout > 0 {
				ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
				a.cancel = cancel
				cmd.SetContext(ctx)
			}
			return nil
		},
	}
	// Before the completion command is made: it keeps the writer it sees.
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	f := root.PersistentFlags()
	f.StringArrayVar(&a.clouds, "cloud", nil,
		"cloud to use: mock, a mock:// or openstack:// URL, or a clouds.yaml cloud name; repeat for several (default: the OS_* environment)")
	f.StringArrayVar(&a.projects, "project", nil,
		"act in this project only (name or id; repeat for several; all: every project the OpenStack user has a role on)")
	f.StringArrayVar(&a.regions, "region", nil,
		"act in this region only (repeat for several; all: every region with compute)")
	f.StringVarP(&a.output, "output", "o", "table", "output format: table, json or csv")
	f.IntVar(&a.concurrency, "concurrency", 0, "items acted on at once per cloud (0: the library's default, 16)")
	f.DurationVar(&a.timeout, "timeout", 0, "give up after this long, e.g. 2m (0: no limit)")
	f.StringVar(&a.seed, "seed-instances", "",
		"mock clouds only: launch instances first: N (named vm-1…vm-N) or NAME=N[:STATE][,…], STATE one of launched, shutoff, paused, suspended, verify_resize, error, locked")

	root.AddCommand(a.listCommand(), a.launchCommand(), a.imagesCommand(), a.keypairsCommand(),
		a.flavorsCommand(), a.networksCommand(), a.projectsCommand(), a.operationsCommand())
	for _, op := range bulkOps {
		root.AddCommand(a.bulkCommand(op))
	}
	root.AddCommand(a.renameCommand(), a.watchCommand(), a.hostsCommand(), a.servicesCommand())
	if qc := a.queryCommand(); qc != nil {
		root.AddCommand(qc)
	}
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "completion":
			documentCompletion(c)
		case "help":
			c.Example = "  pcli help reboot\n  pcli help keypairs add"
		}
	}
	return root
}

// documentCompletion gives cobra's completion commands examples.
func documentCompletion(c *cobra.Command) {
	c.Example = "  source <(pcli completion bash)\n  pcli completion zsh > \"${fpath[1]}/_pcli\""
	for _, sub := range c.Commands() {
		switch sub.Name() {
		case "bash":
			sub.Example = "  source <(pcli completion bash)"
		case "zsh":
			sub.Example = "  pcli completion zsh > \"${fpath[1]}/_pcli\""
		case "fish":
			sub.Example = "  pcli completion fish > ~/.config/fish/completions/pcli.fish"
		case "powershell":
			sub.Example = "  pcli completion powershell | Out-String | Invoke-Expression"
		}
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
