package driver

import (
	"context"
	"net/url"
)

// Info names the cloud, project and region a Driver acts in.
type Info struct {
	// Type is the kind of cloud, e.g. "openstack" or "mock".
	Type string
	// CloudID names this cloud among others; it is part of every global id,
	// so it must stay the same across restarts.
	CloudID     string
	ProjectID   string
	ProjectName string
	Region      string
}

// Opener opens a driver from a URL whose scheme it was registered under.
type Opener func(ctx context.Context, u *url.URL) (Driver, error)

// Driver is the small contract every cloud driver implements. Every id it
// receives and returns is the cloud's own. Methods must be safe for
// concurrent use.
type Driver interface {
	// Info names the cloud, project and region the driver acts in.
	Info() Info
	// ListInstances returns every instance of the project, all pages of them.
	// The driver may use opts to filter on the server side; the portable
	// layer applies opts.Match to what it returns in any case.
	ListInstances(ctx context.Context, opts ListOptions) ([]Instance, error)
	// GetInstance returns one instance, or an error with CodeNotFound.
	GetInstance(ctx context.Context, id string) (Instance, error)
	// LaunchInstances starts spec.Count instances (at least one). Its flavor,
	// image and networks are real ids.
	LaunchInstances(ctx context.Context, spec LaunchSpec) ([]Instance, error)
	// DeleteInstance starts the deletion of an instance.
	DeleteInstance(ctx context.Context, id string) error
	// ListImages, GetImage, ListFlavors, ListNetworks and ListKeypairs read
	// the cloud's metadata.
	ListImages(ctx context.Context) ([]Image, error)
	GetImage(ctx context.Context, id string) (Image, error)
	ListFlavors(ctx context.Context) ([]Flavor, error)
	ListNetworks(ctx context.Context) ([]Network, error)
	ListKeypairs(ctx context.Context) ([]Keypair, error)
	// Close releases the driver's resources.
	Close() error
}

// Rebooter reboots instances: soft (an ACPI request) or hard (a reset).
type Rebooter interface {
	Reboot(ctx context.Context, id string, hard bool) error
}

// PowerManager starts and shuts down instances.
type PowerManager interface {
	Start(ctx context.Context, id string) error
	Shutdown(ctx context.Context, id string) error
}

// Pauser pauses instances (keeping them in memory) and unpauses them.
type Pauser interface {
	Pause(ctx context.Context, id string) error
	Unpause(ctx context.Context, id string) error
}

// Suspender suspends instances (saving them to disk) and resumes them.
type Suspender interface {
	Suspend(ctx context.Context, id string) error
	Resume(ctx context.Context, id string) error
}

// Resizer changes an instance's flavor (a real flavor id), then confirms or
// reverts the change.
type Resizer interface {
	Resize(ctx context.Context, id, flavorID string) error
	ConfirmResize(ctx context.Context, id string) error
	RevertResize(ctx context.Context, id string) error
}

// Rebuilder rebuilds an instance from an image (a real image id).
type Rebuilder interface {
	Rebuild(ctx context.Context, id, imageID string) error
}

// Renamer renames instances.
type Renamer interface {
	Rename(ctx context.Context, id, name string) error
}

// Snapshotter saves an instance's disk as a new image.
type Snapshotter interface {
	Snapshot(ctx context.Context, id, name string) (Image, error)
}

// Locker locks instances against changes and unlocks them.
type Locker interface {
	Lock(ctx context.Context, id string) error
	Unlock(ctx context.Context, id string) error
}

// Tagger adds and removes instance tags.
type Tagger interface {
	AddTags(ctx context.Context, id string, tags []string) error
	RemoveTags(ctx context.Context, id string, tags []string) error
}

// MetadataManager sets and unsets instance metadata keys.
type MetadataManager interface {
	SetMetadata(ctx context.Context, id string, md map[string]string) error
	UnsetMetadata(ctx context.Context, id string, keys []string) error
}

// FloatingIPManager adds floating IPs to instances and removes them.
// AddFloatingIP returns the address it added.
type FloatingIPManager interface {
	AddFloatingIP(ctx context.Context, id string, req FloatingIPRequest) (string, error)
	RemoveFloatingIP(ctx context.Context, id, address string) error
}

// ConsoleGetter hands out remote console URLs.
type ConsoleGetter interface {
	Console(ctx context.Context, id string) (Console, error)
}

// LogGetter returns an instance's console log, the last lines lines of it
// (all of it when lines is zero).
type LogGetter interface {
	ConsoleLog(ctx context.Context, id string, lines int) (string, error)
}

// UsageReporter returns usage figures, saying where they came from. The
// portable layer has filled in q's defaults and checked its bounds.
type UsageReporter interface {
	Usage(ctx context.Context, id string, q UsageQuery) (UsageSeries, error)
}

// ImageWriter adds, changes and deletes images (real ids).
type ImageWriter interface {
	CreateImage(ctx context.Context, spec ImageSpec) (Image, error)
	UpdateImage(ctx context.Context, id string, u ImageUpdate) (Image, error)
	DeleteImage(ctx context.Context, id string) error
}

// KeypairManager adds and deletes keypairs.
type KeypairManager interface {
	CreateKeypair(ctx context.Context, spec KeypairSpec) (Keypair, error)
	DeleteKeypair(ctx context.Context, name string) error
}

// ProjectLister lists the projects the credentials can see, with their regions.
type ProjectLister interface {
	ListProjects(ctx context.Context) ([]Project, error)
}

// EndpointLister lists the service endpoints of a project.
type EndpointLister interface {
	Endpoints(ctx context.Context, projectID string) ([]Endpoint, error)
}

// RCFileMaker writes an OpenStack RC file (a shell script of OS_* variables,
// with no password in it) for a project and region.
type RCFileMaker interface {
	RCFile(ctx context.Context, projectID, region string) ([]byte, error)
}

// QuotaReporter reports a project's quota use and limits.
type QuotaReporter interface {
	Quota(ctx context.Context, projectID string) (Quota, error)
}

// ZoneLister lists availability zones.
type ZoneLister interface {
	AvailabilityZones(ctx context.Context) ([]string, error)
}
