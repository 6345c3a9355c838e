package libvirt

import (
	"context"
	"slices"
	"sync"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/google/uuid"

	"github.com/perspective-cloud/sdk/driver"
)

// watchedEvents are the domain events the driver subscribes to: every
// change of state, definition (a rename, an edit), metadata (tags, lock,
// key/value metadata) and devices (a NIC added or removed).
var watchedEvents = []golibvirt.DomainEventID{
	golibvirt.DomainEventIDLifecycle,
	golibvirt.DomainEventIDMetadataChange,
	golibvirt.DomainEventIDDeviceAdded,
	golibvirt.DomainEventIDDeviceRemoved,
}

// watch is one subscription to libvirt's domain events on one connection.
type watch struct {
	l      *golibvirt.Libvirt
	cancel context.CancelFunc
	done   chan struct{} // closed when every stream of the subscription has ended
}

func (w *watch) ended() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// ensureWatch makes sure a subscription to the domain events runs on l;
// when there is none (the first call, or the connection it ran on was
// lost), it subscribes, and the change log's horizon moves to now.
func (d *Driver) ensureWatch(l *golibvirt.Libvirt) error {
	d.watchMu.Lock()
	defer d.watchMu.Unlock()
	if w := d.watch; w != nil && w.l == l && !w.ended() {
		return nil
	}
	why := "the driver subscribed to libvirt's domain events"
	if d.watch != nil {
		why = "the subscription to libvirt's domain events ended (the connection was lost) and began again"
	}
	d.stopWatchLocked()
	ctx, cancel := context.WithCancel(context.Background())
	var streams []<-chan any
	for _, id := range watchedEvents {
		ch, err := l.SubscribeEvents(ctx, id, golibvirt.OptDomain{})
		if err != nil {
			cancel()
			// go-libvirt's goroutine of each stream sends until it sees the
			// cancel: drain every stream until it is closed
			for _, s := range streams {
				for range s {
				}
			}
			return classify(err, "subscribing to libvirt's domain events")
		}
		streams = append(streams, ch)
	}
	gen := d.changes.resubscribed(why)
	w := &watch{l: l, cancel: cancel, done: make(chan struct{})}
	var wg sync.WaitGroup
	for _, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range s {
				d.changes.event(ev)
			}
			// one stream ended: the connection is gone or the watch stops;
			// the log answers nothing more from this subscription, and the
			// others end too
			d.changes.ended(gen)
			cancel()
		}()
	}
	go func() {
		wg.Wait()
		close(w.done)
	}()
	d.watch = w
	return nil
}

// stopWatchLocked ends the subscription and waits for its goroutines.
// d.watchMu must be held.
func (d *Driver) stopWatchLocked() {
	if d.watch == nil {
		return
	}
	d.watch.cancel()
	<-d.watch.done
	d.watch = nil
}

// ListChanges returns the instances changed at or after since by the
// driver's own clock (see changeLog), oldest change first, from what the
// driver remembers of libvirt's domain events, the changes it made
// itself and the DHCP leases of the instances' networks (read once per
// network per call): one read of each changed domain, none of the others.
// Instances deleted since then come as tombstones (State deleted) for an
// hour. When it cannot answer for since (the event subscription began
// again after a lost connection, or what it remembers no longer reaches
// back that far) and no complete listing began since, it returns an error
// (CodeInvalidState): the inventory's next sync then lists every
// instance. A zero since lists every instance. It implements
// driver.ChangeLister.
func (d *Driver) ListChanges(ctx context.Context, since time.Time) ([]driver.Instance, error) {
	if since.IsZero() {
		out, err := d.ListInstances(ctx, driver.ListOptions{})
		if err != nil {
			return nil, err
		}
		return append(out, d.changes.tombsSince(since)...), nil
	}
	l, err := d.conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := d.ensureWatch(l); err != nil {
		return nil, err
	}
	start := d.changes.stamp()
	nets := d.changes.networks()
	d.changes.pruneLeases(nets)
	ls := d.leases()
	for _, n := range nets {
		if err := ctx.Err(); err != nil {
			return nil, driver.Wrap(driver.CodeCanceled, err, "libvirt: listing changes")
		}
		ls.of(l, n)
	}
	changed, since, err := d.changes.since(since)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(changed))
	for id := range changed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []driver.Instance
	for _, id := range ids {
		dm, ok, err := d.readID(ctx, l, id)
		switch {
		case err != nil:
			return nil, err
		case ok:
			out = append(out, d.model(l, dm, ls))
		default:
			d.changes.gone(id, changed[id])
		}
	}
	out = append(out, d.changes.tombsSince(since)...)
	slices.SortStableFunc(out, func(a, b driver.Instance) int { return a.Updated.Compare(b.Updated) })
	d.changes.listed(start, nil)
	return out, nil
}

// readID reads domain id (a UUID); false when there is no such domain or
// it is not an instance of the namespace.
func (d *Driver) readID(ctx context.Context, l *golibvirt.Libvirt, id string) (*domain, bool, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return nil, false, nil
	}
	dom, err := l.DomainLookupByUUID(golibvirt.UUID(u))
	if err != nil {
		if notFound(err) {
			return nil, false, nil
		}
		return nil, false, classify(err, "looking up domain "+id)
	}
	return d.read(ctx, l, dom)
}

// domainID is the instance id of a domain: its UUID.
func domainID(dom golibvirt.Domain) string { return uuid.UUID(dom.UUID).String() }
