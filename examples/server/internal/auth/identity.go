package auth

import (
	"context"
	"fmt"
	"strings"
)

// Identity is an identity back-end: it checks a user's credentials and
// says what the user may do. Implementations return errors that wrap
// errBadCredentials, errNoAccess, errUnavailable or errInvalidRequest, and
// never put the password in an error.
type Identity interface {
	// Name names the back-end in logs ("static", "ldap", "openstack").
	Name() string
	// Authenticate checks user and password and returns the principal.
	Authenticate(ctx context.Context, user, password string) (*Principal, error)
}

// maxCredentialLen bounds user names and passwords: bcrypt reads at most
// 72 bytes, LDAP servers and Keystone have their own limits, and nothing
// longer is a real credential.
const maxCredentialLen = 512

// checkCredentials rejects what no back-end should even try. An empty
// password matters most: an LDAP simple bind with one is an anonymous
// bind, which succeeds.
func checkCredentials(user, password string) error {
	switch {
	case strings.TrimSpace(user) == "":
		return fmt.Errorf("%w: username is empty or missing", errInvalidRequest)
	case password == "":
		return fmt.Errorf("%w: password is empty or missing", errInvalidRequest)
	case len(user) > maxCredentialLen || len(password) > maxCredentialLen:
		return fmt.Errorf("%w: username or password is longer than %d bytes", errInvalidRequest, maxCredentialLen)
	case strings.ContainsAny(user, "\x00\r\n"):
		return fmt.Errorf("%w: username contains control characters", errInvalidRequest)
	}
	return nil
}
