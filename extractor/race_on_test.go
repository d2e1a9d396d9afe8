//go:build race

package extractor_test

// raceEnabled is true when the race detector is on; the corpus test then
// runs a fixed subset to stay fast.
const raceEnabled = true
