package libvirt

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/google/uuid"

	"github.com/perspective-cloud/sdk/driver"
)

// maxImageBytes bounds an image upload.
const maxImageBytes = 64 << 30

// imageVol is an image volume and what goes with it.
type imageVol struct {
	name, path, format string
	capacity           uint64
	allocation         uint64
	vol                golibvirt.StorageVol
	boot               bootFiles
	side               sidecar
}

// sidecar is what the driver stores under "image/<pool>/<volume>" (see
// store.go): what the model has and a volume does not.
type sidecar struct {
	Name       string            `json:"name,omitempty"`
	Visibility string            `json:"visibility,omitempty"`
	MinDisk    int               `json:"minDisk,omitempty"`
	MinRAM     int               `json:"minRam,omitempty"`
	Metadata   map[string]string `json:"metadata,omitempty"`
	Created    time.Time         `json:"created"`
}

func (d *Driver) sidecarKey(vol string) string { return "image/" + d.cfg.Pool + "/" + vol }

func (d *Driver) pool(ctx context.Context) (*golibvirt.Libvirt, golibvirt.StoragePool, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return nil, golibvirt.StoragePool{}, err
	}
	p, err := l.StoragePoolLookupByName(d.cfg.Pool)
	if err != nil {
		return nil, golibvirt.StoragePool{}, classify(err, "storage pool "+d.cfg.Pool)
	}
	return l, p, nil
}

// image reads one image volume (its id is the volume name) with its boot
// files and sidecar.
func (d *Driver) image(l *golibvirt.Libvirt, pool golibvirt.StoragePool, id string) (imageVol, error) {
	if id == "" || !isImageVolume(id) {
		return imageVol{}, driver.Errorf(driver.CodeNotFound, "libvirt: image %q could not be found in pool %s", id, d.cfg.Pool)
	}
	vol, err := l.StorageVolLookupByName(pool, id)
	if err != nil {
		if notFound(err) {
			return imageVol{}, driver.Errorf(driver.CodeNotFound, "libvirt: image %q could not be found in pool %s", id, d.cfg.Pool)
		}
		return imageVol{}, classify(err, "image "+id)
	}
	v, err := volumeXML(l, vol)
	if err != nil {
		return imageVol{}, classify(err, "image "+id)
	}
	img := imageVol{name: id, vol: vol, format: "raw"}
	if v.Target != nil {
		img.path = v.Target.Path
		if v.Target.Format != nil && v.Target.Format.Type != "" {
			img.format = v.Target.Format.Type
		}
	}
	if v.Capacity != nil {
		img.capacity = v.Capacity.Value
	}
	if v.Allocation != nil {
		img.allocation = v.Allocation.Value
	}
	if k, err := l.StorageVolLookupByName(pool, id+kernelSuffix); err == nil {
		img.boot.kernel, _ = l.StorageVolGetPath(k)
		if i, err := l.StorageVolLookupByName(pool, id+initrdSuffix); err == nil {
			img.boot.initrd, _ = l.StorageVolGetPath(i)
		}
	}
	raw, err := storeGet(l, d.sidecarKey(id))
	if err != nil {
		return imageVol{}, classify(err, "reading the metadata of image "+id)
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &img.side); err != nil {
			return imageVol{}, driver.Wrap(driver.CodeUnknown, err, "libvirt: the stored metadata of image "+id+" is not valid JSON")
		}
	}
	return img, nil
}

func (img imageVol) model() driver.Image {
	name := img.name
	if img.side.Name != "" {
		name = img.side.Name
	}
	vis := img.side.Visibility
	if vis == "" {
		vis = "shared"
	}
	md := maps.Clone(img.side.Metadata)
	if md == nil {
		md = map[string]string{}
	}
	md["disk_format"] = img.format
	if img.boot.kernel != "" {
		md["boot"] = "kernel"
	}
	minDisk := int((img.capacity + 1<<30 - 1) >> 30)
	return driver.Image{ID: img.name, Name: name, State: driver.ImageSaved, Status: "available", Visibility: vis,
		Size: int64(img.allocation), MinDisk: max(minDisk, img.side.MinDisk), MinRAM: img.side.MinRAM,
		Metadata: md, Created: img.side.Created, Updated: img.side.Created}
}

