package operator_test

import (
	"context"
	"fmt"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/operator"
	"github.com/perspective-cloud/sdk/perspective"
)

// Evacuate the instances of a failed host: force its compute service down,
// then let the scheduler place them elsewhere.
func Example() {
	ctx := context.Background()
	cloud, err := perspective.NewCloud(mock.New(mock.WithAdmin(true)))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	rep, err := cloud.Instances().Launch(ctx, perspective.LaunchSpec{Name: "web", FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	inst, err := cloud.Instances().Get(ctx, rep.IDs()[0])
	if err != nil {
		fmt.Println(err)
		return
	}
	op, err := operator.New(cloud)
	if err != nil {
		fmt.Println(err)
		return
	}
	svcs, err := op.Services(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, svc := range svcs {
		if svc.Binary == "nova-compute" && svc.Host == inst.Host {
			if _, err := op.ForceDown(ctx, svc.ID, true); err != nil {
				fmt.Println(err)
				return
			}
		}
	}
	if _, err := op.Evacuate(ctx, "", inst.ID); err != nil {
		fmt.Println(err)
		return
	}
	moved, err := cloud.Instances().Get(ctx, inst.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(inst.Host, "→", moved.Host, moved.State)
	// Output: aio → aio2 launched
}

// Without the administrator role, the cloud refuses operator calls.
func Example_forbidden() {
	cloud, err := perspective.NewCloud(mock.New())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	op, err := operator.New(cloud)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = op.Hypervisors(context.Background())
	fmt.Println(perspective.Code(err))
	fmt.Println(err)
	// Output:
	// forbidden
	// hypervisors hypervisor: Policy doesn't allow os_compute_api:os-hypervisors:list-detail to be performed.
}
