package driver

import (
	"context"
	"time"
)

// ChangeLister lists what changed in a cloud since a moment, so that the
// portable layer can keep its inventory current with one small request per
// interval instead of a listing of the whole project.
//
// ListChanges returns every instance of the project changed at or after
// since, following every page, each once. An instance deleted at or after
// since is returned as a tombstone: its ID, State StateDeleted and Updated
// (when it was deleted) at least. since is always a time the cloud itself
// wrote: the newest Updated of an earlier reply (minus the time that reply
// took), never this machine's clock, so clock skew between the two loses
// nothing. A driver whose cloud stores coarse timestamps, or commits
// changes later than it stamps them, asks for a little more than since (an
// overlap window) and drops the repeats within its reply; the portable
// layer drops repeats across replies.
//
// A driver that cannot answer for since (it remembers changes for a
// bounded time, or its feed of changes was interrupted) returns an error:
// the portable layer's next sync after any failed one is a full listing.
//
// A driver without ChangeLister is kept current by full listings.
type ChangeLister interface {
	ListChanges(ctx context.Context, since time.Time) ([]Instance, error)
}
