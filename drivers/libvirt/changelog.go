package libvirt

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/perspective-cloud/sdk/driver"
)

// Bounds of what the change log remembers (see changeLog).
const (
	// maxChanges bounds the domains whose last change the log keeps plus
	// its tombstones; past it the oldest tenth is forgotten at once.
	maxChanges = 10000
	// tombstoneTTL is how long a deleted instance is remembered and
	// returned by ListChanges.
	tombstoneTTL = time.Hour
	// maxKnown bounds the instances the log knows as the namespace's;
	// past it, any domain that vanishes is returned as a tombstone.
	maxKnown = 10000
)

// changeLog is what the driver remembers for ListChanges: when each
// domain last changed, as this process saw it (a libvirt event, a change
// the driver made, a DHCP lease that moved), the instances deleted since,
// and what makes a cursor answerable.
//
// Stamps come from the log's own clock: this machine's wall clock, made
// to never go back, so that they are the "cloud's clock" of the
// driver.ChangeLister contract. The log answers for every change after its
// horizon: the moment the current event subscription began, or the
// newest stamp it forgot. A cursor at or before the horizon is answered
// only when a complete listing started after the horizon (its caller, the
// inventory, holds what that listing read); otherwise the log says that it
// cannot answer, and the caller lists every instance.
type changeLog struct {
	now func() time.Time

	mu            sync.Mutex
	last          time.Time                    // the newest stamp given
	changed       map[string]time.Time         // domain UUID → stamp of its last change
	tombs         map[string]driver.Instance   // instance id → its tombstone
	known         map[string]known             // ids read as the namespace's instances
	macs          map[string]nicOwner          // MAC (lower case) → the instance and network of its NIC
	leases        map[string]map[string]string // network → MAC → its leased addresses, as last read
	gen           int                          // the current event subscription; 0: none runs
	lastGen       int
	horizon       time.Time // changes at or before it may be forgotten
	why           string    // what set the horizon, for the error
	full          time.Time // start of the newest complete listing that succeeded
	lastCall      time.Time // start of the newest listing (complete or of changes) that succeeded
	max, maxKnown int
	ttl           time.Duration
}

// known is an instance the driver has read as the namespace's.
type known struct {
	name string
	macs []string
	seen time.Time // the log's clock when it was last read
}

// nicOwner is the instance a NIC belongs to, and the NIC's network.
type nicOwner struct{ id, network string }

// macOnNet is a NIC of an instance: its MAC address and its network.
type macOnNet struct{ mac, network string }

func newChangeLog(now func() time.Time) *changeLog {
	c := &changeLog{now: now, changed: map[string]time.Time{}, tombs: map[string]driver.Instance{},
		known: map[string]known{}, macs: map[string]nicOwner{}, leases: map[string]map[string]string{},
		max: maxChanges, maxKnown: maxKnown, ttl: tombstoneTTL}
	c.horizon = c.stampLocked()
	c.why = "no event subscription has begun yet"
	return c
}

// stampLocked returns the log's clock, which never goes back and never
// repeats. c.mu must be held (or c not yet shared).
func (c *changeLog) stampLocked() time.Time {
	t := c.now().UTC()
	if !t.After(c.last) {
		t = c.last.Add(time.Nanosecond)
	}
	c.last = t
	return t
}

// stamp returns the log's clock now.
func (c *changeLog) stamp() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stampLocked()
}

// record notes that domain id changed now.
func (c *changeLog) record(id string) {
	if id == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changed[id] = c.stampLocked()
	c.trimLocked()
}

// event records the domain a libvirt domain event names.
func (c *changeLog) event(ev any) {
	if dom, ok := eventDomain(ev); ok {
		c.record(domainID(dom))
	}
}

