// Package perspectivetest is the driver conformance suite: every driver,
// ours or a user's, runs the same scenarios with the same expectations by
// calling RunConformance from its own tests.
//
// The suite launches, lists, gets and deletes instances; runs every
// instance operation and waits for the state it must reach; checks that the
// state machine refuses operations in the wrong state without a call to the
// cloud, that unknown ids are not found, that a driver without a capability
// gives ErrUnsupported, that images and keypairs can be added, changed and
// deleted, and that the cloud is safe for concurrent use.
//
// A typical use, in a driver's own test file:
//
//	func TestConformance(t *testing.T) {
//		drv := mydriver.New(…)
//		perspectivetest.RunConformance(t, perspectivetest.Harness{
//			Open: func(t *testing.T) *perspective.Cloud {
//				c, err := perspective.NewCloud(drv)
//				require.NoError(t, err)
//				return c
//			},
//			Flavor: "small", AltFlavor: "medium",
//			Image: "ubuntu", AltImage: "debian",
//		})
//	}
package perspectivetest
