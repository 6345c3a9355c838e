// Package operator is the operator surface of a cloud, kept apart from the
// consumer one as seed 003 argues: hypervisors and their usage, compute
// services (enable, disable with a reason, force down and up), hosts, host
// aggregates (with their hosts, metadata and availability zone),
// evacuation, state resets, and flavor management (create, update,
// delete, access, extra specs).
//
// Each call is bound to its own capability interface of package driver
// (driver.HypervisorLister, driver.ServiceManager, …) through one table,
// so a driver without them simply lacks them: Supports says so and the
// call answers perspective.ErrUnsupported. Credentials without the
// cloud's administrator role are refused by the cloud, which this package
// reports as perspective.ErrForbidden. Every error is a classified
// *perspective.Error naming the call and the object.
//
// Evacuate and ResetState act on instances like perspective's bulk calls:
// many ids, a report per id, the state machine checked before any call.
//
// Typical use:
//
//	cloud, err := perspective.Open(ctx, "openstack://?cloud=aio-admin")
//	…
//	op, err := operator.New(cloud)
//	…
//	svcs, err := op.Services(ctx)
//	…
//	_, err = op.ForceDown(ctx, svc.ID, true) // its host has failed
//	rep, err := op.Evacuate(ctx, "", ids...)  // the scheduler picks hosts
package operator
