package perspective

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/query"
)

// tables is a consistent view of the inventory of a Set (or a Cloud) as the
// original Perspective's fifteen tables (see schema). It implements
// query.Database: a table is read from the clouds the first time
// a query asks for it, then kept for the life of the tables value, so every
// statement of one batch sees the same rows. Instances come from every
// cloud, always fresh; flavors, images, networks and keypairs come through
// each Cloud's metadata cache.
//
// It also implements query.FilteringDatabase: simple conditions on
// instances.name and instances.state are passed to the drivers as
// ListOptions (the server-side filters of OpenStack), and the engine checks
// the whole WHERE clause again, so the result never changes.
type tables struct {
	clouds []*Cloud
	taken  time.Time

	mu    sync.Mutex
	loads map[string]*tableLoad
}

type tableLoad struct {
	once sync.Once
	rows [][]query.Value
	err  error
}

// newTables returns a view of the inventory of clouds.
func newTables(clouds ...*Cloud) *tables {
	return &tables{clouds: slices.Clone(clouds), taken: time.Now().UTC(), loads: map[string]*tableLoad{}}
}

// Rows returns the rows of one of the fifteen tables.
func (t *tables) Rows(ctx context.Context, table string) ([][]query.Value, error) {
	t.mu.Lock()
	l, ok := t.loads[table]
	if !ok {
		l = &tableLoad{}
		t.loads[table] = l
	}
	t.mu.Unlock()
	l.once.Do(func() { l.rows, l.err = t.load(ctx, table) })
	return l.rows, l.err
}

// FilteredRows lists only the instances the drivers report for the pushed
// conditions on name and state; other tables and conditions read all rows.
func (t *tables) FilteredRows(ctx context.Context, table string, preds []query.Predicate) ([][]query.Value, error) {
	if table != tableInstances {
		return t.Rows(ctx, table)
	}
	opts, ok := listOptionsFor(preds)
	if !ok {
		return t.Rows(ctx, table)
	}
	insts, err := (&Instances{clouds: t.clouds}).List(ctx, opts)
	if err != nil {
		return nil, err
	}
	return instanceRows(insts), nil
}

