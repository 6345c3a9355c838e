package perspective_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a goroutine outlives its tests: a Cloud
// left open keeps its inventory's loop syncing for as long as the process
// lives.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
