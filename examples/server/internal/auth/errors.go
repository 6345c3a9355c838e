package auth

import (
	"errors"
	"net/http"
)

// Sign-in errors. Every error an Identity returns wraps one of them, so a
// caller (and the sign-in route) can tell the reasons apart with errors.Is.
var (
	// errBadCredentials: the user name or the password is wrong.
	errBadCredentials = errors.New("wrong user name or password")
	// errUnknownUser: no such user. It is also an errBadCredentials, and
	// the sign-in route says only that, so that answers do not tell which
	// user names exist.
	errUnknownUser = &unknownUser{}
	// errNoAccess: the user exists and the password is right, but no group
	// or grant gives them any project.
	errNoAccess = errors.New("the user has access to no project")
	// errUnavailable: the identity back-end cannot be reached or failed.
	errUnavailable = errors.New("the identity service is unavailable")
	// errInvalidRequest: the sign-in request itself is malformed (no user
	// name, no password, a body that is not JSON).
	errInvalidRequest = errors.New("invalid sign-in request")
)

type unknownUser struct{}

func (*unknownUser) Error() string        { return "unknown user" }
func (*unknownUser) Is(target error) bool { return target == errBadCredentials }

// statusOf maps a sign-in error to its HTTP status, its code and the
// message a client sees. The message never contains the password.
func statusOf(err error) (int, string, string) {
	switch {
	case errors.Is(err, errInvalidRequest):
		return http.StatusBadRequest, "invalid_argument", err.Error()
	case errors.Is(err, errBadCredentials):
		return http.StatusUnauthorized, "unauthenticated", "sign-in failed: " + errBadCredentials.Error()
	case errors.Is(err, errNoAccess):
		return http.StatusForbidden, "forbidden", "sign-in failed: " + errNoAccess.Error() + " (ask an administrator to add you to a project group)"
	case errors.Is(err, errUnavailable):
		return http.StatusServiceUnavailable, "transient", "sign-in failed: " + errUnavailable.Error() + "; try again later"
	}
	return http.StatusInternalServerError, "unknown", "sign-in failed: internal error"
}
