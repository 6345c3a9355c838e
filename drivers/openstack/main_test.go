//go:build !integration

package openstack

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives its tests. The
// integration build leaves it out: those tests share the HTTP transport
// with the real cloud, and check their own goroutines where it matters.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
