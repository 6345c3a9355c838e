package mock_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives its tests: every
// Cloud the conformance suite opens (its own, and the one it wraps to hide
// capabilities) must be closed, or its inventory goes on syncing a cloud
// nobody reads — on a real cloud, listing it for as long as the process
// lives.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
