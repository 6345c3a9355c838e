package perspective

import (
	"context"
	"errors"
	"fmt"
	"github.com/perspective-cloud/sdk/driver"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type cloudErr struct{ status int }

func (e *cloudErr) Error() string { return fmt.Sprintf("HTTP %d", e.status) }

func TestErrorCodes(t *testing.T) {
	cause := &cloudErr{404}
	tests := []struct {
		name string
		err  error
		code ErrorCode
		is   error
	}{
		{"nil", nil, CodeOK, nil},
		{"errorf", Errorf(CodeNotFound, "server %s", "x"), CodeNotFound, ErrNotFound},
		{"wrapped cause", Errorf(CodeNotFound, "server: %w", cause), CodeNotFound, ErrNotFound},
		{"driver error, classified", classify(driver.Wrap(CodeTransient, cause, "nova"), OpReboot, KindInstance, "x"), CodeTransient, ErrTransient},
		{"driver error, raw", driver.Wrap(CodeTransient, cause, "nova"), CodeTransient, ErrTransient},
		{"driver error is not locked", driver.Errorf(CodeInvalidState, "busy"), CodeInvalidState, ErrInvalidState},
		{"rate limited", RateLimited(3*time.Second, cause), CodeRateLimited, ErrRateLimited},
		{"sentinel itself", ErrForbidden, CodeForbidden, ErrForbidden},
		{"sentinel wrapped", fmt.Errorf("x: %w", ErrQuotaExceeded), CodeQuotaExceeded, ErrQuotaExceeded},
		{"canceled", context.Canceled, CodeCanceled, nil},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), CodeCanceled, nil},
		{"plain", errors.New("boom"), CodeUnknown, nil},
		{"locked", &Error{Code: CodeInvalidState, Locked: true}, CodeInvalidState, ErrLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.code, Code(tt.err))
			if tt.is != nil {
				assert.ErrorIs(t, tt.err, tt.is)
			}
		})
	}
}

func TestErrorKeepsCauseAndNamesObject(t *testing.T) {
	cause := &cloudErr{409}
	err := classify(driver.Wrap(CodeConflict, cause, "nova said no"), OpReboot, KindInstance, "abc")
	var ce *cloudErr
	require.ErrorAs(t, err, &ce, "the cloud's own error stays reachable")
	assert.Equal(t, 409, ce.status)
	assert.Equal(t, "reboot instance abc: nova said no: HTTP 409", err.Error())
	assert.ErrorIs(t, err, ErrConflict)
	assert.NotErrorIs(t, err, ErrNotFound)

	// Errorf with %w does not print the cause twice.
	e2 := Errorf(CodeNotFound, "lookup failed: %w", cause)
	assert.Equal(t, "lookup failed: HTTP 409", e2.Error())
	require.ErrorAs(t, e2, &ce)
}

func TestLockedIsInvalidState(t *testing.T) {
	err := Check(Instance{ID: "i1", Name: "web", State: StateLaunched, Locked: true}, OpReboot)
	assert.ErrorIs(t, err, ErrLocked)
	assert.ErrorIs(t, err, ErrInvalidState)
	assert.Equal(t, CodeInvalidState, Code(err))
	assert.Contains(t, err.Error(), "i1")
	assert.Contains(t, err.Error(), "locked")
	assert.NoError(t, Check(Instance{State: StateLaunched, Locked: true}, OpUnlock))
	assert.NoError(t, Check(Instance{State: StateLaunched, Locked: true}, OpConsole), "reading a locked instance is fine")
}

func TestRetryable(t *testing.T) {
	assert.True(t, Retryable(Errorf(CodeTransient, "503")))
	assert.True(t, Retryable(RateLimited(0, nil)))
	for _, c := range []ErrorCode{CodeNotFound, CodeInvalidState, CodeQuotaExceeded, CodeUnauthenticated, CodeUnknown} {
		assert.False(t, Retryable(Errorf(c, "x")), c.String())
	}
	d, ok := RetryAfter(fmt.Errorf("wrapped: %w", RateLimited(2*time.Second, nil)))
	assert.True(t, ok)
	assert.Equal(t, 2*time.Second, d)
	_, ok = RetryAfter(Errorf(CodeTransient, "x"))
	assert.False(t, ok)
}

func TestCodeString(t *testing.T) {
	assert.Equal(t, "not_found", CodeNotFound.String())
	assert.Equal(t, "rate_limited", CodeRateLimited.String())
	assert.Equal(t, "ErrorCode(99)", ErrorCode(99).String())
	assert.Equal(t, "quota exceeded", (&Error{Code: CodeQuotaExceeded}).Error())
}
