package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/drivers/mock"
	"github.com/perspective-cloud/sdk/perspective"
)

// TestAsyncTask: an async bulk call answers 202 at once, and its task can
// be polled while it runs until every item is done.
func TestAsyncTask(t *testing.T) {
	e := newEnv(t, mock.WithLatency(20*time.Millisecond))
	ids := e.launch("a", "b", "c", "d")
	body := `["` + strings.Join(ids, `","`) + `"]`

	resp, b := e.do("PUT", "/instances/reboot", body, "Prefer", "respond-async")
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "body: %s", b)
	v := decodeJSON[taskView](t, b)
	assert.Equal(t, "/tasks/"+v.Task, resp.Header.Get("Location"))
	assert.Equal(t, "rebootInstance", v.Operation)
	assert.Equal(t, 4, v.Total)

	var seen []taskView
	require.Eventually(t, func() bool {
		v := decodeJSON[taskView](t, e.mustGet("/tasks/"+v.Task))
		seen = append(seen, v)
		return v.State != taskRunning
	}, 5*time.Second, 5*time.Millisecond)
	last := seen[len(seen)-1]
	assert.Equal(t, taskSucceeded, last.State)
	assert.Equal(t, 4, last.Done)
	assert.Equal(t, 4, last.Succeeded)
	assert.NotNil(t, last.Finished)
	for i, r := range last.Results {
		assert.Equal(t, ids[i], r.ID)
		assert.Equal(t, itemSucceeded, r.State)
	}
	// While it ran, the items were pending and the count never went back.
	assert.Equal(t, itemPending, seen[0].Results[0].State)
	for i := 1; i < len(seen); i++ {
		assert.GreaterOrEqual(t, seen[i].Done, seen[i-1].Done)
	}
}

// TestAsyncTaskShowsFinishedItems: while an async bulk call runs, its task
// already shows each finished item's own outcome; here the unknown id
// fails at once while the others wait on the cloud.
func TestAsyncTaskShowsFinishedItems(t *testing.T) {
	e := newEnv(t, mock.WithLatency(100*time.Millisecond))
	ids := append(e.launch("a", "b"), uuid.NewString())
	body := `["` + strings.Join(ids, `","`) + `"]`

	resp, b := e.do("PUT", "/instances/reboot", body, "Prefer", "respond-async")
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "body: %s", b)
	id := decodeJSON[taskView](t, b).Task

	early, last := watchTask(t, e, id)

	require.NotNil(t, early, "no view of the running task showed the finished item")
	assert.Equal(t, 1, early.Failed)
	assert.GreaterOrEqual(t, early.Done, 1)
	gone := early.Results[2]
	assert.Equal(t, ids[2], gone.ID)
	assert.Equal(t, itemFailed, gone.State)
	assert.Equal(t, http.StatusNotFound, gone.Status)
	assert.Equal(t, "not_found", gone.Code)
	assert.Contains(t, gone.Message, "no such instance")
	for _, r := range early.Results[:2] {
		assert.Equal(t, itemPending, r.State, "the rebooted items still wait on the cloud")
	}

	// The final answer is the whole call's, as without the early results.
	assert.Equal(t, taskPartial, last.State)
	assert.Equal(t, 3, last.Done)
	assert.Equal(t, 2, last.Succeeded)
	assert.Equal(t, gone, last.Results[2])
	tk, ok := e.tasks.get(id)
	require.True(t, ok)
	_, status := tk.view()
	assert.Equal(t, http.StatusMultiStatus, status)
}

// TestAsyncLaunchRecordsItems: a launch records each item as it finishes.
func TestAsyncLaunchRecordsItems(t *testing.T) {
	e := newEnv(t)
	resp, b := e.do("POST", "/instances?async=true",
		`[{"name":"a","flavor":{"id":"1"},"image":{"id":"cirros-0.6.2"}},{"name":"b","flavor":{"id":"nope"},"image":{"id":"cirros-0.6.2"}}]`)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "body: %s", b)
	id := decodeJSON[taskView](t, b).Task
	var v taskView
	require.Eventually(t, func() bool {
		v = decodeJSON[taskView](t, e.mustGet("/tasks/"+id))
		return v.State != taskRunning
	}, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, taskPartial, v.State)
	require.Len(t, v.Results, 2)
	assert.Equal(t, itemSucceeded, v.Results[0].State)
	assert.NotNil(t, v.Results[0].Instance)
	assert.Equal(t, "b", v.Results[1].ID)
	assert.Equal(t, http.StatusBadRequest, v.Results[1].Status)
}

