package libvirt

import (
	"fmt"
	"sync"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

// fakeClock is a settable clock for the change log.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeClock) add(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func newTestLog() (*changeLog, *fakeClock) {
	clk := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	c := newChangeLog(clk.now)
	return c, clk
}

// ready makes the log answer: a subscription, then a complete listing.
func ready(c *changeLog) time.Time {
	c.resubscribed("test")
	start := c.stamp()
	c.listed(start, map[string]bool{})
	return start
}

func TestChangeLogStampsNeverGoBack(t *testing.T) {
	c, clk := newTestLog()
	a := c.stamp()
	clk.add(-time.Hour) // the wall clock steps back
	b := c.stamp()
	assert.True(t, b.After(a), "a stamp after a step back of the clock is still later")
	assert.True(t, c.stamp().After(b))
}

func TestChangeLogAnswersSince(t *testing.T) {
	c, clk := newTestLog()
	ready(c)
	clk.add(time.Second)
	c.record("a")
	c.listed(c.stamp(), nil) // a listing of changes read it
	clk.add(time.Second)
	mid := c.stamp()
	clk.add(time.Second)
	c.record("b")
	got, _, err := c.since(mid)
	require.NoError(t, err)
	assert.Len(t, got, 1)
	assert.Contains(t, got, "b", "only what changed at or after since")
	got, _, err = c.since(c.updated("a"))
	require.NoError(t, err)
	assert.Len(t, got, 2, "a change stamped exactly at since is included")

	gen := c.resubscribed("again")
	c.listed(c.stamp(), map[string]bool{})
	c.ended(gen - 1)
	_, _, err = c.since(mid)
	require.NoError(t, err, "the end of an earlier subscription changes nothing")
	c.ended(gen)
	_, _, err = c.since(mid)
	require.Error(t, err, "no subscription runs: changes may be missed")
	assert.Contains(t, err.Error(), "connection was lost")
}

func TestChangeLogNeedsAFullListingAfterItsHorizon(t *testing.T) {
	c, clk := newTestLog()
	before := c.stamp()
	_, _, err := c.since(before)
	require.Error(t, err, "no subscription yet: nothing can be answered")
	assert.Equal(t, driver.CodeInvalidState, driver.CodeOf(err))

	c.resubscribed("the first subscription")
	clk.add(time.Second)
	_, _, err = c.since(before)
	require.Error(t, err, "a cursor from before the subscription, and no listing since")
	assert.Contains(t, err.Error(), "must be listed in full")

	// a complete listing after the horizon: the caller holds what came
	// before it, the log holds what came after
	start := c.stamp()
	c.listed(start, map[string]bool{})
	clk.add(time.Second)
	c.record("a")
	got, _, err := c.since(before)
	require.NoError(t, err)
	assert.Contains(t, got, "a")

	// the connection was lost and the subscription began again: what
	// happened meanwhile is unknown until a complete listing
	clk.add(time.Second)
	cursor := c.stamp()
	clk.add(time.Second)
	c.resubscribed("lost")
	_, _, err = c.since(cursor)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lost")
	// a listing of changes is no complete listing
	c.listed(c.stamp(), nil)
	_, _, err = c.since(cursor)
	require.Error(t, err)
	c.listed(c.stamp(), map[string]bool{})
	_, _, err = c.since(cursor)
	require.NoError(t, err)
}

func TestChangeLogClampsACursorFromAnotherClock(t *testing.T) {
	c, clk := newTestLog()
	start := ready(c)
	clk.add(time.Second)
	c.record("a")
	// a cursor an hour ahead (a metadata time written by a host whose
	// clock runs ahead) is clamped to the start of the last listing
	got, since, err := c.since(start.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, start, since)
	assert.Contains(t, got, "a", "the change after the last listing is not skipped")
}

func TestChangeLogBoundedByCount(t *testing.T) {
	c, clk := newTestLog()
	c.max = 100
	ready(c)
	clk.add(time.Second)
	first := c.stamp()
	for i := range 1000 {
		clk.add(time.Millisecond)
		c.record(fmt.Sprintf("d%d", i))
	}
	c.listed(c.stamp(), nil)
	assert.LessOrEqual(t, len(c.changed), 100, "the log keeps at most its bound")
	got, _, err := c.since(c.updated("d999"))
	require.NoError(t, err)
	assert.Contains(t, got, "d999", "the newest change is kept")
	// the first changes are forgotten, so a cursor before them cannot be
	// answered: the caller must list in full
	_, _, err = c.since(first)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "forgotten")
	c.listed(c.stamp(), map[string]bool{})
	_, _, err = c.since(first)
	assert.NoError(t, err, "a complete listing after what was forgotten answers for it")
}

