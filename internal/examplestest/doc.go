// Package examplestest holds one test: it runs the tests of the examples'
// own module (examples/go.mod), so that `go test ./...` from the
// repository's root still covers every package, examples included.
//
// The examples are a module of their own so that a program importing the
// library does not get their dependencies (chromedp, go-ldap, cobra,
// progressbar, pty) in its module graph; but the go command stops at a
// nested go.mod when it expands ./..., workspace or not (golang/go#50745).
// TestExamplesModule closes that gap: it runs
//
//	go test [-race] [-short] [-v] [-count=N] [-timeout=D] ./examples/...
//
// with the repository's go.work, passes on the flags of the run it belongs to,
// and fails with the examples' own output when they fail. It reads every
// file of the repository first, so that go test's cache never answers for
// it after a file changed.
//
// To run the examples' tests alone:
//
//	go test ./examples/...
package examplestest
