package main

import (
	"net/http"
	"time"
)

// pingTimeout bounds GET /ping.
const pingTimeout = 5 * time.Second

// handleVersion serves GET /version as plain text.
func handleVersion(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "text/plain; charset=utf-8", d.version+"\n")
	})
}

// handleOperations serves GET /operations: cloud type → operation names.
func handleOperations(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		encode(w, http.StatusOK, operationsOf(d.set))
	})
}

// handleGetTask serves GET /tasks/{id}: a bulk call's progress and results.
func handleGetTask(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, ok := d.tasks.get(r.PathValue("id"))
		if !ok {
			writeError(w, notFoundf("no task %q (tasks are kept in memory, the most recent ones only)", r.PathValue("id")))
			return
		}
		v, _ := t.view()
		encode(w, http.StatusOK, v)
	})
}

// taskSummary is a task in GET /tasks, without its items.
type taskSummary struct {
	Task      string `json:"task"`
	Operation string `json:"operation"`
	State     string `json:"state"`
	Total     int    `json:"total"`
	Done      int    `json:"done"`
}

// handleListTasks serves GET /tasks: the tasks kept, newest first.
func handleListTasks(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		ts := d.tasks.list()
		out := make([]taskSummary, len(ts))
		for i, t := range ts {
			v, _ := t.view()
			out[i] = taskSummary{Task: v.Task, Operation: v.Operation, State: v.State, Total: v.Total, Done: v.Done}
		}
		encode(w, http.StatusOK, out)
	})
}
