package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// The operator commands (seed 003): hosts, services and evacuate go
// through package operator, one Operator per cloud of the set. They need
// an administrator's credentials; others are refused by the cloud
// (perspective.ErrForbidden), which pcli says in words.

// operators returns the operator surface of every cloud of the set that
// supports op, and a clear error when none does.
func operators(set *perspective.Set, op operator.Operation) ([]*operator.Operator, error) {
	var out []*operator.Operator
	var lacking []string
	for _, c := range set.Clouds() {
		o, err := operator.New(c)
		if err != nil {
			return nil, err
		}
		if !o.Supports(op) {
			lacking = append(lacking, c.Info().CloudID+" ("+c.Info().Type+")")
			continue
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil, &perspective.Error{Code: perspective.CodeUnsupported, Op: op,
			Msg: "no cloud of the set supports " + string(op) + ": " + strings.Join(lacking, ", ")}
	}
	return out, nil
}

// operatorError says which cloud refused what, and, when the credentials
// lack the role, that an administrator's is needed. The library's error
// (and its code) stays reachable.
func operatorError(what string, o *operator.Operator, err error) error {
	id := o.Cloud().Info().CloudID
	if errors.Is(err, perspective.ErrForbidden) {
		return &wrapped{msg: fmt.Sprintf("%s on cloud %s needs an administrator's role; the cloud refused these credentials: %s",
			what, id, reason(err)), err: err}
	}
	return &wrapped{msg: fmt.Sprintf("%s on cloud %s: %s", what, id, reason(err)), err: err}
}

// wrapped is an error in pcli's words whose cause (and its code) stays
// reachable.
type wrapped struct {
	msg string
	err error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.err }

// hostRow is one hypervisor of one cloud, as pcli hosts prints it.
type hostRow struct {
	CloudID string `json:"cloudId"`
	Region  string `json:"region,omitempty"`
	operator.Hypervisor
}

func (a *app) hostsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "hosts",
		Short: "List the compute hosts (hypervisors) with what their instances use (operators)",
		Long: `List every cloud's compute hosts: the hypervisor of each, whether it is up
and enabled, and its usage (vCPUs, RAM in MiB and disk in GiB used of the
total, instances running). Usage the cloud does not report shows as "-".
It needs an administrator's credentials: with others the cloud refuses,
and pcli says so (exit status 1). The clouds of a fleet that share a region
list the same hosts: each is shown once.`,
		Example: "  pcli hosts\n  pcli hosts -o json | jq '.[] | select(.state == \"down\")'",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			set, err := a.open(ctx)
			if err != nil {
				return err
			}
			ops, err := operators(set, operator.OpHypervisors)
			if err != nil {
				return err
			}
			rows := []hostRow{}
			seen := map[[3]string]bool{}
			var errs []error
			for _, o := range ops {
				hvs, err := o.Hypervisors(ctx)
				if err != nil {
					errs = append(errs, operatorError("listing hosts", o, err))
					continue
				}
				info := o.Cloud().Info()
				for _, h := range hvs {
					if k := [3]string{info.Type, info.Region, h.ID}; !seen[k] {
						seen[k] = true
						rows = append(rows, hostRow{CloudID: info.CloudID, Region: info.Region, Hypervisor: h})
					}
				}
			}
			if len(errs) == len(ops) {
				return errors.Join(errs...)
			}
			if err := a.emit(rows, hostTable(rows)); err != nil {
				return err
			}
			return errors.Join(errs...)
		},
	}
}

// hostTable is the table of hosts: usage as used/total.
func hostTable(rows []hostRow) table {
	t := table{header: []string{"host", "hypervisor", "state", "status", "vcpus", "ram mib", "disk gib", "instances", "cloud"}}
	for _, r := range rows {
		h := r.Hypervisor
		usage := func(used, total int) string {
			if !h.UsageKnown {
				return "-"
			}
			return fmt.Sprintf("%d/%d", used, total)
		}
		vms := "-"
		if h.UsageKnown {
			vms = strconv.Itoa(h.RunningVMs)
		}
		t.add(cmpOr(h.Host, h.Hostname), h.Hostname, h.State, h.Status, usage(h.VCPUsUsed, h.VCPUs),
			usage(h.MemoryUsed, h.MemoryMiB), usage(h.DiskUsed, h.DiskGiB), vms, r.CloudID)
	}
	return t
}