// ListImages lists the image volumes of the pool (after a refresh, so
// files copied into a directory pool show up).
func (d *Driver) ListImages(ctx context.Context) ([]driver.Image, error) {
	l, pool, err := d.pool(ctx)
	if err != nil {
		return nil, err
	}
	_ = l.StoragePoolRefresh(pool, 0) // refused while a volume is being built: list what is known
	vols, _, err := l.StoragePoolListAllVolumes(pool, 1, 0)
	if err != nil {
		return nil, classify(err, "listing the volumes of pool "+d.cfg.Pool)
	}
	var out []driver.Image
	for _, v := range vols {
		if !isImageVolume(v.Name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, driver.Wrap(driver.CodeCanceled, err, "libvirt: listing images")
		}
		img, err := d.image(l, pool, v.Name)
		if err != nil {
			if driver.CodeOf(err) == driver.CodeNotFound {
				continue // deleted meanwhile
			}
			return nil, err
		}
		out = append(out, img.model())
	}
	slices.SortFunc(out, func(a, b driver.Image) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// GetImage returns one image by its id, the volume name.
func (d *Driver) GetImage(ctx context.Context, id string) (driver.Image, error) {
	l, pool, err := d.pool(ctx)
	if err != nil {
		return driver.Image{}, err
	}
	img, err := d.image(l, pool, id)
	if err != nil {
		return driver.Image{}, err
	}
	return img.model(), nil
}

// volumeName picks the volume name of a new image: its name when that is
// a valid, free volume name, else "img-" and a random id.
func volumeName(l *golibvirt.Libvirt, pool golibvirt.StoragePool, name string) string {
	if validName(name) && isImageVolume(name) {
		if _, err := l.StorageVolLookupByName(pool, name); notFound(err) {
			return name
		}
	}
	return "img-" + uuid.NewString()[:8]
}

// CreateImage adds a volume (raw or qcow2) and uploads spec.Data into it.
func (d *Driver) CreateImage(ctx context.Context, spec driver.ImageSpec) (driver.Image, error) {
	format := spec.DiskFormat
	switch format {
	case "":
		format = "raw"
	case "raw", "qcow2":
	default:
		return driver.Image{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: disk format %q is not raw or qcow2", format)
	}
	if len(spec.Metadata) > maxMetaKeys {
		return driver.Image{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: image metadata has %d keys, at most %d", len(spec.Metadata), maxMetaKeys)
	}
	l, pool, err := d.pool(ctx)
	if err != nil {
		return driver.Image{}, err
	}
	d.catalogMu.Lock()
	defer d.catalogMu.Unlock()
	vname := volumeName(l, pool, spec.Name)
	v, err := createVolume(l, pool, vname, 0, format, nil)
	if err != nil {
		return driver.Image{}, classify(err, "creating the volume of image "+spec.Name)
	}
	if spec.Data != nil {
		lr := &io.LimitedReader{R: spec.Data, N: maxImageBytes + 1}
		if err := l.StorageVolUpload(v.vol, lr, 0, 0, 0); err != nil {
			_ = l.StorageVolDelete(v.vol, 0)
			return driver.Image{}, classify(err, "uploading image "+spec.Name)
		}
		if lr.N == 0 {
			_ = l.StorageVolDelete(v.vol, 0)
			return driver.Image{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: image %s is larger than %d bytes", spec.Name, int64(maxImageBytes))
		}
	}
	side := sidecar{Visibility: spec.Visibility, MinDisk: spec.MinDisk, MinRAM: spec.MinRAM,
		Metadata: maps.Clone(spec.Metadata), Created: time.Now().UTC().Truncate(time.Second)}
	if vname != spec.Name {
		side.Name = spec.Name
	}
	if err := d.writeSidecar(l, pool, vname, side); err != nil {
		_ = l.StorageVolDelete(v.vol, 0)
		return driver.Image{}, err
	}
	_ = l.StoragePoolRefresh(pool, 0) // the uploaded size
	img, err := d.image(l, pool, vname)
	if err != nil {
		return driver.Image{}, err
	}
	return img.model(), nil
}

func (d *Driver) writeSidecar(l *golibvirt.Libvirt, pool golibvirt.StoragePool, vname string, side sidecar) error {
	b, err := json.Marshal(side)
	if err != nil {
		return driver.Wrap(driver.CodeInvalidArgument, err, "libvirt: encoding the metadata of image "+vname)
	}
	if len(b) > maxMetaBytes {
		return driver.Errorf(driver.CodeInvalidArgument, "libvirt: the metadata of image %s takes %d bytes, more than %d", vname, len(b), maxMetaBytes)
	}
	if err := storePut(l, d.sidecarKey(vname), b); err != nil {
		return classify(err, "writing the metadata of image "+vname)
	}
	return nil
}

// UpdateImage changes the name and metadata an image's sidecar keeps (a
// volume cannot be renamed: its id stays).
func (d *Driver) UpdateImage(ctx context.Context, id string, u driver.ImageUpdate) (driver.Image, error) {
	l, pool, err := d.pool(ctx)
	if err != nil {
		return driver.Image{}, err
	}
	d.catalogMu.Lock()
	defer d.catalogMu.Unlock()
	img, err := d.image(l, pool, id)
	if err != nil {
		return driver.Image{}, err
	}
	s := img.side
	if u.Name != nil {
		s.Name = *u.Name
		if s.Name == id {
			s.Name = ""
		}
	}
	if u.Visibility != nil {
		s.Visibility = *u.Visibility
	}
	if u.MinDisk != nil {
		s.MinDisk = *u.MinDisk
	}
	if u.MinRAM != nil {
		s.MinRAM = *u.MinRAM
	}
	if s.Metadata == nil {
		s.Metadata = map[string]string{}
	}
	maps.Copy(s.Metadata, u.Metadata)
	for _, k := range u.RemoveMetadata {
		delete(s.Metadata, k)
	}
	if len(s.Metadata) > maxMetaKeys {
		return driver.Image{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: image metadata has %d keys, at most %d", len(s.Metadata), maxMetaKeys)
	}
	if err := d.writeSidecar(l, pool, id, s); err != nil {
		return driver.Image{}, err
	}
	img.side = s
	return img.model(), nil
}

// DeleteImage deletes an image volume with its boot files and sidecar; it
// refuses while an instance's disk overlay is backed by it.
func (d *Driver) DeleteImage(ctx context.Context, id string) error {
	l, pool, err := d.pool(ctx)
	if err != nil {
		return err
	}
	d.catalogMu.Lock()
	defer d.catalogMu.Unlock()
	img, err := d.image(l, pool, id)
	if err != nil {
		return err
	}
	vols, _, err := l.StoragePoolListAllVolumes(pool, 1, 0)
	if err != nil {
		return classify(err, "listing the volumes of pool "+d.cfg.Pool)
	}
	users := 0
	for _, v := range vols {
		if !strings.HasSuffix(v.Name, overlaySuffix) {
			continue
		}
		x, err := volumeXML(l, v)
		if err == nil && x.BackingStore != nil && x.BackingStore.Path == img.path {
			users++
		}
	}
	if users > 0 {
		return driver.Errorf(driver.CodeConflict, "libvirt: image %s is in use: the disks of %d instances are overlays on it", id, users)
	}
	if err := storePut(l, d.sidecarKey(id), nil); err != nil {
		return classify(err, "deleting the metadata of image "+id)
	}
	for _, name := range []string{id, id + kernelSuffix, id + initrdSuffix} {
		if err := deleteVolume(l, pool, name); err != nil {
			return classify(err, "deleting volume "+name+" of image "+id)
		}
	}
	return nil
}
