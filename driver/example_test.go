package driver_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// tiny is the smallest useful driver: a cloud of instances in a map that
// can be launched, listed, deleted and rebooted. Everything else is
// ErrUnsupported, found out by the portable layer before any call.
type tiny struct {
	mu    sync.Mutex
	next  int
	insts map[string]driver.Instance
}

func (d *tiny) Info() driver.Info {
	return driver.Info{Type: "tiny", CloudID: "tiny-1", ProjectID: "p1", Region: "here"}
}

func (d *tiny) ListInstances(_ context.Context, opts driver.ListOptions) ([]driver.Instance, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []driver.Instance
	for _, in := range d.insts {
		if opts.Match(in) {
			out = append(out, in.Clone())
		}
	}
	return out, nil
}

func (d *tiny) GetInstance(_ context.Context, id string) (driver.Instance, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	in, ok := d.insts[id]
	if !ok {
		return driver.Instance{}, driver.Errorf(driver.CodeNotFound, "no instance %s", id)
	}
	return in.Clone(), nil
}

func (d *tiny) LaunchInstances(_ context.Context, spec driver.LaunchSpec) ([]driver.Instance, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []driver.Instance
	for i := range spec.Count {
		d.next++
		name := spec.Name
		if spec.Count > 1 {
			name = fmt.Sprintf("%s-%d", spec.Name, i+1)
		}
		in := driver.Instance{ID: fmt.Sprintf("vm-%d", d.next), Name: name, State: driver.StateLaunched,
			Flavor: &driver.Flavor{ID: spec.FlavorID}, ImageID: spec.ImageID, Created: time.Now()}
		d.insts[in.ID] = in
		out = append(out, in)
	}
	return out, nil
}

func (d *tiny) DeleteInstance(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.insts, id)
	return nil
}

// Reboot makes tiny a driver.Rebooter: the capability is found by type assertion.
func (d *tiny) Reboot(context.Context, string, bool) error { return nil }

func (d *tiny) ListImages(context.Context) ([]driver.Image, error) {
	return []driver.Image{{ID: "img-1", Name: "debian", State: driver.ImageSaved}}, nil
}

func (d *tiny) GetImage(_ context.Context, id string) (driver.Image, error) {
	if id != "img-1" {
		return driver.Image{}, driver.Errorf(driver.CodeNotFound, "no image %s", id)
	}
	return driver.Image{ID: "img-1", Name: "debian", State: driver.ImageSaved}, nil
}

func (d *tiny) ListFlavors(context.Context) ([]driver.Flavor, error) {
	return []driver.Flavor{{ID: "f1", Name: "small", VCPUs: 1, RAM: 512}}, nil
}

func (d *tiny) ListNetworks(context.Context) ([]driver.Network, error) { return nil, nil }
func (d *tiny) ListKeypairs(context.Context) ([]driver.Keypair, error) { return nil, nil }
func (d *tiny) Close() error                                           { return nil }

// A driver registers an opener under its URL scheme; programs open it by
// URL and use the portable API, which validates, checks states, routes
// global ids and refuses what the driver cannot do.
func Example() {
	perspective.Register("tiny", func(context.Context, *url.URL) (driver.Driver, error) {
		return &tiny{insts: map[string]driver.Instance{}}, nil
	})
	ctx := context.Background()
	cloud, err := perspective.Open(ctx, "tiny://")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cloud.Close()
	fmt.Println(cloud.Operations())

	rep, err := cloud.Instances().Launch(ctx, perspective.LaunchSpec{Name: "web", Count: 2, FlavorID: "small", ImageID: "debian"})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err = cloud.Instances().Reboot(ctx, rep.IDs()...)
	fmt.Println(rep.Succeeded(), err)
	_, err = cloud.Instances().Pause(ctx, rep.IDs()...)
	fmt.Println(perspective.Code(err))
	// Output:
	// [launch delete reboot hard-reboot]
	// 2 <nil>
	// unsupported
}
