package main

import (
	"encoding/json"
	"unicode/utf8"
)

// Bounds of what the task store keeps. An item's id is at most maxIDBytes
// (checkIDs and checkName refuse longer ones before a task starts), its
// message at most maxMessageBytes, and its whole result at most
// maxResultBytes encoded: a result that would take more keeps its id,
// state, status, code and message and drops the instance or image it
// carries (GET /instances/{id} shows it). So a task takes at most
// maxTaskItems × maxResultBytes, and one user's store defaultTaskBytes
// unless -task-mib says otherwise.
const (
	maxIDBytes       = 255
	maxMessageBytes  = 1 << 10
	maxResultBytes   = 8 << 10
	maxTaskItems     = maxItems
	maxTaskBytes     = maxItems*maxResultBytes + taskOverhead
	taskOverhead     = 512
	defaultTaskBytes = 64 << 20
)

// taskLimits bound one task store (the open server's, or one user's).
type taskLimits struct {
	count int // tasks kept
	bytes int // bytes their results take
}

// fit returns v within maxResultBytes, and its encoded size.
func fit(v resultView) (resultView, int) {
	n := encodedSize(v)
	if n <= maxResultBytes {
		return v, n
	}
	v.Instance, v.Image = nil, nil
	v.ID, v.Message, v.Address = clip(v.ID, maxIDBytes), clip(v.Message, maxMessageBytes), clip(v.Address, maxIDBytes)
	return v, encodedSize(v)
}

// encodedSize is the length of v's JSON encoding.
func encodedSize(v resultView) int {
	b, err := json.Marshal(v)
	if err != nil {
		// A resultView holds strings, numbers and times only.
		return maxResultBytes
	}
	return len(b)
}

// clip cuts s to at most n bytes, on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
