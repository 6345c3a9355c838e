package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// selection names the instances a command acts on: ids or names given as
// arguments, and/or a WHERE condition over the instances table.
type selection struct {
	args   []string
	where  string
	params []string // of where
}

// bulkCommand builds the command of one bulk operation.
func (a *app) bulkCommand(op bulkOp) *cobra.Command {
	var (
		bc             bulkCall // bound to c's flags below
		sel            selection
		dryRun, doWait bool
	)
	states := waitStates(op.op)
	long := op.short + ".\n\nInstances are named by global id, the cloud's own id or name" + a.whereHelp() + `.
With --dry-run nothing changes: pcli prints which instances the state machine
admits for the operation and why it refuses the others (exit status 1 if any
is refused).`
	if len(states) > 0 {
		long += "\nWith --wait pcli waits for the instances " + waitWhat(op.op) + "."
	}
	c := &cobra.Command{
		Use:               bulkUse(op.op),
		Short:             op.short,
		Long:              long,
		Example:           op.example + "\n" + fmt.Sprintf("  pcli %s web-1 --dry-run -o json", op.op),
		ValidArgsFunction: a.completeInstances,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := bc.check(); err != nil {
				return err
			}
			if doWait && dryRun {
				return usagef("--wait and --dry-run exclude each other")
			}
			sel.args = args
			chosen := op.op
			if bc.op != nil {
				chosen = bc.op()
			}
			return a.runBulk(cmd.Context(), chosen, bc, sel, dryRun, doWait)
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "print what the state machine admits; change nothing")
	if len(states) > 0 {
		c.Flags().BoolVar(&doWait, "wait", false, "wait for the instances "+waitWhat(op.op))
	}
	a.addWhereFlag(c, &sel.where, &sel.params)
	bc = op.bind(c)
	return c
}

// runBulk resolves the selection, runs the operation (or its dry run) with
// progress, waits if asked, and prints the summary.
func (a *app) runBulk(ctx context.Context, op perspective.Operation, bc bulkCall, sel selection, dryRun, doWait bool) error {
	set, err := a.open(ctx)
	if err != nil {
		return err
	}
	ids, names, err := a.resolve(ctx, set, sel)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		fmt.Fprintf(a.stderr, "%s: no instance matches\n", op)
		return nil
	}
	start := time.Now()
	label := string(op)
	if dryRun {
		label += " (dry run)"
	}
	p := a.newProgress(label, len(ids), names, dryRun)
	in := set.Instances().With(a.callOptions(p)...)
	var rep *perspective.Report
	switch {
	case bc.operator != nil:
		rep, err = bc.operator(ctx, set, ids, dryRun, p)
	case dryRun:
		rep, err = in.DryRun(ctx, op, ids...)
	default:
		rep, err = bc.call(ctx, in, ids)
	}
	p.finish(ctx.Err() != nil)
	if len(rep.Results) == 0 && err != nil {
		return err // refused as a whole: nothing was attempted
	}
	s := summarize(rep, names, dryRun)
	if doWait && ctx.Err() == nil {
		a.wait(ctx, set, op, s)
	}
	return a.printSummary(s, time.Since(start))
}

// callOptions are the command's call options: the progress p shows (if
// any) and --concurrency.
func (a *app) callOptions(p *progress) []perspective.CallOption {
	var opts []perspective.CallOption
	if p != nil {
		opts = p.options()
	}
	if a.concurrency > 0 {
		opts = append(opts, perspective.Concurrency(a.concurrency))
	}
	return opts
}

// wait waits for the succeeded items of s to reach the operation's target
// state and folds the outcome into s.
func (a *app) wait(ctx context.Context, set *perspective.Set, op perspective.Operation, s *summary) {
	states := waitStates(op)
	var ids []string
	names := map[string]string{}
	for _, o := range s.Results {
		if o.Status == statusOK && !slices.Contains(ids, o.ID) {
			ids = append(ids, o.ID)
			names[o.ID] = o.Name
		}
	}
	if len(ids) == 0 || len(states) == 0 {
		return
	}
	fmt.Fprintf(a.stderr, "waiting for %s %s…\n", plural(len(ids), "instance"), waitWhat(op))
	p := a.newProgress("wait", len(ids), names, false)
	rep, _ := set.Instances().With(p.options()...).WaitFor(ctx, ids, states...)
	p.finish(ctx.Err() != nil)
	s.merge(rep, states)
}

