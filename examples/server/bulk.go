package main

import (
	"context"
	"net/http"
	"strings"

	"golang.org/x/sync/errgroup"

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

// runEach is runBulk for a call that the server runs item by item
// (launches, images): one returns the result of item i of keys. At most
// limit items run at once; the task records each result as it comes.
func (d *deps) runEach(w http.ResponseWriter, r *http.Request, op perspective.Operation, keys []string, limit int,
	one func(ctx context.Context, i int) perspective.Result) {
	d.runBulk(w, r, op, keys, func(ctx context.Context, t *task) (*perspective.Report, error) {
		rep := &perspective.Report{Op: op, Results: make([]perspective.Result, len(keys))}
		var g errgroup.Group
		g.SetLimit(limit)
		for i := range keys {
			g.Go(func() error {
				rep.Results[i] = one(ctx, i)
				t.record(i, rep.Results[i])
				return nil
			})
		}
		_ = g.Wait()
		return rep, rep.Err()
	})
}

// keysOf returns the key of each item: the ids or names a task shows
// before the items run.
func keysOf[T any](items []T, key func(T) string) []string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = key(it)
	}
	return keys
}
