package main

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/perspective-cloud/sdk/perspective"
)

// BenchmarkFilterInstances filters and orders 1,000 instances through the
// query package, as one GET /api/instances/?… does.
func BenchmarkFilterInstances(b *testing.B) {
	p := &portal{customers: map[string]customerEntry{"c": {UUID: "c", Name: "C"}}}
	pr := &project{projectEntry: projectEntry{UUID: "p", Name: "P", Customer: "c"}, groups: []groupEntry{{Name: "G"}}}
	p.ordered = []*project{pr}
	all := make([]listed, 1000)
	for i := range all {
		st := perspective.StateLaunched
		if i%3 == 0 {
			st = perspective.StateShutoff
		}
		all[i] = listed{inst: perspective.Instance{ID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i),
			Name: fmt.Sprintf("vm-%04d", i), State: st}, proj: pr}
	}
	q := url.Values{"state": {"Online"}, "project_group_name": {"G"}, "o": {"-hostname"}}
	b.ReportAllocs()
	for b.Loop() {
		out, err := p.filterInstances(context.Background(), q, all)
		if err != nil || len(out) != 666 {
			b.Fatalf("%d instances, %v", len(out), err)
		}
	}
}

// Example_stateOf shows the one table where the library's states meet seed 004's.
func Example_stateOf() {
	for _, s := range []perspective.State{perspective.StateLaunching, perspective.StateLaunched,
		perspective.StateShutoff, perspective.StateVerifyResize} {
		st := stateOf(s)
		fmt.Printf("%s → %s %s (%s)\n", s, st.Symbol, st.Const, st.Name)
	}
	// Output:
	// launching → P PROVISIONING (Provisioning)
	// launched → + ONLINE (Online)
	// shutoff → - OFFLINE (Offline)
	// verify_resize → R RESIZING (Resizing)
}
