// Command quickstart opens the built-in mock cloud, launches a few
// instances, acts on them in bulk, lists them and prints what happened: the
// library's main flows in one page.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	_ "github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

func main() {
	if err := run(context.Background(), os.Stdout, "mock://quickstart?delay=200ms"); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, url string) error {
	cloud, err := perspective.Open(ctx, url)
	if err != nil {
		return err
	}
	defer cloud.Close()
	in := cloud.Instances()
	fmt.Fprintf(out, "opened %s cloud %q (project %s, region %s)\n",
		cloud.Info().Type, cloud.Info().CloudID, cloud.Info().ProjectID, cloud.Info().Region)

	rep, err := in.Launch(ctx, perspective.LaunchSpec{Name: "web", Count: 3, FlavorID: "m1.small", ImageID: "cirros-0.6.2"})
	if err != nil {
		return err
	}
	ids := rep.IDs()
	fmt.Fprintf(out, "launched %d instances\n", len(ids))
	if _, err := in.WaitFor(ctx, ids, perspective.StateLaunched); err != nil {
		return err
	}

	step := func(what string, rep *perspective.Report) {
		fmt.Fprintf(out, "%-22s %d ok, %d failed\n", what+":", rep.Succeeded(), len(rep.Failed()))
		for _, f := range rep.Failed() {
			fmt.Fprintf(out, "  %s: %s (%s)\n", f.ID[:8], f.Err, perspective.Code(f.Err))
		}
	}
	rep, err = in.Reboot(ctx, ids...)
	step("reboot all", rep)
	_, _ = in.WaitFor(ctx, ids, perspective.StateLaunched)

	rep, err = in.Shutdown(ctx, ids[0])
	step("shut down web-1", rep)
	_, _ = in.WaitFor(ctx, ids[:1], perspective.StateShutoff)

	// web-1 is off: the state machine refuses to pause it, before any call.
	rep, err = in.Pause(ctx, ids...)
	step("pause all", rep)
	if errors.Is(err, perspective.ErrInvalidState) {
		fmt.Fprintln(out, "  (refused by the state machine, the cloud was not called)")
	}
	_, _ = in.WaitFor(ctx, ids[1:], perspective.StatePaused)

	rep, err = in.AddTags(ctx, []string{"quickstart"}, ids...)
	step("tag all", rep)

	insts, err := in.List(ctx, perspective.ListOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\nNAME    STATE     FLAVOR    IMAGE         TAGS")
	for _, i := range insts {
		fmt.Fprintf(out, "%-7s %-9s %-9s %-13s %v\n", i.Name, i.State, i.Flavor.Name, i.Image.Name, i.Tags)
	}

	rep, err = in.Delete(ctx, ids...)
	step("\ndelete all", rep)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := in.WaitFor(wctx, ids, perspective.StateDeleted); err != nil {
		return err
	}
	fmt.Fprintln(out, "all gone")
	return nil
}
