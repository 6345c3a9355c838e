//go:build browser

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// rowNames is the names in the table, sorted.
const rowNames = `[...document.querySelectorAll('#rows tr[data-id] a')].map((a) => a.textContent).sort().join(',')`

// TestBrowserFleetSwitcher serves a fleet of two projects × two regions
// (and a project whose scope was refused), signs in, and switches the
// project/region picker through every pair: each shows exactly that
// pair's instances, a reboot and a launch there act on that pair's cloud
// only, and the whole fleet's view says which project did not answer.
func TestBrowserFleetSwitcher(t *testing.T) {
	pairs := [][2]string{{"alpha", "R1"}, {"alpha", "R2"}, {"beta", "R1"}, {"beta", "R2"}}
	drivers := map[string]*mock.Driver{}
	var members []perspective.FleetMember
	for _, p := range pairs {
		m, d := mockPair(p[0], p[1])
		drivers[p[0]+"|"+p[1]] = d
		members = append(members, m)
	}
	ids, err := auth.LoadStatic(filepath.Join("internal", "auth", "testdata", "users.yaml"))
	require.NoError(t, err)
	u := newUsers(auth.New(auth.Config{Identity: ids, Public: publicPaths, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}), 64)
	t.Cleanup(u.Close)
	fs := newFleetServer(t, u, append(members, refusedProject("gamma"))...)
	// Two instances per pair, named after it: alpha-R1-1, alpha-R1-2, …
	names := map[string][]string{}
	for _, p := range pairs {
		c, ok := fs.live.current().Cloud(perspective.Target{ProjectID: p[0] + "-id", Region: p[1]})
		require.True(t, ok)
		rep, err := c.Instances().Launch(context.Background(), perspective.LaunchSpec{Name: p[0] + "-" + p[1], Count: 2, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
		require.NoError(t, err)
		require.Equal(t, 2, rep.Succeeded())
		names[p[0]+"|"+p[1]] = []string{p[0] + "-" + p[1] + "-1", p[0] + "-" + p[1] + "-2"}
	}
	calls := func(method string) map[string]int {
		out := map[string]int{}
		for k, d := range drivers {
			out[k] = d.Calls(method)
		}
		return out
	}

	b := newBrowser(t)
	b.signIn(fs.srv.URL)
	b.wait("the instances page", "!!document.querySelector('#instances') && document.querySelector('#who-name').textContent.includes('demo')")

	// The picker: every pair of the fleet that is open, and the whole fleet.
	b.wait("the picker's pairs", "document.querySelectorAll('#picker option').length === 5")
	options := js[string](b, `[...document.querySelectorAll('#picker option')].map((o) => o.value + '=' + o.textContent).join(';')`)
	assert.Equal(t, "=All projects;alpha-id|R1=alpha — R1;alpha-id|R2=alpha — R2;beta-id|R1=beta — R1;beta-id|R2=beta — R2", options,
		"gamma, refused, has no pair to pick")

	// The whole fleet: every instance, and a note naming gamma.
	var all []string
	for _, n := range names {
		all = append(all, n...)
	}
	slices.Sort(all)
	b.wait("every pair's instances", fmt.Sprintf("%s === %q", rowNames, strings.Join(all, ",")))
	b.wait("the note on the refused project", "!document.querySelector('#failed-clouds').hidden && "+
		"document.querySelector('#failed-clouds').textContent.includes('1 of 5 clouds did not answer') && "+
		"document.querySelector('#failed-clouds').textContent.includes('gamma (forbidden: ')")
	b.shot("fleet-01-all")

	// Each pair: exactly its instances, and no note.
	for _, p := range pairs {
		k := p[0] + "|" + p[1]
		b.choose("#picker", p[0]+"-id|"+p[1])
		want := slices.Clone(names[k])
		slices.Sort(want)
		b.wait(k+"'s instances only", fmt.Sprintf("%s === %q", rowNames, strings.Join(want, ",")))
		require.True(t, js[bool](b, "document.querySelector('#failed-clouds').hidden"), "%s: every cloud of the pair answered", k)
	}

	// A reboot in beta/R1 reboots beta/R1's instances and nothing else.
	b.choose("#picker", "beta-id|R1")
	b.wait("beta/R1's instances", fmt.Sprintf("%s === %q", rowNames, "beta-R1-1,beta-R1-2"))
	before := calls("Reboot")
	b.click("#select-all")
	b.wait("reboot enabled", "!document.querySelector('#act-reboot').disabled")
	b.click("#act-reboot")
	b.wait("the reboot results", "!!document.querySelector('#task-results') && document.querySelector('#task').textContent.includes('Reboot: 2 instances — 2 succeeded, 0 failed')")
	b.shot("fleet-02-reboot-beta-R1")
	after := calls("Reboot")
	for k := range drivers {
		want := before[k]
		if k == "beta|R1" {
			want += 2
		}
		assert.Equal(t, want, after[k], "reboots in %s", k)
	}

	// A launch in alpha/R2 lands in alpha/R2.
	b.choose("#picker", "alpha-id|R2")
	b.wait("alpha/R2's instances", fmt.Sprintf("%s === %q", rowNames, "alpha-R2-1,alpha-R2-2"))
	before = calls("LaunchInstances")
	b.launch("picked", 1)
	b.wait("the launch results", "!!document.querySelector('#task-results') && document.querySelector('#task').textContent.includes('1 succeeded')")
	b.wait("the new instance in alpha/R2", fmt.Sprintf("%s === %q", rowNames, "alpha-R2-1,alpha-R2-2,picked"))
	b.shot("fleet-03-launch-alpha-R2")
	after = calls("LaunchInstances")
	for k := range drivers {
		want := before[k]
		if k == "alpha|R2" {
			want++
		}
		assert.Equal(t, want, after[k], "launches in %s", k)
	}
	c, _ := fs.live.current().Cloud(perspective.Target{ProjectID: "alpha-id", Region: "R2"})
	insts, err := c.Instances().List(context.Background(), perspective.ListOptions{Name: "picked"})
	require.NoError(t, err)
	assert.Len(t, insts, 1)

	// Back to another pair: the new instance is not there.
	b.choose("#picker", "alpha-id|R1")
	b.wait("alpha/R1's instances", fmt.Sprintf("%s === %q", rowNames, "alpha-R1-1,alpha-R1-2"))
}
