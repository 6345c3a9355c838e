//go:build browser

package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/perspective"
)

// errorsCloud is the mock cloud of TestBrowserErrors: room for two
// instances, and a cloud without remote consoles, console logs or usage
// figures (each answers "unsupported", HTTP 501).
const errorsCloud = "mock://?quota=2&delay=400ms&fail=console:unsupported,log:unsupported,usage:unsupported"

// showOnly shows the instances page filtered to the instance called name,
// waits until it is the one row, in state, and returns its id.
func (b *browser) showOnly(name, state string) string {
	b.t.Helper()
	js[bool](b, "(location.hash = '#/instances', true)")
	b.fill("#filter", "hostname="+name)
	b.wait(name+" alone", fmt.Sprintf("%s === 1 && document.querySelector('#rows .state')?.textContent === %q", rowsOf, state))
	return js[string](b, "document.querySelector('#rows tr[data-id]').dataset.id")
}

// noSpinner is true when nothing on the page says it is still working.
const noSpinner = `!document.querySelector('.spinner') && !document.querySelector('[aria-busy="true"]') &&
	![...document.querySelectorAll('.hint')].some(e => /starting…|Loading/.test(e.textContent))`

// requireNoSpinner checks, after a pause longer than a poll, that no
// spinner or busy indicator is left after an error.
func (b *browser) requireNoSpinner(after string) {
	b.t.Helper()
	time.Sleep(1200 * time.Millisecond)
	require.True(b.t, js[bool](b, noSpinner), "a spinner or busy indicator is left running after %s", after)
}

