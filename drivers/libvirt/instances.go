package libvirt

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/google/uuid"
	"libvirt.org/go/libvirtxml"

	"github.com/perspective-cloud/sdk/driver"
)

// Volume name suffixes the driver gives the volumes it makes for an
// instance (and that are therefore not images).
const (
	overlaySuffix = ".overlay.qcow2"
	logSuffix     = ".console.log"
)

// domain is one instance read from libvirt.
type domain struct {
	dom  golibvirt.Domain
	xml  *libvirtxml.Domain
	meta *meta
	st   domainState
}

// lookup finds the domain of instance id (its UUID) in the namespace.
func (d *Driver) lookup(ctx context.Context, l *golibvirt.Libvirt, id string) (*domain, error) {
	u, err := uuid.Parse(id)
	if err != nil || u.String() != id {
		return nil, driver.Errorf(driver.CodeNotFound, "libvirt: instance %q could not be found (an instance id is a domain UUID)", id)
	}
	dom, err := l.DomainLookupByUUID(golibvirt.UUID(u))
	if err != nil {
		if notFound(err) {
			return nil, driver.Errorf(driver.CodeNotFound, "libvirt: instance %s could not be found", id)
		}
		return nil, classify(err, "looking up instance "+id)
	}
	dm, ok, err := d.read(ctx, l, dom)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, driver.Errorf(driver.CodeNotFound, "libvirt: instance %s could not be found in namespace %s", id, d.cfg.Namespace)
	}
	return dm, nil
}

// read reads a domain's XML and state; false when it is not an instance
// of the namespace (or vanished meanwhile).
func (d *Driver) read(ctx context.Context, l *golibvirt.Libvirt, dom golibvirt.Domain) (*domain, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, driver.Wrap(driver.CodeCanceled, err, "libvirt")
	}
	raw, err := l.DomainGetXMLDesc(dom, 0)
	if err != nil {
		if notFound(err) {
			return nil, false, nil
		}
		return nil, false, classify(err, "reading domain "+dom.Name)
	}
	var x libvirtxml.Domain
	if err := x.Unmarshal(raw); err != nil {
		return nil, false, driver.Wrap(driver.CodeUnknown, err, "libvirt: reading the XML of domain "+dom.Name)
	}
	if x.Metadata == nil {
		return nil, false, nil
	}
	m, ok, err := parseMeta(x.Metadata.XML)
	if err != nil || !ok || m.Namespace != d.cfg.Namespace {
		return nil, false, err
	}
	st, reason, err := l.DomainGetState(dom, 0)
	if err != nil {
		if notFound(err) {
			return nil, false, nil
		}
		return nil, false, classify(err, "reading the state of domain "+dom.Name)
	}
	ds := domainState{state: golibvirt.DomainState(st), reason: reason}
	if ds.state == golibvirt.DomainShutoff {
		has, err := l.DomainHasManagedSaveImage(dom, 0)
		if err != nil && !notFound(err) {
			return nil, false, classify(err, "reading domain "+dom.Name)
		}
		ds.saved = has == 1
	}
	return &domain{dom: dom, xml: &x, meta: m, st: ds}, true, nil
}

// leases caches DHCP leases of networks for one listing; each read is
// shown to the change log (a lease that moved is a change of its instance).
type leases struct {
	log *changeLog
	by  map[string][]golibvirt.NetworkDhcpLease
}

func (d *Driver) leases() *leases {
	return &leases{log: d.changes, by: map[string][]golibvirt.NetworkDhcpLease{}}
}

func (ls *leases) of(l *golibvirt.Libvirt, network string) []golibvirt.NetworkDhcpLease {
	if got, ok := ls.by[network]; ok {
		return got
	}
	var out []golibvirt.NetworkDhcpLease
	n, err := l.NetworkLookupByName(network)
	if err == nil {
		out, _, err = l.NetworkGetDhcpLeases(n, nil, 1, 0)
	}
	ls.by[network] = out
	if err == nil {
		ls.log.observeLeases(network, out)
	}
	return out
}

