package libvirt

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"libvirt.org/go/libvirtxml"

	"github.com/perspective-cloud/sdk/driver"
)

// XMLNamespace is the namespace of the driver's element in a domain's
// <metadata>; MetadataKey is the prefix libvirt writes it with.
const (
	XMLNamespace = "https://perspective-cloud.github.io/xmlns/libvirt/1"
	MetadataKey  = "perspective"
	// FWCfgKeys is the fw_cfg entry that hands a keypair's public key to
	// the guest (as Ignition takes its config on QEMU); FWCfgUserData the
	// entry with the launch's user data.
	FWCfgKeys     = "opt/org.perspective-cloud/authorized_keys"
	FWCfgUserData = "opt/org.perspective-cloud/user-data"
)

// Bounds of what the metadata element may hold.
const (
	maxMetaBytes = 64 << 10
	maxTags      = 64
	maxMetaKeys  = 128
	maxUserData  = 64 << 10
)

// meta is the driver's element in a domain's <metadata>: everything the
// model has that libvirt does not.
type meta struct {
	XMLName   xml.Name  `xml:"instance"`
	Namespace string    `xml:"namespace"`
	Name      string    `xml:"name,omitempty"` // a display name set while the domain ran (libvirt renames only shut-off domains)
	Flavor    string    `xml:"flavor,omitempty"`
	Image     string    `xml:"image,omitempty"`
	Keypair   string    `xml:"keypair,omitempty"`
	Disk      string    `xml:"disk,omitempty"` // the overlay volume
	Log       string    `xml:"log,omitempty"`  // the console log volume
	Locked    bool      `xml:"locked,omitempty"`
	Created   time.Time `xml:"created"`
	Updated   time.Time `xml:"updated"`
	Tags      []string  `xml:"tag"`
	Meta      []kv      `xml:"meta"`
}

type kv struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func (m *meta) marshal() (string, error) {
	b, err := xml.Marshal(struct {
		*meta
		XMLNS string `xml:"xmlns,attr"`
	}{m, XMLNamespace})
	if err != nil {
		return "", driver.Wrap(driver.CodeInvalidArgument, err, "libvirt: encoding the instance's metadata")
	}
	if len(b) > maxMetaBytes {
		return "", driver.Errorf(driver.CodeInvalidArgument, "libvirt: the instance's tags and metadata take %d bytes, more than %d", len(b), maxMetaBytes)
	}
	return string(b), nil
}

// metadataMap returns the key/value metadata as a map.
func (m *meta) metadataMap() map[string]string {
	out := make(map[string]string, len(m.Meta))
	for _, e := range m.Meta {
		out[e.Key] = e.Value
	}
	return out
}

func (m *meta) setMetadata(md map[string]string) {
	for k, v := range md {
		if i := slices.IndexFunc(m.Meta, func(e kv) bool { return e.Key == k }); i >= 0 {
			m.Meta[i].Value = v
		} else {
			m.Meta = append(m.Meta, kv{k, v})
		}
	}
	slices.SortFunc(m.Meta, func(a, b kv) int { return strings.Compare(a.Key, b.Key) })
}

// parseMeta finds the driver's element in the inner XML of a domain's
// <metadata>; false when there is none (the domain is not an instance).
func parseMeta(inner string) (*meta, bool, error) {
	if !strings.Contains(inner, XMLNamespace) {
		return nil, false, nil
	}
	if len(inner) > 4*maxMetaBytes {
		return nil, false, driver.Errorf(driver.CodeUnknown, "libvirt: a domain's metadata takes %d bytes, more than %d", len(inner), 4*maxMetaBytes)
	}
	dec := xml.NewDecoder(strings.NewReader(inner))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, false, nil
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Space != XMLNamespace || se.Name.Local != "instance" {
			continue
		}
		var m meta
		if err := dec.DecodeElement(&m, &se); err != nil {
			return nil, false, driver.Wrap(driver.CodeUnknown, err, "libvirt: reading the perspective metadata element")
		}
		return &m, true, nil
	}
}

// bootFiles are the kernel and initrd an image boots with (sibling
// volumes "<image>.kernel" and "<image>.initrd"); empty to boot the disk.
type bootFiles struct{ kernel, initrd string }

