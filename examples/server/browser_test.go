//go:build browser

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/examples/server/internal/auth"
	"github.com/perspective-cloud/sdk/perspective"
)

// chromiumPath is Debian's chromium package's browser.
const chromiumPath = "/usr/bin/chromium"

// shotDir is where the screenshots go: testoutput/browser at the
// repository root (git-ignored).
var shotDir = filepath.Join("..", "..", "testoutput", "browser")

// browser drives one headless Chromium tab.
type browser struct {
	t   testing.TB
	ctx context.Context
}

func newBrowser(t testing.TB) *browser {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		t.Fatalf("%s is missing: the browser tests need Debian's chromium package "+
			"(apt-get install -y chromium; .ci/browser-tests installs it)", chromiumPath)
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800))
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(alloc)
	t.Cleanup(cancel2)
	b := &browser{t: t, ctx: ctx}
	_, err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 800))
	require.NoError(t, err, "start %s", chromiumPath)
	require.NoError(t, os.MkdirAll(shotDir, 0o755))
	return b
}

func (b *browser) do(what string, a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, a)
	require.NoError(b.t, err, what)
}

// js evaluates expr and returns its value.
func js[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(b.t, err, expr)
	return v
}

// wait waits until the JavaScript predicate expr holds.
func (b *browser) wait(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		body := js[string](b, "document.body.innerText.slice(0, 3000)")
		b.shot("failure-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("waiting for %s (%s): %v\npage text:\n%s", what, expr, err, body)
	}
}

// click clicks the element of a CSS selector.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.wait("element "+sel, fmt.Sprintf("!!document.querySelector(%q)", sel))
	js[bool](b, fmt.Sprintf("(document.querySelector(%q).click(), true)", sel))
}

