package perspective

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sync"

	"github.com/perspective-cloud/sdk/driver"
)

var (
	registryMu sync.RWMutex
	registry   = map[string]driver.Opener{}
)

// Register makes a driver available under a URL scheme, as sql.Register
// does: opener makes the driver from a URL such as "mock://demo?delay=1s" or
// "openstack://?cloud=devstack". It panics if opener is nil or the scheme is registered twice: both
// are programming errors found at start-up.
func Register(scheme string, opener driver.Opener) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if opener == nil {
		panic("perspective: Register opener is nil for scheme " + scheme)
	}
	if scheme == "" {
		panic("perspective: Register called with an empty scheme")
	}
	if _, dup := registry[scheme]; dup {
		panic("perspective: Register called twice for scheme " + scheme)
	}
	registry[scheme] = opener
}

// Schemes returns the registered URL schemes, sorted.
func Schemes() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	s := make([]string, 0, len(registry))
	for k := range registry {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// Open opens the cloud that rawURL names, through the driver registered for
// its scheme, and wraps it in a Cloud. Import the driver package for its
// side effect to register it, e.g. _ "github.com/perspective-cloud/sdk/drivers/mock".
func Open(ctx context.Context, rawURL string, opts ...Option) (*Cloud, error) {
	if ctx == nil {
		return nil, invalidArg("open", "ctx", "is nil")
	}
	if rawURL == "" {
		return nil, invalidArg("open", "url", "is empty")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &Error{Code: CodeInvalidArgument, Op: "open", Msg: "url", Err: err}
	}
	if u.Scheme == "" {
		return nil, invalidArg("open", "url", "%q has no scheme (want e.g. mock:// or openstack://)", rawURL)
	}
	registryMu.RLock()
	opener, ok := registry[u.Scheme]
	registryMu.RUnlock()
	if !ok {
		return nil, invalidArg("open", "url", "unknown scheme %q (registered: %v); is its driver package imported?", u.Scheme, Schemes())
	}
	d, err := opener(ctx, u)
	if err != nil {
		return nil, classify(fmt.Errorf("open %s: %w", u.Scheme, err), "open", "", "")
	}
	return NewCloud(d, opts...)
}
