package main

import (
	"context"
	"net/http"
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
)

// bulkWork is the work of one bulk request. It reports progress into t
// (t.track() for library calls, t.record for item-by-item work).
type bulkWork func(ctx context.Context, t *task) (*perspective.Report, error)

// wantsAsync reports whether the client asked not to wait for the call:
// "Prefer: respond-async" (RFC 7240) or ?async=true.
func wantsAsync(r *http.Request) bool {
	for _, p := range r.Header.Values("Prefer") {
		if strings.Contains(strings.ToLower(p), "respond-async") {
			return true
		}
	}
	switch r.URL.Query().Get("async") {
	case "1", "true", "yes":
		return true
	}
	return false
}

// runBulk runs work as a task over items (their ids, or names for
// launches). It answers with the task: 200 when every item succeeded, 207
// when some failed, the failure's own status when all failed for one
// reason; or, when the client asked for it, 202 at once, the task running
// on until GET /tasks/{id} shows it done. Location names the task either way.
func (d *deps) runBulk(w http.ResponseWriter, r *http.Request, op perspective.Operation, items []string, work bulkWork) {
	t, err := d.tasks.start(operationName(op), items)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Location", "/tasks/"+t.id)
	if wantsAsync(r) {
		d.tasks.goAsync(func(ctx context.Context) {
			t.finish(work(ctx, t))
		})
		v, _ := t.view()
		encode(w, http.StatusAccepted, v)
		return
	}
	t.finish(work(r.Context(), t))
	v, status := t.view()
	encode(w, status, v)
}
