package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// bulkOp is one bulk command: an operation of perspective.Instances.
type bulkOp struct {
	op      perspective.Operation
	short   string
	example string
	// bind adds the command's own flags to c and returns what acts on
	// the ids with their values.
	bind func(c *cobra.Command) bulkCall
}

// bulkCall is one command's use of its flags: check validates them before
// anything runs, call runs the operation on ids.
type bulkCall struct {
	check func() error
	call  func(ctx context.Context, in *perspective.Instances, ids []string) (*perspective.Report, error)
	// op, when set, is the operation the flags chose (migrate --live is
	// live-migrate): the dry run, --wait and the summary are that
	// operation's.
	op func() perspective.Operation
	// operator, when set, runs the operation and its dry run in place of
	// call: an operator's operation (package operator), which shows its
	// items with p itself.
	operator func(ctx context.Context, set *perspective.Set, ids []string, dryRun bool, p *progress) (*perspective.Report, error)
}

// simpleOp is an operation that takes only ids.
func simpleOp(op perspective.Operation, short, example string,
	call func(in *perspective.Instances, ctx context.Context, ids ...string) (*perspective.Report, error)) bulkOp {
	return bulkOp{op: op, short: short, example: example, bind: func(*cobra.Command) bulkCall {
		return bulkCall{
			check: func() error { return nil },
			call: func(ctx context.Context, in *perspective.Instances, ids []string) (*perspective.Report, error) {
				return call(in, ctx, ids...)
			},
		}
	}}
}

// valueOp is an operation that takes ids and one value of type T: declare
// adds the flag (or flags) that set it, check (if not nil) refuses a value
// that is missing.
func valueOp[T any](op perspective.Operation, short, example string,
	declare func(c *cobra.Command, v *T), check func(v T) error,
	call func(in *perspective.Instances, ctx context.Context, v T, ids ...string) (*perspective.Report, error)) bulkOp {
	return bulkOp{op: op, short: short, example: example, bind: func(c *cobra.Command) bulkCall {
		v := new(T)
		declare(c, v)
		return bulkCall{
			check: func() error {
				if check == nil {
					return nil
				}
				return check(*v)
			},
			call: func(ctx context.Context, in *perspective.Instances, ids []string) (*perspective.Report, error) {
				return call(in, ctx, *v, ids...)
			},
		}
	}}
}

// stringFlag declares a flag holding one string.
func stringFlag(name, usage string) func(c *cobra.Command, v *string) {
	return func(c *cobra.Command, v *string) { c.Flags().StringVar(v, name, "", usage) }
}

// listFlag declares a repeatable flag.
func listFlag(name, usage string) func(c *cobra.Command, v *[]string) {
	return func(c *cobra.Command, v *[]string) { c.Flags().StringArrayVar(v, name, nil, usage) }
}

// required refuses a flag left empty.
func required(flag, value string) error {
	if strings.TrimSpace(value) == "" {
		return usagef("--%s is required", flag)
	}
	return nil
}

// requiredString is required as the check of a valueOp.
func requiredString(flag string) func(v string) error {
	return func(v string) error { return required(flag, v) }
}

