package auth

import (
	"errors"
	"net/http"
)

// Sign-in errors. Every error an Identity returns wraps one of them, so a
// caller (and the sign-in route) can tell the reasons apart with errors.Is.
var (
	// ErrBadCredentials: the user name or the password is wrong.
	ErrBadCredentials = errors.New("wrong user name or password")
	// ErrUnknownUser: no such user. It is also an ErrBadCredentials, and
	// the sign-in route says only that, so that answers do not tell which
	// user names exist.
	ErrUnknownUser = &unknownUser{}
	// ErrNoAccess: the user exists and the password is right, but no group
	// or grant gives them any project.
	ErrNoAccess = errors.New("the user has access to no project")
	// ErrUnavailable: the identity back-end cannot be reached or failed.
	ErrUnavailable = errors.New("the identity service is unavailable")
	// ErrInvalidRequest: the sign-in request itself is malformed (no user
	// name, no password, a body that is not JSON).
	ErrInvalidRequest = errors.New("invalid sign-in request")
)

type unknownUser struct{}

func (*unknownUser) Error() string        { return "unknown user" }
func (*unknownUser) Is(target error) bool { return target == ErrBadCredentials }

// statusOf maps a sign-in error to its HTTP status, its code and the
// message a client sees. The message never contains the password.
func statusOf(err error) (int, string, string) {
	switch {
	case errors.Is(err, ErrInvalidRequest):
		return http.StatusBadRequest, "invalid_argument", err.Error()
	case errors.Is(err, ErrBadCredentials):
		return http.StatusUnauthorized, "unauthenticated", "sign-in failed: " + ErrBadCredentials.Error()
	case errors.Is(err, ErrNoAccess):
		return http.StatusForbidden, "forbidden", "sign-in failed: " + ErrNoAccess.Error() + " (ask an administrator to add you to a project group)"
	case errors.Is(err, ErrUnavailable):
		return http.StatusServiceUnavailable, "transient", "sign-in failed: " + ErrUnavailable.Error() + "; try again later"
	}
	return http.StatusInternalServerError, "unknown", "sign-in failed: internal error"
}
