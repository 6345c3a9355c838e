package mock

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/perspective-cloud/sdk/driver"
)

// WithAdmin gives the mock's credentials the administrator role (default
// false, like a project member's): operator calls then succeed and
// instances show their host. Without it every operator call, cold and live
// migration and diagnostics (admin-only in Nova's default policy) fail
// with CodeForbidden as Nova's policy answers.
func WithAdmin(admin bool) Option { return func(c *config) { c.admin = admin } }

// WithSoftDelete makes a delete soft, as Nova's reclaim_instance_interval
// does: the instance goes to soft_deleted and can be restored until it is
// force-deleted.
func WithSoftDelete(soft bool) Option { return func(c *config) { c.softDelete = soft } }

// WithHosts names the compute hosts (default "aio" and "aio2", as on the
// project's two-host OpenStack). The first also runs the controller's
// services. Instances are scheduled on the host with the fewest.
func WithHosts(names ...string) Option {
	return func(c *config) { c.hosts = slices.Clone(names) }
}

// Hypervisor sizes of every mock host.
const (
	hostVCPUs     = 16
	hostMemoryMiB = 32768
	hostDiskGiB   = 500
)

// infra is the mock's hosts, services, aggregates and flavor extras.
type infra struct {
	services     []*driver.Service
	hypervisors  map[string]string // host → hypervisor id
	aggregates   map[string]*driver.Aggregate
	nextAggr     int
	flavorAccess map[string][]string          // flavor id → projects
	extraSpecs   map[string]map[string]string // flavor id → specs
	groups       []string                     // security groups that exist
}

// seedInfra builds the hosts' services and hypervisors. It runs before d is
// shared.
func (d *Driver) seedInfra() {
	in := &d.infra
	in.hypervisors = map[string]string{}
	in.aggregates = map[string]*driver.Aggregate{}
	in.flavorAccess = map[string][]string{}
	in.extraSpecs = map[string]map[string]string{}
	in.groups = []string{"default", "web"}
	start := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	add := func(host, binary, zone string) {
		in.services = append(in.services, &driver.Service{ID: newID(), Binary: binary, Host: host,
			Zone: zone, Status: "enabled", State: "up", Updated: start})
	}
	for i, h := range d.cfg.hosts {
		if i == 0 {
			add(h, "nova-scheduler", "internal")
			add(h, "nova-conductor", "internal")
		}
		add(h, "nova-compute", "nova")
		in.hypervisors[h] = newID()
	}
}

// forbidden is Nova's policy refusal of an operator call.
func forbidden(rule string) error {
	return driver.Errorf(driver.CodeForbidden, "Policy doesn't allow os_compute_api:%s to be performed.", rule)
}

// admin enters an operator call: it counts it and refuses it without the
// administrator role.
func (d *Driver) admin(ctx context.Context, method, rule string) error {
	if err := d.enter(ctx, method, ""); err != nil {
		return err
	}
	if !d.cfg.admin {
		return forbidden(rule)
	}
	return nil
}

// compute returns the nova-compute service of host, or nil. d.mu must be held.
func (d *Driver) compute(host string) *driver.Service {
	for _, s := range d.infra.services {
		if s.Host == host && s.Binary == "nova-compute" {
			return s
		}
	}
	return nil
}

// usable reports whether the scheduler may place instances on host. d.mu
// must be held.
func (d *Driver) usable(host string) bool {
	s := d.compute(host)
	return s != nil && s.Status == "enabled" && s.State == "up"
}

// schedule picks the usable host with the fewest instances, other than
// not. ok is false when there are hosts but none is usable; a mock without
// hosts places instances nowhere (host ""). d.mu must be held.
func (d *Driver) schedule(not string) (host string, ok bool) {
	if len(d.cfg.hosts) == 0 {
		return "", true
	}
	count := map[string]int{}
	for _, s := range d.servers {
		count[s.inst.Host]++
	}
	best := ""
	for _, h := range d.cfg.hosts {
		if h == not || !d.usable(h) {
			continue
		}
		if best == "" || count[h] < count[best] {
			best = h
		}
	}
	return best, best != ""
}

// target checks a named target host of a move, or schedules one. d.mu must
// be held.
func (d *Driver) target(s *server, host string) (string, error) {
	if host == "" {
		h, ok := d.schedule(s.inst.Host)
		if !ok {
			return "", driver.Errorf(driver.CodeInvalidArgument, "No valid host was found. There are not enough hosts available.")
		}
		return h, nil
	}
	switch {
	case d.compute(host) == nil:
		return "", driver.Errorf(driver.CodeNotFound, "Compute host %s could not be found.", host)
	case host == s.inst.Host:
		return "", driver.Errorf(driver.CodeInvalidArgument, "The target host can't be the same one.")
	case !d.usable(host):
		return "", driver.Errorf(driver.CodeInvalidArgument, "Compute service of %s is unavailable at this time.", host)
	}
	return host, nil
}

// view is the instance as the credentials see it: only an administrator
// sees its host. d.mu must be held.
func (d *Driver) view(s *server) driver.Instance {
	inst := s.inst.Clone()
	if !d.cfg.admin {
		inst.Host = ""
	}
	return inst
}

