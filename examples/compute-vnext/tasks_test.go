package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTasks runs the actions through their states on the mock: each ends
// where the library says, resize and cold move are confirmed by the task.
func TestTasks(t *testing.T) {
	e := newEnv(t)
	id := e.launch("vm")
	state := func() serverJSON { return decodeAs[serverJSON](t, e.do("GET", "/servers/"+id, "", 200)) }
	steps := []struct {
		body  string
		state perspective.State
		check func(s serverJSON)
	}{
		{`{"action":"reboot","type":"hard"}`, perspective.StateLaunched, nil},
		{`{"action":"stop"}`, perspective.StateShutoff, func(s serverJSON) { assert.Equal(t, "shutdown", s.PowerState) }},
		{`{"action":"start"}`, perspective.StateLaunched, nil},
		{`{"action":"pause"}`, perspective.StatePaused, nil},
		{`{"action":"unpause"}`, perspective.StateLaunched, nil},
		{`{"action":"suspend"}`, perspective.StateSuspended, nil},
		{`{"action":"resume"}`, perspective.StateLaunched, nil},
		{`{"action":"resize","server_type":"m1.medium"}`, perspective.StateLaunched,
			func(s serverJSON) {
				assert.Equal(t, "m1.medium", s.ServerType.Name, "confirmed without a step of its own")
			}},
		{`{"action":"rebuild","image":"debian-12"}`, perspective.StateLaunched, func(s serverJSON) { assert.Equal(t, "debian-12", s.Image.Name) }},
		{`{"action":"snapshot","name":"snap"}`, perspective.StateLaunched, nil},
		{`{"action":"move","live":true,"host":"aio2"}`, perspective.StateLaunched, func(s serverJSON) { assert.Equal(t, "aio2", s.Host) }},
		{`{"action":"move"}`, perspective.StateLaunched, func(s serverJSON) { assert.Equal(t, "aio", s.Host, "the scheduler's choice") }},
		{`{"action":"set_password","password":"s3cret-pw"}`, perspective.StateLaunched, nil},
		{`{"action":"lock"}`, perspective.StateLaunched, func(s serverJSON) { assert.True(t, s.Locked) }},
		{`{"action":"unlock"}`, perspective.StateLaunched, func(s serverJSON) { assert.False(t, s.Locked) }},
		{`{"action":"terminate"}`, perspective.StateSoftDeleted, nil},
		{`{"action":"restore"}`, perspective.StateLaunched, nil},
	}
	for _, st := range steps {
		task := e.task(id, st.body)
		require.Equal(t, taskSucceeded, task.State, "%s: %s", st.body, task.Error)
		s := state()
		require.Equal(t, st.state, s.State, st.body)
		if st.check != nil {
			st.check(s)
		}
	}
	b := e.do("GET", "/servers/"+id+"/tasks", "", 200)
	assert.NotContains(t, string(b), "s3cret-pw", "a password is never kept")
	tasks := decodeAs[map[string][]taskJSON](t, b)["tasks"]
	require.Len(t, tasks, len(steps))
	assert.Equal(t, "restore", tasks[0].Action, "newest first")
	assert.Equal(t, "reboot", tasks[len(tasks)-1].Action)
}

// TestTaskRefusedAtOnce: an action the server's state does not allow is
// a 409 naming the state, and nothing is queued.
func TestTaskRefusedAtOnce(t *testing.T) {
	e := newEnv(t)
	id := e.launch("vm")
	tests := []struct {
		body, contains string
	}{
		{`{"action":"start"}`, "launched"},
		{`{"action":"unpause"}`, "unpause needs it paused"},
		{`{"action":"resume"}`, "resume needs it suspended"},
		{`{"action":"revert_resize"}`, "launched"},
		{`{"action":"restore"}`, "launched"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			resp, b := call(t, e.consumer, "POST", "/servers/"+id+"/tasks", tt.body)
			assert.Equal(t, 409, resp.StatusCode, "%s", b)
			assert.Equal(t, "invalid_state", errorOf(t, b).Code)
			assert.Contains(t, errorOf(t, b).Message, tt.contains)
		})
	}
	assert.Equal(t, taskSucceeded, e.task(id, `{"action":"lock"}`).State)
	resp, b := call(t, e.consumer, "POST", "/servers/"+id+"/tasks", `{"action":"reboot"}`)
	assert.Equal(t, 409, resp.StatusCode)
	assert.Contains(t, errorOf(t, b).Message, "locked")
	tasks := decodeAs[map[string][]taskJSON](t, e.do("GET", "/servers/"+id+"/tasks", "", 200))["tasks"]
	assert.Len(t, tasks, 1, "only the lock was queued")
	assert.Equal(t, 0, e.drv.Calls("Reboot"), "no refused task reached the cloud")
}

