package perspective

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/bulk"
	"github.com/perspective-cloud/sdk/driver"
)

// Cloud is one opened cloud: a Driver for one project in one region, wrapped
// with everything a driver should not have to do itself. It validates
// arguments, checks the instance state machine before any call to the cloud,
// classifies every error, gives every object a stable global id, and runs
// bulk operations concurrently with a per-item report.
//
// A Cloud is safe for concurrent use. Several Clouds form a Set.
type Cloud struct {
	drv   driver.Driver
	info  CloudInfo
	calls map[Operation]opFunc // the operations of the table the driver has
	opts  options
	exec  *bulk.Executor // runs every bulk operation on this cloud
	meta  metaCache      // flavors, networks, images, keypairs, projects, zones, quotas
	inv   *inventory     // instances: the read path of every instance read

	mu   sync.RWMutex
	refs map[string]Ref // global id → what it stands for
}

// NewCloud wraps a driver. Most programs call Open instead, with a URL.
func NewCloud(d driver.Driver, opts ...Option) (*Cloud, error) {
	if d == nil {
		return nil, invalidArg("open", "driver", "is nil")
	}
	info := d.Info()
	if info.Type == "" {
		return nil, invalidArg("open", "driver", "Info().Type is empty")
	}
	if info.CloudID == "" {
		return nil, invalidArg("open", "driver", "Info().CloudID is empty")
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	c := &Cloud{drv: d, info: info, opts: o, refs: map[string]Ref{}}
	c.calls = c.touching(bindAll(d))
	c.initBulk()
	c.initCache()
	c.inv = newInventory(c)
	return c, nil
}

// touching wraps every call that changes an instance so that the
// inventory reads that instance again before it next serves it, and the
// project quotas before they are next read: a read right after an
// operation never shows the state from before it.
func (c *Cloud) touching(calls map[Operation]opFunc) map[Operation]opFunc {
	for op, f := range calls {
		switch op {
		case OpAddImage, OpUpdateImage, OpDeleteImage, OpAddKeypair, OpDeleteKeypair:
			continue
		}
		if !op.Mutating() {
			continue
		}
		calls[op] = func(ctx context.Context, id string, a *args) error {
			defer c.inv.touch(id)
			defer c.meta.quotas.invalidate() // the project's use may have changed
			return f(ctx, id, a)
		}
	}
	return calls
}

// CloudInfo names a cloud, its project and region.
type CloudInfo = driver.Info

// Info names the cloud, project and region.
func (c *Cloud) Info() CloudInfo { return c.info }

// Driver returns the wrapped driver, for capabilities this package does not
// cover. Calls made on it bypass validation and the state machine.
func (c *Cloud) Driver() driver.Driver { return c.drv }

// Close stops the inventory's syncs (of instances and metadata) and its
// watches, then releases the driver.
func (c *Cloud) Close() error {
	c.inv.close()
	return c.drv.Close()
}

// Operations returns the operations the cloud supports, in a stable order.
// This is what the REST API's /operations serves.
func (c *Cloud) Operations() []Operation {
	var ops []Operation
	for _, op := range AllOperations() {
		if c.Supports(op) {
			ops = append(ops, op)
		}
	}
	return ops
}

// Instances returns the instance operations of this cloud. Its reads are
// served from the cloud's inventory of instances (see SyncStats).
func (c *Cloud) Instances() *Instances { return &Instances{clouds: []*Cloud{c}} }

// Images returns the image operations of this cloud.
func (c *Cloud) Images() *Images { return &Images{clouds: []*Cloud{c}} }

// Keypairs returns the keypair operations of this cloud.
func (c *Cloud) Keypairs() *Keypairs { return &Keypairs{clouds: []*Cloud{c}} }

// Flavors returns the flavors of this cloud.
func (c *Cloud) Flavors() *Flavors { return &Flavors{clouds: []*Cloud{c}} }

// Networks returns the networks of this cloud.
func (c *Cloud) Networks() *Networks { return &Networks{clouds: []*Cloud{c}} }

// Projects returns the projects, regions and endpoints of this cloud.
func (c *Cloud) Projects() *Projects { return &Projects{clouds: []*Cloud{c}} }

// remember records what a global id stands for.
func (c *Cloud) remember(id string, kind Kind, realID string) {
	c.mu.Lock()
	c.refs[id] = Ref{CloudID: c.info.CloudID, Kind: kind, RealID: realID}
	c.mu.Unlock()
}

// forget drops a global id (after a delete).
func (c *Cloud) forget(id string) {
	c.mu.Lock()
	delete(c.refs, id)
	c.mu.Unlock()
}

// lookup returns the real id behind a global id of this cloud.
func (c *Cloud) lookup(id string, kind Kind) (string, bool) {
	c.mu.RLock()
	r, ok := c.refs[id]
	c.mu.RUnlock()
	if !ok || r.Kind != kind {
		return "", false
	}
	return r.RealID, true
}

// Resolve returns what a global id of this cloud stands for, if the cloud
// has seen the object.
func (c *Cloud) Resolve(id string) (Ref, bool) {
	c.mu.RLock()
	r, ok := c.refs[id]
	c.mu.RUnlock()
	return r, ok
}

// adoptInstance turns an instance from the driver into the user's model:
// it gives it its global ids and the cloud's names, and remembers it. The
// driver's fields are copied as they are (see package driver for the rule).
func (c *Cloud) adoptInstance(d driver.Instance) Instance {
	inst := Instance{
		ID:               GlobalID(c.info.CloudID, KindInstance, d.ID),
		RealID:           d.ID,
		CloudID:          c.info.CloudID,
		CloudType:        c.info.Type,
		ProjectID:        cmp.Or(d.ProjectID, c.info.ProjectID),
		Region:           cmp.Or(d.Region, c.info.Region),
		AvailabilityZone: d.AvailabilityZone,
		Host:             d.Host,
		Name:             d.Name,
		State:            cmp.Or(d.State, StateUnknown),
		Status:           d.Status,
		Locked:           d.Locked,
		Tags:             d.Tags,
		Metadata:         d.Metadata,
		Addresses:        d.Addresses,
		FQDN:             d.FQDN,
		Created:          d.Created,
		Updated:          d.Updated,
		Fault:            d.Fault,
	}
	if d.Flavor != nil {
		f := c.adoptFlavor(*d.Flavor)
		f.ProjectID = cmp.Or(d.Flavor.ProjectID, inst.ProjectID)
		inst.Flavor = &f
	}
	if d.ImageID != "" {
		img := c.adoptImage(driver.Image{ID: d.ImageID})
		inst.Image = &img
	}
	if d.KeyName != "" {
		inst.Keypair = &Keypair{Name: d.KeyName}
	}
	if d.Networks != nil {
		inst.Networks = make([]Network, len(d.Networks))
		for i, n := range d.Networks {
			inst.Networks[i] = Network{ID: n.ID, ProjectID: n.ProjectID, Name: n.Name, State: n.State,
				IsShared: n.IsShared, IsExternal: n.IsExternal, Subnets: n.Subnets}
		}
	}
	c.remember(inst.ID, KindInstance, inst.RealID)
	return inst
}

// adoptInstances adopts instances the driver has just made (a launch) and
// stores them in the inventory as read now, so that a listing right after
// shows them.
func (c *Cloud) adoptInstances(ds []driver.Instance) []Instance {
	seen := time.Now()
	out := make([]Instance, len(ds))
	for i := range ds {
		out[i] = c.adoptInstance(ds[i])
	}
	stored := make([]Instance, len(out))
	for i := range out {
		stored[i] = out[i].Clone()
	}
	// The launch found its flavor and image in the lists the inventory holds.
	enrichFrom(stored, c.meta.flavors.held(), c.meta.images.held())
	c.inv.put(stored, seen)
	c.meta.quotas.invalidate()
	return out
}

// adoptImage turns an image from the driver into the user's model, with its
// global id, and remembers it.
func (c *Cloud) adoptImage(d driver.Image) Image {
	img := Image{
		ID:         GlobalID(c.info.CloudID, KindImage, d.ID),
		RealID:     d.ID,
		CloudID:    c.info.CloudID,
		CloudType:  c.info.Type,
		ProjectID:  d.ProjectID,
		Name:       d.Name,
		State:      cmp.Or(d.State, ImageUnknown),
		Status:     d.Status,
		Visibility: d.Visibility,
		Size:       d.Size,
		MinDisk:    d.MinDisk,
		MinRAM:     d.MinRAM,
		Checksum:   d.Checksum,
		Metadata:   d.Metadata,
		Created:    d.Created,
		Updated:    d.Updated,
	}
	c.remember(img.ID, KindImage, img.RealID)
	return img
}

func (c *Cloud) adoptFlavor(d driver.Flavor) Flavor {
	return Flavor{
		ID:            d.ID,
		CloudID:       c.info.CloudID,
		ProjectID:     cmp.Or(d.ProjectID, c.info.ProjectID),
		Name:          d.Name,
		RAM:           d.RAM,
		VCPUs:         d.VCPUs,
		RootDisk:      d.RootDisk,
		EphemeralDisk: d.EphemeralDisk,
		Swap:          d.Swap,
		IsPublic:      d.IsPublic,
		Notes:         d.Notes,
	}
}

func (c *Cloud) adoptNetwork(d driver.Network) Network {
	n := Network{
		ID:         d.ID,
		CloudID:    c.info.CloudID,
		ProjectID:  cmp.Or(d.ProjectID, c.info.ProjectID),
		Name:       d.Name,
		State:      d.State,
		IsShared:   d.IsShared,
		IsExternal: d.IsExternal,
		Subnets:    d.Subnets,
	}
	for i := range n.Subnets {
		n.Subnets[i].NetworkID = cmp.Or(n.Subnets[i].NetworkID, n.ID)
		n.Subnets[i].ProjectID = cmp.Or(n.Subnets[i].ProjectID, n.ProjectID)
	}
	return n
}

func (c *Cloud) adoptKeypair(d driver.Keypair) Keypair {
	return Keypair{
		Name:        d.Name,
		CloudID:     c.info.CloudID,
		ProjectID:   cmp.Or(d.ProjectID, c.info.ProjectID),
		Fingerprint: d.Fingerprint,
		PublicKey:   d.PublicKey,
		PrivateKey:  d.PrivateKey,
		Type:        d.Type,
	}
}

// enrich fills an instance's flavor and image from the cloud's metadata,
// best effort (a failure to read metadata leaves the instance as it is),
// with copies the caller owns.
func (c *Cloud) enrich(ctx context.Context, insts []Instance) {
	c.enrichShared(ctx, insts)
	for i := range insts {
		insts[i] = insts[i].Clone()
	}
}
