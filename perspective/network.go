package perspective

import (
	"slices"

	"github.com/perspective-cloud/sdk/driver"
)

// Network is a cloud network with its subnets. Its ID is the cloud's own.
type Network struct {
	ID         string   `json:"id"`
	CloudID    string   `json:"cloudId,omitempty"`
	ProjectID  string   `json:"projectId,omitempty"`
	Name       string   `json:"name"`
	State      string   `json:"state,omitempty"`
	IsShared   bool     `json:"isShared"`
	IsExternal bool     `json:"isExternal,omitempty"`
	Subnets    []Subnet `json:"subnets"`
}

// Subnet is an address range of a network.
type Subnet = driver.Subnet

// Clone returns a deep copy of n.
func (n Network) Clone() Network {
	c := n
	c.Subnets = slices.Clone(n.Subnets)
	return c
}
