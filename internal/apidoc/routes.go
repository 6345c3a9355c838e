package apidoc

import "net/http"

// Registrar is what routes are added to: an *http.ServeMux, or a Recorder
// in the tests that check the document lists every route.
type Registrar interface {
	Handle(pattern string, h http.Handler)
}

// Recorder is a Registrar that records the patterns registered on it and
// drops the handlers.
type Recorder struct {
	Patterns []string // in the order they were registered
}

// Handle records pattern.
func (r *Recorder) Handle(pattern string, _ http.Handler) { r.Patterns = append(r.Patterns, pattern) }
