package perspective

import "maps"

// Project is a tenant of a cloud with the regions it can use.
type Project struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	CloudID   string            `json:"cloudId"`
	CloudType string            `json:"cloudType"`
	Regions   []Region          `json:"regions"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

// Clone returns a deep copy of p.
func (p Project) Clone() Project {
	c := p
	c.Regions = append([]Region(nil), p.Regions...)
	c.Metadata = maps.Clone(p.Metadata)
	return c
}

// Region is a region of a cloud.
type Region struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
}

// Endpoint is the URL of one service of a project in one region.
type Endpoint struct {
	// Service is the service type, e.g. "compute", "image", "identity".
	Service   string `json:"service"`
	Name      string `json:"name,omitempty"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	URL       string `json:"url"`
}

// Quota is a project's use and limit of each resource, as "used/max" figures.
// A negative Max means unlimited.
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

// Usage is the used amount and the limit of one resource.
type Usage struct {
	Used int `json:"used"`
	Max  int `json:"max"`
}
