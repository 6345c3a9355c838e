package main

import (
	"errors"
	"fmt"

	"github.com/perspective-cloud/sdk/perspective"
)

// A listing over several clouds of which some fail (perspective's
// PartialError) prints what the others answered on stdout, one line per
// failed cloud on stderr, and exits with status 1, so that a script sees
// both the rows and that they are not all. When no cloud answered it is an
// error as any other.

// failedCloudsError says that a listing printed what the clouds that
// answered have and named the others on stderr (exit status 1).
type failedCloudsError struct{ failed, clouds int }

func (e *failedCloudsError) Error() string {
	return fmt.Sprintf("%d of %d clouds did not answer", e.failed, e.clouds)
}

// answeredPartly returns the partial failure err is when some cloud
// answered, so that the result is worth printing; nil otherwise.
func answeredPartly(err error) *perspective.PartialError {
	var pe *perspective.PartialError
	if errors.As(err, &pe) && pe.Answered() > 0 {
		return pe
	}
	return nil
}

// listed finishes a listing whose result has been printed: the failed
// clouds of err, if any, go to stderr and make the exit status 1.
func (a *app) listed(err error) error {
	pe := answeredPartly(err)
	if pe == nil {
		return err
	}
	for _, f := range pe.Failed {
		fmt.Fprintf(a.stderr, "%s: not listed: %v\n", programName, &f)
	}
	return &failedCloudsError{failed: len(pe.Failed), clouds: pe.Clouds}
}

// searched lets a command that looks instances up (by name, or with
// --where) go on with the clouds that answered: the others are named on
// stderr, and what is in them is not found. Any other error is returned.
func (a *app) searched(err error) error {
	pe := answeredPartly(err)
	if pe == nil {
		return err
	}
	for _, f := range pe.Failed {
		fmt.Fprintf(a.stderr, "%s: not searched: %v\n", programName, &f)
	}
	return nil
}
