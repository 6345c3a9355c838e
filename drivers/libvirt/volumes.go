package libvirt

import (
	"errors"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/perspective-cloud/sdk/driver"
)

// Suffixes of the volumes that go with an image: the kernel and initrd it
// boots with.
const (
	kernelSuffix = ".kernel"
	initrdSuffix = ".initrd"
)

var reservedSuffixes = []string{kernelSuffix, initrdSuffix, overlaySuffix, logSuffix}

// isImageVolume reports whether a volume of the pool is an image: any
// volume but the ones the driver makes beside images and instances.
func isImageVolume(name string) bool {
	for _, s := range reservedSuffixes {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

func asLibvirt(err error) golibvirt.Error {
	var le golibvirt.Error
	errors.As(err, &le)
	return le
}

type volume struct {
	vol  golibvirt.StorageVol
	path string
}

// createVolume creates a volume; with backing, a qcow2 overlay on it.
func createVolume(l *golibvirt.Libvirt, pool golibvirt.StoragePool, name string, capacity uint64, format string, backing *imageVol) (volume, error) {
	v := libvirtxml.StorageVolume{Name: name,
		Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: capacity},
		Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: format}}}
	if backing != nil {
		v.BackingStore = &libvirtxml.StorageVolumeBackingStore{Path: backing.path,
			Format: &libvirtxml.StorageVolumeTargetFormat{Type: backing.format}}
		if capacity < backing.capacity {
			v.Capacity.Value = backing.capacity
		}
	}
	x, err := v.Marshal()
	if err != nil {
		return volume{}, err
	}
	vol, err := l.StorageVolCreateXML(pool, x, 0)
	if err != nil {
		return volume{}, err
	}
	path, err := l.StorageVolGetPath(vol)
	if err != nil {
		_ = l.StorageVolDelete(vol, 0)
		return volume{}, err
	}
	return volume{vol, path}, nil
}

// deleteVolume deletes a volume of the pool; one already gone is fine.
func deleteVolume(l *golibvirt.Libvirt, pool golibvirt.StoragePool, name string) error {
	vol, err := l.StorageVolLookupByName(pool, name)
	if err != nil {
		if notFound(err) {
			return nil
		}
		return err
	}
	if err := l.StorageVolDelete(vol, 0); err != nil && !notFound(err) {
		return err
	}
	return nil
}

// volumeXML reads a volume's description.
func volumeXML(l *golibvirt.Libvirt, vol golibvirt.StorageVol) (*libvirtxml.StorageVolume, error) {
	raw, err := l.StorageVolGetXMLDesc(vol, 0)
	if err != nil {
		return nil, err
	}
	var v libvirtxml.StorageVolume
	if err := v.Unmarshal(raw); err != nil {
		return nil, driver.Wrap(driver.CodeUnknown, err, "libvirt: reading the XML of volume "+vol.Name)
	}
	return &v, nil
}
