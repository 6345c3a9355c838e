package driver

import (
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Instance is a virtual machine as the driver reports it. Every field is the
// driver's; see the package doc for what an empty field means.
type Instance struct {
	// ID is the cloud's own id of the instance.
	ID        string
	Name      string
	ProjectID string // empty: Info().ProjectID
	Region    string // empty: Info().Region
	// AvailabilityZone is the zone the cloud placed the instance in, if any.
	AvailabilityZone string
	// Host is the host the instance runs on, when the credentials may see
	// it (Nova shows it to administrators only).
	Host string
	// Flavor is what the cloud says of the instance's flavor: at least its
	// ID when it knows one; the portable layer fills in the rest from
	// ListFlavors when it can.
	Flavor *Flavor
	// ImageID is the real id of the image the instance booted from, if any.
	ImageID string
	// KeyName is the name of the keypair installed in the instance, if any.
	KeyName string
	// State is the normalized state; Status is the cloud's own word for it.
	State  State
	Status string
	Locked bool
	Tags   []string
	// Metadata is the instance's key/value metadata.
	Metadata  map[string]string
	Addresses []Address
	// Networks are the networks the instance is attached to (at least their
	// names).
	Networks []Network
	// FQDN is the instance's fully qualified host name, when the cloud knows one.
	FQDN    string
	Created time.Time
	// Updated is when the cloud last changed the instance.
	Updated time.Time
	// Fault is the cloud's message for an instance in the error state.
	Fault string
}

// AddressKind says whether an address is fixed (from the instance's port) or
// floating (a public address mapped onto it).
type AddressKind string

// The kinds of address.
const (
	AddressFixed    AddressKind = "fixed"
	AddressFloating AddressKind = "floating"
)

// Address is one IP address of an instance on one network.
type Address struct {
	NetworkID string      `json:"networkId,omitempty"`
	Network   string      `json:"network"`
	IP        string      `json:"ip"`
	Kind      AddressKind `json:"type"`
	// Version is 4 or 6.
	Version int `json:"version"`
}

// LaunchSpec says what to launch, with every reference resolved to the
// cloud's own ids.
type LaunchSpec struct {
	// Name of the instance; with Count > 1 the cloud (or the driver) names
	// them Name-1 … Name-N.
	Name string
	// Count is how many instances to launch, at least one.
	Count int
	// FlavorID and ImageID are real ids.
	FlavorID string
	ImageID  string
	// Networks are real network ids; none lets the cloud choose.
	Networks []string
	// KeyName is the keypair to install, if any.
	KeyName          string
	Metadata         map[string]string
	Tags             []string
	UserData         []byte
	AvailabilityZone string
	// Locked says the instances are to be locked once launched; the
	// portable layer locks them (with Locker) after the launch, so a driver
	// may ignore it.
	Locked bool
}

// ListOptions narrows an instance listing; a driver may apply it on the
// server side. The zero value lists every instance but the deleted ones.
type ListOptions struct {
	// Name keeps instances whose name contains Name.
	Name string
	// States keeps instances in one of these states.
	States []State
	// Tags keeps instances that carry all of these tags.
	Tags []string
	// ChangedSince keeps instances updated at or after this time.
	ChangedSince time.Time
}

// Match reports whether inst passes the options' filters.
func (o ListOptions) Match(inst Instance) bool {
	if o.Name != "" && !strings.Contains(inst.Name, o.Name) {
		return false
	}
	if len(o.States) > 0 && !slices.Contains(o.States, inst.State) {
		return false
	}
	if len(o.States) == 0 && inst.State == StateDeleted {
		return false
	}
	for _, t := range o.Tags {
		if !slices.Contains(inst.Tags, t) {
			return false
		}
	}
	return o.ChangedSince.IsZero() || !inst.Updated.Before(o.ChangedSince)
}

// Flavor is a size of instance.
type Flavor struct {
	// ID is the cloud's own id of the flavor.
	ID        string
	ProjectID string // empty: Info().ProjectID
	Name      string
	// RAM is in MiB; RootDisk, EphemeralDisk in GiB; Swap in MiB.
	RAM           int
	VCPUs         int
	RootDisk      int
	EphemeralDisk int
	Swap          int
	IsPublic      bool
	// Notes is free text about the flavor, e.g. its extra specs.
	Notes string
}

// Image is a bootable image.
type Image struct {
	// ID is the cloud's own id of the image.
	ID         string
	ProjectID  string
	Name       string
	State      ImageState // empty: ImageUnknown
	Status     string     // the cloud's own word for the state
	Visibility string
	Size       int64 // bytes
	MinDisk    int   // GiB
	MinRAM     int   // MiB
	Checksum   string
	Metadata   map[string]string
	Created    time.Time
	Updated    time.Time
}

// ImageSpec describes an image to add. Data, when not nil, is uploaded.
type ImageSpec struct {
	Name            string            `json:"name"`
	DiskFormat      string            `json:"diskFormat,omitempty"`
	ContainerFormat string            `json:"containerFormat,omitempty"`
	Visibility      string            `json:"visibility,omitempty"`
	MinDisk         int               `json:"minDisk,omitempty"`
	MinRAM          int               `json:"minRam,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	Data            io.Reader         `json:"-"`
}

// ImageUpdate changes an image: nil fields stay as they are; Metadata keys
// are set, RemoveMetadata keys are removed.
type ImageUpdate struct {
	Name           *string           `json:"name,omitempty"`
	Visibility     *string           `json:"visibility,omitempty"`
	MinDisk        *int              `json:"minDisk,omitempty"`
	MinRAM         *int              `json:"minRam,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
	RemoveMetadata []string          `json:"removeMetadata,omitempty"`
}

// Network is a network instances can attach to.
type Network struct {
	// ID is the cloud's own id of the network.
	ID         string
	ProjectID  string // empty: Info().ProjectID
	Name       string
	State      string
	IsShared   bool
	IsExternal bool
	Subnets    []Subnet
}

// Subnet is an address range of a network. Empty NetworkID and ProjectID
// mean the network's.
type Subnet struct {
	ID        string `json:"id"`
	NetworkID string `json:"networkId,omitempty"`
	ProjectID string `json:"projectId,omitempty"`
	Name      string `json:"name"`
	CIDR      string `json:"cidr"`
	// IPVersion is 4 or 6.
	IPVersion   int    `json:"protocolVersion"`
	Gateway     string `json:"gateway,omitempty"`
	DHCPEnabled bool   `json:"isDhcpEnabled"`
}

// Keypair is an SSH keypair known to the cloud.
type Keypair struct {
	Name        string
	ProjectID   string // empty: Info().ProjectID
	Fingerprint string
	PublicKey   string
	// PrivateKey is set only in the reply to a create that generated the key.
	PrivateKey string
	Type       string
}

// KeypairSpec describes a keypair to add. An empty PublicKey asks the cloud
// to generate one (its private key comes back once, in the reply).
type KeypairSpec struct {
	Name      string `json:"name"`
	PublicKey string `json:"publicKey,omitempty"`
}

// Project is a project (tenant) the credentials can see, with its regions.
type Project struct {
	ID       string
	Name     string
	Regions  []Region
	Metadata map[string]string
}

// Region is a region of a cloud.
type Region struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
}

