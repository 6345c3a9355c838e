// Command quickstart opens the built-in mock cloud, launches a few
// instances, acts on them in bulk, lists them and prints what happened: the
// library's main flows in one page. Copy it: it checks every error and
// every pointer the model says may be nil.
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

// waitTimeout bounds each wait for the instances to settle.
const waitTimeout = 30 * time.Second

func run(ctx context.Context, out io.Writer, url string) (err error) {
	cloud, err := perspective.Open(ctx, url)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := cloud.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	in := cloud.Instances()
	info := cloud.Info()
	fmt.Fprintf(out, "opened %s cloud %q (project %s, region %s)\n", info.Type, info.CloudID, info.ProjectID, info.Region)

	// A launch whose instances did not all start is an error here: the
	// rest of the program needs all three.
	rep, err := in.Launch(ctx, perspective.LaunchSpec{Name: "web", Count: 3, FlavorID: "m1.small", ImageID: "cirros-0.6.2"})
	if err != nil {
		return fmt.Errorf("launch: %w", err)
	}
	ids := rep.IDs()
	fmt.Fprintf(out, "launched %d instances\n", len(ids))
	if err := wait(ctx, in, ids, perspective.StateLaunched); err != nil {
		return err
	}

	rep, err = in.Reboot(ctx, ids...)
	if err := step(out, "reboot all", rep, err); err != nil {
		return err
	}
	if err := wait(ctx, in, ids, perspective.StateLaunched); err != nil {
		return err
	}

	rep, err = in.Shutdown(ctx, ids[0])
	if err := step(out, "shut down web-1", rep, err); err != nil {
		return err
	}
	if err := wait(ctx, in, ids[:1], perspective.StateShutoff); err != nil {
		return err
	}

	// web-1 is off: the state machine refuses to pause it, before any call.
	rep, err = in.Pause(ctx, ids...)
	if err := step(out, "pause all", rep, err); err != nil {
		return err
	}
	if errors.Is(err, perspective.ErrInvalidState) {
		fmt.Fprintln(out, "  (refused by the state machine, the cloud was not called)")
	}
	if err := wait(ctx, in, ids[1:], perspective.StatePaused); err != nil {
		return err
	}

	rep, err = in.AddTags(ctx, []string{"quickstart"}, ids...)
	if err := step(out, "tag all", rep, err); err != nil {
		return err
	}

	insts, err := in.List(ctx, perspective.ListOptions{})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Fprintln(out, "\nNAME    STATE     FLAVOR    IMAGE         TAGS")
	for _, i := range insts {
		// Flavor and Image are nil when the cloud no longer has them.
		flavor, image := "-", "-"
		if i.Flavor != nil {
			flavor = i.Flavor.Name
		}
		if i.Image != nil {
			image = i.Image.Name
		}
		fmt.Fprintf(out, "%-7s %-9s %-9s %-13s %v\n", i.Name, i.State, flavor, image, i.Tags)
	}

	rep, err = in.Delete(ctx, ids...)
	if err := step(out, "\ndelete all", rep, err); err != nil {
		return err
	}
	if err := wait(ctx, in, ids, perspective.StateDeleted); err != nil {
		return err
	}
	fmt.Fprintln(out, "all gone")
	return nil
}

// step prints what a bulk call did: how many items succeeded, and why each
// failed one did. A failed item is the cloud's answer, not the program's
// error; a call that returned no report could not run at all, and that is
// the error step returns.
func step(out io.Writer, what string, rep *perspective.Report, err error) error {
	if rep == nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	failed := rep.Failed()
	fmt.Fprintf(out, "%-22s %d ok, %d failed\n", what+":", rep.Succeeded(), len(failed))
	for _, f := range failed {
		fmt.Fprintf(out, "  %s: %s (%s)\n", short(f.ID), f.Err, perspective.Code(f.Err))
	}
	return nil
}

// wait waits, at most waitTimeout, until every one of ids is in state.
func wait(ctx context.Context, in *perspective.Instances, ids []string, state perspective.State) error {
	ctx, cancel := context.WithTimeout(ctx, waitTimeout)
	defer cancel()
	if _, err := in.WaitFor(ctx, ids, state); err != nil {
		return fmt.Errorf("waiting for %s: %w", state, err)
	}
	return nil
}

// short returns the first 8 characters of an id, for display.
func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