// resolve turns a selection into instance ids, with the names of the
// instances it knows. An argument may be a global id, the cloud's own id
// or a name; a name that several instances carry is a usage error, and an
// argument matching nothing is passed on, for the library to report as not
// found.
func (a *app) resolve(ctx context.Context, set *perspective.Set, sel selection) ([]string, map[string]string, error) {
	if len(sel.args) == 0 && sel.where == "" {
		return nil, nil, usagef("name the instances by id or name%s", a.whereHint())
	}
	if len(sel.params) > 0 && sel.where == "" {
		return nil, nil, usagef("-p binds parameters of --where; there is no --where")
	}
	names := map[string]string{}
	var ids []string
	add := func(id string) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(sel.args) > 0 {
		insts, err := set.Instances().List(ctx, perspective.ListOptions{})
		if err = a.searched(err); err != nil {
			return nil, nil, err
		}
		byName := map[string][]string{}
		for _, in := range insts {
			names[in.ID] = in.Name
			byName[in.Name] = append(byName[in.Name], in.ID)
		}
		for _, arg := range sel.args {
			if i := slices.IndexFunc(insts, func(in perspective.Instance) bool { return in.ID == arg || in.RealID == arg }); i >= 0 {
				add(insts[i].ID)
				continue
			}
			switch m := byName[arg]; len(m) {
			case 0:
				add(arg)
			case 1:
				add(m[0])
			default:
				return nil, nil, usagef("%d instances are named %q (%s); name them by id", len(m), arg, strings.Join(m, ", "))
			}
		}
	}
	if sel.where != "" {
		matched, found, err := a.selectWhere(ctx, set, sel.where, sel.params)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range matched {
			names[id] = found[id]
			add(id)
		}
	}
	return ids, names, nil
}

// completeInstances completes instance names for shell completion.
func (a *app) completeInstances(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	set, err := a.open(ctx)
	if err != nil {
		cobra.CompDebugln("pcli: "+err.Error(), true)
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	insts, err := set.Instances().List(ctx, perspective.ListOptions{})
	if err != nil && answeredPartly(err) == nil { // complete from the clouds that answered
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, in := range insts {
		if strings.HasPrefix(in.Name, toComplete) {
			out = append(out, in.Name+"\t"+string(in.State))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// renameCommand renames instances: ID_OR_NAME=NEW_NAME pairs.
func (a *app) renameCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "rename ID_OR_NAME=NEW_NAME...",
		Short:   "Give instances new names",
		Example: "  pcli rename web-1=frontend-1 web-2=frontend-2",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			set, err := a.open(ctx)
			if err != nil {
				return err
			}
			pairs := map[string]string{}
			var olds []string
			for _, arg := range args {
				old, name, ok := strings.Cut(arg, "=")
				if !ok || old == "" || name == "" {
					return usagef("%q: want ID_OR_NAME=NEW_NAME", arg)
				}
				olds = append(olds, old)
				pairs[old] = name
			}
			ids, names, err := a.resolve(ctx, set, selection{args: olds})
			if err != nil {
				return err
			}
			if len(ids) != len(olds) {
				return usagef("an instance is named twice")
			}
			byID := map[string]string{}
			for i, id := range ids {
				byID[id] = pairs[olds[i]]
			}
			start := time.Now()
			rep, err := set.Instances().With(a.callOptions(nil)...).Rename(ctx, byID)
			if len(rep.Results) == 0 && err != nil {
				return err
			}
			// The report is in id order; print it in the arguments' order.
			slices.SortStableFunc(rep.Results, func(x, y perspective.Result) int {
				return slices.Index(ids, x.ID) - slices.Index(ids, y.ID)
			})
			return a.printSummary(summarize(rep, names, false), time.Since(start))
		},
	}
}

// plural is "1 instance", "2 instances".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// waitWhat says what --wait waits for: "to be launched", "to leave snapshotting".
func waitWhat(op perspective.Operation) string {
	states := waitStates(op)
	if t, _ := perspective.TransitionOf(op); len(states) > 1 && t.Via != "" {
		return "to leave " + string(t.Via)
	}
	return "to be " + joinStates(states)
}