// listOptionsFor turns the predicates a driver can apply into ListOptions
// whose result is a superset of the rows matching them: an equality or a
// LIKE prefix on the name becomes a "contains" filter, an equality on the
// state a state filter.
func listOptionsFor(preds []query.Predicate) (ListOptions, bool) {
	var o ListOptions
	for _, p := range preds {
		if p.Value.Kind() != query.KindString {
			continue
		}
		switch {
		case p.Column == "state" && p.Op == "=":
			o.States = []State{State(p.Value.Str())}
		case p.Column == "name" && p.Op == "=" && p.Value.Str() != "":
			o.Name = p.Value.Str()
		case p.Column == "name" && p.Op == "LIKE":
			lit := p.Value.Str()
			if i := strings.IndexAny(lit, `%_\`); i >= 0 {
				lit = lit[:i]
			}
			if lit != "" {
				o.Name = lit
			}
		}
	}
	return o, o.Name != "" || len(o.States) > 0
}

func (t *tables) load(ctx context.Context, table string) ([][]query.Value, error) {
	switch table {
	case tableClouds:
		return t.cloudRows(), nil
	case tableInstances, tableInstanceMetadata, tableInstanceNetworks:
		insts, err := t.snapshot(ctx)
		if err != nil {
			return nil, err
		}
		switch table {
		case tableInstances:
			return instanceRows(insts), nil
		case tableInstanceMetadata:
			return metadataRows(insts, func(i Instance) (string, map[string]string) { return i.ID, i.Metadata }), nil
		}
		return instanceNetworkRows(insts), nil
	case tableFlavors:
		return t.flavorRows(ctx)
	case tableImages, tableImageMetadata:
		imgs, err := (&Images{clouds: t.clouds}).List(ctx)
		if err != nil {
			return nil, err
		}
		if table == tableImages {
			return imageRows(imgs), nil
		}
		return metadataRows(imgs, func(i Image) (string, map[string]string) { return i.ID, i.Metadata }), nil
	case tableProjectImages:
		return t.projectImageRows(ctx)
	case tableKeypairs:
		return t.keypairRows(ctx)
	case tableNetworks, tableNetworkSubnets:
		return t.networkRows(ctx, table == tableNetworkSubnets)
	case tableProjects, tableProjectMetadata:
		ps, err := (&Projects{clouds: t.clouds}).List(ctx)
		if err != nil {
			return nil, err
		}
		ps = distinctProjects(ps) // a fleet lists a project once per region it is open in
		if table == tableProjects {
			return t.projectRows(ps), nil
		}
		return metadataRows(ps, func(p Project) (string, map[string]string) { return p.ID, p.Metadata }), nil
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

// instanceColumns is the number of columns of the instances table.
const instanceColumns = 15

// instanceRows gives one row per instance; addresses are every address of
// the instance joined by a newline, as in the original; host is NULL when
// the credentials may not see it.
func instanceRows(insts []Instance) [][]query.Value {
	rows := make([][]query.Value, len(insts))
	slab := make([]query.Value, len(insts)*instanceColumns)
	for i, in := range insts {
		var flavor, image query.Value
		if in.Flavor != nil {
			flavor = orNull(in.Flavor.ID)
		}
		if in.Image != nil {
			image = orNull(in.Image.ID)
		}
		addrs := make([]string, len(in.Addresses))
		for j, a := range in.Addresses {
			addrs[j] = a.IP
		}
		row := slab[i*instanceColumns : (i+1)*instanceColumns : (i+1)*instanceColumns]
		copy(row, []query.Value{str(in.ID), str(in.RealID), str(in.Name), str(in.CloudID), str(in.CloudType),
			str(in.ProjectID), flavor, image, str(string(in.State)), when(in.Updated), when(in.Created),
			orNull(in.AvailabilityZone), str(strings.Join(addrs, "\n")), orNull(in.FQDN), orNull(in.Host)})
		rows[i] = row
	}
	return rows
}

func instanceNetworkRows(insts []Instance) [][]query.Value {
	var rows [][]query.Value
	for _, in := range insts {
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
	var rows [][]query.Value
	seen := seenKey{}
	for _, c := range t.clouds {
		fs, err := c.Flavors().List(ctx)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
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

func imageRows(imgs []Image) [][]query.Value {
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
	ps, err := (&Projects{clouds: t.clouds}).List(ctx)
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
	for _, c := range t.clouds {
		imgs, err := c.Images().List(ctx)
		if err != nil {
			return nil, err
		}
		for _, im := range imgs {
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
	var rows [][]query.Value
	seen := seenKey{}
	for _, c := range t.clouds {
		ks, err := c.Keypairs().List(ctx)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			if !seen.first("", projectOf(c, k.ProjectID), k.Name) {
				continue
			}
			rows = append(rows, []query.Value{str(k.Name), str(projectOf(c, k.ProjectID)), str(k.Fingerprint), str(k.PublicKey)})
		}
	}
	return rows, nil
}

func (t *tables) networkRows(ctx context.Context, subnets bool) ([][]query.Value, error) {
	var rows [][]query.Value
	seen := seenKey{}
	for _, c := range t.clouds {
		ns, err := c.Networks().List(ctx)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
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

// projectRows gives last_updated as the time the view was taken: drivers
// do not report when a project changed.
func (t *tables) projectRows(ps []Project) [][]query.Value {
	rows := make([][]query.Value, len(ps))
	for i, p := range ps {
		rows[i] = []query.Value{str(p.ID), str(p.Name), str(p.CloudID), str(p.CloudType), when(t.taken)}
	}
	return rows
}

// quotaRows holds one row per project whose driver reports quota, each
// resource as "used/max" text (max -1 for unlimited).
func (t *tables) quotaRows(ctx context.Context) ([][]query.Value, error) {
	var rows [][]query.Value
	seen := map[string]bool{}
	for _, c := range t.clouds {
		qr, ok := c.drv.(driver.QuotaReporter)
		if !ok {
			continue
		}
		ps, err := c.projects(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if seen[p.CloudID+"\x00"+p.ID] {
				continue
			}
			seen[p.CloudID+"\x00"+p.ID] = true
			q, err := qr.Quota(ctx, p.ID)
			if err != nil {
				if err = classify(err, "quota", KindProject, p.ID); errors.Is(err, ErrUnsupported) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrForbidden) {
					continue // the credentials cannot see this project's quota
				}
				return nil, err
			}
			u := func(x Usage) query.Value { return str(fmt.Sprintf("%d/%d", x.Used, x.Max)) }
			rows = append(rows, []query.Value{str(p.ID), u(q.Instances), u(q.VCPUs), u(q.RAM), u(q.Disk),
				u(q.FloatingIPs), u(q.SecurityGroups), u(q.Volumes), u(q.Keypairs)})
		}
	}
	return rows, nil
}

func (t *tables) zoneRows(ctx context.Context) ([][]query.Value, error) {
	var rows [][]query.Value
	seen := seenKey{}
	for _, c := range t.clouds {
		zl, ok := c.drv.(driver.ZoneLister)
		if !ok {
			continue
		}
		zones, err := zl.AvailabilityZones(ctx)
		if err != nil {
			return nil, classify(err, "zones", KindProject, c.info.ProjectID)
		}
		for _, z := range zones {
			if !seen.first("", c.info.ProjectID, z) {
				continue
			}
			rows = append(rows, []query.Value{str(z), str(c.info.ProjectID)})
		}
	}
	return rows, nil
}

// snapshot reads every cloud's instances from its inventory, concurrently,
// without copying them (rows only read them); deleted ones are left out,
// as listings leave them out.
func (t *tables) snapshot(ctx context.Context) ([]Instance, error) {
	parts := make([][]Instance, len(t.clouds))
	errs := make([]error, len(t.clouds))
	var wg sync.WaitGroup
	for i, c := range t.clouds {
		wg.Go(func() { parts[i], errs[i] = c.snapshot(ctx) })
	}
	wg.Wait()
	var all []Instance
	for i, c := range t.clouds {
		if errs[i] != nil {
			return nil, classify(errs[i], OpList, KindInstance, c.info.CloudID)
		}
		for _, in := range parts[i] {
			if in.State != StateDeleted {
				all = append(all, in)
			}
		}
	}
	// The order listings have (name, then id): a query without ORDER BY
	// answers the same rows in the same order every time.
	slices.SortFunc(all, func(a, b Instance) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return all, nil
}
