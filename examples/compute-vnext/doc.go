// Command compute-vnext serves seed 003's proposed OpenStack Compute
// "vNext" API on the Perspective library: server actions are tasks that
// run in the background, flavors are server types with a share list,
// resize needs no confirmation, and the operator calls live on a separate
// address.
//
// The consumer API (-addr, default 127.0.0.1:8095):
//
//	GET    /projects                          the projects the credentials see
//	GET    /images, /images/{id}              images to launch from
//	GET    /projects/{project}/servers        a project's servers
//	POST   /projects/{project}/servers        launch: {"name","server_type","image","networks","count"} → 202
//	GET    /servers/{id}                      a server
//	HEAD   /servers/{id}                      X-Server-Power-State, X-Server-Status
//	PATCH  /servers/{id}                      {"name","metadata","tags"}
//	POST   /servers/{id}/tasks                {"action": "reboot"|"rebuild"|"resize"|…} → 202 task
//	GET    /servers/{id}/tasks[/{task}]       tasks, newest first
//	GET    /servers/{id}/console_log          ?lines=N
//	GET    /servers/{id}/consoles/{type}      a console URL
//	GET    /servers/{id}/diagnostics
//	GET    /server_types[/{id}]               server types (flavors)
//	POST   /server_types                      {"name","vcpus","ram","disk","tags","share"}
//	PATCH  /server_types/{id}                 {"description","share"}
//	DELETE /server_types/{id}
//	GET    /openapi.json, /                   the OpenAPI document and the docs page
//
// The operator API (-operator-addr, default 127.0.0.1:8096): GET
// /hypervisors, GET /services, PUT /services/{id}, GET /hosts, GET|POST
// /aggregates, GET|DELETE /aggregates/{id}, POST /aggregates/{id}/hosts,
// DELETE /aggregates/{id}/hosts/{host}, POST /servers/{id}/evacuate, POST
// /servers/{id}/reset_state, POST /servers/{id}/force_delete, and its own
// /openapi.json and docs page.
//
// A task is checked against the server's state when it is posted: one the
// state does not allow is refused at once with 409 and the state, never
// queued. Errors are {"error": {"code", "message"}}: 400 for bad input
// (the field is named), 403 for what the credentials may not do, 404, 409,
// and 501 for what the cloud cannot do.
//
// By default it serves the in-memory mock cloud, with an administrator's
// credentials and soft delete; with a sourced openrc (OS_AUTH_URL …) or
// OS_CLOUD it serves that OpenStack:
//
//	go run ./examples/compute-vnext
//	curl -s -XPOST localhost:8095/projects/demo/servers -d '{"name":"web","server_type":"m1.small","image":"cirros-0.6.2"}'
//	curl -s -XPOST localhost:8095/servers/$ID/tasks -d '{"action":"reboot","type":"hard"}'
//	curl -s localhost:8096/hypervisors
package main
