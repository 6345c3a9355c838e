package query

import (
	"errors"
	"fmt"
	"sort"
)

// Pos is a position in the SQL text: 1-based line and column (in runes).
type Pos struct {
	Line, Col int
}

// String formats the position as line:col.
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// valid reports whether p is a real position.
func (p Pos) valid() bool { return p.Line > 0 }

// Sentinel errors, usable with errors.Is on any error this package returns.
var (
	ErrSyntax           = errors.New("syntax error")
	ErrUnknownTable     = errors.New("unknown table")
	ErrUnknownColumn    = errors.New("unknown column")
	ErrAmbiguousColumn  = errors.New("ambiguous column")
	ErrUnknownFunction  = errors.New("unknown function")
	ErrTypeMismatch     = errors.New("type mismatch")
	ErrInvalidRegexp    = errors.New("invalid regexp")
	ErrMissingParameter = errors.New("missing parameter")
	ErrInvalidParameter = errors.New("invalid parameter")
	// ErrEvaluation is a failure while a statement runs: reading its
	// tables, or its context ending (then the error matches
	// context.Canceled or context.DeadlineExceeded too).
	ErrEvaluation = errors.New("evaluation error")
	// ErrLimit is a bound of Limits exceeded: the error names the bound.
	ErrLimit = errors.New("limit exceeded")
	// ErrInvalidFilter is a URL filter the client got wrong: malformed
	// text, an unknown field, too many values (then it matches ErrLimit
	// too). A server answers it with 400.
	ErrInvalidFilter = errors.New("invalid filter")
	// ErrUnknownField is a URL filter naming a field the FieldMap does not
	// have; it matches ErrInvalidFilter too.
	ErrUnknownField error = &kind{"unknown filter field", []error{ErrInvalidFilter}}
)

// errFilterLimit is the kind of a URL filter over one of the filter bounds.
var errFilterLimit error = &kind{"filter limit exceeded", []error{ErrInvalidFilter, ErrLimit}}

// kind is a sentinel that belongs to broader ones.
type kind struct {
	msg     string
	parents []error
}

func (k *kind) Error() string   { return k.msg }
func (k *kind) Unwrap() []error { return k.parents }

// Error is an error in a query, with where it happened and, when one can be
// guessed, a hint: `unknown column "nmae" at 1:8 (did you mean "name"?)`.
type Error struct {
	Kind error  // one of the sentinel errors above
	Msg  string // what failed, e.g. `unknown column "nmae"`
	Pos  Pos    // zero when the error has no place in the text
	Hint string // e.g. `did you mean "name"?`
	Err  error  // the underlying cause, if any (e.g. from regexp)
}

// Error formats the message, position and hint.
func (e *Error) Error() string {
	s := e.Msg
	if e.Pos.valid() {
		s += " at " + e.Pos.String()
	}
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Is reports whether target is the error's kind or a broader kind it
// belongs to.
func (e *Error) Is(target error) bool { return e.Kind != nil && errors.Is(e.Kind, target) }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func errorf(kind error, pos Pos, format string, args ...any) *Error {
	return &Error{Kind: kind, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// canceled is the error of a statement stopped because its context ended.
func canceled(cause error) *Error {
	return &Error{Kind: ErrEvaluation, Msg: "query stopped: " + cause.Error(), Err: cause}
}

// limitf is the error of a statement or filter over one of its bounds.
func limitf(format string, args ...any) *Error {
	return &Error{Kind: ErrLimit, Msg: fmt.Sprintf(format, args...)}
}

func (e *Error) withHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// suggest returns the candidate closest to name, if it is close enough to
// be a likely typo.
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(name) <= 3 {
		limit = 1
	}
	if bestD <= limit || (bestD <= len(name)/3) {
		return best
	}
	return ""
}

func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}

// editDistance is the Damerau (optimal string alignment) distance, so that a
// swap of two letters ("nmae") counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 1 << 20
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