// model turns a domain into the driver's Instance.
func (d *Driver) model(l *golibvirt.Libvirt, dm *domain, ls *leases) driver.Instance {
	id := uuid.UUID(dm.dom.UUID).String()
	state, status, fault := dm.st.normalize()
	if s, ok := d.busyState(id); ok {
		state = s
	}
	inst := driver.Instance{
		ID: id, Name: dm.dom.Name, State: state, Status: status, Fault: fault,
		ImageID: dm.meta.Image, KeyName: dm.meta.Keypair, Locked: dm.meta.Locked,
		Tags: slices.Clone(dm.meta.Tags), Metadata: dm.meta.metadataMap(),
		Created: dm.meta.Created, Updated: dm.meta.Updated,
	}
	// Updated is the later of the element's time and the last change
	// this process saw (an event, its own call, a lease): the change
	// listing's cursor is made of these stamps.
	if t := d.changes.updated(id); t.After(inst.Updated) {
		inst.Updated = t
	}
	var nics []macOnNet
	if dm.meta.Name != "" {
		inst.Name = dm.meta.Name
	}
	if f, ok := d.cfg.flavor(dm.meta.Flavor); ok {
		inst.Flavor = &f
	} else if dm.meta.Flavor != "" {
		inst.Flavor = &driver.Flavor{ID: dm.meta.Flavor, Name: dm.meta.Flavor}
	}
	if dm.xml.Devices != nil {
		for _, nic := range dm.xml.Devices.Interfaces {
			if nic.Source == nil || nic.Source.Network == nil {
				continue
			}
			net := nic.Source.Network.Network
			if !slices.ContainsFunc(inst.Networks, func(n driver.Network) bool { return n.ID == net }) {
				inst.Networks = append(inst.Networks, driver.Network{ID: net, Name: net})
			}
			if nic.MAC == nil {
				continue
			}
			nics = append(nics, macOnNet{mac: nic.MAC.Address, network: net})
			if dm.st.state == golibvirt.DomainShutoff {
				continue
			}
			for _, lease := range ls.of(l, net) {
				if len(lease.Mac) == 1 && strings.EqualFold(lease.Mac[0], nic.MAC.Address) {
					v := 4
					if lease.Type == int32(golibvirt.IPAddrTypeIpv6) {
						v = 6
					}
					inst.Addresses = append(inst.Addresses, driver.Address{NetworkID: net, Network: net, IP: lease.Ipaddr, Kind: driver.AddressFixed, Version: v})
				}
			}
		}
	}
	d.changes.saw(id, inst.Name, nics)
	return inst
}

// ListInstances lists the namespace's domains: one XML and one state
// read per domain, one lease listing per network.
func (d *Driver) ListInstances(ctx context.Context, opts driver.ListOptions) ([]driver.Instance, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return nil, err
	}
	complete := opts.Name == "" && len(opts.States) == 0 && len(opts.Tags) == 0 && opts.ChangedSince.IsZero()
	if complete {
		// a complete listing after the subscription began answers for
		// everything before it (see changeLog); without a subscription the
		// listing still works, and ListChanges says why it cannot
		_ = d.ensureWatch(l)
	}
	start := d.changes.stamp()
	doms, _, err := l.ConnectListAllDomains(1, 0)
	if err != nil {
		return nil, classify(err, "listing domains")
	}
	ls := d.leases()
	var out []driver.Instance
	for _, dom := range doms {
		dm, ok, err := d.read(ctx, l, dom)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if inst := d.model(l, dm, ls); opts.Match(inst) {
			out = append(out, inst)
		}
	}
	slices.SortFunc(out, func(a, b driver.Instance) int { return strings.Compare(a.Name, b.Name) })
	var present map[string]bool
	if complete {
		present = make(map[string]bool, len(out))
		for _, in := range out {
			present[in.ID] = true
		}
	}
	d.changes.listed(start, present)
	return out, nil
}

// GetInstance returns one instance by its id, the domain's UUID.
func (d *Driver) GetInstance(ctx context.Context, id string) (driver.Instance, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return driver.Instance{}, err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return driver.Instance{}, err
	}
	return d.model(l, dm, d.leases()), nil
}

// LaunchInstances defines and starts spec.Count domains, each on its own
// copy-on-write qcow2 overlay of the image. A domain that fails to start
// is removed with its volumes; the ones started before it stay.
func (d *Driver) LaunchInstances(ctx context.Context, spec driver.LaunchSpec) ([]driver.Instance, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return nil, err
	}
	f, ok := d.cfg.flavor(spec.FlavorID)
	if !ok {
		return nil, driver.Errorf(driver.CodeNotFound, "libvirt: flavor %q is not in the flavor set", spec.FlavorID)
	}
	if len(spec.UserData) > maxUserData {
		return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: user data of %d bytes is more than %d", len(spec.UserData), maxUserData)
	}
	if len(spec.Tags) > maxTags || len(spec.Metadata) > maxMetaKeys {
		return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: at most %d tags and %d metadata keys", maxTags, maxMetaKeys)
	}
	pool, err := l.StoragePoolLookupByName(d.cfg.Pool)
	if err != nil {
		return nil, classify(err, "storage pool "+d.cfg.Pool)
	}
	img, err := d.image(l, pool, spec.ImageID)
	if err != nil {
		return nil, err
	}
	nets := spec.Networks
	if len(nets) == 0 {
		nets = []string{d.cfg.Network}
	}
	for _, n := range nets {
		if _, err := l.NetworkLookupByName(n); err != nil {
			return nil, classify(err, "network "+n)
		}
	}
	var pub string
	if spec.KeyName != "" {
		k, err := d.keypair(ctx, l, spec.KeyName)
		if err != nil {
			return nil, err
		}
		pub = k.PublicKey
	}
	count := max(spec.Count, 1)
	var out []driver.Instance
	for i := range count {
		name := spec.Name
		if count > 1 {
			name = fmt.Sprintf("%s-%d", spec.Name, i+1)
		}
		inst, err := d.launchOne(ctx, l, pool, img, f, name, nets, pub, spec)
		if err != nil {
			return out, err
		}
		out = append(out, inst)
	}
	return out, nil
}

