package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

func (a *app) flavorsCommand() *cobra.Command {
	return listingCommand(a, &cobra.Command{
		Use:     "flavors",
		Short:   "List flavors (instance sizes)",
		Example: "  pcli flavors\n  pcli flavors -o csv",
	}, func(ctx context.Context, set *perspective.Set) ([]perspective.Flavor, error) {
		return set.Flavors().List(ctx)
	}, flavorTable)
}

// flavorTable is the table of flavors.
func flavorTable(fs []perspective.Flavor) table {
	t := table{header: []string{"id", "name", "vcpus", "ram", "root disk", "ephemeral disk", "swap", "public"}}
	for _, f := range fs {
		t.add(f.ID, f.Name, strconv.Itoa(f.VCPUs), strconv.Itoa(f.RAM), strconv.Itoa(f.RootDisk),
			strconv.Itoa(f.EphemeralDisk), strconv.Itoa(f.Swap), yesNo(f.IsPublic))
	}
	return t
}

func (a *app) networksCommand() *cobra.Command {
	return listingCommand(a, &cobra.Command{
		Use:     "networks",
		Short:   "List networks with their subnets",
		Example: "  pcli networks\n  pcli networks -o json",
	}, func(ctx context.Context, set *perspective.Set) ([]perspective.Network, error) {
		return set.Networks().List(ctx)
	}, networkTable)
}

// networkTable is the table of networks, their subnets as CIDRs.
func networkTable(ns []perspective.Network) table {
	t := table{header: []string{"id", "name", "state", "shared", "external", "subnets"}}
	for _, n := range ns {
		var subs []string
		for _, s := range n.Subnets {
			subs = append(subs, s.CIDR)
		}
		t.add(n.ID, n.Name, n.State, yesNo(n.IsShared), yesNo(n.IsExternal), strings.Join(subs, " "))
	}
	return t
}

func (a *app) projectsCommand() *cobra.Command {
	var (
		rcFile    string
		endpoints bool
	)
	c := &cobra.Command{
		Use:   "projects",
		Short: "List projects and regions; write an RC file; list service endpoints",
		Long: `List the projects the credentials can see, with their regions; with
--project all (or names) on OpenStack, the fleet: each project the user has a
role on, with the regions it is opened in, and why a project is not.
With --rc FILE, write an OpenStack RC file (a shell script that sets the OS_*
variables, without a password) for one --project and --region (default: the
cloud's own project and its first region); "-" writes it to stdout.
With --endpoints, list the project's service endpoints instead.`,
		Example: `  pcli projects
  pcli projects --project all
  pcli projects --rc demo-openrc.sh
  pcli projects --project demo --region RegionOne --rc -
  pcli projects --endpoints -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			project, region, err := a.one()
			if err != nil && (rcFile != "" || endpoints) {
				return err
			}
			// --rc and --endpoints name their project: the cloud speaks for
			// any project of its user (a re-scoped token), unnarrowed
			a.unselected = rcFile != "" || endpoints
			set, err := a.open(ctx)
			if err != nil {
				return err
			}
			if rcFile != "" || endpoints {
				if project == "" || (region == "" && rcFile != "") {
					p, r := defaultProject(set)
					project, region = cmpOr(project, p), cmpOr(region, r)
				}
				project = projectID(ctx, set, project)
			}
			switch {
			case rcFile != "":
				b, err := set.Projects().RCFile(ctx, project, region)
				if err != nil {
					return err
				}
				if rcFile == "-" {
					_, err = a.stdout.Write(b)
					return err
				}
				if err := os.WriteFile(rcFile, b, 0o600); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "wrote %s: RC file of project %s, region %s; source it, it asks for the password\n", rcFile, project, region)
				return nil
			case endpoints:
				eps, err := set.Projects().Endpoints(ctx, project)
				if err != nil {
					return err
				}
				t := table{header: []string{"service", "name", "interface", "region", "url"}}
				for _, e := range eps {
					t.add(e.Service, e.Name, e.Interface, e.Region, e.URL)
				}
				return a.emit(nonNil(eps), t)
			}
			ps, err := a.listProjects(ctx, set)
			if err != nil && answeredPartly(err) == nil {
				return err
			}
			t := table{header: []string{"id", "name", "cloud", "type", "regions"}}
			for _, p := range ps {
				var rs []string
				for _, r := range p.Regions {
					rs = append(rs, r.ID)
				}
				t.add(p.ID, p.Name, p.CloudID, p.CloudType, strings.Join(rs, " "))
			}
			if eerr := a.emit(nonNil(ps), t); eerr != nil {
				return eerr
			}
			return a.listed(err)
		},
	}
	c.Flags().StringVar(&rcFile, "rc", "", `write an RC file here ("-": stdout)`)
	c.Flags().BoolVar(&endpoints, "endpoints", false, "list the project's service endpoints")
	return c
}

// defaultProject is the project and region of the first cloud.
func defaultProject(set *perspective.Set) (string, string) {
	cs := set.Clouds()
	if len(cs) == 0 {
		return "", ""
	}
	info := cs[0].Info()
	return info.ProjectID, info.Region
}

func (a *app) operationsCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "operations",
		Short:   "List the operations each type of cloud supports",
		Example: "  pcli operations\n  pcli operations -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return fetchAndEmit(a, cmd.Context(), func(_ context.Context, set *perspective.Set) (map[string][]perspective.Operation, error) {
				return set.Operations(), nil
			}, operationTable)
		},
	}
}

// operationTable is one row per cloud type and operation.
func operationTable(ops map[string][]perspective.Operation) table {
	t := table{header: []string{"cloud type", "operation"}}
	types := make([]string, 0, len(ops))
	for typ := range ops {
		types = append(types, typ)
	}
	slices.Sort(types)
	for _, typ := range types {
		for _, op := range ops[typ] {
			t.add(typ, string(op))
		}
	}
	return t
}