// ListHypervisors returns one hypervisor per host with what its instances use.
func (d *Driver) ListHypervisors(ctx context.Context) ([]driver.Hypervisor, error) {
	if err := d.admin(ctx, "ListHypervisors", "os-hypervisors:list-detail"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settle(d.now())
	out := make([]driver.Hypervisor, 0, len(d.cfg.hosts))
	for i, h := range d.cfg.hosts {
		svc := d.compute(h)
		hv := driver.Hypervisor{ID: d.infra.hypervisors[h], Hostname: h, Host: h, Type: "fake",
			HostIP: fmt.Sprintf("192.0.2.%d", 10+i), State: svc.State, Status: svc.Status, UsageKnown: true,
			VCPUs: hostVCPUs, MemoryMiB: hostMemoryMiB, DiskGiB: hostDiskGiB}
		for _, s := range d.servers {
			if s.inst.Host != h || s.inst.Flavor == nil {
				continue
			}
			hv.RunningVMs++
			hv.VCPUsUsed += s.inst.Flavor.VCPUs
			hv.MemoryUsed += s.inst.Flavor.RAM
			hv.DiskUsed += s.inst.Flavor.RootDisk + s.inst.Flavor.EphemeralDisk
		}
		out = append(out, hv)
	}
	return out, nil
}

// ListServices returns the compute services of every host.
func (d *Driver) ListServices(ctx context.Context) ([]driver.Service, error) {
	if err := d.admin(ctx, "ListServices", "os-services:list"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]driver.Service, len(d.infra.services))
	for i, s := range d.infra.services {
		out[i] = *s
	}
	return out, nil
}

