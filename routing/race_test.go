//go:build race

package routing

// raceDetector is true when the tests run under the race detector, which
// slows the search several times over: timing bounds allow for it.
const raceDetector = true