func TestChangeLogTombstones(t *testing.T) {
	c, clk := newTestLog()
	ready(c)
	c.saw("a", "web-1", []macOnNet{{mac: "52:54:00:AA:00:01", network: "n"}})
	clk.add(time.Second)
	c.record("a")
	c.record("x") // a domain never read as the namespace's
	clk.add(time.Second)
	cursor := c.updated("a")
	got, _, err := c.since(cursor)
	require.NoError(t, err)
	require.Len(t, got, 2)
	c.gone("a", got["a"])
	c.gone("x", got["x"])
	tombs := c.tombsSince(cursor)
	require.Len(t, tombs, 1, "a tombstone only for what was the namespace's")
	assert.Equal(t, driver.Instance{ID: "a", Name: "web-1", State: driver.StateDeleted, Status: "undefined", Updated: got["a"]}, tombs[0])
	assert.Empty(t, c.macs, "its NIC is forgotten")
	got, _, err = c.since(cursor)
	require.NoError(t, err)
	assert.Empty(t, got, "the changes that became tombstones are dropped")

	// the UUID defined again: the tombstone goes
	c.saw("a", "web-1", nil)
	assert.Empty(t, c.tombsSince(cursor))

	// tombstones are kept for the TTL, then forgotten, moving the horizon
	c.saw("b", "web-2", nil)
	c.record("b")
	c.gone("b", c.updated("b"))
	old := c.tombsSince(cursor)[0].Updated
	c.listed(c.stamp(), nil)
	clk.add(c.ttl + time.Second)
	_, _, err = c.since(old)
	require.Error(t, err, "the tombstone is forgotten: a cursor before it cannot be answered")
	assert.Contains(t, err.Error(), "tombstone")
	assert.Empty(t, c.tombs)
}

func TestChangeLogKnownIsBounded(t *testing.T) {
	c, _ := newTestLog()
	c.maxKnown = 3
	ready(c)
	for i := range 10 {
		c.saw(fmt.Sprintf("k%d", i), "n", nil)
	}
	assert.Len(t, c.known, 3)
	// past the bound the log cannot tell: any domain gone is a tombstone
	c.record("other")
	c.gone("other", c.updated("other"))
	assert.Len(t, c.tombs, 1)
	// a complete listing forgets what it did not see
	c.listed(c.stamp(), map[string]bool{"k0": true})
	assert.Len(t, c.known, 1)
}

func TestChangeLogLeases(t *testing.T) {
	c, _ := newTestLog()
	start := ready(c)
	c.saw("a", "web-1", []macOnNet{{mac: "52:54:00:aa:00:01", network: "n"}})
	c.saw("b", "web-2", []macOnNet{{mac: "52:54:00:aa:00:02", network: "n"}})
	lease := func(mac, ip string) golibvirt.NetworkDhcpLease {
		return golibvirt.NetworkDhcpLease{Mac: []string{mac}, Ipaddr: ip}
	}
	c.observeLeases("n", []golibvirt.NetworkDhcpLease{lease("52:54:00:aa:00:01", "10.0.0.2")})
	got, _, err := c.since(start)
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, keys(got), "the first read of a network: every leased NIC counts")
	c.listed(c.stamp(), nil)

	mid := c.stamp()
	c.observeLeases("n", []golibvirt.NetworkDhcpLease{lease("52:54:00:AA:00:01", "10.0.0.2")})
	got, _, err = c.since(mid)
	require.NoError(t, err)
	assert.Empty(t, got, "the same leases: nothing moved")

	c.observeLeases("n", []golibvirt.NetworkDhcpLease{lease("52:54:00:aa:00:02", "10.0.0.3"), lease("52:54:00:ff:ff:ff", "10.0.0.9")})
	got, _, err = c.since(mid)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"a", "b"}, keys(got), "a lease gone and a lease new; an unknown MAC is nobody's")
	assert.Equal(t, []string{"n"}, c.networks())

	c.observeLeases("other", []golibvirt.NetworkDhcpLease{lease("52:54:00:aa:00:02", "10.1.0.3")})
	c.pruneLeases(c.networks())
	assert.NotContains(t, c.leases, "other", "a network no instance is on is forgotten")
}

func keys(m map[string]time.Time) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestChangeLogEvents(t *testing.T) {
	c, _ := newTestLog()
	start := ready(c)
	u := uuid.New()
	dom := golibvirt.Domain{Name: "d", UUID: golibvirt.UUID(u)}
	for _, ev := range []any{
		&golibvirt.DomainEventCallbackLifecycleMsg{Msg: golibvirt.DomainEventLifecycleMsg{Dom: dom}},
		&golibvirt.DomainEventCallbackMetadataChangeMsg{Dom: dom},
		&golibvirt.DomainEventCallbackDeviceAddedMsg{Dom: dom},
		&golibvirt.DomainEventCallbackDeviceRemovedMsg{Msg: golibvirt.DomainEventDeviceRemovedMsg{Dom: dom}},
	} {
		before := c.updated(u.String())
		c.event(ev)
		assert.True(t, c.updated(u.String()).After(before), "%T is recorded", ev)
	}
	n := len(c.changed)
	c.event(&golibvirt.DomainEventCallbackRebootMsg{})
	assert.Len(t, c.changed, n, "an event the driver does not watch is ignored")
	got, _, err := c.since(start)
	require.NoError(t, err)
	assert.Equal(t, []string{u.String()}, keys(got))
}
