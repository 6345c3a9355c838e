package libvirt

import (
	"context"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/perspective-cloud/sdk/driver"
)

// snapshotTimeout bounds the copy of a running instance's disk.
const snapshotTimeout = 10 * time.Minute

// Snapshot saves the instance's disk as a new image, flattened (it needs
// no backing image), with the boot files of the image it came from. A
// shut-off disk is cloned by libvirt (qemu-img convert); a running or
// paused one is copied by QEMU itself with a block copy that is then
// abandoned, so the guest keeps its own disk and never stops.
func (d *Driver) Snapshot(ctx context.Context, id, name string) (driver.Image, error) {
	done, ok := d.setBusy(id, driver.StateSnapshotting)
	if !ok {
		return driver.Image{}, driver.Errorf(driver.CodeConflict, "libvirt: instance %s is busy with another operation", id)
	}
	defer done()
	l, pool, err := d.pool(ctx)
	if err != nil {
		return driver.Image{}, err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return driver.Image{}, err
	}
	if dm.meta.Disk == "" {
		return driver.Image{}, driver.Errorf(driver.CodeInvalidState, "libvirt: instance %s has no disk the driver made", id)
	}
	src, err := l.StorageVolLookupByName(pool, dm.meta.Disk)
	if err != nil {
		return driver.Image{}, classify(err, "the disk of instance "+id)
	}
	_, capacity, _, err := l.StorageVolGetInfo(src)
	if err != nil {
		return driver.Image{}, classify(err, "the disk of instance "+id)
	}
	d.catalogMu.Lock()
	defer d.catalogMu.Unlock()
	vname := volumeName(l, pool, name)
	if dm.st.state == golibvirt.DomainShutoff {
		x, err := (&libvirtxml.StorageVolume{Name: vname, Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: capacity},
			Target: &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "qcow2"}}}).Marshal()
		if err != nil {
			return driver.Image{}, driver.Wrap(driver.CodeUnknown, err, "libvirt: building the snapshot volume")
		}
		if _, err := l.StorageVolCreateXMLFrom(pool, x, src, 0); err != nil {
			return driver.Image{}, classify(err, "copying the disk of instance "+id)
		}
	} else if err := d.blockCopy(ctx, l, pool, dm, vname, capacity); err != nil {
		_ = deleteVolume(l, pool, vname)
		return driver.Image{}, err
	}
	// the boot files of the image the instance came from go with the copy
	for _, sfx := range []string{kernelSuffix, initrdSuffix} {
		if dm.meta.Image == "" {
			break
		}
		bf, err := l.StorageVolLookupByName(pool, dm.meta.Image+sfx)
		if err != nil {
			continue
		}
		x, _ := (&libvirtxml.StorageVolume{Name: vname + sfx, Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes"},
			Target: &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "raw"}}}).Marshal()
		if _, err := l.StorageVolCreateXMLFrom(pool, x, bf, 0); err != nil {
			_ = deleteVolume(l, pool, vname)
			_ = deleteVolume(l, pool, vname+kernelSuffix)
			return driver.Image{}, classify(err, "copying the boot files of image "+dm.meta.Image)
		}
	}
	side := sidecar{Created: time.Now().UTC().Truncate(time.Second),
		Metadata: map[string]string{"instance": id, "source_image": dm.meta.Image}}
	if vname != name {
		side.Name = name
	}
	if err := d.writeSidecar(l, pool, vname, side); err != nil {
		return driver.Image{}, err
	}
	_ = l.StoragePoolRefresh(pool, 0)
	img, err := d.image(l, pool, vname)
	if err != nil {
		return driver.Image{}, err
	}
	return img.model(), nil
}

// blockCopy copies a running domain's disk into a new volume: a full
// (flattened) block copy, waited for until it is in sync, then abandoned.
func (d *Driver) blockCopy(ctx context.Context, l *golibvirt.Libvirt, pool golibvirt.StoragePool, dm *domain, vname string, capacity uint64) error {
	dst, err := createVolume(l, pool, vname, capacity, "qcow2", nil)
	if err != nil {
		return classify(err, "creating the snapshot volume "+vname)
	}
	destXML, err := (&libvirtxml.DomainDisk{Device: "disk",
		Driver: &libvirtxml.DomainDiskDriver{Name: "qemu", Type: "qcow2"},
		Source: &libvirtxml.DomainDiskSource{File: &libvirtxml.DomainDiskSourceFile{File: dst.path}}}).Marshal()
	if err != nil {
		return driver.Wrap(driver.CodeUnknown, err, "libvirt: building the block copy target")
	}
	const disk = "vda"
	if err := l.DomainBlockCopy(dm.dom, disk, destXML, nil,
		golibvirt.DomainBlockCopyReuseExt|golibvirt.DomainBlockCopyTransientJob); err != nil {
		return classify(err, "copying the disk of domain "+dm.dom.Name)
	}
	abort := func() { _ = l.DomainBlockJobAbort(dm.dom, disk, 0) }
	deadline := time.Now().Add(snapshotTimeout)
	for {
		found, _, _, cur, end, err := l.DomainGetBlockJobInfo(dm.dom, disk, 0)
		if err != nil {
			abort()
			return classify(err, "watching the disk copy of domain "+dm.dom.Name)
		}
		if found == 0 {
			return driver.Errorf(driver.CodeUnknown, "libvirt: the disk copy of domain %s ended before it was in sync", dm.dom.Name)
		}
		if end > 0 && cur == end {
			break
		}
		if time.Now().After(deadline) {
			abort()
			return driver.Errorf(driver.CodeTransient, "libvirt: the disk copy of domain %s took longer than %s", dm.dom.Name, snapshotTimeout)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			abort()
			return err
		}
	}
	// in sync: abandoning the job leaves the copy as it is now
	if err := l.DomainBlockJobAbort(dm.dom, disk, 0); err != nil {
		return classify(err, "finishing the disk copy of domain "+dm.dom.Name)
	}
	return nil
}