// requiredList refuses a repeatable flag given no time; what names the
// flag in the message (--tag, --set KEY=VALUE).
func requiredList[T ~[]string | ~map[string]string](what string) func(v T) error {
	return func(v T) error {
		if len(v) == 0 {
			return usagef("%s is required", what)
		}
		return nil
	}
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
	valueOp(perspective.OpSnapshot, "Save instances' disks as images",
		"  pcli snapshot db-1 --name nightly\n  pcli snapshot web-1 web-2 --name before-upgrade   # images before-upgrade-web-1, …",
		stringFlag("name", "image name (several instances: NAME-<instance>; default <instance>-snapshot-<time>)"), nil,
		(*perspective.Instances).Snapshot),
	valueOp(perspective.OpTag, "Add tags to instances",
		"  pcli tag web-1 web-2 --tag prod --tag team-a",
		listFlag("tag", "tag (repeatable)"), requiredList[[]string]("--tag"), (*perspective.Instances).AddTags),
	valueOp(perspective.OpUntag, "Remove tags from instances",
		"  pcli untag web-1 --tag team-a",
		listFlag("tag", "tag (repeatable)"), requiredList[[]string]("--tag"), (*perspective.Instances).RemoveTags),
	valueOp(perspective.OpRebuild, "Rebuild instances from an image",
		"  pcli rebuild web-1 web-2 --image ubuntu-24.04 --wait",
		stringFlag("image", "image id or name (required)"), requiredString("image"), (*perspective.Instances).Rebuild),
	valueOp(perspective.OpResize, "Move instances to another flavor (then confirm-resize or revert-resize)",
		"  pcli resize web-1 --flavor m1.medium --wait\n  pcli confirm-resize web-1",
		stringFlag("flavor", "flavor id or name (required)"), requiredString("flavor"), (*perspective.Instances).Resize),
	simpleOp(perspective.OpConfirmResize, "Keep the new flavor of resized instances",
		"  pcli confirm-resize web-1", (*perspective.Instances).ConfirmResize),
	simpleOp(perspective.OpRevertResize, "Go back to the old flavor of resized instances",
		"  pcli revert-resize web-1 --wait", (*perspective.Instances).RevertResize),
	valueOp(perspective.OpSetMetadata, "Set metadata keys on instances",
		"  pcli set-metadata web-1 web-2 --set role=frontend --set owner=ops",
		func(c *cobra.Command, v *map[string]string) {
			c.Flags().StringToStringVar(v, "set", nil, "KEY=VALUE to set (repeatable)")
		}, requiredList[map[string]string]("--set KEY=VALUE"), (*perspective.Instances).SetMetadata),
	valueOp(perspective.OpUnsetMetadata, "Remove metadata keys from instances",
		"  pcli unset-metadata web-1 --key owner",
		listFlag("key", "metadata key to remove (repeatable)"), requiredList[[]string]("--key"),
		(*perspective.Instances).UnsetMetadata),
	valueOp(perspective.OpAddIP, "Give instances a floating IP each",
		"  pcli add-ip web-1 web-2\n  pcli add-ip web-1 --address 203.0.113.10",
		func(c *cobra.Command, v *perspective.FloatingIPRequest) {
			c.Flags().StringVar(&v.Network, "network", "", "external network to allocate from (default: the cloud's)")
			c.Flags().StringVar(&v.Address, "address", "", "an allocated, free floating IP (one instance only)")
		}, nil, (*perspective.Instances).AddFloatingIP),
	valueOp(perspective.OpRemoveIP, "Remove floating IPs from instances",
		"  pcli remove-ip web-1 web-2\n  pcli remove-ip web-1 --address 203.0.113.10",
		stringFlag("address", "the floating IP to remove (default: every floating IP of each instance)"), nil,
		(*perspective.Instances).RemoveFloatingIP),
	// Seed 003's operations.
	simpleOp(perspective.OpShelve, "Shelve instances (stopped, kept as an image, released from their host)",
		"  pcli shelve batch-1 --wait", (*perspective.Instances).Shelve),
	simpleOp(perspective.OpShelveOffload, "Release shelved instances from their host",
		"  pcli shelve-offload batch-1", (*perspective.Instances).ShelveOffload),
	simpleOp(perspective.OpUnshelve, "Bring shelved instances back",
		"  pcli unshelve batch-1 --wait", (*perspective.Instances).Unshelve),
	migrateOp,
	valueOp(perspective.OpLiveMigrate, "Move running instances to another host live",
		"  pcli live-migrate --where \"name LIKE 'web-%'\" --wait\n  pcli live-migrate web-1 --host aio2",
		stringFlag("host", "target host (default: the scheduler chooses)"), nil, (*perspective.Instances).LiveMigrate),
	valueOp(perspective.OpBackup, "Back instances up as images, keeping the newest --rotation of each type",
		"  pcli backup db-1 --name nightly --type daily --rotation 7",
		func(c *cobra.Command, v *perspective.BackupSpec) {
			c.Flags().StringVar(&v.Name, "name", "", "backup image name (required)")
			c.Flags().StringVar(&v.Type, "type", "daily", "backup type (e.g. daily, weekly)")
			c.Flags().IntVar(&v.Rotation, "rotation", 1, "how many backups of this type to keep")
		}, func(v perspective.BackupSpec) error { return required("name", v.Name) }, (*perspective.Instances).Backup),
	valueOp(perspective.OpAddSecurityGroup, "Add a security group to instances",
		"  pcli add-security-group web-1 web-2 --group web",
		stringFlag("group", "security group name or id (required)"), requiredString("group"), (*perspective.Instances).AddSecurityGroup),
	valueOp(perspective.OpRemoveSecurityGroup, "Remove a security group from instances",
		"  pcli remove-security-group web-1 --group web",
		stringFlag("group", "security group name or id (required)"), requiredString("group"), (*perspective.Instances).RemoveSecurityGroup),
	simpleOp(perspective.OpRestore, "Restore soft-deleted instances",
		"  pcli restore old-1 --wait", (*perspective.Instances).Restore),
	simpleOp(perspective.OpForceDelete, "Delete instances at once, soft-deleted ones included",
		"  pcli force-delete old-1 old-2 --wait", (*perspective.Instances).ForceDelete),
	evacuateOp,
}

// migrateOp is pcli migrate: a cold migration, or with --live a live one
// (the same as pcli live-migrate).
var migrateOp = bulkOp{op: perspective.OpMigrate,
	short: "Move instances to another host: cold (then confirm-resize or revert-resize), or live with --live",
	example: "  pcli migrate --where \"name LIKE 'web-%'\" --live --wait\n  pcli migrate web-1 --host aio2 --wait\n" +
		"  pcli confirm-resize web-1",
	bind: func(c *cobra.Command) bulkCall {
		var (
			host string
			live bool
		)
		c.Flags().StringVar(&host, "host", "", "target host (default: the scheduler chooses)")
		c.Flags().BoolVar(&live, "live", false, "move running instances live, without a restart or a confirmation (as pcli live-migrate)")
		return bulkCall{
			check: func() error { return nil },
			op: func() perspective.Operation {
				if live {
					return perspective.OpLiveMigrate
				}
				return perspective.OpMigrate
			},
			call: func(ctx context.Context, in *perspective.Instances, ids []string) (*perspective.Report, error) {
				if live {
					return in.LiveMigrate(ctx, host, ids...)
				}
				return in.Migrate(ctx, host, ids...)
			},
		}
	}}

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
