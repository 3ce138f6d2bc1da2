//go:build !unix

package routing

import "time"

var processStart = time.Now()

// processCPU falls back to the wall time since the process started where
// getrusage is not available.
func processCPU() time.Duration { return time.Since(processStart) }