func (d *Driver) launchOne(ctx context.Context, l *golibvirt.Libvirt, pool golibvirt.StoragePool, img imageVol,
	f driver.Flavor, name string, nets []string, pub string, spec driver.LaunchSpec) (driver.Instance, error) {
	if err := ctx.Err(); err != nil {
		return driver.Instance{}, driver.Wrap(driver.CodeCanceled, err, "libvirt: launching "+name)
	}
	if _, err := l.DomainLookupByName(name); err == nil {
		return driver.Instance{}, driver.Errorf(driver.CodeConflict, "libvirt: a domain named %q already exists (libvirt domain names are unique)", name)
	}
	id := uuid.NewString()
	disk, err := createVolume(l, pool, id+overlaySuffix, uint64(f.RootDisk)<<30, "qcow2", &img)
	if err != nil {
		return driver.Instance{}, classify(err, "creating the disk of "+name)
	}
	undo := []func(){func() { _ = l.StorageVolDelete(disk.vol, 0) }}
	rollback := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	logVol, err := createVolume(l, pool, id+logSuffix, 0, "raw", nil)
	if err != nil {
		rollback()
		return driver.Instance{}, classify(err, "creating the console log of "+name)
	}
	undo = append(undo, func() { _ = l.StorageVolDelete(logVol.vol, 0) })
	now := time.Now().UTC().Truncate(time.Second)
	m := &meta{Namespace: d.cfg.Namespace, Flavor: f.ID, Image: img.name, Keypair: spec.KeyName,
		Disk: disk.vol.Name, Log: logVol.vol.Name, Created: now, Updated: now, Tags: slices.Clone(spec.Tags)}
	m.setMetadata(spec.Metadata)
	x, err := domainXML(domainSpec{name: name, uuid: id, domainType: d.cfg.DomainType, flavor: f,
		disk: disk.path, diskFormat: "qcow2", logPath: logVol.path, boot: img.boot, networks: nets,
		publicKey: pub, userData: spec.UserData, meta: m})
	if err != nil {
		rollback()
		return driver.Instance{}, err
	}
	dom, err := l.DomainDefineXML(x)
	if err != nil {
		rollback()
		return driver.Instance{}, classify(err, "defining domain "+name)
	}
	undo = append(undo, func() { _ = l.DomainUndefineFlags(dom, golibvirt.DomainUndefineManagedSave) })
	d.changes.record(id)
	if err := l.DomainCreate(dom); err != nil {
		rollback()
		return driver.Instance{}, classify(err, "starting domain "+name)
	}
	dm, ok, err := d.read(ctx, l, dom)
	if err != nil || !ok {
		return driver.Instance{ID: id, Name: name, State: driver.StateLaunching}, err
	}
	return d.model(l, dm, d.leases()), nil
}

// DeleteInstance destroys the domain, undefines it (with its managed save
// image) and deletes its disk overlay and console log.
func (d *Driver) DeleteInstance(ctx context.Context, id string) error {
	l, err := d.conn(ctx)
	if err != nil {
		return err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return err
	}
	done, ok := d.setBusy(id, driver.StateDeleting)
	if !ok {
		return driver.Errorf(driver.CodeConflict, "libvirt: instance %s is busy with another operation", id)
	}
	defer done()
	if dm.st.state != golibvirt.DomainShutoff {
		if err := l.DomainDestroy(dm.dom); err != nil && !notFound(err) && codeOf(asLibvirt(err)) != driver.CodeInvalidState {
			return classify(err, "destroying domain "+dm.dom.Name)
		}
	}
	if err := l.DomainUndefineFlags(dm.dom, golibvirt.DomainUndefineManagedSave|golibvirt.DomainUndefineSnapshotsMetadata); err != nil && !notFound(err) {
		return classify(err, "undefining domain "+dm.dom.Name)
	}
	d.usage.forget(id)
	d.changes.record(id)
	pool, err := l.StoragePoolLookupByName(d.cfg.Pool)
	if err != nil {
		return classify(err, "storage pool "+d.cfg.Pool)
	}
	for _, v := range []string{dm.meta.Disk, dm.meta.Log} {
		if v == "" {
			continue
		}
		if err := deleteVolume(l, pool, v); err != nil {
			return classify(err, fmt.Sprintf("deleting volume %s of instance %s", v, id))
		}
	}
	return nil
}
