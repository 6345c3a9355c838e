package perspective

import (
	"maps"

	"github.com/perspective-cloud/sdk/driver"
)

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
type Region = driver.Region

// Endpoint is one service endpoint of a project's catalog.
type Endpoint = driver.Endpoint

// Quota is a project's use and limit of each resource, as "used/max" figures.
type Quota = driver.Quota

// Usage is one quota figure: how much is used of how much (-1: unlimited).
type Usage = driver.Usage
