package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// taskState is where a task is: queued (waiting for a slot), running,
// succeeded or failed.
type taskState string

const (
	taskQueued    taskState = "queued"
	taskRunning   taskState = "running"
	taskSucceeded taskState = "succeeded"
	taskFailed    taskState = "failed"
)

// Bounds of the task store. A task holds its ids (at most 255 bytes each,
// as checked where they are parsed), its action and an error message cut
// at maxErrorBytes, so that it takes at most maxTaskBytes: the count bounds
// the bytes too.
const (
	maxTaskCount  = 100000
	maxErrorBytes = 1024
	maxTaskBytes  = 512 + 3*maxIDBytes + maxErrorBytes
)

// taskLimits bound a task store: how many tasks it keeps, and how many run
// at once.
type taskLimits struct {
	count, running int
}

// defaultTaskLimits are the -tasks and -running defaults.
var defaultTaskLimits = taskLimits{count: 1000, running: 8}

// taskJSON is a task as the API shows it.
type taskJSON struct {
	ID      string    `json:"id"`
	Server  string    `json:"server"`
	Action  string    `json:"action"`
	State   taskState `json:"state"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	Error   string    `json:"error,omitempty"`
}

// taskStore keeps the tasks of every server, runs them in the background
// (at most limits.running at once) and forgets the oldest finished ones
// when it holds limits.count. It owns the goroutines it starts: close
// ends their context and waits for them.
type taskStore struct {
	limits taskLimits
	slots  chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	byID     map[string]*taskJSON
	byServer map[string][]*taskJSON // oldest first
	order    []*taskJSON            // every task, oldest first
}

// newTaskStore returns an empty store with limits.
func newTaskStore(limits taskLimits) *taskStore {
	ctx, cancel := context.WithCancel(context.Background())
	return &taskStore{limits: limits, slots: make(chan struct{}, limits.running), ctx: ctx, cancel: cancel,
		byID: map[string]*taskJSON{}, byServer: map[string][]*taskJSON{}}
}

// errTooManyTasks refuses a task when the store is full of unfinished ones.
func errTooManyTasks(n int) error {
	return &apiError{Status: http.StatusServiceUnavailable, Code: "too_many_tasks",
		Message: fmt.Sprintf("%d tasks are queued or running, the most this server keeps; try again when some have finished", n)}
}

// start records a queued task of action on server and runs work in the
// background; it returns the task as it is now.
func (s *taskStore) start(server, action string, work func(ctx context.Context) error) (taskJSON, error) {
	now := time.Now().UTC()
	t := &taskJSON{ID: uuid.NewString(), Server: server, Action: action, State: taskQueued, Created: now, Updated: now}
	s.mu.Lock()
	if err := s.makeRoomLocked(); err != nil {
		s.mu.Unlock()
		return taskJSON{}, err
	}
	s.byID[t.ID] = t
	s.byServer[server] = append(s.byServer[server], t)
	s.order = append(s.order, t)
	snapshot := *t
	s.mu.Unlock()

	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		select {
		case s.slots <- struct{}{}:
		case <-s.ctx.Done():
			s.finish(t, fmt.Errorf("the server stopped before the task ran"))
			return
		}
		defer func() { <-s.slots }()
		s.set(t, taskRunning, "")
		s.finish(t, work(s.ctx))
	}()
	return snapshot, nil
}

// makeRoomLocked forgets the oldest finished tasks until there is room for
// one more, and refuses when every kept task is unfinished.
func (s *taskStore) makeRoomLocked() error {
	for len(s.order) >= s.limits.count {
		i := slices.IndexFunc(s.order, func(t *taskJSON) bool { return t.State == taskSucceeded || t.State == taskFailed })
		if i < 0 {
			return errTooManyTasks(len(s.order))
		}
		old := s.order[i]
		s.order = slices.Delete(s.order, i, i+1)
		delete(s.byID, old.ID)
		list := slices.DeleteFunc(s.byServer[old.Server], func(t *taskJSON) bool { return t == old })
		if len(list) == 0 {
			delete(s.byServer, old.Server)
		} else {
			s.byServer[old.Server] = list
		}
	}
	return nil
}

// finish records work's outcome.
func (s *taskStore) finish(t *taskJSON, err error) {
	if err != nil {
		s.set(t, taskFailed, cut(err.Error(), maxErrorBytes))
		return
	}
	s.set(t, taskSucceeded, "")
}

func (s *taskStore) set(t *taskJSON, state taskState, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.State, t.Error, t.Updated = state, msg, time.Now().UTC()
}

// list returns server's tasks, newest first, and whether it has any.
func (s *taskStore) list(server string) ([]taskJSON, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tasks, ok := s.byServer[server]
	out := make([]taskJSON, 0, len(tasks))
	for i := len(tasks) - 1; i >= 0; i-- {
		out = append(out, *tasks[i])
	}
	return out, ok
}

// get returns one task of server.
func (s *taskStore) get(server, id string) (taskJSON, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.byID[id]
	if !ok || t.Server != server {
		return taskJSON{}, false
	}
	return *t, true
}

// close stops the tasks (their context ends) and waits for them.
func (s *taskStore) close() {
	s.cancel()
	s.wg.Wait()
}

// cut shortens s to at most n bytes, on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "…"
	i := n - len(more)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + more
}