// domainSpec is what a domain is built from.
type domainSpec struct {
	name, uuid string
	domainType string
	flavor     driver.Flavor
	disk       string // overlay path
	diskFormat string
	logPath    string
	boot       bootFiles
	networks   []string
	publicKey  string
	userData   []byte
	meta       *meta
}

// domainXML builds the domain: TCG or KVM, ACPI (so shutdown and reboot
// reach the guest), the overlay disk on virtio, a serial console logged to
// a volume, one e1000 NIC per network, VNC on the host's loopback.
func domainXML(s domainSpec) (string, error) {
	md, err := s.meta.marshal()
	if err != nil {
		return "", err
	}
	dom := libvirtxml.Domain{
		Type: s.domainType, Name: s.name, UUID: s.uuid,
		Metadata: &libvirtxml.DomainMetadata{XML: md},
		Memory:   &libvirtxml.DomainMemory{Value: uint(s.flavor.RAM), Unit: "MiB"},
		VCPU:     &libvirtxml.DomainVCPU{Value: uint(s.flavor.VCPUs)},
		OS: &libvirtxml.DomainOS{
			Type: &libvirtxml.DomainOSType{Arch: "x86_64", Machine: "pc", Type: "hvm"},
		},
		Features:   &libvirtxml.DomainFeatureList{ACPI: &libvirtxml.DomainFeature{}},
		OnPoweroff: "destroy", OnReboot: "restart", OnCrash: "destroy",
		Devices: &libvirtxml.DomainDeviceList{
			Disks: []libvirtxml.DomainDisk{{
				Device: "disk",
				Driver: &libvirtxml.DomainDiskDriver{Name: "qemu", Type: s.diskFormat},
				Source: &libvirtxml.DomainDiskSource{File: &libvirtxml.DomainDiskSourceFile{File: s.disk}},
				Target: &libvirtxml.DomainDiskTarget{Dev: "vda", Bus: "virtio"},
			}},
			Serials: []libvirtxml.DomainSerial{{
				Source: &libvirtxml.DomainChardevSource{Pty: &libvirtxml.DomainChardevSourcePty{}},
				Log:    &libvirtxml.DomainChardevLog{File: s.logPath, Append: "on"},
			}},
			Consoles: []libvirtxml.DomainConsole{{
				Source: &libvirtxml.DomainChardevSource{Pty: &libvirtxml.DomainChardevSourcePty{}},
				Target: &libvirtxml.DomainConsoleTarget{Type: "serial"},
			}},
			Graphics: []libvirtxml.DomainGraphic{{VNC: &libvirtxml.DomainGraphicVNC{Port: -1, AutoPort: "yes", Listen: "127.0.0.1"}}},
		},
	}
	if s.boot.kernel != "" {
		dom.OS.Kernel, dom.OS.Initrd = s.boot.kernel, s.boot.initrd
		dom.OS.Cmdline = "console=ttyS0 panic=-1 perspective.hostname=" + s.name
	} else {
		dom.OS.BootDevices = []libvirtxml.DomainBootDevice{{Dev: "hd"}}
	}
	for _, n := range s.networks {
		dom.Devices.Interfaces = append(dom.Devices.Interfaces, libvirtxml.DomainInterface{
			Source: &libvirtxml.DomainInterfaceSource{Network: &libvirtxml.DomainInterfaceSourceNetwork{Network: n}},
			Model:  &libvirtxml.DomainInterfaceModel{Type: "e1000"},
		})
	}
	var entries []libvirtxml.DomainSysInfoEntry
	if s.publicKey != "" {
		entries = append(entries, libvirtxml.DomainSysInfoEntry{Name: FWCfgKeys, Value: s.publicKey + "\n"})
	}
	if len(s.userData) > 0 {
		entries = append(entries, libvirtxml.DomainSysInfoEntry{Name: FWCfgUserData, Value: string(s.userData)})
	}
	if len(entries) > 0 {
		dom.SysInfo = []libvirtxml.DomainSysInfo{{FWCfg: &libvirtxml.DomainSysInfoFWCfg{Entry: entries}}}
	}
	out, err := dom.Marshal()
	if err != nil {
		return "", driver.Wrap(driver.CodeInvalidArgument, err, fmt.Sprintf("libvirt: building the XML of domain %s", s.name))
	}
	return out, nil
}