// TestTaskFails: a task whose call the cloud refuses ends failed with the
// cloud's message, and one in flight is seen queued or running.
func TestTaskFails(t *testing.T) {
	e := newEnv(t, mock.WithFailing(perspective.OpReboot, perspective.Errorf(perspective.CodeConflict, "nova says no")))
	id := e.launch("vm")
	task := e.task(id, `{"action":"reboot"}`)
	assert.Equal(t, taskFailed, task.State)
	assert.Contains(t, task.Error, "nova says no")

	slow := newEnv(t, mock.WithDelay(300*time.Millisecond))
	id = slow.launch("vm")
	require.Eventually(t, func() bool {
		return decodeAs[serverJSON](t, slow.do("GET", "/servers/"+id, "", 200)).State == perspective.StateLaunched
	}, 5*time.Second, 10*time.Millisecond)
	started := decodeAs[taskJSON](t, slow.do("POST", "/servers/"+id+"/tasks", `{"action":"stop"}`, 202))
	assert.Equal(t, taskQueued, started.State)
	require.Eventually(t, func() bool {
		return decodeAs[taskJSON](t, slow.do("GET", "/servers/"+id+"/tasks/"+started.ID, "", 200)).State == taskRunning
	}, 5*time.Second, 5*time.Millisecond, "running while the server shuts down")
	require.Eventually(t, func() bool {
		return decodeAs[taskJSON](t, slow.do("GET", "/servers/"+id+"/tasks/"+started.ID, "", 200)).State == taskSucceeded
	}, 5*time.Second, 10*time.Millisecond)
	slow.do("GET", "/servers/"+id+"/tasks/nope", "", 404)
	slow.do("GET", "/servers/nope/tasks", "", 404)
}

// TestTaskStoreBounds: the store keeps at most its count of tasks,
// forgetting the oldest finished first, refuses when all are unfinished,
// runs at most its running bound at once, and cuts long errors.
func TestTaskStoreBounds(t *testing.T) {
	s := newTaskStore(taskLimits{count: 2, running: 1})
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer s.close()
	defer free() // before close: a failed check must not leave the tasks blocked
	block := func(context.Context) error { <-release; return nil }
	a, err := s.start("srv", "reboot", block)
	require.NoError(t, err)
	b, err := s.start("srv", "stop", block)
	require.NoError(t, err)
	_, err = s.start("srv", "start", block)
	var ae *apiError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, 503, ae.Status)
	require.Eventually(t, func() bool {
		ta, _ := s.get("srv", a.ID)
		tb, _ := s.get("srv", b.ID)
		return ta.State == taskRunning && tb.State == taskQueued || ta.State == taskQueued && tb.State == taskRunning
	}, 5*time.Second, time.Millisecond, "one runs, the other waits for a slot")
	free()
	require.Eventually(t, func() bool {
		ta, _ := s.get("srv", a.ID)
		tb, _ := s.get("srv", b.ID)
		return ta.State == taskSucceeded && tb.State == taskSucceeded
	}, 5*time.Second, time.Millisecond)
	long := strings.Repeat("é", maxErrorBytes)
	c, err := s.start("srv", "pause", func(context.Context) error { return fmt.Errorf("%s", long) })
	require.NoError(t, err)
	_, kept := s.get("srv", a.ID)
	assert.False(t, kept, "the oldest finished task made room")
	require.Eventually(t, func() bool {
		tc, _ := s.get("srv", c.ID)
		return tc.State == taskFailed
	}, 5*time.Second, time.Millisecond)
	tc, _ := s.get("srv", c.ID)
	assert.LessOrEqual(t, len(tc.Error), maxErrorBytes)
	tasks, _ := s.list("srv")
	assert.Len(t, tasks, 2)
}
