// Package driver is the contract between package perspective and the cloud
// drivers, as database/sql/driver is for database/sql: drivers import this
// package, programs import perspective. A program never needs this package
// unless it writes a driver.
//
// # Which fields are whose
//
// The rule, in one place:
//
//   - A driver speaks only in the cloud's own (real) ids. Instance.ID,
//     Image.ID, Flavor.ID, Network.ID are the ids the cloud itself uses; the
//     driver never sees a global id. Every id a driver receives is a real id
//     the portable layer resolved for it (flavors, images and networks by
//     name or global id are resolved before a driver call).
//   - Everything in this package's model types is the driver's to set, and
//     nothing else: the portable layer (perspective.Cloud) owns global ids,
//     the cloud's id and type, and the routing of ids to clouds, which is why
//     none of those fields exist here. Empty ProjectID and Region fields mean
//     "the driver's own" (Info().ProjectID, Info().Region), and an empty State
//     means StateUnknown.
//   - Instance.State is one of the normalized states below: the driver maps
//     the cloud's own status onto them (and keeps the cloud's word in
//     Status). The portable layer refuses operations in the wrong state
//     before it calls the driver, so a driver does not check states itself.
//   - Errors carry a Code: return them made with Errorf, Wrap or RateLimited.
//     Not-found must be CodeNotFound. An unclassified error becomes
//     CodeUnknown. The portable layer adds the operation and the object.
//   - Optional powers are optional interfaces (Rebooter, Pauser, …) found by
//     type assertion, as database/sql/driver's are. A driver implements the
//     ones its cloud supports; everything else is perspective.ErrUnsupported.
//     The operator's capabilities (HypervisorLister, ServiceManager,
//     AggregateManager, Evacuator, FlavorManager, …) are separate
//     interfaces too, used by package operator: a cloud without them, or
//     credentials without the role (CodeForbidden), lack them alone.
//
// perspectivetest.RunConformance checks a driver against this contract.
//
// A driver registers itself with perspective.Register, usually in its
// package's init, under its URL scheme:
//
//	func init() { perspective.Register("mycloud", open) }
//
//	func open(ctx context.Context, u *url.URL) (driver.Driver, error) {
//		return &myDriver{endpoint: u.Host}, nil
//	}
package driver