// TestBrowserErrors proves in a real browser that the UI shows the API's
// own message for a quota refusal (403), an invalid state (409) and an
// unsupported operation (501), and leaves no spinner running after any of
// them. Screenshots of each error go under testoutput/browser.
func TestBrowserErrors(t *testing.T) {
	url, set := startCloudServer(t, errorsCloud)
	b := newBrowser(t)

	b.signIn(url)
	b.wait("the empty table", "document.querySelector('#rows')?.textContent?.includes('No instances yet')")

	// Quota: 3 instances where 2 fit. Two launch, the third shows the
	// cloud's quota message in the per-item results.
	b.launch("err", 3)
	b.wait("the launch results", "!!document.querySelector('#task-results') && document.querySelector('#task')?.textContent?.includes('2 succeeded, 1 failed')")
	b.wait("the quota message in the failed row",
		"document.querySelector('#task-results tbody tr.failed')?.textContent?.includes('Quota exceeded for instances: Requested 1, but already used 2 of 2 instances')")
	b.wait("2 rows", rowsOf+" === 2")
	b.requireNoSpinner("a launch over the quota")
	b.shot("20-quota-partial")

	// A launch that the quota refuses entirely: the dialog comes back with
	// the message next to the count and in the alert bar.
	b.launch("over", 1)
	b.wait("the quota message next to the count",
		"document.querySelector('#launch').open && document.querySelector('#l-count-err')?.textContent?.includes('Quota exceeded for instances: Requested 1, but already used 2 of 2 instances')")
	b.wait("the quota message in the alert bar", "!document.querySelector('#alert').hidden && document.querySelector('#alert-text')?.textContent?.includes('Quota exceeded')")
	b.wait("the launch button usable again", "!document.querySelector('#launch-ok').disabled")
	require.Equal(t, "true", js[string](b, "document.querySelector('#l-count').getAttribute('aria-invalid')"))
	b.requireNoSpinner("a launch the quota refuses")
	b.shot("21-quota-refused")
	b.click("#launch-cancel")
	b.wait("the dialog closed", "!document.querySelector('#launch').open")

	// Which two of err-1…err-3 launched depends on the order the cloud saw
	// them in. Shut the first down through the UI (the dry run admits it).
	b.wait("both launched", "[...document.querySelectorAll('#rows .state')].filter(s => s.textContent === 'launched').length === 2")
	names := js[[]string](b, "[...document.querySelectorAll('#rows tr[data-id] a')].map(a => a.textContent).sort()")
	require.Len(t, names, 2)
	b.showOnly(names[0], "launched")
	b.click("#select-all")
	b.wait("shut down enabled", "!document.querySelector('#act-shutdown').disabled")
	b.click("#act-shutdown")
	b.wait("the confirmation", "document.querySelector('#confirm').open")
	b.click("#confirm-ok")
	b.wait("the shutdown results", "!!document.querySelector('#task-results') && document.querySelector('#task')?.textContent?.includes('1 succeeded, 0 failed')")
	b.wait("the first shut off", "document.querySelector('#rows .state')?.textContent === 'shutoff'")
	off := js[string](b, "document.querySelector('#rows tr[data-id]').dataset.id")

	// The instance page of a shut-off instance on a cloud without usage,
	// logs or consoles: 501 for the chart and the log, 409 for the console
	// (the state machine refuses it before the cloud is asked).
	js[bool](b, fmt.Sprintf("(location.hash = '#/instances/' + encodeURIComponent(%q), true)", off))
	b.wait("the instance page", "document.querySelector('#instance-state')?.textContent === 'shutoff'")
	b.wait("the usage's 501 message", "document.querySelector('#chart-box .failed')?.textContent?.includes('usage fails with unsupported') && document.querySelector('#chart-box')?.textContent?.includes('(HTTP 501)')")
	b.click("#load-log")
	b.wait("the log's 501 message", "document.querySelector('#console-log')?.textContent?.includes('log fails with unsupported') && document.querySelector('#console-log')?.textContent?.includes('(HTTP 501)')")
	b.wait("the log button usable again", "!document.querySelector('#load-log').disabled")
	b.click("#console-link")
	b.wait("the console's 409 message", `document.querySelector('#console-error')?.textContent?.includes('is shutoff; console is allowed only when launched, paused') &&
		document.querySelector('#console-error')?.textContent?.includes('(HTTP 409)')`)
	b.requireNoSpinner("409 and 501 answers on the instance page")
	b.shot("22-instance-409-501")

	// A launched instance's console: the cloud answers 501.
	running := b.showOnly(names[1], "launched")
	js[bool](b, fmt.Sprintf("(location.hash = '#/instances/' + encodeURIComponent(%q), true)", running))
	b.wait("the instance page", "document.querySelector('#instance-state')?.textContent === 'launched'")
	b.click("#console-link")
	b.wait("the console's 501 message", `document.querySelector('#console-error')?.textContent?.includes('console fails with unsupported') &&
		document.querySelector('#console-error')?.textContent?.includes('(HTTP 501)')`)
	b.requireNoSpinner("a 501 console")
	b.shot("23-console-501")

	// An action the dry run admitted, on an instance whose state changed
	// since: reboot the second after another client shut it down. The page's
	// polling is paused (document.hidden) so the button keeps the dry
	// run's answer; the per-item result carries the API's message.
	b.showOnly(names[1], "launched")
	b.click("#select-all")
	b.wait("reboot enabled", "!document.querySelector('#act-reboot').disabled")
	js[bool](b, "(Object.defineProperty(document, 'hidden', {value: true, configurable: true}), true)")
	time.Sleep(1500 * time.Millisecond) // a poll already under way ends
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := set.Instances().Shutdown(ctx, running)
	require.NoError(t, err)
	_, err = set.Instances().WaitFor(ctx, []string{running}, perspective.StateShutoff)
	require.NoError(t, err)
	require.False(t, js[bool](b, "document.querySelector('#act-reboot').disabled"), "the dry run's answer changed while polling was paused")
	b.click("#act-reboot")
	b.wait("the reboot's invalid-state result", `!!document.querySelector('#task-results') && document.querySelector('#task')?.textContent?.includes('0 succeeded, 1 failed') &&
		document.querySelector('#task-results tbody tr.failed')?.textContent?.includes('is shutoff; reboot is allowed only when launched')`)
	js[bool](b, "(delete document.hidden, true)")
	b.requireNoSpinner("a refused reboot")
	b.shot("24-reboot-409")
}