// UpdateService enables or disables a service and forces it down or up; a
// service forced down is down, and the scheduler avoids its host.
func (d *Driver) UpdateService(ctx context.Context, id string, u driver.ServiceUpdate) (driver.Service, error) {
	if err := d.admin(ctx, "UpdateService", "os-services:update"); err != nil {
		return driver.Service{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	i := slices.IndexFunc(d.infra.services, func(s *driver.Service) bool { return s.ID == id })
	if i < 0 {
		return driver.Service{}, driver.Errorf(driver.CodeNotFound, "Service %s could not be found.", id)
	}
	s := d.infra.services[i]
	if u.ForcedDown != nil && s.Binary != "nova-compute" {
		return driver.Service{}, driver.Errorf(driver.CodeInvalidArgument,
			"Updating a %s service is not supported. Only nova-compute services can be updated.", s.Binary)
	}
	if u.Disabled != nil {
		s.Status, s.DisabledReason = "enabled", ""
		if *u.Disabled {
			s.Status, s.DisabledReason = "disabled", u.DisabledReason
		}
	}
	if u.ForcedDown != nil {
		s.ForcedDown = *u.ForcedDown
		s.State = "up"
		if s.ForcedDown {
			s.State = "down"
		}
	}
	s.Updated = d.now().UTC()
	return *s, nil
}

// ListHosts returns every host with the services it runs.
func (d *Driver) ListHosts(ctx context.Context) ([]driver.Host, error) {
	if err := d.admin(ctx, "ListHosts", "os-hosts:list"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []driver.Host
	for _, s := range d.infra.services {
		i := slices.IndexFunc(out, func(h driver.Host) bool { return h.Name == s.Host })
		if i < 0 {
			out = append(out, driver.Host{Name: s.Host, Zone: s.Zone})
			i = len(out) - 1
		}
		if s.Binary == "nova-compute" {
			out[i].Zone = s.Zone
		}
		out[i].Services = append(out[i].Services, s.Binary)
	}
	return out, nil
}

// aggregate returns an aggregate by id. d.mu must be held.
func (d *Driver) aggregate(id string) (*driver.Aggregate, error) {
	a, ok := d.infra.aggregates[id]
	if !ok {
		return nil, driver.Errorf(driver.CodeNotFound, "Aggregate %s could not be found.", id)
	}
	return a, nil
}

// ListAggregates returns every aggregate, in id order.
func (d *Driver) ListAggregates(ctx context.Context) ([]driver.Aggregate, error) {
	if err := d.admin(ctx, "ListAggregates", "os-aggregates:index"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]driver.Aggregate, 0, len(d.infra.aggregates))
	for _, a := range d.infra.aggregates {
		out = append(out, a.Clone())
	}
	slices.SortFunc(out, func(a, b driver.Aggregate) int {
		x, _ := strconv.Atoi(a.ID)
		y, _ := strconv.Atoi(b.ID)
		return cmp.Compare(x, y)
	})
	return out, nil
}

// GetAggregate returns one aggregate.
func (d *Driver) GetAggregate(ctx context.Context, id string) (driver.Aggregate, error) {
	if err := d.admin(ctx, "GetAggregate", "os-aggregates:show"); err != nil {
		return driver.Aggregate{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.aggregate(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	return a.Clone(), nil
}

// CreateAggregate creates an aggregate; names are unique.
func (d *Driver) CreateAggregate(ctx context.Context, spec driver.AggregateSpec) (driver.Aggregate, error) {
	if err := d.admin(ctx, "CreateAggregate", "os-aggregates:create"); err != nil {
		return driver.Aggregate{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.uniqueAggregate("", spec.Name); err != nil {
		return driver.Aggregate{}, err
	}
	d.infra.nextAggr++
	now := d.now().UTC()
	a := &driver.Aggregate{ID: strconv.Itoa(d.infra.nextAggr), Name: spec.Name,
		AvailabilityZone: spec.AvailabilityZone, Hosts: []string{}, Metadata: map[string]string{},
		Created: now, Updated: now}
	if a.AvailabilityZone != "" {
		a.Metadata["availability_zone"] = a.AvailabilityZone
	}
	d.infra.aggregates[a.ID] = a
	return a.Clone(), nil
}

func (d *Driver) uniqueAggregate(id, name string) error {
	for _, a := range d.infra.aggregates {
		if a.Name == name && a.ID != id {
			return driver.Errorf(driver.CodeConflict, "Aggregate %s already exists.", name)
		}
	}
	return nil
}

// UpdateAggregate renames an aggregate or changes its availability zone.
func (d *Driver) UpdateAggregate(ctx context.Context, id string, u driver.AggregateUpdate) (driver.Aggregate, error) {
	if err := d.admin(ctx, "UpdateAggregate", "os-aggregates:update"); err != nil {
		return driver.Aggregate{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.aggregate(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	if u.Name != nil {
		if err := d.uniqueAggregate(id, *u.Name); err != nil {
			return driver.Aggregate{}, err
		}
		a.Name = *u.Name
	}
	if u.AvailabilityZone != nil {
		a.AvailabilityZone = *u.AvailabilityZone
		if a.AvailabilityZone == "" {
			delete(a.Metadata, "availability_zone")
		} else {
			a.Metadata["availability_zone"] = a.AvailabilityZone
		}
	}
	a.Updated = d.now().UTC()
	return a.Clone(), nil
}

// DeleteAggregate deletes an aggregate without hosts.
func (d *Driver) DeleteAggregate(ctx context.Context, id string) error {
	if err := d.admin(ctx, "DeleteAggregate", "os-aggregates:delete"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.aggregate(id)
	if err != nil {
		return err
	}
	if len(a.Hosts) > 0 {
		return driver.Errorf(driver.CodeInvalidArgument, "Cannot remove aggregate %s: Host aggregate is not empty.", id)
	}
	delete(d.infra.aggregates, id)
	return nil
}

// AddAggregateHost adds a host to an aggregate.
func (d *Driver) AddAggregateHost(ctx context.Context, id, host string) (driver.Aggregate, error) {
	if err := d.admin(ctx, "AddAggregateHost", "os-aggregates:add_host"); err != nil {
		return driver.Aggregate{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.aggregate(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	if d.compute(host) == nil {
		return driver.Aggregate{}, driver.Errorf(driver.CodeNotFound, "Compute host %s could not be found.", host)
	}
	if slices.Contains(a.Hosts, host) {
		return driver.Aggregate{}, driver.Errorf(driver.CodeConflict, "Aggregate %s already has host %s.", id, host)
	}
	for _, o := range d.infra.aggregates {
		if o.ID != id && a.AvailabilityZone != "" && o.AvailabilityZone != "" &&
			o.AvailabilityZone != a.AvailabilityZone && slices.Contains(o.Hosts, host) {
			return driver.Aggregate{}, driver.Errorf(driver.CodeConflict,
				"Cannot add host %s to aggregate %s: host is already in availability zone %s.", host, id, o.AvailabilityZone)
		}
	}
	a.Hosts = append(a.Hosts, host)
	a.Updated = d.now().UTC()
	return a.Clone(), nil
}

// RemoveAggregateHost removes a host from an aggregate.
func (d *Driver) RemoveAggregateHost(ctx context.Context, id, host string) (driver.Aggregate, error) {
	if err := d.admin(ctx, "RemoveAggregateHost", "os-aggregates:remove_host"); err != nil {
		return driver.Aggregate{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.aggregate(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	i := slices.Index(a.Hosts, host)
	if i < 0 {
		return driver.Aggregate{}, driver.Errorf(driver.CodeNotFound, "Cannot remove host %s in aggregate %s: host not in aggregate.", host, id)
	}
	a.Hosts = slices.Delete(a.Hosts, i, i+1)
	a.Updated = d.now().UTC()
	return a.Clone(), nil
}

// SetAggregateMetadata sets and removes metadata keys of an aggregate.
func (d *Driver) SetAggregateMetadata(ctx context.Context, id string, set map[string]string, unset []string) (driver.Aggregate, error) {
	if err := d.admin(ctx, "SetAggregateMetadata", "os-aggregates:set_metadata"); err != nil {
		return driver.Aggregate{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	a, err := d.aggregate(id)
	if err != nil {
		return driver.Aggregate{}, err
	}
	maps.Copy(a.Metadata, set)
	for _, k := range unset {
		delete(a.Metadata, k)
	}
	a.AvailabilityZone = a.Metadata["availability_zone"]
	a.Updated = d.now().UTC()
	return a.Clone(), nil
}