func TestTaskStoreBound(t *testing.T) {
	s := newTaskStore(2)
	defer s.Close()
	a, err := s.start("rebootInstance", []string{"x"})
	require.NoError(t, err)
	b, err := s.start("rebootInstance", []string{"y"})
	require.NoError(t, err)

	// Full of running tasks: refused, with a retry-after.
	_, err = s.start("rebootInstance", []string{"z"})
	require.Error(t, err)
	assert.Equal(t, perspective.CodeRateLimited, perspective.Code(err))
	status, code := statusOf(err)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "rate_limited", code)

	// Once one finishes, the oldest finished task makes room.
	b.finish(&perspective.Report{Results: []perspective.Result{{ID: "y"}}}, nil)
	c, err := s.start("rebootInstance", []string{"z"})
	require.NoError(t, err)
	_, ok := s.get(b.id)
	assert.False(t, ok, "the finished task was forgotten")
	_, ok = s.get(a.id)
	assert.True(t, ok, "the running task is kept")
	assert.Equal(t, []*task{c, a}, s.list())
}

func TestTaskViewStatus(t *testing.T) {
	notFound := perspective.Errorf(perspective.CodeNotFound, "no such instance")
	locked := perspective.Errorf(perspective.CodeInvalidState, "locked")
	tests := []struct {
		name    string
		results []perspective.Result
		callErr error
		status  int
		state   string
	}{
		{"all succeeded", []perspective.Result{{ID: "a"}, {ID: "b"}}, nil, 200, taskSucceeded},
		{"some failed", []perspective.Result{{ID: "a"}, {ID: "b", Err: locked}}, nil, 207, taskPartial},
		{"all failed alike", []perspective.Result{{ID: "a", Err: locked}, {ID: "b", Err: locked}}, nil, 409, taskFailed},
		{"all failed differently", []perspective.Result{{ID: "a", Err: locked}, {ID: "b", Err: notFound}}, nil, 207, taskFailed},
		{"call failed", nil, perspective.Errorf(perspective.CodeUnsupported, "no"), 501, taskFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTaskStore(4)
			defer s.Close()
			tk, err := s.start("x", []string{"a", "b"})
			require.NoError(t, err)
			_, status := tk.view()
			assert.Equal(t, http.StatusOK, status, "running")
			var rep *perspective.Report
			if tc.results != nil {
				rep = &perspective.Report{Results: tc.results}
			}
			tk.finish(rep, tc.callErr)
			v, status := tk.view()
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.state, v.State)
			assert.Equal(t, 2, v.Done)
		})
	}
}

// TestAsyncImageDeleteShowsFinishedItems: an image delete, too, shows an
// item's result while the others still run.
func TestAsyncImageDeleteShowsFinishedItems(t *testing.T) {
	e := newEnvOf(t, slowImageDeletes{mock.New(mock.WithDelay(0))})
	var ids []string
	for _, name := range []string{"img-a", "img-b"} {
		img, err := e.set.Images().Create(t.Context(), perspective.ImageSpec{Name: name})
		require.NoError(t, err)
		ids = append(ids, img.ID)
	}
	ids = append(ids, uuid.NewString())

	resp, b := e.do("POST", "/images/delete?async=true", `["`+strings.Join(ids, `","`)+`"]`)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "body: %s", b)
	id := decodeJSON[taskView](t, b).Task

	early, last := watchTask(t, e, id)

	require.NotNil(t, early, "no view of the running task showed the finished item")
	assert.Equal(t, itemFailed, early.Results[2].State)
	assert.Equal(t, "not_found", early.Results[2].Code)
	for _, r := range early.Results[:2] {
		assert.Equal(t, itemPending, r.State, "the deleted images still wait on the cloud")
	}
	assert.Equal(t, taskPartial, last.State)
	assert.Equal(t, 2, last.Succeeded)
}

// slowImageDeletes is a mock cloud whose image deletes take 300 ms: an
// image that does not exist fails long before the others are deleted.
type slowImageDeletes struct{ *mock.Driver }

func (d slowImageDeletes) DeleteImage(ctx context.Context, id string) error {
	select {
	case <-time.After(300 * time.Millisecond):
	case <-ctx.Done():
		return ctx.Err()
	}
	return d.Driver.DeleteImage(ctx, id)
}

// watchTask polls task id until it ends and returns its first view that
// was still running with a failed item (nil if none was seen) and its
// last view.
func watchTask(t *testing.T, e *env, id string) (early *taskView, last taskView) {
	t.Helper()
	require.Eventually(t, func() bool {
		last = decodeJSON[taskView](t, e.mustGet("/tasks/"+id))
		if early == nil && last.State == taskRunning && last.Failed > 0 {
			v := last
			early = &v
		}
		return last.State != taskRunning
	}, 10*time.Second, 5*time.Millisecond)
	return early, last
}
