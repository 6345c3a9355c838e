package main

import (
	"time"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/perspective"
)

// The answers speak OpenStack's vocabulary (snake_case, the cloud's own
// ids), as the original, built on openstacksdk, did.

// imageJSON is an image.
type imageJSON struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Status     string            `json:"status"`
	Visibility string            `json:"visibility,omitempty"`
	Size       int64             `json:"size"`
	MinDisk    int               `json:"min_disk"`
	MinRAM     int               `json:"min_ram"`
	Checksum   string            `json:"checksum,omitempty"`
	Metadata   map[string]string `json:"metadata,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

func imageOf(img perspective.Image) imageJSON {
	status := img.Status
	if status == "" {
		status = string(img.State)
	}
	return imageJSON{ID: img.RealID, Name: img.Name, Status: status, Visibility: img.Visibility,
		Size: img.Size, MinDisk: img.MinDisk, MinRAM: img.MinRAM, Checksum: img.Checksum,
		Metadata: img.Metadata, CreatedAt: img.Created, UpdatedAt: img.Updated}
}

// flavorJSON is a flavor: RAM in MiB, disks in GiB, swap in MiB.
type flavorJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	RAM       int    `json:"ram"`
	VCPUs     int    `json:"vcpus"`
	Disk      int    `json:"disk"`
	Ephemeral int    `json:"ephemeral"`
	Swap      int    `json:"swap"`
	IsPublic  bool   `json:"is_public"`
}

func flavorOf(f perspective.Flavor) flavorJSON {
	return flavorJSON{ID: f.ID, Name: f.Name, RAM: f.RAM, VCPUs: f.VCPUs, Disk: f.RootDisk,
		Ephemeral: f.EphemeralDisk, Swap: f.Swap, IsPublic: f.IsPublic}
}

// networkJSON is a network with its subnets.
type networkJSON struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Status   string       `json:"status,omitempty"`
	Shared   bool         `json:"shared"`
	External bool         `json:"router_external"`
	Subnets  []subnetJSON `json:"subnets"`
}

type subnetJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CIDR       string `json:"cidr"`
	IPVersion  int    `json:"ip_version"`
	GatewayIP  string `json:"gateway_ip,omitempty"`
	EnableDHCP bool   `json:"enable_dhcp"`
}

func networkOf(n perspective.Network) networkJSON {
	out := networkJSON{ID: n.ID, Name: n.Name, Status: n.State, Shared: n.IsShared, External: n.IsExternal,
		Subnets: make([]subnetJSON, 0, len(n.Subnets))}
	for _, s := range n.Subnets {
		out.Subnets = append(out.Subnets, subnetJSON{ID: s.ID, Name: s.Name, CIDR: s.CIDR,
			IPVersion: s.IPVersion, GatewayIP: s.Gateway, EnableDHCP: s.DHCPEnabled})
	}
	return out
}

// serverJSON is a server (an instance). Status is the cloud's word for its
// state (ACTIVE, SHUTOFF, …); state is the library's normalized one.
type serverJSON struct {
	ID               string                     `json:"id"`
	Name             string                     `json:"name"`
	Status           string                     `json:"status"`
	State            perspective.State          `json:"state"`
	Flavor           *flavorJSON                `json:"flavor,omitempty"`
	Image            *serverImage               `json:"image,omitempty"`
	KeyName          string                     `json:"key_name,omitempty"`
	Addresses        map[string][]serverAddress `json:"addresses"`
	AvailabilityZone string                     `json:"availability_zone,omitempty"`
	Locked           bool                       `json:"locked"`
	Fault            string                     `json:"fault,omitempty"`
	Created          time.Time                  `json:"created"`
	Updated          time.Time                  `json:"updated"`
}

type serverImage struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// serverAddress is one address of a server on one network, as Nova puts it.
type serverAddress struct {
	Addr    string `json:"addr"`
	Type    string `json:"OS-EXT-IPS:type"`
	Version int    `json:"version"`
}

func serverOf(inst perspective.Instance) serverJSON {
	out := serverJSON{ID: inst.RealID, Name: inst.Name, Status: inst.Status, State: inst.State,
		AvailabilityZone: inst.AvailabilityZone, Locked: inst.Locked, Fault: inst.Fault,
		Created: inst.Created, Updated: inst.Updated, Addresses: map[string][]serverAddress{}}
	if out.Status == "" {
		out.Status = string(inst.State)
	}
	if inst.Flavor != nil {
		f := flavorOf(*inst.Flavor)
		out.Flavor = &f
	}
	if inst.Image != nil {
		out.Image = &serverImage{ID: inst.Image.RealID, Name: inst.Image.Name}
	}
	if inst.Keypair != nil {
		out.KeyName = inst.Keypair.Name
	}
	for _, a := range inst.Addresses {
		out.Addresses[a.Network] = append(out.Addresses[a.Network], serverAddress{Addr: a.IP, Type: string(a.Kind), Version: a.Version})
	}
	return out
}

// launchRequest is the body of POST /api/v1/server: the ids (or names) of
// the image, flavor and network, and the new server's name.
type launchRequest struct {
	Name      string `json:"name"`
	ImageID   string `json:"image_id"`
	FlavorID  string `json:"flavor_id"`
	NetworkID string `json:"network_id"`
}

// Validate names the fields that are missing or too long, and refuses a
// name with control or bidirectional characters.
func (r *launchRequest) Validate() error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"image_id", r.ImageID}, {"flavor_id", r.FlavorID},
		{"network_id", r.NetworkID}, {"name", r.Name}} {
		if f.v == "" {
			missing = append(missing, f.name)
		} else if len(f.v) > 255 {
			return badRequest(f.name + ": longer than 255 bytes")
		}
	}
	switch len(missing) {
	case 0:
		// The name is shown in lists and terminals: nothing in it may show
		// as something else ("\u202egnp.exe" as "exe.png") or drive a terminal.
		return httpjson.CheckText("name", r.Name, httpjson.TextRules{})
	case 1:
		return badRequest("request body: " + missing[0] + " is required")
	}
	return badRequest("request body: " + joinAnd(missing) + " are required")
}

// joinAnd joins words as "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	out := words[0]
	for _, w := range words[1 : len(words)-1] {
		out += ", " + w
	}
	return out + " and " + words[len(words)-1]
}