// fill types v into the input of a CSS selector.
func (b *browser) fill(sel, v string) {
	b.t.Helper()
	b.wait("input "+sel, fmt.Sprintf("!!document.querySelector(%q)", sel))
	js[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.value = %q;
		el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); return true })()`, sel, v))
}

// choose sets the value of the select or input of a CSS selector and
// tells the page, as a person's choice does (a change event).
func (b *browser) choose(sel, v string) {
	b.t.Helper()
	b.wait("control "+sel, fmt.Sprintf("!!document.querySelector(%q)", sel))
	js[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q;
		el.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, sel, v))
}

// shot saves a screenshot of the whole page.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG; below, JPEG
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(shotDir, name+".png"), png, 0o644))
}

// startCloudServer serves the API and the UI with sign-in (the demo users
// of internal/auth/testdata/users.yaml) over the mock cloud of rawURL, and returns
// the server's URL and the cloud set.
func startCloudServer(t testing.TB, rawURL string) (string, *perspective.Set) {
	t.Helper()
	c, err := perspective.Open(context.Background(), rawURL)
	require.NoError(t, err)
	set, err := perspective.NewSet(c)
	require.NoError(t, err)
	ids, err := auth.LoadStatic(filepath.Join("internal", "auth", "testdata", "users.yaml"))
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	u := newUsers(auth.New(auth.Config{Identity: ids, Public: publicPaths, Log: log}), 64)
	tasks := newTaskStore(64)
	srv := httptest.NewServer(newServer(&deps{set: set, tasks: tasks, version: "e2e", log: log, users: u}))
	t.Cleanup(func() { srv.Close(); u.Close(); tasks.Close(); _ = set.Close() })
	return srv.URL, set
}

// signIn opens the application at url and signs in as the demo user.
func (b *browser) signIn(url string) {
	b.t.Helper()
	b.do("open the application", chromedp.Navigate(url+"/"))
	b.fill("#username", "demo")
	b.fill("#password", "demo")
	b.click("#signin-submit")
}

// launch opens the launch dialog, fills in a name and a count and sends it.
func (b *browser) launch(name string, count int) {
	b.t.Helper()
	b.click("#launch-open")
	b.wait("the launch form", "document.querySelector('#launch').open && !document.querySelector('#launch-ok').disabled")
	b.fill("#l-name", name)
	b.fill("#l-count", strconv.Itoa(count))
	b.click("#launch-ok")
}

const rowsOf = `document.querySelectorAll('#rows tr[data-id]').length`

// TestBrowserEndToEnd signs in, launches 3 instances, filters them,
// selects all, reboots them with progress and per-item results, opens one
// instance's page with its chart, deletes them, and saves a screenshot of
// every page under testoutput/browser.
func TestBrowserEndToEnd(t *testing.T) {
	url, _ := startCloudServer(t, "mock://?delay=400ms") // transitions take time
	b := newBrowser(t)

	b.do("open the application", chromedp.Navigate(url+"/"))
	b.wait("the sign-in page", "!!document.querySelector('#username')")
	b.shot("01-signin")

	// A wrong password: the API's message, and no spinner.
	b.fill("#username", "demo")
	b.fill("#password", "not-the-password")
	b.click("#signin-submit")
	b.wait("the sign-in error", "document.querySelector('#signin-error').textContent.includes('wrong user name or password')")
	b.wait("the button back", "document.querySelector('#signin-submit').textContent === 'Sign in'")

	b.fill("#password", "demo")
	b.click("#signin-submit")
	b.wait("the instances page", "!!document.querySelector('#instances') && document.querySelector('#who-name').textContent.includes('demo')")
	b.wait("the empty table", "document.querySelector('#rows').textContent.includes('No instances yet')")

	// Launch 3 instances.
	b.click("#launch-open")
	b.wait("the launch form", "document.querySelector('#launch').open && !document.querySelector('#launch-ok').disabled")
	b.click("#launch-ok")
	b.wait("the name's error next to it", "document.querySelector('#l-name-err').textContent.includes('name')")
	b.fill("#l-name", "e2e-web")
	b.fill("#l-count", "3")
	b.shot("02-launch-dialog")
	b.click("#launch-ok")
	b.wait("the launch results", "!!document.querySelector('#task-results') && document.querySelector('#task').textContent.includes('3 succeeded')")
	b.wait("3 rows", rowsOf+" === 3")
	b.wait("3 launched", "[...document.querySelectorAll('#rows .state')].filter(s => s.textContent === 'launched').length === 3")
	b.shot("03-launched")

	// Filter: seed 004's field filters, then the WHERE text.
	b.fill("#filter", "hostname=e2e-web-2")
	b.wait("the field filter", rowsOf+" === 1")
	b.fill("#filter", "name LIKE 'e2e-web%' AND state = 'launched'")
	b.wait("the WHERE filter", rowsOf+" === 3 && document.querySelector('#count').textContent.startsWith('3 instances')")
	b.fill("#filter", "state = 'shutoff'")
	b.wait("a WHERE filter that matches none", rowsOf+" === 0")
	b.fill("#filter", "hostname=e2e-web o=-hostname")
	b.wait("sorted descending", rowsOf+" === 3 && document.querySelector('#rows a').textContent.startsWith('e2e-web-3')")
	b.shot("04-filtered")

	// Select all: the dry run disables what launched instances cannot do.
	b.click("#select-all")
	b.wait("reboot enabled", "!document.querySelector('#act-reboot').disabled")
	b.wait("start disabled with the reason", "document.querySelector('#act-start').disabled && document.querySelector('#act-start').title.includes('not possible')")

	// Reboot: the progress bar, then the per-item results.
	js[bool](b, `(() => { window.sawProgress = false; new MutationObserver(() => {
		if (document.querySelector('#task-progress')) window.sawProgress = true }).observe(document.body, {subtree: true, childList: true}); return true })()`)
	b.click("#act-reboot")
	b.wait("the reboot results", "!!document.querySelector('#task-results') && document.querySelector('#task').textContent.includes('Reboot: 3 instances — 3 succeeded, 0 failed')")
	require.True(t, js[bool](b, "window.sawProgress"), "no progress bar was shown")
	require.Equal(t, 3, js[int](b, "document.querySelectorAll('#task-results tbody tr.ok').length"))
	b.wait("the live state: rebooting shows", "[...document.querySelectorAll('#rows .state')].some(s => s.textContent === 'rebooting') || [...document.querySelectorAll('#rows .state')].every(s => s.textContent === 'launched')")
	b.shot("05-rebooted")
	b.wait("back to launched within 2 s of the change", "[...document.querySelectorAll('#rows .state')].filter(s => s.textContent === 'launched').length === 3")

	// One instance's page and its chart.
	b.click("#rows a")
	b.wait("the instance page", "!!document.querySelector('#usage-chart svg path.line') && document.querySelector('#props').textContent.includes('m1.')")
	b.click("#load-log")
	b.wait("the console log", "!document.querySelector('#console-log').textContent.includes('Loading') && document.querySelector('#console-log').textContent !== 'Not loaded.'")
	b.choose("#usage-item", "memory")
	b.wait("the memory chart", "!!document.querySelector('#usage-chart')?.textContent.includes('MiB')")
	// The console link asks the API first, then opens the console (a
	// redirect) in a new tab; window.open is recorded instead.
	js[bool](b, "(window.opened = '', window.open = (u) => { window.opened = u; return null }, true)")
	b.click("#console-link")
	b.wait("the console opened", "window.opened.endsWith('/console') && !document.querySelector('#console-link [class=spinner]')")
	require.Empty(t, js[string](b, "document.querySelector('#console-error').textContent"), "a console that exists shows no error")
	b.shot("06-instance")

	// The other pages.
	for _, p := range []struct{ hash, ready, name string }{
		{"#/images", "document.querySelectorAll('#image-rows tr').length > 0", "07-images"},
		{"#/keypairs", "!!document.querySelector('#keypair-rows tr')", "08-keypairs"},
		{"#/projects", "!!document.querySelector('.project')", "09-projects"},
	} {
		js[bool](b, fmt.Sprintf("(location.hash = %q, true)", p.hash))
		b.wait(p.name, p.ready)
		b.shot(p.name)
	}

	// Generate a keypair: the private key is offered once.
	js[bool](b, "(location.hash = '#/keypairs', true)")
	b.fill("#kp-gen-name", "e2e-key")
	b.click("#kp-generate")
	b.wait("the private key offer", "document.querySelector('#secret').open && document.querySelector('#secret-download').href.startsWith('blob:')")
	b.shot("10-private-key")
	js[bool](b, "(document.querySelector('#secret').close(), true)")
	b.wait("the link revoked", "!document.querySelector('#secret-download').hasAttribute('href')")

	// Phone width.
	js[bool](b, "(location.hash = '#/instances', true)")
	b.do("phone width", chromedp.EmulateViewport(390, 844))
	b.wait("the instances at phone width", rowsOf+" === 3")
	b.shot("11-phone")
	b.do("desktop width", chromedp.EmulateViewport(1280, 800))

	// Delete them, with a confirmation.
	b.click("#select-all")
	b.wait("delete enabled", "!document.querySelector('#act-delete').disabled")
	b.click("#act-delete")
	b.wait("the confirmation", "document.querySelector('#confirm').open")
	b.shot("12-confirm-delete")
	b.click("#confirm-ok")
	b.wait("the delete results", "!!document.querySelector('#task-results') && document.querySelector('#task').textContent.includes('3 succeeded')")
	b.wait("the instances gone", rowsOf+" === 0")
	b.shot("13-deleted")
	require.False(t, js[bool](b, "!!document.querySelector('.spinner')"), "a spinner is left running")

	// Sign out: the API refuses the old session.
	b.click("#signout")
	b.wait("the sign-in page again", "!!document.querySelector('#username')")
}
