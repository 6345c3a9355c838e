package perspective

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/query"
)

// tables is a consistent view of the inventory of a Set (or a Cloud) as the
// original Perspective's fifteen tables (see schema). It implements
// query.Database: a table is read from the clouds' inventories the first
// time a query asks for it, then kept for the life of the tables value, so
// every statement of one batch sees the same rows. Once the inventories
// have synced (and read again what this library changed), no table costs a
// cloud request: instances come from each inventory's index, in its kept
// order, as rows built once per change of an instance; flavors, images,
// networks, keypairs, projects, zones and quotas from the lists it holds.
//
// It also implements query.FilteringDatabase: an equality on instances.id,
// real_id or name, a LIKE prefix of the name and an equality on the state
// are answered from the inventory's indexes without a scan, and the engine
// checks the whole WHERE clause again, so the result never changes.
type tables struct {
	clouds []*Cloud

	mu    sync.Mutex
	taken time.Time // when the view was taken: set by the first table that shows it (takenAt)
	loads map[string]*tableLoad
	// failed are the clouds that failed while tables were read: their rows
	// are left out and the query reports them (partial.go).
	failed cloudFailures
}

type tableLoad struct {
	once sync.Once
	rows [][]query.Value
	err  error
}

// newTables returns a view of the inventory of clouds, which the caller
// does not change afterwards (a Set's never change).
func newTables(clouds ...*Cloud) *tables {
	return &tables{clouds: clouds}
}

// takenAt returns when the view was taken: the first time a table asks
// (the clock is not read for a lookup, which never asks).
func (t *tables) takenAt() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.taken.IsZero() {
		t.taken = time.Now().UTC()
	}
	return t.taken
}

// Rows returns the rows of one of the fifteen tables.
func (t *tables) Rows(ctx context.Context, table string) ([][]query.Value, error) {
	t.mu.Lock()
	l, ok := t.loads[table]
	if !ok {
		if t.loads == nil {
			t.loads = map[string]*tableLoad{}
		}
		l = &tableLoad{}
		t.loads[table] = l
	}
	t.mu.Unlock()
	l.once.Do(func() { l.rows, l.err = t.load(ctx, table) })
	return l.rows, l.err
}

// FilteredRows answers the pushed conditions on instances from the
// inventories' indexes (see lookupFor); other tables and conditions read
// all rows.
func (t *tables) FilteredRows(ctx context.Context, table string, preds []query.Predicate) ([][]query.Value, error) {
	if table != tableInstances {
		return t.Rows(ctx, table)
	}
	l, ok := lookupFor(preds)
	if !ok {
		return t.Rows(ctx, table)
	}
	return t.instanceRows(ctx, l)
}

// lookupFor picks the most selective of the predicates an inventory's
// indexes answer, as a lookup whose result is a superset of the rows
// matching them: an equality on id or real_id (one entry), on the name, a
// LIKE prefix of the name (a range of the name order), an equality on the
// state (a filter of the order).
func lookupFor(preds []query.Predicate) (lookup, bool) {
	var l lookup
	for _, p := range preds {
		if p.Value.Kind() != query.KindString {
			continue
		}
		v := p.Value.Str()
		switch {
		case p.Op == "=" && (p.Column == "id" || p.Column == "real_id"):
			return lookup{column: p.Column, value: v}, true
		case p.Op == "=" && p.Column == "name":
			l.column, l.value, l.prefix = "name", v, false
		case p.Op == "LIKE" && p.Column == "name" && l.column == "":
			if pre := likePrefix(v); pre != "" {
				l.column, l.value, l.prefix = "name", pre, true
			}
		case p.Op == "=" && p.Column == "state":
			l.state = State(v)
		}
	}
	return l, l.column != "" || l.state != ""
}

