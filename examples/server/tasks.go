package main

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/perspective-cloud/sdk/perspective"
)

// Task states. A finished task is succeeded (every item), partial (some
// items failed) or failed (every item failed, or the call as a whole).
const (
	taskRunning   = "running"
	taskSucceeded = "succeeded"
	taskPartial   = "partial"
	taskFailed    = "failed"
)

// Item states.
const (
	itemPending   = "pending"
	itemSucceeded = "succeeded"
	itemFailed    = "failed"
)

// resultView is one item of a bulk answer or a task.
type resultView struct {
	ID string `json:"id"`
	// State is pending while the item runs, then succeeded or failed.
	State string `json:"state"`
	// Status, Code and Message say why the item failed: the HTTP status
	// the failure would have on its own, and the error.
	Status     int           `json:"status,omitempty"`
	Code       string        `json:"code,omitempty"`
	Message    string        `json:"message,omitempty"`
	Instance   *instanceView `json:"instance,omitempty"`
	Image      *imageView    `json:"image,omitempty"`
	Address    string        `json:"address,omitempty"`
	Attempts   int           `json:"attempts"`
	DurationMS float64       `json:"durationMs"`
}

func resultOf(r perspective.Result) resultView {
	v := resultView{ID: r.ID, State: itemSucceeded, Instance: instanceOf(r.Instance), Image: imageOf(r.Image),
		Address: r.Address, Attempts: r.Attempts, DurationMS: float64(r.Duration.Microseconds()) / 1000}
	if r.Err != nil {
		v.State = itemFailed
		v.Status, v.Code = statusOf(r.Err)
		v.Message = clip(r.Err.Error(), maxMessageBytes)
	}
	return v
}

// taskView is a task as GET /tasks/{id} and every bulk answer show it.
type taskView struct {
	Task      string       `json:"task"`
	Operation string       `json:"operation"`
	State     string       `json:"state"`
	Total     int          `json:"total"`
	Done      int          `json:"done"`
	Succeeded int          `json:"succeeded"`
	Failed    int          `json:"failed"`
	Created   time.Time    `json:"created"`
	Finished  *time.Time   `json:"finished,omitempty"`
	Code      string       `json:"code,omitempty"`
	Message   string       `json:"message,omitempty"`
	Results   []resultView `json:"results"`
}

// task is one bulk call: each item's result as soon as that item is done,
// and the call's outcome once it ends.
type task struct {
	id      string
	op      string
	created time.Time

	mu       sync.Mutex
	state    string
	done     int
	items    []resultView
	sizes    []int            // the encoded size of each item, as stored
	bytes    int              // the sum of sizes
	byID     map[string][]int // the indexes of items by id
	err      error            // the call's own error, when no item could run
	finished time.Time
	end      chan struct{} // closed when the task finishes
}

// track is a perspective call option that stores each item's result in
// the task as soon as the library has it, so that GET /tasks/{id} shows
// the finished items while the others still run. The library names a
// result by the id given; every item with that id gets it.
func (t *task) track() perspective.CallOption { return t.trackWith(nil) }

// trackWith is track with each result passed through fix first (when not
// nil), outside the task's lock.
func (t *task) trackWith(fix func(perspective.Result) perspective.Result) perspective.CallOption {
	return perspective.OnResult(func(r perspective.Result) {
		if fix != nil {
			r = fix(r)
		}
		t.mu.Lock()
		defer t.mu.Unlock()
		for _, i := range t.byID[r.ID] {
			if t.items[i].State == itemPending {
				t.setLocked(i, resultOf(r))
				t.done++
			}
		}
	})
}

// setLocked stores v as item i, within maxResultBytes (see fit). t.mu
// must be held.
func (t *task) setLocked(i int, v resultView) {
	v, n := fit(v)
	t.items[i] = v
	t.bytes += n - t.sizes[i]
	t.sizes[i] = n
}

// size returns the bytes the task's items take, encoded.
func (t *task) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bytes
}

// record stores the result of item i as soon as it is known, for calls
// the server runs item by item (launches, images).
func (t *task) record(i int, r perspective.Result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i >= 0 && i < len(t.items) {
		t.setLocked(i, resultOf(r))
		t.done++
	}
}

// finish stores the outcome of the call.
func (t *task) finish(rep *perspective.Report, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if rep != nil && len(rep.Results) > 0 {
		t.items, t.sizes, t.bytes = make([]resultView, len(rep.Results)), make([]int, len(rep.Results)), 0
		for i, r := range rep.Results {
			t.setLocked(i, resultOf(r))
		}
	} else if err != nil {
		t.err = err
		status, code := statusOf(err)
		for i, it := range t.items {
			if it.State == itemPending {
				it.State, it.Status, it.Code, it.Message = itemFailed, status, code, clip(err.Error(), maxMessageBytes)
				t.setLocked(i, it)
			}
		}
	}
	t.done = len(t.items)
	t.finished = time.Now()
	ok, failed := t.counts()
	switch {
	case t.err != nil || (failed > 0 && ok == 0):
		t.state = taskFailed
	case failed > 0:
		t.state = taskPartial
	default:
		t.state = taskSucceeded
	}
	close(t.end)
}

// counts returns how many items succeeded and failed. t.mu must be held.
func (t *task) counts() (ok, failed int) {
	for _, it := range t.items {
		switch it.State {
		case itemSucceeded:
			ok++
		case itemFailed:
			failed++
		}
	}
	return ok, failed
}

