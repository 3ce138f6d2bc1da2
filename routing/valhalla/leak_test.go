package valhalla

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// request left running after its context or the client's timeout ended, or
// a split table fetch whose workers were not all waited for.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
