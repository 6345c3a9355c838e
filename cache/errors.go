package cache

import "errors"

var (
	// ErrClosed is returned by Get on a miss after Close.
	ErrClosed = errors.New("cache: closed")
	// ErrNoLoader is returned by Get on a miss when the cache was built
	// without a loader.
	ErrNoLoader = errors.New("cache: no loader")
	// ErrLoaderPanic is returned to the callers of a load whose loader
	// panicked; the panic value is in the message.
	ErrLoaderPanic = errors.New("cache: loader panicked")
)
