package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// bulkArgs are the flags of the bulk commands that take more than ids.
type bulkArgs struct {
	name, image, flavor string
	tags, keys          []string
	set                 map[string]string
	network, address    string
}

// bulkOp is one bulk command: an operation of perspective.Instances.
type bulkOp struct {
	op      perspective.Operation
	short   string
	example string
	// flags adds the command's own flags; check validates them.
	flags func(f *cobra.Command, b *bulkArgs)
	check func(b *bulkArgs) error
	call  func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error)
}

// simpleOp is an operation that takes only ids.
func simpleOp(op perspective.Operation, short, example string,
	call func(in *perspective.Instances, ctx context.Context, ids ...string) (*perspective.Report, error)) bulkOp {
	return bulkOp{op: op, short: short, example: example,
		call: func(ctx context.Context, in *perspective.Instances, _ *bulkArgs, ids []string) (*perspective.Report, error) {
			return call(in, ctx, ids...)
		}}
}

func required(flag, value string) error {
	if strings.TrimSpace(value) == "" {
		return usagef("--%s is required", flag)
	}
	return nil
}

// bulkOps lists every bulk operation of the library, in the seeds' order.
var bulkOps = []bulkOp{
	simpleOp(perspective.OpReboot, "Reboot instances softly (the guest is asked to restart)",
		"  pcli reboot web-1 web-2 --wait", (*perspective.Instances).Reboot),
	simpleOp(perspective.OpHardReboot, "Reset instances",
		"  pcli hard-reboot web-1 web-2 --concurrency 4", (*perspective.Instances).HardReboot),
	simpleOp(perspective.OpStart, "Power on shut-off instances",
		"  pcli start batch-1 batch-2 --wait", (*perspective.Instances).Start),
	simpleOp(perspective.OpShutdown, "Power off instances",
		"  pcli shutdown batch-1 --dry-run", (*perspective.Instances).Shutdown),
	simpleOp(perspective.OpPause, "Pause instances in memory",
		"  pcli pause web-3", (*perspective.Instances).Pause),
	simpleOp(perspective.OpResume, "Resume paused or suspended instances",
		"  pcli resume web-3 --wait", (*perspective.Instances).Resume),
	simpleOp(perspective.OpSuspend, "Suspend instances to disk",
		"  pcli suspend web-3", (*perspective.Instances).Suspend),
	simpleOp(perspective.OpDelete, "Delete instances",
		"  pcli delete old-1 old-2 --wait", (*perspective.Instances).Delete),
	simpleOp(perspective.OpLock, "Lock instances: they refuse every change but unlock",
		"  pcli lock db-1 db-2", (*perspective.Instances).Lock),
	simpleOp(perspective.OpUnlock, "Unlock instances",
		"  pcli unlock db-1", (*perspective.Instances).Unlock),
	{op: perspective.OpSnapshot, short: "Save instances' disks as images",
		example: "  pcli snapshot db-1 --name nightly\n  pcli snapshot web-1 web-2 --name before-upgrade   # images before-upgrade-web-1, …",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringVar(&b.name, "name", "", "image name (several instances: NAME-<instance>; default <instance>-snapshot-<time>)")
		},
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.Snapshot(ctx, b.name, ids...)
		}},
	{op: perspective.OpTag, short: "Add tags to instances",
		example: "  pcli tag web-1 web-2 --tag prod --tag team-a",
		flags:   tagFlag, check: needTags,
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.AddTags(ctx, b.tags, ids...)
		}},
	{op: perspective.OpUntag, short: "Remove tags from instances",
		example: "  pcli untag web-1 --tag team-a",
		flags:   tagFlag, check: needTags,
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.RemoveTags(ctx, b.tags, ids...)
		}},
	{op: perspective.OpRebuild, short: "Rebuild instances from an image",
		example: "  pcli rebuild web-1 web-2 --image ubuntu-24.04 --wait",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringVar(&b.image, "image", "", "image id or name (required)")
		},
		check: func(b *bulkArgs) error { return required("image", b.image) },
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.Rebuild(ctx, b.image, ids...)
		}},
	{op: perspective.OpResize, short: "Move instances to another flavor (then confirm-resize or revert-resize)",
		example: "  pcli resize web-1 --flavor m1.medium --wait\n  pcli confirm-resize web-1",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringVar(&b.flavor, "flavor", "", "flavor id or name (required)")
		},
		check: func(b *bulkArgs) error { return required("flavor", b.flavor) },
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.Resize(ctx, b.flavor, ids...)
		}},
	simpleOp(perspective.OpConfirmResize, "Keep the new flavor of resized instances",
		"  pcli confirm-resize web-1", (*perspective.Instances).ConfirmResize),
	simpleOp(perspective.OpRevertResize, "Go back to the old flavor of resized instances",
		"  pcli revert-resize web-1 --wait", (*perspective.Instances).RevertResize),
	{op: perspective.OpSetMetadata, short: "Set metadata keys on instances",
		example: "  pcli set-metadata web-1 web-2 --set role=frontend --set owner=ops",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringToStringVar(&b.set, "set", nil, "KEY=VALUE to set (repeatable)")
		},
		check: func(b *bulkArgs) error {
			if len(b.set) == 0 {
				return usagef("--set KEY=VALUE is required")
			}
			return nil
		},
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.SetMetadata(ctx, b.set, ids...)
		}},
	{op: perspective.OpUnsetMetadata, short: "Remove metadata keys from instances",
		example: "  pcli unset-metadata web-1 --key owner",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringArrayVar(&b.keys, "key", nil, "metadata key to remove (repeatable)")
		},
		check: func(b *bulkArgs) error {
			if len(b.keys) == 0 {
				return usagef("--key is required")
			}
			return nil
		},
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.UnsetMetadata(ctx, b.keys, ids...)
		}},
	{op: perspective.OpAddIP, short: "Give instances a floating IP each",
		example: "  pcli add-ip web-1 web-2\n  pcli add-ip web-1 --address 203.0.113.10",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringVar(&b.network, "network", "", "external network to allocate from (default: the cloud's)")
			c.Flags().StringVar(&b.address, "address", "", "an allocated, free floating IP (one instance only)")
		},
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.AddFloatingIP(ctx, perspective.FloatingIPRequest{Network: b.network, Address: b.address}, ids...)
		}},
	{op: perspective.OpRemoveIP, short: "Remove floating IPs from instances",
		example: "  pcli remove-ip web-1 web-2\n  pcli remove-ip web-1 --address 203.0.113.10",
		flags: func(c *cobra.Command, b *bulkArgs) {
			c.Flags().StringVar(&b.address, "address", "", "the floating IP to remove (default: every floating IP of each instance)")
		},
		call: func(ctx context.Context, in *perspective.Instances, b *bulkArgs, ids []string) (*perspective.Report, error) {
			return in.RemoveFloatingIP(ctx, b.address, ids...)
		}},
}

