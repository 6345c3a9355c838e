package mock

import (
	"context"
	"slices"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListChanges returns the instances changed at or after since, by the
// mock's own clock (see WithClockSkew), oldest change first; instances
// deleted since then come as tombstones (State deleted) while the mock
// remembers them (see WithTombstones). It implements driver.ChangeLister.
func (d *Driver) ListChanges(ctx context.Context, since time.Time) ([]driver.Instance, error) {
	if err := d.enter(ctx, "ListChanges", perspective.OpList); err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.settle(d.now())
	var out []driver.Instance
	for _, s := range d.servers {
		if !s.inst.Updated.Before(since) {
			out = append(out, d.view(s))
		}
	}
	for _, t := range d.tombs {
		if !t.Updated.Before(since) {
			out = append(out, t)
		}
	}
	d.rows["ListChanges"] += len(out)
	d.mu.Unlock()
	slices.SortFunc(out, func(a, b driver.Instance) int { return a.Updated.Compare(b.Updated) })
	return out, d.pay(ctx, "ListChanges", len(out))
}

// pay makes a reply of rows instances take their cost (see WithRowCost).
// It must be called without d.mu held.
func (d *Driver) pay(ctx context.Context, method string, rows int) error {
	cost := d.cfg.rowCost * time.Duration(rows)
	if cost <= 0 {
		return nil
	}
	t := time.NewTimer(cost)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return driver.Wrap(driver.CodeCanceled, ctx.Err(), "mock "+method)
	case <-t.C:
		return nil
	}
}