// likePrefix is the literal text a LIKE pattern starts with (its escapes
// decoded), up to its first wildcard: every string the pattern matches
// starts with it.
func likePrefix(pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch ch := pattern[i]; {
		case ch == '%' || ch == '_':
			return b.String()
		case ch == '\\' && i+1 < len(pattern):
			i++
			b.WriteByte(pattern[i])
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

func (t *tables) load(ctx context.Context, table string) ([][]query.Value, error) {
	switch table {
	case tableClouds:
		return t.cloudRows(), nil
	case tableInstances:
		return t.instanceRows(ctx, lookup{})
	case tableInstanceMetadata, tableInstanceNetworks:
		es, err := t.entries(ctx)
		if err != nil {
			return nil, err
		}
		if table == tableInstanceMetadata {
			return metadataRows(es, func(e *entry) (string, map[string]string) { return e.inst.ID, e.inst.Metadata }), nil
		}
		return instanceNetworkRows(es), nil
	case tableFlavors:
		return t.flavorRows(ctx)
	case tableImages, tableImageMetadata:
		imgs, err := heldOf(ctx, t, func(c *Cloud) *held[Image] { return c.meta.images })
		if err != nil {
			return nil, err
		}
		if table == tableImages {
			return imageRows(imgs), nil
		}
		return metadataRows(imgs, func(i *Image) (string, map[string]string) { return i.ID, i.Metadata }), nil
	case tableProjectImages:
		return t.projectImageRows(ctx)
	case tableKeypairs:
		return t.keypairRows(ctx)
	case tableNetworks, tableNetworkSubnets:
		return t.networkRows(ctx, table == tableNetworkSubnets)
	case tableProjects, tableProjectMetadata:
		ps, err := heldOf(ctx, t, func(c *Cloud) *held[Project] { return c.meta.projects })
		if err != nil {
			return nil, err
		}
		ps = distinctProjects(ps) // a fleet lists a project once per region it is open in
		if table == tableProjects {
			return t.projectRows(ps), nil
		}
		return metadataRows(ps, func(p *Project) (string, map[string]string) { return p.ID, p.Metadata }), nil
	case tableProjectQuota:
		return t.quotaRows(ctx)
	case tableAvailabilityZones:
		return t.zoneRows(ctx)
	case tableHypervisors:
		return t.hypervisorRows(ctx)
	}
	return nil, fmt.Errorf("perspective: no table %q", table)
}

var (
	str  = query.String
	num  = query.Int
	when = query.Time
)

func orNull(s string) query.Value {
	if s == "" {
		return query.Null()
	}
	return query.String(s)
}

func (t *tables) cloudRows() [][]query.Value {
	var rows [][]query.Value
	seen := map[string]bool{}
	for _, c := range t.clouds {
		if !seen[c.info.CloudID] {
			seen[c.info.CloudID] = true
			rows = append(rows, []query.Value{str(c.info.CloudID), str(c.info.Type)})
		}
	}
	return rows
}

func instanceNetworkRows(es []*entry) [][]query.Value {
	var rows [][]query.Value
	for _, e := range es {
		in := &e.inst
		seen := map[string]bool{}
		add := func(id string) {
			if id != "" && !seen[id] {
				seen[id] = true
				rows = append(rows, []query.Value{str(in.ID), str(id)})
			}
		}
		for _, n := range in.Networks {
			add(n.ID)
		}
		for _, a := range in.Addresses {
			add(a.NetworkID)
		}
	}
	return rows
}

// metadataRows gives one (owner id, key, value) row per key, keys sorted.
func metadataRows[T any](items []T, meta func(T) (string, map[string]string)) [][]query.Value {
	var rows [][]query.Value
	for _, it := range items {
		id, m := meta(it)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			rows = append(rows, []query.Value{str(id), str(k), str(m[k])})
		}
	}
	return rows
}

// projectOf is the project an object of cloud c belongs to when the
// driver did not say.
func projectOf(c *Cloud, id string) string {
	if id != "" {
		return id
	}
	return c.info.ProjectID
}

// seenKey reports whether an object was already listed: a cloud opened in
// several regions lists its flavors, networks and keypairs once per region,
// and each must be one row, or joins on (project_id, id) would match twice.
// The key is the project and id, not the cloud id: the clouds of a fleet
// (one cloud id per project and region) list one project's objects once per
// region too.
type seenKey map[[3]string]bool

func (s seenKey) first(cloud, project, id string) bool {
	k := [3]string{cloud, project, id}
	if s[k] {
		return false
	}
	s[k] = true
	return true
}

func (t *tables) flavorRows(ctx context.Context) ([][]query.Value, error) {
	views, err := viewsOf(ctx, t, func(c *Cloud) *held[Flavor] { return c.meta.flavors })
	if err != nil {
		return nil, err
	}
	var rows [][]query.Value
	seen := seenKey{}
	for i, c := range t.clouds {
		for j := range views[i].items {
			f := &views[i].items[j]
			if !seen.first("", projectOf(c, f.ProjectID), f.ID) {
				continue
			}
			rows = append(rows, []query.Value{str(f.ID), str(projectOf(c, f.ProjectID)), str(f.Name), num(int64(f.RAM)),
				num(int64(f.VCPUs)), num(int64(f.RootDisk)), num(int64(f.EphemeralDisk)), query.Bool(f.HasSwap()),
				query.Bool(f.IsPublic), orNull(f.Notes)})
		}
	}
	return rows, nil
}

func imageRows(imgs []*Image) [][]query.Value {
	rows := make([][]query.Value, 0, len(imgs))
	seen := seenKey{}
	for _, im := range imgs {
		if !seen.first("", "", im.ID) {
			continue
		}
		rows = append(rows, []query.Value{str(im.ID), str(im.RealID), str(im.Name), str(im.CloudID), str(im.CloudType),
			when(im.Created), when(im.Updated), str(string(im.State)), orNull(im.Checksum)})
	}
	return rows
}

// projectImageRows links an image to the project that owns it, or, for an
// image without an owner (public or shared), to every project of its cloud.
func (t *tables) projectImageRows(ctx context.Context) ([][]query.Value, error) {
	ps, err := heldOf(ctx, t, func(c *Cloud) *held[Project] { return c.meta.projects })
	if err != nil {
		return nil, err
	}
	views, err := viewsOf(ctx, t, func(c *Cloud) *held[Image] { return c.meta.images })
	if err != nil {
		return nil, err
	}
	var rows [][]query.Value
	seen := map[[2]string]bool{}
	add := func(p, img string) {
		if k := [2]string{p, img}; !seen[k] {
			seen[k] = true
			rows = append(rows, []query.Value{str(p), str(img)})
		}
	}
	for i, c := range t.clouds {
		for j := range views[i].items {
			im := &views[i].items[j]
			if im.ProjectID != "" {
				add(im.ProjectID, im.ID)
				continue
			}
			for _, p := range ps {
				if p.CloudID == c.info.CloudID {
					add(p.ID, im.ID)
				}
			}
		}
	}
	return rows, nil
}

func (t *tables) keypairRows(ctx context.Context) ([][]query.Value, error) {
	views, err := viewsOf(ctx, t, func(c *Cloud) *held[Keypair] { return c.meta.keypairs })
	if err != nil {
		return nil, err
	}
	var rows [][]query.Value
	seen := seenKey{}
	for i, c := range t.clouds {
		for _, k := range views[i].items {
			if !seen.first("", projectOf(c, k.ProjectID), k.Name) {
				continue
			}
			rows = append(rows, []query.Value{str(k.Name), str(projectOf(c, k.ProjectID)), str(k.Fingerprint), str(k.PublicKey)})
		}
	}
	return rows, nil
}

func (t *tables) networkRows(ctx context.Context, subnets bool) ([][]query.Value, error) {
	views, err := viewsOf(ctx, t, func(c *Cloud) *held[Network] { return c.meta.networks })
	if err != nil {
		return nil, err
	}
	var rows [][]query.Value
	seen := seenKey{}
	for i, c := range t.clouds {
		for j := range views[i].items {
			n := &views[i].items[j]
			project := projectOf(c, n.ProjectID)
			if !seen.first("", project, n.ID) {
				continue
			}
			if !subnets {
				rows = append(rows, []query.Value{str(n.ID), str(project), str(n.Name), str(n.State), query.Bool(n.IsShared)})
				continue
			}
			for _, s := range n.Subnets {
				network := s.NetworkID
				if network == "" {
					network = n.ID
				}
				rows = append(rows, []query.Value{str(s.ID), str(projectOf(c, cmpOr(s.ProjectID, n.ProjectID))), str(network),
					str(s.Name), str(s.CIDR), num(int64(s.IPVersion)), orNull(s.Gateway), query.Bool(s.DHCPEnabled)})
			}
		}
	}
	return rows, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// distinctProjects keeps the first of projects with the same id: the clouds
// of a fleet (one cloud id per project and region) each list their project,
// and the query tables join on the project id alone.
func distinctProjects(ps []*Project) []*Project {
	seen := make(map[string]bool, len(ps))
	out := ps[:0:0]
	for _, p := range ps {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out
}

// projectRows gives last_updated as the time the view was taken: drivers
// do not report when a project changed.
func (t *tables) projectRows(ps []*Project) [][]query.Value {
	rows := make([][]query.Value, len(ps))
	taken := t.takenAt()
	for i, p := range ps {
		rows[i] = []query.Value{str(p.ID), str(p.Name), str(p.CloudID), str(p.CloudType), when(taken)}
	}
	return rows
}

// quotaRows holds one row per project whose driver reports quota, each
// resource as "used/max" text (max -1 for unlimited).
func (t *tables) quotaRows(ctx context.Context) ([][]query.Value, error) {
	views, err := viewsOf(ctx, t, func(c *Cloud) *held[projectQuota] { return c.meta.quotas })
	if err != nil {
		return nil, err
	}
	var rows [][]query.Value
	seen := map[string]bool{}
	u := func(x Usage) query.Value { return str(fmt.Sprintf("%d/%d", x.Used, x.Max)) }
	for i, c := range t.clouds {
		for _, pq := range views[i].items {
			if seen[c.info.CloudID+"\x00"+pq.ProjectID] {
				continue
			}
			seen[c.info.CloudID+"\x00"+pq.ProjectID] = true
			q := pq.Quota
			rows = append(rows, []query.Value{str(pq.ProjectID), u(q.Instances), u(q.VCPUs), u(q.RAM), u(q.Disk),
				u(q.FloatingIPs), u(q.SecurityGroups), u(q.Volumes), u(q.Keypairs)})
		}
	}
	return rows, nil
}

func (t *tables) zoneRows(ctx context.Context) ([][]query.Value, error) {
	views, err := viewsOf(ctx, t, func(c *Cloud) *held[string] { return c.meta.zones })
	if err != nil {
		return nil, err
	}
	var rows [][]query.Value
	seen := seenKey{}
	for i, c := range t.clouds {
		for _, z := range views[i].items {
			if !seen.first("", c.info.ProjectID, z) {
				continue
			}
			rows = append(rows, []query.Value{str(z), str(c.info.ProjectID)})
		}
	}
	return rows, nil
}

// viewsOf returns the list each cloud's inventory holds of one kind, in
// cloud order, shared: callers must not change them. The clouds that must
// list it first (the first read) list concurrently; one that fails has an
// empty list and is reported by the query (t.partial).
func viewsOf[T any](ctx context.Context, t *tables, pick func(*Cloud) *held[T]) ([]*heldList[T], error) {
	clouds := t.clouds
	views := make([]*heldList[T], len(clouds))
	errs := make([]error, len(clouds))
	var wg sync.WaitGroup
	for i, c := range clouds {
		h := pick(c)
		if l := h.peek(); l != nil {
			views[i] = l
			continue
		}
		wg.Go(func() { views[i], errs[i] = h.view(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			continue
		}
		if err := t.partial(ctx, clouds[i], classify(err, OpList, "", "")); err != nil {
			return nil, err
		}
		views[i] = &heldList[T]{}
	}
	return views, nil
}

// heldOf returns every item the clouds' inventories hold of one kind, in
// cloud order, shared: callers must not change them.
func heldOf[T any](ctx context.Context, t *tables, pick func(*Cloud) *held[T]) ([]*T, error) {
	views, err := viewsOf(ctx, t, pick)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, l := range views {
		n += len(l.items)
	}
	out := make([]*T, 0, n)
	for _, l := range views {
		for i := range l.items {
			out = append(out, &l.items[i])
		}
	}
	return out, nil
}

// serve makes every cloud's inventory ready to serve reads (serveAll) and
// returns the clouds whose inventory is: one that fails is left out of the
// instance tables and reported by the query (t.partial). Only ctx ending
// fails it.
func (t *tables) serve(ctx context.Context) ([]*Cloud, error) {
	errs := make([]error, len(t.clouds))
	var wg sync.WaitGroup
	for i, c := range t.clouds {
		if !c.inv.current() {
			wg.Go(func() { errs[i] = c.inv.serve(ctx) })
		}
	}
	wg.Wait()
	live := make([]*Cloud, 0, len(t.clouds))
	for i, c := range t.clouds {
		if errs[i] != nil {
			if err := t.partial(ctx, c, classify(errs[i], OpList, KindInstance, "")); err != nil {
				return nil, err
			}
			continue
		}
		if !t.failed.has(c.target()) {
			live = append(live, c)
		}
	}
	return live, nil
}

// entries returns every instance of the clouds' inventories in listing
// order (name, then global id), shared: callers must not change them.
func (t *tables) entries(ctx context.Context) ([]*entry, error) {
	live, err := t.serve(ctx)
	if err != nil {
		return nil, err
	}
	parts := make([][]*entry, len(live))
	for i, c := range live {
		parts[i], _ = c.inv.ordered()
	}
	return mergeSorted(parts, byListing), nil
}

// instanceRows returns the rows of the instances l finds in every cloud's
// inventory, in listing order: the order the inventories keep, merged
// across the clouds, so that a query without ORDER BY answers the same
// rows in the same order every time. The rows are the inventories' own,
// built once per change of an instance: none is copied.
func (t *tables) instanceRows(ctx context.Context, l lookup) ([][]query.Value, error) {
	if l.column == "id" || l.column == "real_id" {
		return t.rowsByID(ctx, l)
	}
	if l.column == "name" && !l.prefix && allCurrent(t.clouds) {
		// one read of the process's index of names
		es := instanceIndex.named(nil, l.value, t.clouds)
		if l.state != "" {
			es = slices.DeleteFunc(es, func(e *entry) bool { return e.inst.State != l.state })
		}
		slices.SortFunc(es, byListing)
		rows := make([][]query.Value, len(es))
		for i, e := range es {
			rows[i] = e.row
		}
		return rows, nil
	}
	live, err := t.serve(ctx)
	if err != nil {
		return nil, err
	}
	if len(live) == 1 && l.column == "" && l.state == "" {
		_, rows := live[0].inv.ordered()
		return rows, nil
	}
	parts := make([][]*entry, len(live))
	for i, c := range live {
		parts[i] = c.inv.find(l)
	}
	es := mergeSorted(parts, byListing)
	rows := make([][]query.Value, len(es))
	for i, e := range es {
		rows[i] = e.row
	}
	return rows, nil
}

// rowsByID returns the rows of the instance with a global id (one read of
// the process's index of instances, whatever the number of clouds) or a
// real id (one map read per cloud).
func (t *tables) rowsByID(ctx context.Context, l lookup) ([][]query.Value, error) {
	if l.column == "id" {
		e, _, ok := findByID(t.clouds, l.value)
		if !ok {
			// an inventory that has not synced, or must first read an
			// instance this library changed: make them all ready, then look
			live, err := t.serve(ctx)
			if err != nil {
				return nil, err
			}
			e = nil
			for _, c := range live {
				if es := c.inv.find(l); len(es) > 0 {
					e = es[0]
					break
				}
			}
		}
		if e == nil {
			return [][]query.Value{}, nil
		}
		return [][]query.Value{e.row}, nil
	}
	live, err := t.serve(ctx)
	if err != nil {
		return nil, err
	}
	var es []*entry
	for _, c := range live {
		es = append(es, c.inv.find(l)...)
	}
	if len(es) > 1 {
		slices.SortFunc(es, byListing)
	}
	rows := make([][]query.Value, len(es))
	for i, e := range es {
		rows[i] = e.row
	}
	return rows, nil
}
