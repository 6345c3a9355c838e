package perspective_test

import (
	"context"
	"fmt"

	_ "github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// A fleet is every cloud one program serves, opened from URLs; an
// OpenStack URL such as "openstack://?projects=all&regions=all" expands
// into one cloud per project and region the credentials reach. A cloud
// that fails is an error of the listing, not of the call.
func ExampleOpenFleet() {
	ctx := context.Background()
	fl, err := perspective.OpenFleet(ctx, []string{
		"mock://lab-a?project=web&region=R1",
		"mock://lab-b?project=web&region=R2",
		"mock://lab-c?project=db&region=R1&fail=ListInstances:forbidden",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer fl.Close()
	for _, p := range fl.Projects() {
		fmt.Println(p.Name, p.Regions)
	}
	l, err := fl.List(ctx, perspective.ListOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range l.Errors {
		fmt.Println(e.Target.CloudID, perspective.Code(e.Err))
	}
	// Output:
	// db [{R1 }]
	// web [{R1 } {R2 }]
	// lab-c forbidden
}
