//go:build race

package examplestest

func init() { raceEnabled = true }
