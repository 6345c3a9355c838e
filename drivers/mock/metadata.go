package mock

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
	"golang.org/x/crypto/ssh"
)

// seed fills the cloud with flavors, images and networks like a fresh
// OpenStack's. d.mu need not be held: it runs before d is shared.
func (d *Driver) seed() {
	d.flavors = []driver.Flavor{
		{ID: "1", Name: "m1.tiny", RAM: 512, VCPUs: 1, RootDisk: 1, IsPublic: true},
		{ID: "2", Name: "m1.small", RAM: 2048, VCPUs: 1, RootDisk: 20, IsPublic: true},
		{ID: "3", Name: "m1.medium", RAM: 4096, VCPUs: 2, RootDisk: 40, IsPublic: true},
		{ID: "4", Name: "m1.large", RAM: 8192, VCPUs: 4, RootDisk: 80, Swap: 1024, IsPublic: true},
	}
	created := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	for i, name := range []string{"cirros-0.6.2", "ubuntu-24.04", "debian-12"} {
		id := fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i+1)
		d.images[id] = &driver.Image{ID: id, ProjectID: d.cfg.projectID, Name: name,
			State: driver.ImageSaved, Status: "active", Visibility: "public",
			Size: int64(20+i*300) << 20, MinDisk: 1, Checksum: fmt.Sprintf("%032x", i+1),
			Metadata: map[string]string{"os_distro": strings.Split(name, "-")[0]}, Created: created, Updated: created}
	}
	d.networks = []driver.Network{
		{ID: "10000000-0000-4000-8000-000000000001", Name: "private", State: "ACTIVE", IsShared: true,
			Subnets: []driver.Subnet{{ID: "20000000-0000-4000-8000-000000000001", Name: "private-subnet",
				CIDR: "10.20.0.0/24", IPVersion: 4, Gateway: "10.20.0.1", DHCPEnabled: true}}},
		{ID: "10000000-0000-4000-8000-000000000002", Name: "public", State: "ACTIVE", IsExternal: true,
			Subnets: []driver.Subnet{{ID: "20000000-0000-4000-8000-000000000002", Name: "public-subnet",
				CIDR: "203.0.113.0/24", IPVersion: 4, Gateway: "203.0.113.1"}}},
	}
}

// ListFlavors returns the seeded flavors.
func (d *Driver) ListFlavors(ctx context.Context) ([]driver.Flavor, error) {
	if err := d.enter(ctx, "ListFlavors", perspective.OpList); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]driver.Flavor, 0, len(d.flavors))
	for _, f := range d.flavors {
		if d.visible(f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// ListNetworks returns the seeded networks.
func (d *Driver) ListNetworks(ctx context.Context) ([]driver.Network, error) {
	if err := d.enter(ctx, "ListNetworks", perspective.OpList); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]driver.Network, len(d.networks))
	for i, n := range d.networks {
		out[i] = n.Clone()
	}
	return out, nil
}