// view returns the task and the HTTP status of its outcome: 200 when every
// item succeeded (or while it runs), 207 when some failed, and when all
// failed for one reason, that reason's status.
func (t *task) view() (taskView, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ok, failed := t.counts()
	v := taskView{Task: t.id, Operation: t.op, State: t.state, Total: len(t.items), Done: t.done,
		Succeeded: ok, Failed: failed, Created: t.created, Results: slices.Clone(t.items)}
	if v.Results == nil {
		v.Results = []resultView{}
	}
	if !t.finished.IsZero() {
		f := t.finished
		v.Finished = &f
	}
	status := http.StatusOK
	switch {
	case t.err != nil:
		status, v.Code = statusOf(t.err)
		v.Message = clip(t.err.Error(), maxMessageBytes)
	case failed > 0 && ok == 0 && sameFailure(t.items):
		status, v.Code, v.Message = t.items[0].Status, t.items[0].Code, t.items[0].Message
		if failed > 1 {
			v.Message = "every item failed: " + v.Message
		}
	case failed > 0:
		status = http.StatusMultiStatus
	}
	return v, status
}

func sameFailure(items []resultView) bool {
	for _, it := range items {
		if it.Code != items[0].Code {
			return false
		}
	}
	return len(items) > 0
}

// taskStore keeps the most recent tasks in memory, at most limits.count
// of them taking at most limits.bytes: when full, the oldest finished
// tasks are forgotten; when the running tasks alone fill it, new bulk
// calls are refused (429) until one finishes. A running task counts as
// the most its results may take (maxResultBytes per item), a finished one
// as what they do take. It owns the goroutines of asynchronous calls and
// waits for them on Close.
type taskStore struct {
	capacity int
	budget   int             // bytes
	ctx      context.Context // parent of asynchronous calls
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	mu    sync.Mutex
	tasks map[string]*task
	order []string // ids, oldest first
}

// newTaskStore returns a store of at most capacity tasks taking at most
// defaultTaskBytes.
func newTaskStore(capacity int) *taskStore {
	return newBoundedTaskStore(taskLimits{count: capacity, bytes: defaultTaskBytes})
}

// newBoundedTaskStore returns a store within l.
func newBoundedTaskStore(l taskLimits) *taskStore {
	ctx, cancel := context.WithCancel(context.Background())
	return &taskStore{capacity: max(l.count, 1), budget: max(l.bytes, maxTaskBytes), ctx: ctx, cancel: cancel,
		tasks: map[string]*task{}}
}

// start registers a running task over items (their ids, when known).
func (s *taskStore) start(op string, ids []string) (*task, error) {
	if len(ids) > maxTaskItems {
		return nil, invalidf("%d items; at most %d per bulk call", len(ids), maxTaskItems)
	}
	t := &task{id: uuid.NewString(), op: op, created: time.Now(), state: taskRunning,
		items: make([]resultView, len(ids)), sizes: make([]int, len(ids)), byID: make(map[string][]int, len(ids)),
		end: make(chan struct{})}
	for i, id := range ids {
		t.setLocked(i, resultView{ID: clip(id, maxIDBytes), State: itemPending})
		t.byID[id] = append(t.byID[id], i)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	need := reservation(t)
	for len(s.order) >= s.capacity || s.bytesLocked()+need > s.budget {
		if !s.evictLocked() {
			return nil, perspective.RateLimited(time.Second, perspective.Errorf(perspective.CodeRateLimited,
				"%d bulk calls are running and fill the task store (at most %d tasks, %d MiB); try again when one has finished",
				len(s.order), s.capacity, s.budget>>20))
		}
	}
	s.tasks[t.id] = t
	s.order = append(s.order, t.id)
	return t, nil
}

// reservation is what a task counts for in the store: the most its
// results may take while it runs, what they take once it has finished.
func reservation(t *task) int {
	select {
	case <-t.end:
		return t.size()
	default:
		return len(t.items)*maxResultBytes + taskOverhead
	}
}

// bytesLocked returns the bytes the kept tasks count for. s.mu must be held.
func (s *taskStore) bytesLocked() int {
	n := 0
	for _, t := range s.tasks {
		n += reservation(t)
	}
	return n
}

// evictLocked forgets the oldest finished task. s.mu must be held.
func (s *taskStore) evictLocked() bool {
	for i, id := range s.order {
		t := s.tasks[id]
		select {
		case <-t.end:
			delete(s.tasks, id)
			s.order = slices.Delete(s.order, i, i+1)
			return true
		default:
		}
	}
	return false
}

// get returns a task by id.
func (s *taskStore) get(id string) (*task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[id]
	return t, ok
}

// list returns the tasks, newest first.
func (s *taskStore) list() []*task {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*task, 0, len(s.order))
	for i := len(s.order) - 1; i >= 0; i-- {
		out = append(out, s.tasks[s.order[i]])
	}
	return out
}

// goAsync runs fn in a goroutine the store owns, with a context that ends
// when the store is closed.
func (s *taskStore) goAsync(fn func(ctx context.Context)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn(s.ctx)
	}()
}

// Close cancels the asynchronous calls still running and waits for them.
func (s *taskStore) Close() {
	s.cancel()
	s.wg.Wait()
}
