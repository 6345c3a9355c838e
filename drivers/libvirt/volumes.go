package libvirt

import (
	"bytes"
	"errors"
	"io"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/perspective-cloud/sdk/driver"
)

// Suffixes of the volumes that go with an image: the kernel and initrd it
// boots with, and the driver's sidecar with its name and metadata.
const (
	kernelSuffix = ".kernel"
	initrdSuffix = ".initrd"
	metaSuffix   = ".meta.json"
	keysSuffix   = ".keypairs.json"
)

var reservedSuffixes = []string{kernelSuffix, initrdSuffix, metaSuffix, keysSuffix, overlaySuffix, logSuffix}

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

// readVolume downloads at most limit bytes of a small volume (a sidecar,
// a console log) from offset; the download stops at limit, so a volume
// that grew too big costs no more than limit bytes of memory.
func readVolume(l *golibvirt.Libvirt, vol golibvirt.StorageVol, offset, limit uint64) ([]byte, error) {
	var buf bytes.Buffer
	w := &capped{w: &buf, left: int64(limit)}
	if err := l.StorageVolDownload(vol, w, offset, limit, 0); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeVolume replaces a small volume's content with data. The volume is
// made anew: an upload does not truncate, so a shorter content would keep
// the old tail. Callers hold catalogMu.
func writeVolume(l *golibvirt.Libvirt, pool golibvirt.StoragePool, name string, data []byte) error {
	if err := deleteVolume(l, pool, name); err != nil {
		return err
	}
	v, err := createVolume(l, pool, name, 0, "raw", nil)
	if err != nil {
		return err
	}
	return l.StorageVolUpload(v.vol, bytes.NewReader(data), 0, uint64(len(data)), 0)
}

// capped writes at most left bytes, then drops the rest.
type capped struct {
	w    io.Writer
	left int64
}

func (c *capped) Write(p []byte) (int, error) {
	n := len(p)
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	if len(p) > 0 {
		if _, err := c.w.Write(p); err != nil {
			return 0, err
		}
		c.left -= int64(len(p))
	}
	return n, nil
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
