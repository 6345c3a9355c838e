package main

import (
	"maps"
	"slices"
	"time"

	"github.com/perspective-cloud/sdk/perspective"
)

// This file holds the shapes the original Perspective's clients read
// (seed 001): instances and images as its Java beans serialize them.

// entry is one key/value pair of a metadata map.
type entry struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// metadataView is a metadata map as JAXB writes a map: {"entry":[{key,value}]}.
type metadataView struct {
	Entry []entry `json:"entry"`
}

// metadataOf renders m with its keys sorted, so answers are stable.
func metadataOf(m map[string]string) metadataView {
	out := metadataView{Entry: make([]entry, 0, len(m))}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out.Entry = append(out.Entry, entry{Key: k, Value: m[k]})
	}
	return out
}

// flavorView is a flavor of seed 001.
type flavorView struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	RAM           int    `json:"ram"`
	VCPUs         int    `json:"vcpus"`
	RootDisk      int    `json:"rootDisk"`
	EphemeralDisk int    `json:"ephemeralDisk"`
	HasSwap       bool   `json:"hasSwap"`
	IsPublic      bool   `json:"isPublic"`
}

func flavorOf(f *perspective.Flavor) *flavorView {
	if f == nil {
		return nil
	}
	return &flavorView{ID: f.ID, Name: f.Name, RAM: f.RAM, VCPUs: f.VCPUs, RootDisk: f.RootDisk,
		EphemeralDisk: f.EphemeralDisk, HasSwap: f.HasSwap(), IsPublic: f.IsPublic}
}

// imageView is an image of seed 001: its projectId is a list.
type imageView struct {
	ID        string       `json:"id"`
	RealID    string       `json:"realId"`
	Timestamp time.Time    `json:"timestamp"`
	Created   time.Time    `json:"created"`
	CloudID   string       `json:"cloudId"`
	CloudType string       `json:"cloudType"`
	Name      string       `json:"name"`
	State     string       `json:"state"`
	Metadata  metadataView `json:"metadata"`
	ProjectID []string     `json:"projectId"`
}

func imageOf(img *perspective.Image) *imageView {
	if img == nil {
		return nil
	}
	v := &imageView{ID: img.ID, RealID: img.RealID, Timestamp: img.Updated, Created: img.Created,
		CloudID: img.CloudID, CloudType: img.CloudType, Name: img.Name, State: string(img.State),
		Metadata: metadataOf(img.Metadata), ProjectID: []string{}}
	if img.ProjectID != "" {
		v.ProjectID = []string{img.ProjectID}
	}
	return v
}

// keypairView is the keypair of an instance; seed 001 shows it empty ({})
// when the instance has none.
type keypairView struct {
	Name        string `json:"name,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	PublicKey   string `json:"publicKey,omitempty"`
}

// subnetView and networkView are an instance's networks.
type subnetView struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	CIDR          string `json:"cidr"`
	Protocol      int    `json:"protocolVersion"`
	Gateway       string `json:"gateway,omitempty"`
	IsDHCPEnabled bool   `json:"isDhcpEnabled"`
}

type networkView struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	State    string       `json:"state"`
	IsShared bool         `json:"isShared"`
	Subnets  []subnetView `json:"subnets"`
}

// instanceView is an instance in seed 001's shape. ErrorReason, the
// original bean's own field, appears only for an instance in error.
type instanceView struct {
	ID          string        `json:"id"`
	RealID      string        `json:"realId"`
	Timestamp   time.Time     `json:"timestamp"`
	Created     time.Time     `json:"created"`
	CloudID     string        `json:"cloudId"`
	CloudType   string        `json:"cloudType"`
	ProjectID   string        `json:"projectId"`
	Name        string        `json:"name"`
	Flavor      *flavorView   `json:"flavor"`
	Image       *imageView    `json:"image"`
	Keypair     keypairView   `json:"keypair"`
	State       string        `json:"state"`
	IsLocked    bool          `json:"isLocked"`
	Metadata    metadataView  `json:"metadata"`
	Address     []string      `json:"address"`
	Networks    []networkView `json:"networks"`
	ErrorReason string        `json:"errorReason,omitempty"`
}

func instanceOf(in *perspective.Instance) *instanceView {
	if in == nil {
		return nil
	}
	v := &instanceView{ID: in.ID, RealID: in.RealID, Timestamp: in.Updated, Created: in.Created,
		CloudID: in.CloudID, CloudType: in.CloudType, ProjectID: in.ProjectID, Name: in.Name,
		Flavor: flavorOf(in.Flavor), Image: imageOf(in.Image), State: string(in.State),
		IsLocked: in.Locked, Metadata: metadataOf(in.Metadata), Address: []string{},
		Networks: []networkView{}, ErrorReason: in.Fault}
	if in.Keypair != nil {
		v.Keypair = keypairView{Name: in.Keypair.Name, Fingerprint: in.Keypair.Fingerprint, PublicKey: in.Keypair.PublicKey}
	}
	for _, a := range in.Addresses {
		v.Address = append(v.Address, a.IP)
	}
	for _, n := range in.Networks {
		nv := networkView{ID: n.ID, Name: n.Name, State: n.State, IsShared: n.IsShared, Subnets: []subnetView{}}
		for _, s := range n.Subnets {
			nv.Subnets = append(nv.Subnets, subnetView{ID: s.ID, Name: s.Name, CIDR: s.CIDR,
				Protocol: s.IPVersion, Gateway: s.Gateway, IsDHCPEnabled: s.DHCPEnabled})
		}
		v.Networks = append(v.Networks, nv)
	}
	return v
}

func instancesOf(insts []perspective.Instance) []*instanceView {
	out := make([]*instanceView, len(insts))
	for i := range insts {
		out[i] = instanceOf(&insts[i])
	}
	return out
}

func imagesOf(imgs []perspective.Image) []*imageView {
	out := make([]*imageView, len(imgs))
	for i := range imgs {
		out[i] = imageOf(&imgs[i])
	}
	return out
}
