package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// FuzzParseSeed: any --seed-instances text is either a usage error or
// groups that launch 1 to MaxLaunchCount instances in a known state.
func FuzzParseSeed(f *testing.F) {
	for _, s := range []string{"3", "web=2", "web=2,db=1:shutoff", "x=1:locked", "=", "a=b=c", "web=2:", ",", "web=-1", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		groups, err := parseSeed(s)
		if err != nil {
			var ue *usageError
			require.ErrorAs(t, err, &ue)
			return
		}
		for _, g := range groups {
			assert.NotEmpty(t, g.name)
			assert.True(t, g.count >= 1 && g.count <= perspective.MaxLaunchCount, g.count)
			assert.Contains(t, seedStates, g.state)
		}
	})
}

// FuzzCloudURL: any --cloud value is a usage error or a URL with a scheme.
func FuzzCloudURL(f *testing.F) {
	for _, s := range []string{"mock", "mock://demo?seed=1", "devstack", "openstack://?cloud=x", "", "a b", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := cloudURL(s)
		if err != nil {
			var ue *usageError
			require.ErrorAs(t, err, &ue)
			return
		}
		assert.Contains(t, u, "://")
	})
}

// FuzzFilters: any --filter and --order text is a usage error or URL
// filters that the library's listing either accepts or refuses with a
// classified error.
func FuzzFilters(f *testing.F) {
	f.Add("state=launched", "-name")
	f.Add("hostname=web-%", "name,-state")
	f.Add("o=x", "")
	f.Add("=", "-")
	f.Fuzz(func(t *testing.T, filter, order string) {
		lf := listFilters{filters: []string{filter}, order: []string{order}}
		v, err := lf.values()
		if err != nil {
			var ue *usageError
			require.ErrorAs(t, err, &ue)
			return
		}
		a := &app{clouds: []string{"mock"}, output: "json", stdout: io.Discard, stderr: io.Discard}
		defer func() {
			if a.set != nil {
				_ = a.set.Close()
			}
		}()
		err = a.listFiltered(t.Context(), &lf)
		if err != nil {
			assert.NotEmpty(t, err.Error())
		}
		assert.Len(t, v["o"], 1)
	})
}

// BenchmarkSummary measures turning a 1000-item report into the summary
// table a person reads.
func BenchmarkSummary(b *testing.B) {
	rep := &perspective.Report{Op: perspective.OpReboot, Results: make([]perspective.Result, 1000)}
	names := map[string]string{}
	for i := range rep.Results {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		names[id] = fmt.Sprintf("web-%d", i)
		rep.Results[i] = perspective.Result{ID: id, Attempts: 1, Duration: time.Millisecond}
		if i%10 == 0 {
			rep.Results[i].Err = &perspective.Error{Code: perspective.CodeInvalidState, Op: perspective.OpReboot,
				Kind: perspective.KindInstance, ID: id, Msg: "instance is shutoff; reboot is allowed only when launched"}
		}
	}
	a := &app{output: "table", stdout: io.Discard, stderr: io.Discard}
	b.ReportAllocs()
	for b.Loop() {
		err := a.printSummary(summarize(rep, names, false), time.Second)
		var pe *partialError
		if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "100 of 1000") {
			b.Fatalf("summary error %v", err)
		}
	}
}
