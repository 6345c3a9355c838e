package driver

import (
	"context"
	"time"
)

// The operator capabilities: what a cloud's administrators do to its hosts,
// services, aggregates and flavors, kept apart from what its users do to
// their instances (seed 003). Package operator is the portable surface over
// them. A driver implements them when its cloud has such things; a cloud
// whose credentials lack the role answers CodeForbidden (Nova's policy 403).

// HypervisorLister lists the cloud's hypervisors with their usage.
type HypervisorLister interface {
	ListHypervisors(ctx context.Context) ([]Hypervisor, error)
}

// ServiceManager lists the compute services and changes one: enables or
// disables it (with a reason) and forces it down or up.
type ServiceManager interface {
	ListServices(ctx context.Context) ([]Service, error)
	UpdateService(ctx context.Context, id string, u ServiceUpdate) (Service, error)
}

// HostLister lists the cloud's hosts with the services they run.
type HostLister interface {
	ListHosts(ctx context.Context) ([]Host, error)
}

// AggregateManager creates, changes and deletes host aggregates, their
// hosts and their metadata. Aggregate ids are the cloud's own.
type AggregateManager interface {
	ListAggregates(ctx context.Context) ([]Aggregate, error)
	GetAggregate(ctx context.Context, id string) (Aggregate, error)
	CreateAggregate(ctx context.Context, spec AggregateSpec) (Aggregate, error)
	UpdateAggregate(ctx context.Context, id string, u AggregateUpdate) (Aggregate, error)
	DeleteAggregate(ctx context.Context, id string) error
	AddAggregateHost(ctx context.Context, id, host string) (Aggregate, error)
	RemoveAggregateHost(ctx context.Context, id, host string) (Aggregate, error)
	// SetAggregateMetadata sets the keys of set and removes those of unset.
	SetAggregateMetadata(ctx context.Context, id string, set map[string]string, unset []string) (Aggregate, error)
}

// Evacuator rebuilds instances of a failed host on another one. host names
// the target; empty lets the scheduler choose.
type Evacuator interface {
	Evacuate(ctx context.Context, id, host string) error
}

// StateResetter sets the state the cloud records for an instance, without
// touching the instance: StateLaunched or StateError.
type StateResetter interface {
	ResetState(ctx context.Context, id string, state State) error
}

// FlavorManager creates, changes and deletes flavors (real ids).
type FlavorManager interface {
	CreateFlavor(ctx context.Context, spec FlavorSpec) (Flavor, error)
	UpdateFlavor(ctx context.Context, id string, u FlavorUpdate) (Flavor, error)
	DeleteFlavor(ctx context.Context, id string) error
}

// FlavorAccessManager lists, adds and removes the projects a private
// flavor is shared with.
type FlavorAccessManager interface {
	FlavorAccess(ctx context.Context, id string) ([]string, error)
	AddFlavorAccess(ctx context.Context, id, projectID string) error
	RemoveFlavorAccess(ctx context.Context, id, projectID string) error
}

// ExtraSpecManager reads and changes a flavor's extra specs (the
// scheduler's and the hypervisor's key/value hints).
type ExtraSpecManager interface {
	ExtraSpecs(ctx context.Context, id string) (map[string]string, error)
	SetExtraSpecs(ctx context.Context, id string, specs map[string]string) error
	UnsetExtraSpec(ctx context.Context, id, key string) error
}

// Hypervisor is one compute node and what its instances use of it. Memory
// is in MiB, disk in GiB. UsageKnown is false when the cloud did not report
// the figures (Nova stopped at microversion 2.88: they live in Placement).
// Host is the compute service's host, the name an instance's Host carries
// (Nova's service.host); Hostname is the hypervisor's own name, which may
// differ (a libvirt node's FQDN).
type Hypervisor struct {
	ID         string `json:"id"`
	Hostname   string `json:"hostname"`
	Host       string `json:"host,omitempty"`
	Type       string `json:"type"`
	HostIP     string `json:"hostIp,omitempty"`
	State      string `json:"state"`  // up or down
	Status     string `json:"status"` // enabled or disabled
	UsageKnown bool   `json:"usageKnown"`
	VCPUs      int    `json:"vcpus"`
	VCPUsUsed  int    `json:"vcpusUsed"`
	MemoryMiB  int    `json:"memoryMiB"`
	MemoryUsed int    `json:"memoryUsedMiB"`
	DiskGiB    int    `json:"diskGiB"`
	DiskUsed   int    `json:"diskUsedGiB"`
	RunningVMs int    `json:"runningVms"`
}

// Service is one compute service (nova-compute, nova-scheduler, …) on one host.
type Service struct {
	ID             string    `json:"id"`
	Binary         string    `json:"binary"`
	Host           string    `json:"host"`
	Zone           string    `json:"zone"`
	Status         string    `json:"status"` // enabled or disabled
	State          string    `json:"state"`  // up or down
	DisabledReason string    `json:"disabledReason,omitempty"`
	ForcedDown     bool      `json:"forcedDown"`
	Updated        time.Time `json:"updated"`
}

// ServiceUpdate changes a service: nil fields stay as they are. A
// DisabledReason is kept only when the service is disabled.
type ServiceUpdate struct {
	Disabled       *bool  `json:"disabled,omitempty"`
	DisabledReason string `json:"disabledReason,omitempty"`
	ForcedDown     *bool  `json:"forcedDown,omitempty"`
}

// Host is a machine of the cloud and the services it runs.
type Host struct {
	Name     string   `json:"name"`
	Zone     string   `json:"zone"`
	Services []string `json:"services"`
}

// Aggregate is a named group of hosts with metadata the scheduler reads,
// and optionally an availability zone.
type Aggregate struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	AvailabilityZone string            `json:"availabilityZone,omitempty"`
	Hosts            []string          `json:"hosts"`
	Metadata         map[string]string `json:"metadata,omitempty"`
	Created          time.Time         `json:"created"`
	Updated          time.Time         `json:"updated"`
}

// AggregateSpec describes an aggregate to create.
type AggregateSpec struct {
	Name             string `json:"name"`
	AvailabilityZone string `json:"availabilityZone,omitempty"`
}

// AggregateUpdate changes an aggregate: nil fields stay as they are.
type AggregateUpdate struct {
	Name             *string `json:"name,omitempty"`
	AvailabilityZone *string `json:"availabilityZone,omitempty"`
}

// FlavorSpec describes a flavor to create. An empty ID lets the cloud
// choose one. RAM and Swap are in MiB, disks in GiB. A flavor that is not
// public is seen only by the projects given access to it.
type FlavorSpec struct {
	ID            string `json:"id,omitempty"`
	Name          string `json:"name"`
	RAM           int    `json:"ram"`
	VCPUs         int    `json:"vcpus"`
	RootDisk      int    `json:"rootDisk"`
	EphemeralDisk int    `json:"ephemeralDisk,omitempty"`
	Swap          int    `json:"swap,omitempty"`
	IsPublic      bool   `json:"isPublic"`
	Description   string `json:"description,omitempty"`
}

// FlavorUpdate changes a flavor: its description is all a cloud lets
// change (Nova, microversion 2.55). The Flavor's Notes carries it.
type FlavorUpdate struct {
	Description *string `json:"description,omitempty"`
}

// Clone returns a deep copy of a.
func (a Aggregate) Clone() Aggregate {
	c := a
	c.Hosts = append([]string(nil), a.Hosts...)
	if a.Metadata != nil {
		c.Metadata = make(map[string]string, len(a.Metadata))
		for k, v := range a.Metadata {
			c.Metadata[k] = v
		}
	}
	return c
}