// Endpoint is one service endpoint of a project's catalog.
type Endpoint struct {
	Service   string `json:"service"`
	Name      string `json:"name,omitempty"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	URL       string `json:"url"`
}

// Quota is a project's use and limits; a Max of -1 means unlimited.
type Quota struct {
	Instances      Usage `json:"instances"`
	VCPUs          Usage `json:"vcpus"`
	RAM            Usage `json:"ram"`
	Disk           Usage `json:"disk"`
	FloatingIPs    Usage `json:"ips"`
	SecurityGroups Usage `json:"securityGroups"`
	Volumes        Usage `json:"volumes"`
	Keypairs       Usage `json:"keypairs"`
}

// Usage is one quota figure: how much is used of how much.
type Usage struct {
	Used int `json:"used"`
	Max  int `json:"max"`
}

// Console is a remote console: its type (e.g. "novnc") and URL.
type Console struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// UsageItem names a usage figure.
type UsageItem string

// The usage figures of seed 004.
const (
	UsageCPU     UsageItem = "cpu"
	UsageMemory  UsageItem = "memory"
	UsageStorage UsageItem = "storage"
)

// UsageQuery asks for usage figures of one item over [From, To) in Points
// equal intervals.
type UsageQuery struct {
	Item   UsageItem `json:"item"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Points int       `json:"datapoints"`
}

// UsagePoint is one interval's figure.
type UsagePoint struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Value float64   `json:"value"`
}

// UsageSeries is a usage figure of an instance over time, and where it
// came from, so that a chart can say what it shows.
type UsageSeries struct {
	Item UsageItem `json:"item"`
	// Unit of every value: "%" (cpu, of the instance's vCPUs), "MiB"
	// (memory) or "GiB" (storage).
	Unit string `json:"unit"`
	// Source says what the figures are: "gnocchi" (measured by the cloud's
	// telemetry), "allocation" (what the flavor allocates: the same in every
	// interval the instance existed in), "diagnostics" (the hypervisor's
	// present reading only) or the driver's own word (e.g. "mock").
	Source string `json:"source"`
	// Note explains the figures in words when Source alone does not, e.g.
	// that a past range has no points because only the present is known.
	Note string `json:"note,omitempty"`
	// Points are the intervals that have a figure, in time order; an
	// interval without data is absent.
	Points []UsagePoint `json:"points"`
}

// The units of usage figures.
const (
	UnitPercent = "%"
	UnitMiB     = "MiB"
	UnitGiB     = "GiB"
)

// UnitOf returns the unit of an item's figures.
func UnitOf(item UsageItem) string {
	switch item {
	case UsageCPU:
		return UnitPercent
	case UsageMemory:
		return UnitMiB
	case UsageStorage:
		return UnitGiB
	}
	return ""
}

// FloatingIPRequest says where a floating IP comes from: a given Address,
// or a new one from Network (an external network's id or name); both empty
// lets the driver choose.
type FloatingIPRequest struct {
	Network string `json:"network,omitempty"`
	Address string `json:"address,omitempty"`
}

// Clone returns a deep copy of inst, so that a driver can hand out
// instances without sharing its own maps and slices.
func (inst Instance) Clone() Instance {
	c := inst
	if inst.Flavor != nil {
		f := *inst.Flavor
		c.Flavor = &f
	}
	c.Tags = slices.Clone(inst.Tags)
	c.Metadata = maps.Clone(inst.Metadata)
	c.Addresses = slices.Clone(inst.Addresses)
	if inst.Networks != nil {
		c.Networks = make([]Network, len(inst.Networks))
		for i, n := range inst.Networks {
			c.Networks[i] = n.Clone()
		}
	}
	return c
}

// Clone returns a deep copy of img.
func (img Image) Clone() Image {
	c := img
	c.Metadata = maps.Clone(img.Metadata)
	return c
}

// Clone returns a deep copy of n.
func (n Network) Clone() Network {
	c := n
	c.Subnets = slices.Clone(n.Subnets)
	return c
}

// FloatingIPs returns the instance's floating addresses.
func (inst Instance) FloatingIPs() []string {
	var ips []string
	for _, a := range inst.Addresses {
		if a.Kind == AddressFloating {
			ips = append(ips, a.IP)
		}
	}
	return ips
}
