package perspective

import (
	"context"
	"sync"

	"github.com/perspective-cloud/sdk/bulk"
)

// Cloud is one opened cloud: a Driver for one project in one region, wrapped
// with everything a driver should not have to do itself. It validates
// arguments, checks the instance state machine before any call to the cloud,
// classifies every error, gives every object a stable global id, and runs
// bulk operations concurrently with a per-item report.
//
// A Cloud is safe for concurrent use. Several Clouds form a Set.
type Cloud struct {
	drv  Driver
	info DriverInfo
	opts options
	exec *bulk.Executor // runs every bulk operation on this cloud
	meta metaCache      // flavors, networks, images, keypairs

	mu   sync.RWMutex
	refs map[string]Ref // global id → what it stands for
}

// NewCloud wraps a driver. Most programs call Open instead, with a URL.
func NewCloud(d Driver, opts ...Option) (*Cloud, error) {
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
	c.initBulk()
	c.initCache()
	return c, nil
}

// Info names the cloud, project and region.
func (c *Cloud) Info() DriverInfo { return c.info }

// Driver returns the wrapped driver, for capabilities this package does not
// cover. Calls made on it bypass validation and the state machine.
func (c *Cloud) Driver() Driver { return c.drv }

// Close waits for the metadata caches' background refreshes, then releases
// the driver.
func (c *Cloud) Close() error {
	c.closeCache()
	return c.drv.Close()
}

// Supports reports whether the cloud can perform op.
func (c *Cloud) Supports(op Operation) bool { return Supports(c.drv, op) }

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

// Instances returns the instance operations of this cloud.
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

// adoptInstance gives an instance from the driver its global ids and the
// cloud's names, and remembers it.
func (c *Cloud) adoptInstance(inst *Instance) {
	inst.ID = GlobalID(c.info.CloudID, KindInstance, inst.RealID)
	inst.CloudID = c.info.CloudID
	inst.CloudType = c.info.Type
	if inst.ProjectID == "" {
		inst.ProjectID = c.info.ProjectID
	}
	if inst.Region == "" {
		inst.Region = c.info.Region
	}
	if inst.State == "" {
		inst.State = StateUnknown
	}
	if inst.Image != nil {
		if inst.Image.RealID == "" {
			inst.Image.RealID = inst.Image.ID
		}
		if inst.Image.RealID != "" {
			c.adoptImage(inst.Image)
		}
	}
	if inst.Flavor != nil {
		inst.Flavor.CloudID = c.info.CloudID
		if inst.Flavor.ProjectID == "" {
			inst.Flavor.ProjectID = inst.ProjectID
		}
	}
	c.remember(inst.ID, KindInstance, inst.RealID)
}

// adoptImage gives an image from the driver its global id and remembers it.
func (c *Cloud) adoptImage(img *Image) {
	if img.RealID == "" {
		img.RealID = img.ID
	}
	img.ID = GlobalID(c.info.CloudID, KindImage, img.RealID)
	img.CloudID = c.info.CloudID
	img.CloudType = c.info.Type
	if img.State == "" {
		img.State = ImageUnknown
	}
	c.remember(img.ID, KindImage, img.RealID)
}

func (c *Cloud) adoptFlavor(f *Flavor) {
	f.CloudID = c.info.CloudID
	if f.ProjectID == "" {
		f.ProjectID = c.info.ProjectID
	}
}

func (c *Cloud) adoptNetwork(n *Network) {
	n.CloudID = c.info.CloudID
	if n.ProjectID == "" {
		n.ProjectID = c.info.ProjectID
	}
	for i := range n.Subnets {
		if n.Subnets[i].NetworkID == "" {
			n.Subnets[i].NetworkID = n.ID
		}
		if n.Subnets[i].ProjectID == "" {
			n.Subnets[i].ProjectID = n.ProjectID
		}
	}
}

func (c *Cloud) adoptKeypair(k *Keypair) {
	k.CloudID = c.info.CloudID
	if k.ProjectID == "" {
		k.ProjectID = c.info.ProjectID
	}
}

// enrich fills an instance's flavor and image from the cloud's metadata,
// best effort: a failure to read metadata leaves the instance as it is.
func (c *Cloud) enrich(ctx context.Context, insts []Instance) {
	if len(insts) == 0 {
		return
	}
	fs, _ := c.flavors(ctx)
	imgs, _ := c.images(ctx)
	byFlavor := make(map[string]*Flavor, len(fs))
	for i := range fs {
		byFlavor[fs[i].ID] = &fs[i]
	}
	byImage := make(map[string]*Image, len(imgs))
	for i := range imgs {
		byImage[imgs[i].RealID] = &imgs[i]
	}
	for i := range insts {
		in := &insts[i]
		if in.Flavor != nil {
			if f, ok := byFlavor[in.Flavor.ID]; ok {
				cp := *f
				in.Flavor = &cp
			}
		}
		if in.Image != nil {
			if im, ok := byImage[in.Image.RealID]; ok {
				cp := im.Clone()
				in.Image = &cp
			}
		}
	}
}
