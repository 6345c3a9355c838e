package perspective_test

import (
	"context"
	"fmt"

	"github.com/perspective-cloud/sdk/perspective"
)

// Watch the changes of a cloud's instances as they happen.
func ExampleCloud_Watch() {
	ctx := context.Background()
	cloud, err := perspective.Open(ctx, "mock://")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	w, err := cloud.Watch(ctx, perspective.WatchOptions{Name: "web"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer w.Close()
	rep, _ := cloud.Instances().Launch(ctx, perspective.LaunchSpec{Name: "web", FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	_, _ = cloud.Instances().Shutdown(ctx, rep.IDs()...)
	_ = cloud.Sync(ctx) // or wait for the next interval
	for range 2 {
		ev, err := w.Next(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		switch ev.Kind {
		case perspective.EventCreated:
			fmt.Println(ev.Kind, ev.New.Name, ev.New.State)
		case perspective.EventChanged:
			fmt.Println(ev.Kind, ev.New.Name, ev.Old.State, "→", ev.New.State)
		}
	}
	st := cloud.SyncStats()
	fmt.Println(st.Synced, st.Instances)
	// Output:
	// created web launched
	// changed web launched → shutoff
	// true 1
}
