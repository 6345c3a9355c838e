// Command pcli is a command-line tool on the Perspective library: bulk
// actions on many instances at once with a progress bar and a per-item
// summary, queries over the inventory, and output for people (an aligned
// table) or for scripts (JSON, CSV). It replaces shell loops over
// `openstack server …`, which acts on one server per call.
//
// Typical use, against the built-in mock cloud pre-populated with ten
// instances, or against OpenStack through clouds.yaml or a sourced openrc:
//
//	pcli --cloud mock --seed-instances web=10 reboot --dry-run web-1 web-2
//	pcli --cloud devstack reboot --where "name LIKE 'web-%'" --wait
//	pcli --cloud openstack:// list instances -o json
//
// pcli is a thin layer: every operation, check and report comes from the
// perspective package; pcli parses flags, resolves names and prints.
// Exit status: 0 when everything succeeded, 1 when some items failed or were
// canceled, 2 on usage errors.
package main
