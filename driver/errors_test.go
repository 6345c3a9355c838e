package driver

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestErrorsCarryTheirCode(t *testing.T) {
	cause := errors.New("HTTP 503")
	for _, tc := range []struct {
		name string
		err  error
		code Code
		text string
	}{
		{"nil", nil, CodeOK, ""},
		{"errorf", Errorf(CodeNotFound, "no server %s", "x"), CodeNotFound, "no server x"},
		{"errorf with a cause", Errorf(CodeTransient, "nova: %w", cause), CodeTransient, "nova: HTTP 503"},
		{"wrap", Wrap(CodeTransient, cause, "nova"), CodeTransient, "nova: HTTP 503"},
		{"rate limited", RateLimited(2*time.Second, cause), CodeRateLimited, "rate limited: HTTP 503"},
		{"wrapped by fmt", fmt.Errorf("list: %w", Errorf(CodeForbidden, "policy")), CodeForbidden, "list: policy"},
		{"context", context.Canceled, CodeCanceled, "context canceled"},
		{"plain", cause, CodeUnknown, "HTTP 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.code, CodeOf(tc.err))
			if tc.err != nil {
				assert.Equal(t, tc.text, tc.err.Error())
			}
		})
	}
	assert.ErrorIs(t, Wrap(CodeTransient, cause, "nova"), cause, "the cause stays reachable")
	assert.ErrorIs(t, Errorf(CodeTransient, "nova: %w", cause), cause)
	assert.Nil(t, Wrap(CodeTransient, nil, "nothing"))
	assert.Equal(t, "not_found", CodeNotFound.String())
	assert.Equal(t, "ErrorCode(99)", Code(99).String())
	var e *Error
	assert.True(t, errors.As(RateLimited(2*time.Second, nil), &e))
	assert.Equal(t, 2*time.Second, e.RetryAfter)
}

func TestListOptionsMatch(t *testing.T) {
	now := time.Now()
	in := Instance{ID: "1", Name: "web-1", State: StateLaunched, Tags: []string{"a", "b"}, Updated: now}
	assert.True(t, ListOptions{}.Match(in))
	assert.True(t, ListOptions{Name: "web", States: []State{StateLaunched}, Tags: []string{"a"}, ChangedSince: now}.Match(in))
	assert.False(t, ListOptions{Name: "db"}.Match(in))
	assert.False(t, ListOptions{Tags: []string{"c"}}.Match(in))
	assert.False(t, ListOptions{ChangedSince: now.Add(time.Second)}.Match(in))
	assert.False(t, ListOptions{}.Match(Instance{State: StateDeleted}), "deleted instances are hidden by default")
	assert.True(t, ListOptions{States: []State{StateDeleted}}.Match(Instance{State: StateDeleted}))
}
