//go:build !integration

package libvirt

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives its tests. The
// integration build leaves it out: its tests hold connections to libvirtd
// that outlive a test by design.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
