//go:build browser

package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// slowCloud is a mock cloud whose every call takes a second, so that a
// bulk task runs long enough to be seen while it runs.
const slowCloud = "mock://?latency=1s"

// TestBrowserLiveResults proves that the progress of a running task lists
// the items that already failed, with their messages: a reboot of a
// shut-off instance is refused as soon as its state is read, while the
// other instance's reboot still waits on the cloud.
func TestBrowserLiveResults(t *testing.T) {
	url, set := startCloudServer(t, slowCloud)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := set.Instances().Launch(ctx, perspective.LaunchSpec{Name: "live", Count: 2, FlavorID: "m1.tiny", ImageID: "cirros-0.6.2"})
	require.NoError(t, err)
	off := rep.Results[0].ID
	_, err = set.Instances().Shutdown(ctx, off)
	require.NoError(t, err)
	_, err = set.Instances().WaitFor(ctx, []string{off}, perspective.StateShutoff)
	require.NoError(t, err)

	b := newBrowser(t)
	b.signIn(url)
	b.wait("2 rows", rowsOf+" === 2")
	b.click("#select-all")
	b.wait("reboot enabled", "!document.querySelector('#act-reboot').disabled")

	// Record whether the refusal showed while the task ran (its progress
	// bar not full).
	js[bool](b, `(() => { window.sawLive = false; new MutationObserver(() => {
		const bar = document.querySelector('#task-progress'), li = document.querySelector('#task-failures li.failed');
		if (bar && bar.value < bar.max && li && li.textContent.includes('is shutoff; reboot is allowed only when')) window.sawLive = true
	}).observe(document.body, {subtree: true, childList: true, characterData: true}); return true })()`)
	b.click("#act-reboot")
	b.wait("the reboot results", "!!document.querySelector('#task-results') && document.querySelector('#task').textContent.includes('1 succeeded, 1 failed')")
	require.True(t, js[bool](b, "window.sawLive"), "the running task did not list the refused item")
	b.shot("25-live-results")
}
