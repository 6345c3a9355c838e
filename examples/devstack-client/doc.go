// Command devstack-client serves seed 002's API for managing the virtual
// machines of one OpenStack project (typically a DevStack), on the
// Perspective library:
//
//	GET    /api/v1/image               images
//	GET    /api/v1/image/{name-or-id}  one image, by name or id
//	GET    /api/v1/flavor              flavors (RAM, vCPUs, disk)
//	GET    /api/v1/flavor/{name-or-id}
//	GET    /api/v1/network             networks
//	GET    /api/v1/network/{name-or-id}
//	GET    /api/v1/server              servers
//	POST   /api/v1/server              launch one: {"image_id","flavor_id","network_id","name"}
//	GET    /api/v1/server/{id}
//	DELETE /api/v1/server/{id}
//	GET    /openapi.json               the OpenAPI 3 document
//	GET    /                           interactive API docs (a "try it" form per route)
//
// It is configured as the original is, by AUTH_URL (Keystone, e.g.
// http://10.0.0.5/identity), USERNAME, PASSWORD, PROJECT_ID and
// USER_DOMAIN_NAME. When one of them is missing, or the cloud refuses them,
// every API call answers 403 with a message that names what is wrong. A
// launch over the project's quota answers 400 with the cloud's message.
// APP_SECRET_KEY, the original's Flask session secret, has no use here:
// the API keeps no sessions, so it is accepted and ignored.
//
// For demos and tests, -mock (or DEVSTACK_MOCK=1) serves the in-memory mock
// cloud instead:
//
//	go run ./examples/devstack-client -mock
//	curl -s localhost:8090/api/v1/flavor
//	curl -s -XPOST localhost:8090/api/v1/server -d '{"name":"vm1","image_id":"cirros-0.6.2","flavor_id":"1","network_id":"private"}'
package main
