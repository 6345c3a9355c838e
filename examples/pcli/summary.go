package main

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// Item statuses of a summary.
const (
	statusOK       = "ok"
	statusFailed   = "failed"
	statusCanceled = "canceled" // never started, or interrupted, by Ctrl-C or --timeout
	statusAdmitted = "admitted" // --dry-run: the operation would be attempted
	statusRefused  = "refused"  // --dry-run: the operation would be refused
)

// outcome is one item of a summary.
type outcome struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Status   string `json:"status"`
	Code     string `json:"code,omitempty"`
	Error    string `json:"error,omitempty"`
	State    string `json:"state,omitempty"`
	Image    string `json:"image,omitempty"`
	Address  string `json:"address,omitempty"`
	Attempts int    `json:"attempts"`
}

// summary is what a bulk command prints at the end: one outcome per item.
type summary struct {
	Operation string    `json:"operation"`
	DryRun    bool      `json:"dryRun,omitempty"`
	Succeeded int       `json:"succeeded"`
	Failed    int       `json:"failed"`
	Canceled  int       `json:"canceled"`
	Results   []outcome `json:"results"`
}

// summarize turns a report into a summary; names maps ids to instance
// names where they are known.
func summarize(rep *perspective.Report, names map[string]string, dryRun bool) *summary {
	s := &summary{Operation: string(rep.Op), DryRun: dryRun, Results: make([]outcome, 0, len(rep.Results))}
	for _, r := range rep.Results {
		s.Results = append(s.Results, outcomeOf(r, names, dryRun))
	}
	s.count()
	return s
}

// outcomeOf is one item of a report as the summary shows it.
func outcomeOf(r perspective.Result, names map[string]string, dryRun bool) outcome {
	o := outcome{ID: r.ID, Name: names[r.ID], Attempts: r.Attempts, Address: r.Address}
	if r.Instance != nil {
		if o.ID == "" {
			o.ID = r.Instance.ID
		}
		o.Name = r.Instance.Name
		o.State = string(r.Instance.State)
	}
	if r.Image != nil {
		o.Image = r.Image.Name
	}
	if o.Name == "" {
		o.Name = nameInError(r.Err)
	}
	o.setErr(r.Err, dryRun)
	return o
}

func (o *outcome) setErr(err error, dryRun bool) {
	switch {
	case err == nil && dryRun:
		o.Status = statusAdmitted
	case err == nil:
		o.Status = statusOK
	case dryRun:
		o.Status = statusRefused
	case perspective.Code(err) == perspective.CodeCanceled:
		o.Status = statusCanceled
	default:
		o.Status = statusFailed
	}
	if err != nil {
		o.Code = perspective.Code(err).String()
		o.Error = reason(err)
	}
}

func (s *summary) count() {
	s.Succeeded, s.Failed, s.Canceled = 0, 0, 0
	for _, o := range s.Results {
		switch o.Status {
		case statusOK, statusAdmitted:
			s.Succeeded++
		case statusCanceled:
			s.Canceled++
		default:
			s.Failed++
		}
	}
}

// merge folds the report of waiting for the succeeded items into s: an item
// that did not reach its target state fails (or is canceled) with why.
func (s *summary) merge(wait *perspective.Report, targets []perspective.State) {
	byID := make(map[string]perspective.Result, len(wait.Results))
	for _, r := range wait.Results {
		byID[r.ID] = r
	}
	for i := range s.Results {
		o := &s.Results[i]
		r, ok := byID[o.ID]
		if !ok || o.Status != statusOK {
			continue
		}
		if r.Instance != nil {
			o.State = string(r.Instance.State)
		}
		switch {
		case r.Err != nil:
			o.setErr(r.Err, false)
			o.Error = "waiting: " + o.Error
		case !slices.Contains(targets, perspective.State(o.State)) && slices.Contains(targets, perspective.StateDeleted):
			// WaitFor counts a vanished instance as deleted; its result
			// may still carry the instance as last seen.
			o.State = string(perspective.StateDeleted)
		}
	}
	s.count()
}

// print writes the summary as a table (ID, name, result, detail), JSON or
// CSV, then a one-line total to stderr.
func (a *app) printSummary(s *summary, took time.Duration) error {
	t := table{header: []string{"id", "name", "result", "detail"}}
	for _, o := range s.Results {
		t.add(o.ID, o.Name, o.Status, o.detail())
	}
	if err := a.emit(s, t); err != nil {
		return err
	}
	verb := "succeeded"
	if s.DryRun {
		verb = "admitted"
	}
	line := fmt.Sprintf("%s: %d %s", s.Operation, s.Succeeded, verb)
	if s.Failed > 0 {
		word := "failed"
		if s.DryRun {
			word = "refused"
		}
		line += fmt.Sprintf(", %d %s", s.Failed, word)
	}
	if s.Canceled > 0 {
		line += fmt.Sprintf(", %d canceled", s.Canceled)
	}
	fmt.Fprintf(a.stderr, "%s (of %d) in %s\n", line, len(s.Results), took.Round(time.Millisecond))
	if s.Failed+s.Canceled > 0 {
		return &partialError{failed: s.Failed + s.Canceled, total: len(s.Results)}
	}
	return nil
}

// detail is the table's last column: why an item failed, or what it produced.
func (o outcome) detail() string {
	switch {
	case o.Error != "":
		return o.Error
	case o.Image != "":
		return "image " + o.Image
	case o.Address != "":
		return o.Address
	case o.State != "":
		return "now " + o.State
	}
	return ""
}

// reason is an error's message without the "operation instance <id>:"
// prefix the summary's columns already show.
func reason(err error) string {
	var e *perspective.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	switch {
	case e.Msg != "" && e.Err != nil && e.Err.Error() != "":
		return e.Msg + ": " + e.Err.Error()
	case e.Msg != "":
		return e.Msg
	case e.Err != nil:
		return reason(e.Err)
	}
	return e.Error()
}

// nameInError returns the name a failed launch item carries in its error.
func nameInError(err error) string {
	var e *perspective.Error
	if errors.As(err, &e) && e.Op == perspective.OpLaunch {
		return e.ID
	}
	return ""
}
