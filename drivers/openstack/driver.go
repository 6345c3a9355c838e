package openstack

import (
	"context"
	"net/url"
	"sync"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// Scheme is the URL scheme this package registers with perspective.Register.
const Scheme = "openstack"

func init() { perspective.Register(Scheme, Open) }

// Open opens the driver from a URL such as "openstack://?cloud=devstack"
// (see ConfigFromURL); it is what this package registers with
// perspective.Register. Programs that build a Config in Go call New.
func Open(ctx context.Context, u *url.URL) (driver.Driver, error) {
	c, err := ConfigFromURL(u, nil)
	if err != nil {
		return nil, err
	}
	return New(ctx, c)
}

// Driver is the OpenStack driver: Nova, Glance, Neutron and Keystone v3
// through gophercloud v2. It implements driver.Driver and every
// optional capability interface. It is safe for concurrent use.
type Driver struct {
	cfg      Config
	provider *gophercloud.ProviderClient
	compute  *gophercloud.ServiceClient
	image    *gophercloud.ServiceClient
	network  *gophercloud.ServiceClient // nil when the cloud has no Neutron
	metric   *gophercloud.ServiceClient // Gnocchi; nil when the catalog has no metric service
	identity *gophercloud.ServiceClient
	mv       microversion
	info     driver.Info
	userID   string

	flavorMu     sync.Mutex
	flavorByName map[string]string // flavor name → id (servers at ≥ 2.47 name, not id, their flavor)
}

// The capability interfaces the driver implements.
var (
	_ driver.Driver            = (*Driver)(nil)
	_ driver.Rebooter          = (*Driver)(nil)
	_ driver.PowerManager      = (*Driver)(nil)
	_ driver.Pauser            = (*Driver)(nil)
	_ driver.Suspender         = (*Driver)(nil)
	_ driver.Resizer           = (*Driver)(nil)
	_ driver.Rebuilder         = (*Driver)(nil)
	_ driver.Renamer           = (*Driver)(nil)
	_ driver.Snapshotter       = (*Driver)(nil)
	_ driver.Locker            = (*Driver)(nil)
	_ driver.Tagger            = (*Driver)(nil)
	_ driver.MetadataManager   = (*Driver)(nil)
	_ driver.FloatingIPManager = (*Driver)(nil)
	_ driver.ConsoleGetter     = (*Driver)(nil)
	_ driver.LogGetter         = (*Driver)(nil)
	_ driver.UsageReporter     = (*Driver)(nil)
	_ driver.ImageWriter       = (*Driver)(nil)
	_ driver.KeypairManager    = (*Driver)(nil)
	_ driver.ProjectLister     = (*Driver)(nil)
	_ driver.EndpointLister    = (*Driver)(nil)
	_ driver.RCFileMaker       = (*Driver)(nil)
	_ driver.QuotaReporter     = (*Driver)(nil)
	_ driver.ZoneLister        = (*Driver)(nil)
)

// New authenticates with c, finds the compute, image, network and identity
// endpoints in the catalog and negotiates the compute microversion.
func New(ctx context.Context, c Config) (*Driver, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	pc, err := authenticate(ctx, c)
	if err != nil {
		return nil, err
	}
	return build(ctx, c, pc, func(ctx context.Context, compute *gophercloud.ServiceClient) (microversion, error) {
		return negotiateMicroversion(ctx, compute, c.MaxMicroversion)
	})
}

// build makes the driver of c's project and region on an authenticated
// provider client; negotiate finds the compute microversion (a fleet shares
// one negotiation per compute endpoint).
func build(ctx context.Context, c Config, pc *gophercloud.ProviderClient,
	negotiate func(context.Context, *gophercloud.ServiceClient) (microversion, error)) (*Driver, error) {
	var err error
	eo := gophercloud.EndpointOpts{Region: c.Region, Availability: availability(c.Interface)}
	d := &Driver{cfg: c, provider: pc, flavorByName: map[string]string{}}
	if d.compute, err = openstack.NewComputeV2(pc, eo); err != nil {
		return nil, classify(err, "open", "", "compute endpoint")
	}
	if d.image, err = openstack.NewImageV2(pc, eo); err != nil {
		return nil, classify(err, "open", "", "image endpoint")
	}
	if d.identity, err = openstack.NewIdentityV3(pc, eo); err != nil {
		// a region without its own Keystone endpoint uses the auth URL's
		if d.identity, err = openstack.NewIdentityV3(pc, gophercloud.EndpointOpts{}); err != nil {
			return nil, classify(err, "open", "", "identity endpoint")
		}
	}
	if net, err := openstack.NewNetworkV2(pc, eo); err == nil {
		d.network = net
	}
	d.metric = metricClient(pc, eo)
	if d.mv, err = negotiate(ctx, d.compute); err != nil {
		return nil, err
	}
	d.compute.Microversion = d.mv.String()
	logDebug(c.Logger, "openstack: compute microversion negotiated", "microversion", d.compute.Microversion)

	d.info = driver.Info{Type: Scheme, CloudID: c.cloudID(), Region: c.Region}
	if ar, ok := pc.GetAuthResult().(tokens.CreateResult); ok {
		if p, err := ar.ExtractProject(); err == nil && p != nil {
			d.info.ProjectID, d.info.ProjectName = p.ID, p.Name
		}
		if u, err := ar.ExtractUser(); err == nil && u != nil {
			d.userID = u.ID
		}
	}
	if d.info.ProjectID == "" {
		d.info.ProjectID, d.info.ProjectName = c.ProjectID, c.ProjectName
	}
	if d.info.Region == "" {
		d.info.Region = regionOf(d.compute.Endpoint, pc)
	}
	return d, nil
}

// availability maps OS_INTERFACE to gophercloud's endpoint availability.
func availability(s string) gophercloud.Availability {
	switch s {
	case "internal", "internalURL":
		return gophercloud.AvailabilityInternal
	case "admin", "adminURL":
		return gophercloud.AvailabilityAdmin
	}
	return gophercloud.AvailabilityPublic
}

// regionOf finds the region of the catalog endpoint that url came from,
// for clouds whose configuration names none.
func regionOf(endpoint string, pc *gophercloud.ProviderClient) string {
	ar, ok := pc.GetAuthResult().(tokens.CreateResult)
	if !ok {
		return ""
	}
	cat, err := ar.ExtractServiceCatalog()
	if err != nil || cat == nil {
		return ""
	}
	for _, e := range cat.Entries {
		for _, ep := range e.Endpoints {
			if gophercloud.NormalizeURL(ep.URL) == endpoint {
				return firstNonEmpty(ep.RegionID, ep.Region)
			}
		}
	}
	return ""
}

// Info names the cloud, project and region the driver acts in.
func (d *Driver) Info() driver.Info { return d.info }

// Microversion returns the negotiated compute API microversion, e.g. "2.93".
func (d *Driver) Microversion() string { return d.mv.String() }

// ProviderClient returns gophercloud's authenticated provider client, for
// calls this driver does not make.
func (d *Driver) ProviderClient() *gophercloud.ProviderClient { return d.provider }

// Close releases idle connections. The token is left to expire.
func (d *Driver) Close() error {
	d.provider.HTTPClient.CloseIdleConnections()
	return nil
}

// requireNetwork returns an unsupported error when the cloud has no Neutron.
func (d *Driver) requireNetwork(op perspective.Operation) error {
	if d.network == nil {
		return driver.Errorf(driver.CodeUnsupported, "openstack: %s needs the network service (Neutron), which this cloud's catalog lacks", op)
	}
	return nil
}