// serviceRow is one compute service of one cloud.
type serviceRow struct {
	CloudID string `json:"cloudId"`
	Region  string `json:"region,omitempty"`
	operator.Service
	op *operator.Operator // the cloud's operator, to change it
}

func (a *app) servicesCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "services",
		Short: "List the compute services; enable, disable or force them down (operators)",
		Long: `List every cloud's compute services (nova-compute, nova-scheduler, …) with
their host, zone, status (enabled or disabled, and why) and state (up or
down, and whether an operator forced it down). The subcommands change the
nova-compute service of hosts named by host name or service id:

  enable      let the scheduler place instances on the host again
  disable     keep the scheduler from placing instances there (--reason)
  force-down  mark the service down at once, so that its instances can be
              evacuated (pcli evacuate); only when the host has failed
  force-up    bring a forced-down service back

They need an administrator's credentials (exit status 1 otherwise).`,
		Example: "  pcli services\n  pcli services disable aio2 --reason 'disk replacement'\n  pcli services force-down aio2",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rows, errs, err := a.services(cmd.Context())
			if err != nil {
				return err
			}
			if err := a.emit(rows, serviceTable(rows)); err != nil {
				return err
			}
			return errors.Join(errs...)
		},
	}
	var reason string
	disable := a.serviceChange("disable", "Keep the scheduler from placing instances on hosts",
		"  pcli services disable aio2 --reason 'disk replacement'",
		func(ctx context.Context, o *operator.Operator, id string) (operator.Service, error) {
			return o.DisableService(ctx, id, reason)
		})
	disable.Flags().StringVar(&reason, "reason", "", "why the hosts are disabled (shown by pcli services)")
	c.AddCommand(
		a.serviceChange("enable", "Let the scheduler place instances on hosts again", "  pcli services enable aio2",
			func(ctx context.Context, o *operator.Operator, id string) (operator.Service, error) {
				return o.EnableService(ctx, id)
			}),
		disable,
		a.serviceChange("force-down", "Mark hosts' compute services down at once, so that their instances can be evacuated",
			"  pcli services force-down aio2\n  pcli evacuate --where \"host = 'aio2'\" --wait",
			func(ctx context.Context, o *operator.Operator, id string) (operator.Service, error) {
				return o.ForceDown(ctx, id, true)
			}),
		a.serviceChange("force-up", "Bring forced-down compute services back up", "  pcli services force-up aio2",
			func(ctx context.Context, o *operator.Operator, id string) (operator.Service, error) {
				return o.ForceDown(ctx, id, false)
			}),
	)
	return c
}

// services lists the compute services of every cloud that has them, each
// once (the clouds of a fleet that share a region list the same ones). A
// cloud that fails is in errs; err is set when every cloud failed.
func (a *app) services(ctx context.Context) (rows []serviceRow, errs []error, err error) {
	set, err := a.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	ops, err := operators(set, operator.OpServices)
	if err != nil {
		return nil, nil, err
	}
	rows = []serviceRow{}
	seen := map[[3]string]bool{}
	for _, o := range ops {
		svcs, err := o.Services(ctx)
		if err != nil {
			errs = append(errs, operatorError("listing services", o, err))
			continue
		}
		info := o.Cloud().Info()
		for _, s := range svcs {
			if k := [3]string{info.Type, info.Region, s.ID}; !seen[k] {
				seen[k] = true
				rows = append(rows, serviceRow{CloudID: info.CloudID, Region: info.Region, Service: s, op: o})
			}
		}
	}
	if len(errs) == len(ops) {
		return nil, nil, errors.Join(errs...)
	}
	return rows, errs, nil
}

// serviceChange is a subcommand of services that changes the nova-compute
// service of each host its arguments name (a host name or a service id).
func (a *app) serviceChange(name, short, example string,
	change func(ctx context.Context, o *operator.Operator, id string) (operator.Service, error)) *cobra.Command {
	return &cobra.Command{
		Use:     name + " HOST|SERVICE_ID...",
		Short:   short + " (operators)",
		Example: example,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("name the hosts (or service ids) to %s", name)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			rows, _, err := a.services(ctx)
			if err != nil {
				return err
			}
			var targets []serviceRow
			for _, arg := range args {
				i := slices.IndexFunc(rows, func(r serviceRow) bool {
					return r.ID == arg || (r.Host == arg && r.Binary == "nova-compute")
				})
				if i < 0 {
					return &perspective.Error{Code: perspective.CodeNotFound, Op: operator.OpUpdateService,
						Msg: fmt.Sprintf("no host %q runs a compute service, and no service has that id (pcli services lists them)", arg)}
				}
				if !slices.ContainsFunc(targets, func(r serviceRow) bool { return r.ID == rows[i].ID }) {
					targets = append(targets, rows[i])
				}
			}
			out := make([]serviceRow, 0, len(targets))
			for _, r := range targets {
				s, err := change(ctx, r.op, r.ID)
				if err != nil {
					return operatorError(name+" of "+r.Host, r.op, err)
				}
				out = append(out, serviceRow{CloudID: r.CloudID, Region: r.Region, Service: s})
			}
			return a.emit(out, serviceTable(out))
		},
	}
}

