package perspective_test

import (
	"context"
	"fmt"
	"slices"

	_ "github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// Delete images two at a time and follow each one as it is done; a missing
// image fails on its own without stopping the others.
func ExampleImages_With() {
	ctx := context.Background()
	cloud, err := perspective.Open(ctx, "mock://")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	for _, name := range []string{"old-1", "old-2", "old-3"} {
		if _, err := cloud.Images().Create(ctx, perspective.ImageSpec{Name: name}); err != nil {
			fmt.Println(err)
			return
		}
	}
	// The callbacks are serialized, so they need no lock; items finish in
	// any order, so sort what they saw.
	var outcomes []string
	var last string
	rep, err := cloud.Images().With(
		perspective.Concurrency(2),
		perspective.OnResult(func(r perspective.Result) {
			outcomes = append(outcomes, fmt.Sprintf("%s: %s", r.ID, perspective.Code(r.Err)))
		}),
		perspective.Progress(func(done, total int) { last = fmt.Sprintf("%d of %d done", done, total) }),
	).Delete(ctx, "old-1", "old-2", "old-3", "no-such-image")
	slices.Sort(outcomes)
	for _, o := range outcomes {
		fmt.Println(o)
	}
	fmt.Println(last)
	fmt.Println("deleted:", rep.Succeeded(), "failed:", perspective.Code(err))
	// Output:
	// no-such-image: not_found
	// old-1: ok
	// old-2: ok
	// old-3: ok
	// 4 of 4 done
	// deleted: 3 failed: not_found
}

// Wait for freshly launched instances and report each one as it comes up.
func ExampleInstances_WaitFor_progress() {
	ctx := context.Background()
	cloud, err := perspective.Open(ctx, "mock://?delay=20ms")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	rep, err := cloud.Instances().Launch(ctx, perspective.LaunchSpec{
		Name: "db", Count: 3, FlavorID: "m1.small", ImageID: "cirros-0.6.2",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = cloud.Instances().With(perspective.Progress(func(done, total int) {
		fmt.Printf("%d of %d up\n", done, total)
	})).WaitFor(ctx, rep.IDs(), perspective.StateLaunched)
	fmt.Println("error:", err)
	// Output:
	// 1 of 3 up
	// 2 of 3 up
	// 3 of 3 up
	// error: <nil>
}