// eventDomain returns the domain of the events the driver subscribes to.
func eventDomain(ev any) (golibvirt.Domain, bool) {
	switch e := ev.(type) {
	case *golibvirt.DomainEventCallbackLifecycleMsg:
		return e.Msg.Dom, true
	case *golibvirt.DomainEventCallbackMetadataChangeMsg:
		return e.Dom, true
	case *golibvirt.DomainEventCallbackDeviceAddedMsg:
		return e.Dom, true
	case *golibvirt.DomainEventCallbackDeviceRemovedMsg:
		return e.Msg.Dom, true
	}
	return golibvirt.Domain{}, false
}

// resubscribed moves the horizon to now: an event subscription has just
// begun, and what happened before it may have been missed. It returns the
// subscription's number, for ended.
func (c *changeLog) resubscribed(why string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.horizon, c.why = c.stampLocked(), why
	c.lastGen++
	c.gen = c.lastGen
	return c.gen
}

// ended notes that subscription gen ended: until the next one begins,
// the log answers nothing (what happens meanwhile is not seen).
func (c *changeLog) ended(gen int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.gen = 0
		c.why = "the subscription to libvirt's domain events ended (the connection was lost)"
	}
}

// expireLocked forgets the tombstones older than the TTL; the horizon
// moves past them. c.mu must be held.
func (c *changeLog) expireLocked() {
	cut := c.now().UTC().Add(-c.ttl)
	for id, t := range c.tombs {
		if t.Updated.Before(cut) {
			delete(c.tombs, id)
			c.forgotLocked(t.Updated, "a tombstone older than "+c.ttl.String()+" was forgotten")
		}
	}
}

// trimLocked forgets, past the bound, the oldest tenth of what the log
// keeps; the horizon moves past what is forgotten. c.mu must be held.
func (c *changeLog) trimLocked() {
	n := len(c.changed) + len(c.tombs)
	if n <= c.max {
		return
	}
	stamps := make([]time.Time, 0, n)
	for _, t := range c.changed {
		stamps = append(stamps, t)
	}
	for _, t := range c.tombs {
		stamps = append(stamps, t.Updated)
	}
	slices.SortFunc(stamps, time.Time.Compare)
	oldest := stamps[max(n-c.max, n/10)-1]
	for id, t := range c.changed {
		if !t.After(oldest) {
			delete(c.changed, id)
		}
	}
	for id, t := range c.tombs {
		if !t.Updated.After(oldest) {
			delete(c.tombs, id)
		}
	}
	c.forgotLocked(oldest, "more than "+strconv.Itoa(c.max)+" changes were kept, the oldest were forgotten")
}

func (c *changeLog) forgotLocked(t time.Time, why string) {
	if t.After(c.horizon) {
		c.horizon, c.why = t, why
	}
}

// since returns the domains changed at or after since (clamped to the
// start of the newest listing that succeeded: a cursor later than that
// comes from a stamp of another clock), with the stamp of each, or an
// error when the log cannot answer for since.
func (c *changeLog) since(since time.Time) (map[string]time.Time, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expireLocked()
	if !c.lastCall.IsZero() && since.After(c.lastCall) {
		since = c.lastCall
	}
	if c.gen == 0 {
		return nil, since, driver.Errorf(driver.CodeInvalidState,
			"libvirt: the changes since %s cannot be listed: %s", since.Format(time.RFC3339Nano), c.why)
	}
	if !since.After(c.horizon) && !c.full.After(c.horizon) {
		return nil, since, driver.Errorf(driver.CodeInvalidState,
			"libvirt: the changes since %s cannot be listed (%s at %s): the instances must be listed in full",
			since.Format(time.RFC3339Nano), c.why, c.horizon.Format(time.RFC3339Nano))
	}
	out := map[string]time.Time{}
	for id, t := range c.changed {
		if !t.Before(since) {
			out[id] = t
		}
	}
	return out, since, nil
}

// tombsSince returns the tombstones stamped at or after since.
func (c *changeLog) tombsSince(since time.Time) []driver.Instance {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []driver.Instance
	for _, t := range c.tombs {
		if !t.Updated.Before(since) {
			out = append(out, t)
		}
	}
	return out
}

