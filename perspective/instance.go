package perspective

import (
	"github.com/perspective-cloud/sdk/driver"
	"maps"
	"slices"
	"time"
)

// Instance is a virtual machine in any cloud.
type Instance struct {
	// ID is the stable global id (see GlobalID); RealID is the cloud's own.
	ID     string `json:"id"`
	RealID string `json:"realId"`
	// CloudID and CloudType name the cloud the instance lives in.
	CloudID   string `json:"cloudId"`
	CloudType string `json:"cloudType"`
	ProjectID string `json:"projectId"`
	Region    string `json:"region,omitempty"`
	// AvailabilityZone is the zone the cloud placed the instance in, if any.
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	// Host is the host the instance runs on, when the credentials may see
	// it (on OpenStack, administrators only).
	Host string `json:"host,omitempty"`
	Name string `json:"name"`
	// Flavor, Image and Keypair carry at least their ids (Image its global
	// id and real id); a Cloud fills in the rest from its metadata when it can.
	Flavor  *Flavor  `json:"flavor,omitempty"`
	Image   *Image   `json:"image,omitempty"`
	Keypair *Keypair `json:"keypair,omitempty"`
	// State is the normalized state; Status is the cloud's own word for it.
	State  State    `json:"state"`
	Status string   `json:"status,omitempty"`
	Locked bool     `json:"isLocked"`
	Tags   []string `json:"tags,omitempty"`
	// Metadata is the instance's key/value metadata.
	Metadata  map[string]string `json:"metadata,omitempty"`
	Addresses []Address         `json:"addresses,omitempty"`
	Networks  []Network         `json:"networks,omitempty"`
	// FQDN is the instance's fully qualified host name, when the cloud knows one.
	FQDN    string    `json:"fqdn,omitempty"`
	Created time.Time `json:"created"`
	// Updated is when the cloud last reported a change ("timestamp" in seed 001).
	Updated time.Time `json:"timestamp"`
	// Fault is the cloud's message for an instance in the error state.
	Fault string `json:"fault,omitempty"`
}

// AddressKind says whether an address is fixed or floating.
type AddressKind = driver.AddressKind

// The kinds of address.
const (
	AddressFixed    = driver.AddressFixed
	AddressFloating = driver.AddressFloating
)

// Address is one IP address of an instance on one network.
type Address = driver.Address

// Clone returns a deep copy of inst.
func (inst Instance) Clone() Instance {
	c := inst
	if inst.Flavor != nil || inst.Image != nil || inst.Keypair != nil {
		// one allocation for the three, which a copy is usually made with
		refs := new(struct {
			f Flavor
			i Image
			k Keypair
		})
		if inst.Flavor != nil {
			refs.f = inst.Flavor.Clone()
			c.Flavor = &refs.f
		}
		if inst.Image != nil {
			refs.i = inst.Image.Clone()
			c.Image = &refs.i
		}
		if inst.Keypair != nil {
			refs.k = *inst.Keypair
			c.Keypair = &refs.k
		}
	}
	c.Tags = slices.Clone(inst.Tags)
	c.Metadata = maps.Clone(inst.Metadata)
	c.Addresses = slices.Clone(inst.Addresses)
	if inst.Networks != nil {
		c.Networks = slices.Clone(inst.Networks)
		n := 0
		for _, net := range inst.Networks {
			n += len(net.Subnets)
		}
		subnets := make([]Subnet, 0, n) // one allocation for every network's subnets
		for i, net := range inst.Networks {
			if net.Subnets != nil {
				from := len(subnets)
				subnets = append(subnets, net.Subnets...)
				c.Networks[i].Subnets = subnets[from:len(subnets):len(subnets)]
			}
		}
	}
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

// LaunchSpec says what to launch. FlavorID, ImageID and Name are required.
type LaunchSpec struct {
	// Name of the instance; with Count > 1 the instances are named Name-1 … Name-N.
	Name string `json:"name"`
	// Count is how many instances to launch; zero means one.
	Count int `json:"count,omitempty"`
	// FlavorID is the flavor's id (or name).
	FlavorID string `json:"flavorId"`
	// ImageID is the image's global id, real id or name.
	ImageID string `json:"imageId"`
	// Networks are network ids or names; none lets the cloud choose.
	Networks []string `json:"networks,omitempty"`
	// KeyName is the keypair to install, if any.
	KeyName          string            `json:"keyName,omitempty"`
	Metadata         map[string]string `json:"metadata,omitempty"`
	Tags             []string          `json:"tags,omitempty"`
	UserData         []byte            `json:"userData,omitempty"`
	AvailabilityZone string            `json:"availabilityZone,omitempty"`
	// Locked asks for the instances to be locked once launched.
	Locked bool `json:"isLocked,omitempty"`
}

// ListOptions narrows an instance listing. The zero value lists every
// instance but the deleted ones, which some clouds (Nova) still list for a
// while; ask for StateDeleted in States to see them.
// Drivers may apply these filters on the server side; a Cloud applies them
// again, so the result is the same either way.
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

// Match reports whether inst passes the filters of o: the same test as
// driver.ListOptions.Match, on the fields it reads.
func (o ListOptions) Match(inst Instance) bool {
	return driver.ListOptions(o).Match(driver.Instance{Name: inst.Name, State: inst.State, Tags: inst.Tags, Updated: inst.Updated})
}

// Console is a remote console of an instance: its protocol (e.g. "novnc",
// "spice", "serial") and URL.
type Console = driver.Console

// UsageItem is what a usage query measures.
type UsageItem = driver.UsageItem

// The usage items of seed 004.
const (
	UsageCPU     = driver.UsageCPU
	UsageMemory  = driver.UsageMemory
	UsageStorage = driver.UsageStorage
)

// UsageQuery asks for usage figures of one item over a time range, split
// into Points equal intervals. Zero values mean: the last hour, six points.
type UsageQuery = driver.UsageQuery

// UsagePoint is the value of a usage item over one interval. CPU is in
// percent of the instance's vCPUs, memory in MiB, storage in GiB.
type UsagePoint = driver.UsagePoint

// UsageSeries is a usage figure over time with its unit and where it came
// from ("gnocchi", "allocation", "diagnostics", …); see driver.UsageSeries.
type UsageSeries = driver.UsageSeries

// FloatingIPRequest says which floating IP to add to an instance: Address
// names an existing one, otherwise one is allocated from Network (an
// external network's id or name; empty picks the cloud's default).
type FloatingIPRequest = driver.FloatingIPRequest
