package perspective_test

import (
	"context"
	"errors"
	"fmt"

	_ "github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// Open a cloud by URL through its registered driver.
func ExampleOpen() {
	ctx := context.Background()
	cloud, err := perspective.Open(ctx, "mock://demo-cloud?region=RegionOne")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	fmt.Println(cloud.Info().Type, cloud.Info().CloudID, cloud.Info().Region)
	fmt.Println(cloud.Supports(perspective.OpResize))
	// Output:
	// mock demo-cloud RegionOne
	// true
}

// Launch several instances at once, act on all of them in one call, and
// read the per-instance report.
func ExampleInstances_Launch() {
	ctx := context.Background()
	cloud, _ := perspective.Open(ctx, "mock://")
	defer cloud.Close()
	rep, err := cloud.Instances().Launch(ctx, perspective.LaunchSpec{
		Name: "web", Count: 3, FlavorID: "m1.small", ImageID: "cirros-0.6.2",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ids := rep.IDs()
	if _, err := cloud.Instances().WaitFor(ctx, ids, perspective.StateLaunched); err != nil {
		fmt.Println(err)
		return
	}
	rep, err = cloud.Instances().Reboot(ctx, ids...)
	fmt.Println("rebooted:", rep.Succeeded(), "of", len(rep.Results), "error:", err)

	insts, _ := cloud.Instances().List(ctx, perspective.ListOptions{Name: "web"})
	for _, in := range insts {
		fmt.Println(in.Name, in.State, in.Flavor.Name, in.Image.Name)
	}
	// Output:
	// rebooted: 3 of 3 error: <nil>
	// web-1 launched m1.small cirros-0.6.2
	// web-2 launched m1.small cirros-0.6.2
	// web-3 launched m1.small cirros-0.6.2
}

// An operation the state machine does not admit is refused before any call
// to the cloud, with an error that names the instance, its state and the
// operation.
func ExampleInstances_Start() {
	ctx := context.Background()
	cloud, _ := perspective.Open(ctx, "mock://")
	defer cloud.Close()
	rep, _ := cloud.Instances().Launch(ctx, perspective.LaunchSpec{Name: "db", FlavorID: "1", ImageID: "cirros-0.6.2"})
	id := rep.IDs()[0]

	_, err := cloud.Instances().Start(ctx, id) // it is running already
	fmt.Println(errors.Is(err, perspective.ErrInvalidState), perspective.Code(err))

	_, _ = cloud.Instances().Lock(ctx, id)
	_, err = cloud.Instances().Reboot(ctx, id)
	fmt.Println(errors.Is(err, perspective.ErrLocked))
	var pe *perspective.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.Op, pe.State)
	}
	// Output:
	// true invalid_state
	// true
	// reboot launched
}

// A dry run says, per instance, whether an operation would be attempted now.
func ExampleInstances_DryRun() {
	ctx := context.Background()
	cloud, _ := perspective.Open(ctx, "mock://")
	defer cloud.Close()
	rep, _ := cloud.Instances().Launch(ctx, perspective.LaunchSpec{Name: "app", Count: 2, FlavorID: "1", ImageID: "cirros-0.6.2"})
	ids := rep.IDs()
	_, _ = cloud.Instances().Shutdown(ctx, ids[0])

	plan, _ := cloud.Instances().DryRun(ctx, perspective.OpStart, ids...)
	for i, r := range plan.Results {
		fmt.Printf("app-%d: admitted=%v\n", i+1, r.OK())
	}
	// Output:
	// app-1: admitted=true
	// app-2: admitted=false
}

// Several clouds form a Set: listings merge, and each id goes to its cloud.
func ExampleNewSet() {
	ctx := context.Background()
	east, _ := perspective.Open(ctx, "mock://east")
	defer east.Close()
	west, _ := perspective.Open(ctx, "mock://west")
	defer west.Close()
	set, _ := perspective.NewSet(east, west)

	_, _ = set.Instances().In(perspective.Target{CloudID: "east"}).Launch(ctx,
		perspective.LaunchSpec{Name: "e", FlavorID: "1", ImageID: "cirros-0.6.2"})
	_, _ = set.Instances().In(perspective.Target{CloudID: "west"}).Launch(ctx,
		perspective.LaunchSpec{Name: "w", FlavorID: "1", ImageID: "cirros-0.6.2"})

	all, _ := set.Instances().List(ctx, perspective.ListOptions{})
	var ids []string
	for _, in := range all {
		fmt.Println(in.Name, in.CloudID)
		ids = append(ids, in.ID)
	}
	rep, _ := set.Instances().Pause(ctx, ids...)
	fmt.Println("paused:", rep.Succeeded())
	// Output:
	// e east
	// w west
	// paused: 2
}