// listed notes that a listing that began at start succeeded; present,
// when it is not nil, holds the ids of a complete listing: the instances
// known before start and absent from it are known no more (whoever holds
// that listing drops them itself).
func (c *changeLog) listed(start time.Time, present map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if start.After(c.lastCall) {
		c.lastCall = start
	}
	if present == nil {
		return
	}
	if start.After(c.full) {
		c.full = start
	}
	for id, k := range c.known {
		if !present[id] && k.seen.Before(start) {
			for _, m := range k.macs {
				delete(c.macs, m)
			}
			delete(c.known, id)
		}
	}
}

// saw notes an instance of the namespace as read, with its NICs'
// (MAC, network) pairs; a tombstone of it is dropped (the UUID is back).
func (c *changeLog) saw(id, name string, nics []macOnNet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tombs, id)
	k, ok := c.known[id]
	if !ok && len(c.known) >= c.maxKnown {
		return
	}
	for _, m := range k.macs {
		delete(c.macs, m)
	}
	k = known{name: name, seen: c.stampLocked()}
	for _, n := range nics {
		mac := strings.ToLower(n.mac)
		c.macs[mac] = nicOwner{id: id, network: n.network}
		k.macs = append(k.macs, mac)
	}
	c.known[id] = k
}

// gone notes that domain id, changed at stamp, is no longer an instance
// of the namespace (undefined, or its element removed): a tombstone
// stamped then when the driver knew it as one (or knows too many to
// tell), nothing otherwise (a domain of another namespace, or one made
// and gone between two reads). Its change is dropped unless a newer one
// came meanwhile.
func (c *changeLog) gone(id string, stamp time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed[id].Equal(stamp) {
		delete(c.changed, id)
	}
	k, ok := c.known[id]
	if !ok && len(c.known) < c.maxKnown {
		return
	}
	for _, m := range k.macs {
		delete(c.macs, m)
	}
	delete(c.known, id)
	c.tombs[id] = driver.Instance{ID: id, Name: k.name, State: driver.StateDeleted, Status: "undefined", Updated: stamp}
	c.trimLocked()
}

// updated returns when domain id last changed as the log saw it (zero
// when it has no record).
func (c *changeLog) updated(id string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed[id]
}

// networks returns the networks the known instances' NICs are on.
func (c *changeLog) networks() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, o := range c.macs {
		if !slices.Contains(out, o.network) {
			out = append(out, o.network)
		}
	}
	slices.Sort(out)
	return out
}

// observeLeases compares a network's DHCP leases with the last read and
// records a change of every known instance whose NIC's addresses moved
// (no libvirt event says so). The first read of a network is compared with
// nothing: every leased NIC counts as changed.
func (c *changeLog) observeLeases(network string, ls []golibvirt.NetworkDhcpLease) {
	now := map[string]string{}
	for _, l := range ls {
		if len(l.Mac) != 1 {
			continue
		}
		mac := strings.ToLower(l.Mac[0])
		if now[mac] != "" {
			now[mac] += ","
		}
		now[mac] += l.Ipaddr
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	before := c.leases[network]
	c.leases[network] = now
	var moved []string
	for mac, ips := range now {
		if before[mac] != ips {
			moved = append(moved, mac)
		}
	}
	for mac := range before {
		if _, ok := now[mac]; !ok {
			moved = append(moved, mac)
		}
	}
	for _, mac := range moved {
		if o, ok := c.macs[mac]; ok && o.network == network {
			c.changed[o.id] = c.stampLocked()
		}
	}
	if len(moved) > 0 {
		c.trimLocked()
	}
}

// pruneLeases forgets the leases of networks no known instance is on.
func (c *changeLog) pruneLeases(keep []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for n := range c.leases {
		if !slices.Contains(keep, n) {
			delete(c.leases, n)
		}
	}
}
