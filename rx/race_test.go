//go:build race

package rx_test

const raceEnabled = true
