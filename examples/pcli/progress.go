package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far a bulk call is: a progress bar when it is drawn
// on a terminal, plain lines otherwise (one per tenth of the items, so a
// log of a thousand items stays short). It goes to stderr, so that stdout
// keeps only the result.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	bar   *progressbar.ProgressBar // nil when not on a terminal
	step  int                      // plain mode: the last tenth printed
	done  int
}

// newProgress starts showing progress of label over total items.
func (a *app) newProgress(label string, total int) *progress {
	p := &progress{w: a.stderr, label: label, step: -1}
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
	if total <= 0 {
		return
	}
	if step := done * 10 / total; step > p.step || done == total {
		p.step = step
		fmt.Fprintf(p.w, "%s: %d/%d done\n", p.label, done, total)
	}
}

// finish ends the display: the bar is drawn complete (or left where it
// stopped when the call was interrupted) and the line ended.
func (p *progress) finish(interrupted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		if interrupted {
			fmt.Fprintf(p.w, "%s: interrupted after %d items\n", p.label, p.done)
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