func tagFlag(c *cobra.Command, b *bulkArgs) {
	c.Flags().StringArrayVar(&b.tags, "tag", nil, "tag (repeatable)")
}

func needTags(b *bulkArgs) error {
	if len(b.tags) == 0 {
		return usagef("--tag is required")
	}
	return nil
}

// waitStates returns the states --wait waits for after op: the state the
// operation leads to, or, for an operation that passes through a
// transitional state and returns to where it was (snapshot), any resting
// state. It returns nothing for an operation with no visible transition.
func waitStates(op perspective.Operation) []perspective.State {
	t, ok := perspective.TransitionOf(op)
	switch {
	case !ok:
		return nil
	case t.To != "":
		return []perspective.State{t.To}
	case t.Via == "":
		return nil
	}
	var out []perspective.State
	for _, s := range perspective.States() {
		switch {
		case s.Transitional(), s == perspective.StateError, s == perspective.StateUnknown, s == perspective.StateDeleted:
		default:
			out = append(out, s)
		}
	}
	return out
}

func joinStates(states []perspective.State) string {
	s := make([]string, len(states))
	for i, st := range states {
		s[i] = string(st)
	}
	if len(s) > 2 {
		return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
	}
	return strings.Join(s, " or ")
}

// bulkUse is the usage line of a bulk command.
func bulkUse(op perspective.Operation) string {
	return fmt.Sprintf("%s [ID|NAME]...", op)
}