// serviceTable is the table of services.
func serviceTable(rows []serviceRow) table {
	t := table{header: []string{"id", "binary", "host", "zone", "status", "state", "forced down", "reason", "cloud"}}
	for _, r := range rows {
		t.add(r.ID, r.Binary, r.Host, r.Zone, r.Status, r.State, yesNo(r.ForcedDown), r.DisabledReason, r.CloudID)
	}
	return t
}

// evacuateOp is pcli evacuate: operator.Evacuate over the instances of
// each cloud, bulk like every instance command.
var evacuateOp = bulkOp{op: perspective.OpEvacuate,
	short: "Rebuild instances of a failed host on another one (operators; the host's compute service must be down)",
	example: "  pcli services force-down aio2\n  pcli evacuate --where \"host = 'aio2'\" --wait\n" +
		"  pcli evacuate web-1 --host aio",
	bind: func(c *cobra.Command) bulkCall {
		var host string
		c.Flags().StringVar(&host, "host", "", "target host (default: the scheduler chooses)")
		return bulkCall{
			check: func() error { return nil },
			operator: func(ctx context.Context, set *perspective.Set, ids []string, dryRun bool, p *progress) (*perspective.Report, error) {
				return operatorBulk(ctx, set, perspective.OpEvacuate, ids, p,
					func(o *operator.Operator, ctx context.Context, ids []string) (*perspective.Report, error) {
						if dryRun {
							return o.DryRunEvacuate(ctx, host, ids...)
						}
						return o.Evacuate(ctx, host, ids...)
					})
			},
		}
	}}

// operatorBulk runs an operator's instance operation over ids: each id
// goes to the operator of the cloud it lives in (an id no cloud knows
// fails not found), and the report keeps the order of ids. Each cloud's
// items are shown by p when its call returns.
func operatorBulk(ctx context.Context, set *perspective.Set, op perspective.Operation, ids []string, p *progress,
	call func(o *operator.Operator, ctx context.Context, ids []string) (*perspective.Report, error)) (*perspective.Report, error) {
	rep := &perspective.Report{Op: op, Results: make([]perspective.Result, len(ids))}
	done := 0
	show := func(r perspective.Result) {
		if p != nil {
			done++
			p.item(r)
			p.update(done, len(ids))
		}
	}
	type group struct {
		cloud *perspective.Cloud
		ids   []string
		at    []int // positions in ids
	}
	var groups []*group
	for i, id := range ids {
		inst, err := set.Instances().Get(ctx, id)
		if err != nil {
			rep.Results[i] = perspective.Result{ID: id, Err: err}
			show(rep.Results[i])
			continue
		}
		c, ok := set.Cloud(perspective.Target{CloudID: inst.CloudID})
		if !ok {
			rep.Results[i] = perspective.Result{ID: id, Err: perspective.Errorf(perspective.CodeNotFound, "no cloud %s", inst.CloudID)}
			show(rep.Results[i])
			continue
		}
		k := slices.IndexFunc(groups, func(g *group) bool { return g.cloud == c })
		if k < 0 {
			groups = append(groups, &group{cloud: c})
			k = len(groups) - 1
		}
		groups[k].ids = append(groups[k].ids, inst.ID)
		groups[k].at = append(groups[k].at, i)
	}
	for _, g := range groups {
		o, err := operator.New(g.cloud)
		if err != nil {
			return rep, err
		}
		r, err := call(o, ctx, g.ids)
		if len(r.Results) == 0 && err != nil {
			return &perspective.Report{Op: op}, err // refused as a whole: nothing was attempted
		}
		for k, res := range r.Results {
			rep.Results[g.at[k]] = res
			show(res)
		}
	}
	return rep, rep.Err()
}
