package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// listCommand lists instances.
func (a *app) listCommand() *cobra.Command {
	list := &cobra.Command{
		Use:     "list",
		Short:   "List instances",
		Example: "  pcli list instances\n  pcli list instances --state shutoff -o csv",
		Args:    cobra.NoArgs,
	}
	var (
		opts   perspective.ListOptions
		states []string
		lf     listFilters
	)
	inst := &cobra.Command{
		Use:   "instances",
		Short: "List instances, sorted by name",
		Example: `  pcli list instances
  pcli list instances --state launched --state shutoff --name web
  pcli list instances -o json | jq -r '.[].id'
  pcli list instances --filter state=launched --filter state=shutoff --order -name
  pcli list instances --filter template_name=debian-12 -o -name`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if !validOutput(a.output) {
				// -o -name: seed-004's o= ordering, shown as a table.
				lf.order = append(lf.order, a.output)
				a.output = "table"
			}
			if lf.active() {
				if opts.Name != "" || len(opts.Tags) > 0 {
					return usagef("--name and --tag do not combine with --filter or ordering; use --filter name=… or pcli query")
				}
				for _, s := range states {
					lf.filters = append(lf.filters, "state="+s)
				}
				return a.listFiltered(ctx, &lf)
			}
			set, err := a.open(ctx)
			if err != nil {
				return err
			}
			for _, s := range states {
				st, err := perspective.ParseState(s)
				if err != nil {
					return usagef("--state: %v", err)
				}
				opts.States = append(opts.States, st)
			}
			insts, err := set.Instances().List(ctx, opts)
			if err != nil && answeredPartly(err) == nil {
				return err
			}
			if eerr := a.emit(nonNil(insts), instanceTable(insts)); eerr != nil {
				return eerr
			}
			return a.listed(err)
		},
	}
	inst.Flags().StringVar(&opts.Name, "name", "", "keep instances whose name contains this")
	inst.Flags().StringArrayVar(&states, "state", nil, "keep instances in this state (repeatable)")
	inst.Flags().StringArrayVar(&opts.Tags, "tag", nil, "keep instances with this tag (repeatable)")
	a.addFilterFlags(inst, &lf)
	list.AddCommand(inst)
	return list
}

func validOutput(o string) bool { return o == "table" || o == "json" || o == "csv" }

// instanceTable is the table of instances.
func instanceTable(insts []perspective.Instance) table {
	t := table{header: []string{"id", "name", "state", "flavor", "image", "addresses", "locked", "tags"}}
	for _, in := range insts {
		flavor, image := "", ""
		if in.Flavor != nil {
			flavor = cmpOr(in.Flavor.Name, in.Flavor.ID)
		}
		if in.Image != nil {
			image = cmpOr(in.Image.Name, in.Image.RealID)
		}
		var addrs []string
		for _, ad := range in.Addresses {
			addrs = append(addrs, ad.IP)
		}
		t.add(in.ID, in.Name, string(in.State), flavor, image, strings.Join(addrs, " "), yesNo(in.Locked), strings.Join(in.Tags, ","))
	}
	return t
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// nonNil makes an empty listing print as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
