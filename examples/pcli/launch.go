package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/perspective-cloud/sdk/perspective"
)

// launchCommand launches instances.
func (a *app) launchCommand() *cobra.Command {
	var (
		spec     perspective.LaunchSpec
		userData string
		doWait   bool
	)
	c := &cobra.Command{
		Use:   "launch --name NAME --flavor FLAVOR --image IMAGE [--count N]",
		Short: "Launch instances (NAME-1 … NAME-N with --count N)",
		Long: `Launch instances. The flavor, image, networks and keypair are checked
before the cloud is asked; with --count N the instances are named NAME-1 …
NAME-N. Prints one line per instance; with --wait, waits until they run.`,
		Example: `  pcli launch --name web --count 3 --flavor m1.small --image ubuntu-24.04 --network private --key ops --wait
  pcli launch --name db --flavor m1.large --image debian-12 --property role=db --tag prod -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			for _, f := range []struct{ flag, v string }{{"name", spec.Name}, {"flavor", spec.FlavorID}, {"image", spec.ImageID}} {
				if err := required(f.flag, f.v); err != nil {
					return err
				}
			}
			if userData != "" {
				b, err := os.ReadFile(userData)
				if err != nil {
					return usagef("--user-data: %v", err)
				}
				spec.UserData = b
			}
			set, err := a.open(ctx)
			if err != nil {
				return err
			}
			start := time.Now()
			rep, err := set.Instances().Launch(ctx, spec)
			if len(rep.Results) == 0 && err != nil {
				return err
			}
			s := summarize(rep, nil, false)
			if doWait && ctx.Err() == nil {
				a.wait(ctx, set, perspective.OpLaunch, s)
			}
			return a.printSummary(s, time.Since(start))
		},
	}
	f := c.Flags()
	f.StringVar(&spec.Name, "name", "", "instance name (required)")
	f.IntVar(&spec.Count, "count", 1, "how many instances to launch")
	f.StringVar(&spec.FlavorID, "flavor", "", "flavor id or name (required)")
	f.StringVar(&spec.ImageID, "image", "", "image id or name (required)")
	f.StringArrayVar(&spec.Networks, "network", nil, "network id or name (repeatable; default: the cloud's choice)")
	f.StringVar(&spec.KeyName, "key", "", "keypair to install")
	f.StringArrayVar(&spec.Tags, "tag", nil, "tag (repeatable)")
	f.StringToStringVar(&spec.Metadata, "property", nil, "metadata KEY=VALUE (repeatable)")
	f.StringVar(&userData, "user-data", "", "file of user data (cloud-init)")
	f.StringVar(&spec.AvailabilityZone, "availability-zone", "", "availability zone")
	f.BoolVar(&spec.Locked, "locked", false, "lock the instances once launched")
	f.BoolVar(&doWait, "wait", false, "wait until the instances are launched")
	return c
}
