package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// The shapes most commands besides the bulk ones share: fetch something
// from the clouds and print it, or delete things and print the per-item
// summary. The command's words (Use, Short, Example, flags) stay with the
// command; these give it its RunE.

// fetchAndEmit opens the clouds, gets a value with get and prints it: as
// JSON, or laid out by layout as a table or CSV.
func fetchAndEmit[T any](a *app, ctx context.Context, get func(ctx context.Context, set *perspective.Set) (T, error),
	layout func(T) table) error {
	set, err := a.open(ctx)
	if err != nil {
		return err
	}
	v, err := get(ctx, set)
	if err != nil {
		return err
	}
	return a.emit(v, layout(v))
}

// listingCommand makes c (which takes no arguments) print what list
// returns; an empty listing prints as [] in JSON. When some clouds did not
// answer, it prints what the others have and names them on stderr (exit
// status 1; partial.go).
func listingCommand[T any](a *app, c *cobra.Command, list func(ctx context.Context, set *perspective.Set) ([]T, error),
	layout func([]T) table) *cobra.Command {
	c.Args = cobra.NoArgs
	c.RunE = func(cmd *cobra.Command, _ []string) error {
		set, err := a.open(cmd.Context())
		if err != nil {
			return err
		}
		v, err := list(cmd.Context(), set)
		if err != nil && answeredPartly(err) == nil {
			return err
		}
		v = nonNil(v)
		if eerr := a.emit(v, layout(v)); eerr != nil {
			return eerr
		}
		return a.listed(err)
	}
	return c
}

// deleteCommand makes c delete the things its arguments name (one at
// least) with del, the operation op, showing each item as it is done (as
// bulk instance commands do), and print the per-item summary.
func deleteCommand(a *app, c *cobra.Command, op perspective.Operation,
	del func(ctx context.Context, set *perspective.Set, opts []perspective.CallOption, names ...string) (*perspective.Report, error)) *cobra.Command {
	c.Args = cobra.MinimumNArgs(1)
	c.RunE = func(cmd *cobra.Command, args []string) error {
		set, err := a.open(cmd.Context())
		if err != nil {
			return err
		}
		start := time.Now()
		p := a.newProgress(string(op), len(args), nil, false)
		rep, err := del(cmd.Context(), set, a.callOptions(p), args...)
		p.finish(cmd.Context().Err() != nil)
		if len(rep.Results) == 0 && err != nil {
			return err
		}
		return a.printSummary(summarize(rep, nil, false), time.Since(start))
	}
	return c
}
