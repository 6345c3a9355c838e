package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/perspective-cloud/sdk/perspective"
)

// progress shows how far a bulk call is, on stderr (stdout keeps only the
// result). On a terminal it draws a progress bar and prints each item
// that fails (or, in a dry run, is refused) above the bar as it happens.
// Elsewhere (a CI log) it prints one line per item as the item is done:
//
//	reboot: 2/3 failed batch: instance "batch" is shutoff; reboot is allowed only when launched
//
// Lines come in the order items finish, which with --concurrency above 1
// is not the order of the arguments; the summary keeps that order.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	label  string
	dryRun bool
	names  map[string]string // instance names by id, where known
	shared map[string]bool   // names several instances carry: shown with the id
	bar    *progressbar.ProgressBar
	last   *outcome // plain mode: the item told of last, until its count comes
	done   int
	// canceled counts the items canceled (not started, or interrupted).
	canceled int
}

// newProgress starts showing progress of label over total items; names
// maps ids to instance names, dryRun says items are admitted or refused.
func (a *app) newProgress(label string, total int, names map[string]string, dryRun bool) *progress {
	p := &progress{w: a.stderr, label: label, dryRun: dryRun, names: names, shared: map[string]bool{}}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		p.shared[n] = seen[n]
		seen[n] = true
	}
	if isTerminal(a.stderr) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription(label),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionThrottle(50*time.Millisecond),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionSetTheme(progressbar.Theme{Saucer: "=", SaucerHead: ">",
				SaucerPadding: " ", BarStart: "[", BarEnd: "]"}),
		)
	}
	return p
}

// options are the call options that feed p: perspective.OnResult for each
// item, then perspective.Progress for the count (the library calls them in
// that order, serialized).
func (p *progress) options() []perspective.CallOption {
	return []perspective.CallOption{perspective.OnResult(p.item), perspective.Progress(p.update)}
}

// item is the perspective.OnResult callback: one item is done.
func (p *progress) item(r perspective.Result) {
	o := outcomeOf(r, p.names, p.dryRun)
	p.mu.Lock()
	defer p.mu.Unlock()
	if o.Status == statusCanceled {
		p.canceled++
	}
	if p.bar == nil {
		p.last = &o // printed with its count by update
		return
	}
	if o.Status == statusFailed || o.Status == statusRefused {
		// Erase the bar, print the line where it was, draw the bar again
		// below (as last drawn; the next update redraws it).
		_ = p.bar.Clear()
		fmt.Fprintf(p.w, "%s: %s\n%s", p.label, p.describe(o), p.bar.String())
	}
}

// update is the perspective.Progress callback: done of total items have
// finished.
func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	if p.bar != nil {
		if p.bar.GetMax() != total {
			p.bar.ChangeMax(total)
		}
		_ = p.bar.Set(done)
		return
	}
	if p.last != nil {
		fmt.Fprintf(p.w, "%s: %d/%d %s\n", p.label, done, total, p.describe(*p.last))
		p.last = nil
	}
}

// describe is an item's line: its result, the instance (by name where
// known, with the id where the name is not unique), and the detail.
func (p *progress) describe(o outcome) string {
	who := o.ID
	switch {
	case o.Name != "" && p.shared[o.Name]:
		who = o.Name + " (" + o.ID + ")"
	case o.Name != "":
		who = o.Name
	}
	line := o.Status + " " + who
	if d := o.detail(); d != "" {
		line += ": " + d
	}
	return line
}

// finish ends the display: the bar is drawn complete (or left where it
// stopped when the call was interrupted) and the line ended.
func (p *progress) finish(interrupted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		if interrupted {
			fmt.Fprintf(p.w, "%s: interrupted after %d items\n", p.label, p.done-p.canceled)
		}
		return
	}
	if interrupted {
		_ = p.bar.Exit()
	} else {
		_ = p.bar.Finish()
	}
	fmt.Fprintln(p.w)
}