// ListImages returns every image.
func (d *Driver) ListImages(ctx context.Context) ([]driver.Image, error) {
	if err := d.enter(ctx, "ListImages", perspective.OpList); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settle(d.now())
	out := make([]driver.Image, 0, len(d.images))
	for _, img := range d.images {
		out = append(out, img.Clone())
	}
	slices.SortFunc(out, func(a, b driver.Image) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// GetImage returns one image.
func (d *Driver) GetImage(ctx context.Context, id string) (driver.Image, error) {
	if err := d.enter(ctx, "GetImage", perspective.OpGet); err != nil {
		return driver.Image{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.settle(d.now())
	img, ok := d.images[id]
	if !ok {
		return driver.Image{}, driver.Errorf(driver.CodeNotFound, "mock: image %s could not be found", id)
	}
	return img.Clone(), nil
}

// CreateImage adds an image and stores the size and MD5 checksum of its data.
func (d *Driver) CreateImage(ctx context.Context, spec driver.ImageSpec) (driver.Image, error) {
	if err := d.enter(ctx, "CreateImage", perspective.OpAddImage); err != nil {
		return driver.Image{}, err
	}
	now := d.now()
	img := driver.Image{ID: newID(), ProjectID: d.cfg.projectID, Name: spec.Name,
		State: driver.ImageQueued, Status: "queued", Visibility: cmp.Or(spec.Visibility, "private"),
		MinDisk: spec.MinDisk, MinRAM: spec.MinRAM, Metadata: maps.Clone(spec.Metadata), Created: now, Updated: now}
	if spec.Data != nil {
		h := md5.New()
		n, err := io.Copy(h, io.LimitReader(spec.Data, 1<<30))
		if err != nil {
			return driver.Image{}, driver.Wrap(driver.CodeInvalidArgument, err, "mock: reading image data")
		}
		img.Size, img.Checksum = n, hex.EncodeToString(h.Sum(nil))
		img.State, img.Status = driver.ImageSaved, "active"
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	stored := img.Clone()
	d.images[img.ID] = &stored
	return img, nil
}

// UpdateImage changes an image.
func (d *Driver) UpdateImage(ctx context.Context, id string, u driver.ImageUpdate) (driver.Image, error) {
	if err := d.enter(ctx, "UpdateImage", perspective.OpUpdateImage); err != nil {
		return driver.Image{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	img, ok := d.images[id]
	if !ok {
		return driver.Image{}, driver.Errorf(driver.CodeNotFound, "mock: image %s could not be found", id)
	}
	if u.Name != nil {
		img.Name = *u.Name
	}
	if u.Visibility != nil {
		img.Visibility = *u.Visibility
	}
	if u.MinDisk != nil {
		img.MinDisk = *u.MinDisk
	}
	if u.MinRAM != nil {
		img.MinRAM = *u.MinRAM
	}
	if len(u.Metadata) > 0 && img.Metadata == nil {
		img.Metadata = map[string]string{}
	}
	maps.Copy(img.Metadata, u.Metadata)
	for _, k := range u.RemoveMetadata {
		delete(img.Metadata, k)
	}
	img.Updated = d.now()
	return img.Clone(), nil
}

// DeleteImage deletes an image.
func (d *Driver) DeleteImage(ctx context.Context, id string) error {
	if err := d.enter(ctx, "DeleteImage", perspective.OpDeleteImage); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.images[id]; !ok {
		return driver.Errorf(driver.CodeNotFound, "mock: image %s could not be found", id)
	}
	delete(d.images, id)
	return nil
}

// ListKeypairs returns the keypairs, public parts only.
func (d *Driver) ListKeypairs(ctx context.Context) ([]driver.Keypair, error) {
	if err := d.enter(ctx, "ListKeypairs", perspective.OpList); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := slices.Collect(maps.Values(d.keypairs))
	slices.SortFunc(out, func(a, b driver.Keypair) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// CreateKeypair imports spec.PublicKey or generates an ed25519 key.
func (d *Driver) CreateKeypair(ctx context.Context, spec driver.KeypairSpec) (driver.Keypair, error) {
	if err := d.enter(ctx, "CreateKeypair", perspective.OpAddKeypair); err != nil {
		return driver.Keypair{}, err
	}
	k := driver.Keypair{Name: spec.Name, ProjectID: d.cfg.projectID, Type: "ssh"}
	var pub ssh.PublicKey
	if spec.PublicKey != "" {
		p, _, _, _, err := ssh.ParseAuthorizedKey([]byte(spec.PublicKey))
		if err != nil {
			return driver.Keypair{}, driver.Errorf(driver.CodeInvalidArgument,
				"mock: keypair data is invalid: %v", err)
		}
		pub = p
	} else {
		pk, sk, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return driver.Keypair{}, driver.Wrap(driver.CodeUnknown, err, "mock: generating a key")
		}
		if pub, err = ssh.NewPublicKey(pk); err != nil {
			return driver.Keypair{}, driver.Wrap(driver.CodeUnknown, err, "mock: encoding a key")
		}
		block, err := ssh.MarshalPrivateKey(sk, spec.Name)
		if err != nil {
			return driver.Keypair{}, driver.Wrap(driver.CodeUnknown, err, "mock: encoding a key")
		}
		k.PrivateKey = string(pem.EncodeToMemory(block))
	}
	k.PublicKey = string(bytes.TrimSpace(ssh.MarshalAuthorizedKey(pub)))
	k.Fingerprint = ssh.FingerprintLegacyMD5(pub)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.keypairs[spec.Name]; dup {
		return driver.Keypair{}, driver.Errorf(driver.CodeConflict, "mock: key pair '%s' already exists", spec.Name)
	}
	stored := k
	stored.PrivateKey = ""
	d.keypairs[spec.Name] = stored
	return k, nil
}

// DeleteKeypair deletes a keypair.
func (d *Driver) DeleteKeypair(ctx context.Context, name string) error {
	if err := d.enter(ctx, "DeleteKeypair", perspective.OpDeleteKeypair); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.keypairs[name]; !ok {
		return driver.Errorf(driver.CodeNotFound, "mock: keypair %s could not be found", name)
	}
	delete(d.keypairs, name)
	return nil
}
