package main

import (
	"strings"

	"github.com/perspective-cloud/sdk/internal/apidoc"
)

// consumerAPI returns the consumer API's OpenAPI document.
func consumerAPI() *apidoc.Doc {
	return apidoc.Build(apidoc.Info{Title: "compute-vnext", Version: "1.0",
		Description: "Seed 003's proposed OpenStack Compute vNext API on the Perspective library: servers, their tasks " +
			"(actions run in the background, refused at once in the wrong state) and server types. " +
			"Errors are {\"error\": {\"code\", \"message\"}}. The operator API is served on another address (-operator-addr)."},
		consumerDocs(), schemas(), statusText)
}

// operatorAPI returns the operator API's OpenAPI document.
func operatorAPI() *apidoc.Doc {
	return apidoc.Build(apidoc.Info{Title: "compute-vnext operator API", Version: "1.0",
		Description: "The operator calls seed 003 keeps out of the consumer API: hypervisors, compute services, hosts, " +
			"aggregates, evacuation, state resets and force delete. Credentials without the administrator role get 403. " +
			"Errors are {\"error\": {\"code\", \"message\"}}."},
		operatorDocs(), schemas(), statusText)
}

// statusText describes a status in the documents.
var statusText = map[int]string{
	200: "OK", 201: "Created", 202: "Accepted: the work goes on in the background", 204: "No Content",
	400: "Bad request: malformed JSON, a missing or invalid field (named), or an unknown image or server type",
	401: "The cloud refused the credentials",
	403: "The credentials may not do this (the cloud's policy), or a quota is exceeded",
	404: "No such object", 409: "The server's state (named) does not allow this, or the object is in use",
	413: "Request body too large", 429: "The cloud rate-limits us",
	501: "The cloud cannot do this (the message says what is missing)",
	502: "The cloud gave an unexpected answer", 503: "The cloud is unavailable, or too many tasks are unfinished",
}

var (
	readErrs   = []int{401, 403, 404, 429, 502, 503}
	listErrs   = []int{401, 403, 429, 502, 503}
	writeErrs  = []int{400, 401, 403, 404, 409, 413, 429, 501, 502, 503}
	serverID   = map[string]string{"id": "the server's id"}
	typeID     = map[string]string{"id": "the server type's id (or name)"}
	aggrID     = map[string]string{"id": "the aggregate's id"}
	launchEx   = map[string]any{"name": "web", "server_type": "m1.small", "image": "cirros-0.6.2", "networks": []string{"private"}, "count": 2}
	taskEx     = map[string]any{"action": "reboot", "type": "soft"}
	typeEx     = map[string]any{"name": "gold", "vcpus": 4, "ram": 8192, "disk": 40, "tags": []string{"ssd"}, "share": []string{"demo"}}
	typePatch  = map[string]any{"description": "4 vCPUs on SSD", "share": []string{"demo"}}
	patchEx    = map[string]any{"name": "web-1", "metadata": map[string]any{"role": "web", "old": nil}, "tags": []string{"prod"}}
	serviceEx  = map[string]any{"status": "disabled", "reason": "maintenance"}
	aggrEx     = map[string]any{"name": "ssd", "availability_zone": "fast"}
	evacuateEx = map[string]any{"host": "aio2"}
)

// consumerDocs describes every route of addConsumerRoutes, by its pattern.
func consumerDocs() map[string]apidoc.Route {
	return map[string]apidoc.Route{
		"GET /projects":     {Summary: "List the projects the credentials see", Tag: "projects", OK: 200, Schema: listOf("projects", "Project"), Errors: listErrs},
		"GET /images":       {Summary: "List the images servers can be launched from", Tag: "images", OK: 200, Schema: listOf("images", "Image"), Errors: listErrs},
		"GET /images/{id}":  {Summary: "Get an image by id or name", Tag: "images", Params: map[string]string{"id": "the image's id or name"}, OK: 200, Schema: apidoc.Ref("Image"), Errors: readErrs},
		"GET /server_types": {Summary: "List the server types (flavors) the credentials see", Tag: "server types", OK: 200, Schema: listOf("server_types", "ServerType"), Errors: listErrs},
		"POST /server_types": {Summary: "Create a server type; a non-empty share makes it private, shared with those projects", Tag: "server types",
			Body: "ServerTypeRequest", Example: typeEx, OK: 201, Schema: apidoc.Ref("ServerType"), Errors: writeErrs},
		"GET /server_types/{id}": {Summary: "Get a server type with its tags and share (when the credentials may read them)", Tag: "server types",
			Params: typeID, OK: 200, Schema: apidoc.Ref("ServerType"), Errors: readErrs},
		"PATCH /server_types/{id}": {Summary: "Change a server type's description, or the whole list of projects a private one is shared with", Tag: "server types",
			Params: typeID, Body: "ServerTypePatch", Example: typePatch, OK: 200, Schema: apidoc.Ref("ServerType"), Errors: writeErrs},
		"DELETE /server_types/{id}": {Summary: "Delete a server type (its servers keep running)", Tag: "server types", Params: typeID, OK: 204, Errors: writeErrs},
		"GET /projects/{project}/servers": {Summary: "List a project's servers", Tag: "servers", Params: map[string]string{"project": "the project's id"},
			OK: 200, Schema: listOf("servers", "Server"), Errors: readErrs},
		"POST /projects/{project}/servers": {Summary: "Launch one or more (count) servers; they are launching when this answers", Tag: "servers",
			Params: map[string]string{"project": "the project's id (the credentials' own)"}, Body: "LaunchRequest", Example: launchEx,
			OK: 202, Schema: apidoc.Ref("Launched"), Errors: writeErrs},
		"GET /servers/{id}": {Summary: "Get a server", Tag: "servers", Params: serverID, OK: 200, Schema: apidoc.Ref("Server"), Errors: readErrs},
		"HEAD /servers/{id}": {Summary: "The server's power and virt status, in the X-Server-Power-State and X-Server-Status headers; no body",
			Tag: "servers", Params: serverID, OK: 200},
		"PATCH /servers/{id}": {Summary: "Rename a server, set metadata keys (null removes one), replace its tags", Tag: "servers",
			Params: serverID, Body: "ServerPatch", Example: patchEx, OK: 200, Schema: apidoc.Ref("Server"), Errors: writeErrs},
		"POST /servers/{id}/tasks": {Summary: "Start a task: " + strings.Join(actionNames(), ", ") + ". A task the server's state does not allow is refused (409), never queued",
			Tag: "tasks", Params: serverID, Body: "TaskRequest", Example: taskEx, OK: 202, Schema: apidoc.Ref("Task"), Errors: writeErrs},
		"GET /servers/{id}/tasks": {Summary: "List a server's tasks, newest first", Tag: "tasks", Params: serverID, OK: 200, Schema: listOf("tasks", "Task"), Errors: readErrs},
		"GET /servers/{id}/tasks/{task}": {Summary: "Get one task", Tag: "tasks", Params: map[string]string{"id": "the server's id", "task": "the task's id"},
			OK: 200, Schema: apidoc.Ref("Task"), Errors: readErrs},
		"GET /servers/{id}/console_log": {Summary: "The last lines of a server's console log", Tag: "consoles", Params: serverID,
			Query: []apidoc.Parameter{{Name: "lines", Description: "how many lines, from 1 to 10000 (default 100)", Schema: apidoc.Integer()}},
			OK:    200, Schema: object(apidoc.Schema{"server": str(), "lines": apidoc.Integer(), "output": str()}), Errors: readErrs},
		"GET /servers/{id}/consoles/{type}": {Summary: "The URL of a remote console", Tag: "consoles",
			Params: map[string]string{"id": "the server's id", "type": "novnc, xvpvnc, spice-html5, rdp-html5, serial or webmks"},
			OK:     200, Schema: object(apidoc.Schema{"server": str(), "type": str(), "url": str()}), Errors: append([]int{400, 409, 501}, readErrs...)},
		"GET /servers/{id}/diagnostics": {Summary: "What the hypervisor reports of a server", Tag: "consoles", Params: serverID,
			OK: 200, Schema: apidoc.Ref("Diagnostics"), Errors: append([]int{409, 501}, readErrs...)},
		"GET /openapi.json": {Summary: "This OpenAPI 3 document", Tag: "docs", OK: 200, Schema: apidoc.Schema{"type": "object"}},
		"GET /{$}":          {Summary: "Interactive API docs (HTML)", Tag: "docs", OK: 200},
	}
}

// operatorDocs describes every route of addOperatorRoutes, by its pattern.
func operatorDocs() map[string]apidoc.Route {
	return map[string]apidoc.Route{
		"GET /hypervisors": {Summary: "List the hypervisors with their usage", Tag: "hosts", OK: 200, Schema: listOf("hypervisors", "Hypervisor"), Errors: listErrs},
		"GET /services":    {Summary: "List the compute services", Tag: "hosts", OK: 200, Schema: listOf("services", "Service"), Errors: listErrs},
		"PUT /services/{id}": {Summary: "Enable a service, disable it with a reason, force it down or up", Tag: "hosts",
			Params: map[string]string{"id": "the service's id"}, Body: "ServiceUpdate", Example: serviceEx, OK: 200, Schema: apidoc.Ref("Service"), Errors: writeErrs},
		"GET /hosts":      {Summary: "List the hosts and the services they run", Tag: "hosts", OK: 200, Schema: listOf("hosts", "Host"), Errors: listErrs},
		"GET /aggregates": {Summary: "List the host aggregates", Tag: "aggregates", OK: 200, Schema: listOf("aggregates", "Aggregate"), Errors: listErrs},
		"POST /aggregates": {Summary: "Create a host aggregate, in an availability zone if given", Tag: "aggregates",
			Body: "AggregateRequest", Example: aggrEx, OK: 201, Schema: apidoc.Ref("Aggregate"), Errors: writeErrs},
		"GET /aggregates/{id}":    {Summary: "Get a host aggregate", Tag: "aggregates", Params: aggrID, OK: 200, Schema: apidoc.Ref("Aggregate"), Errors: readErrs},
		"DELETE /aggregates/{id}": {Summary: "Delete a host aggregate (it must have no hosts)", Tag: "aggregates", Params: aggrID, OK: 204, Errors: writeErrs},
		"POST /aggregates/{id}/hosts": {Summary: "Add a host to an aggregate", Tag: "aggregates", Params: aggrID,
			Body: "HostRequest", Example: map[string]string{"host": "aio2"}, OK: 200, Schema: apidoc.Ref("Aggregate"), Errors: writeErrs},
		"DELETE /aggregates/{id}/hosts/{host}": {Summary: "Remove a host from an aggregate", Tag: "aggregates",
			Params: map[string]string{"id": "the aggregate's id", "host": "the host's name"}, OK: 200, Schema: apidoc.Ref("Aggregate"), Errors: writeErrs},
		"POST /servers/{id}/evacuate": {Summary: "Rebuild a server of a failed (forced-down) host on host, or where the scheduler chooses; the body is optional",
			Tag: "servers", Params: serverID, Body: "EvacuateRequest", Example: evacuateEx, OK: 202, Schema: apidoc.Ref("Server"), Errors: writeErrs},
		"POST /servers/{id}/reset_state": {Summary: "Set the state the cloud records for a server (active or error), without touching it",
			Tag: "servers", Params: serverID, Body: "ResetStateRequest", Example: map[string]string{"state": "active"}, OK: 200, Schema: apidoc.Ref("Server"), Errors: writeErrs},
		"POST /servers/{id}/force_delete": {Summary: "Delete a server at once, a soft-deleted one included", Tag: "servers", Params: serverID, OK: 204, Errors: writeErrs},
		"GET /openapi.json":               {Summary: "This OpenAPI 3 document", Tag: "docs", OK: 200, Schema: apidoc.Schema{"type": "object"}},
		"GET /{$}":                        {Summary: "Interactive API docs (HTML)", Tag: "docs", OK: 200},
	}
}

// Short names for the schema builders the tables use most.
var (
	str      = apidoc.String
	integer  = apidoc.Integer
	boolean  = apidoc.Boolean
	datetime = apidoc.DateTime
	object   = apidoc.Object
	strList  = apidoc.Schema{"type": "array", "items": apidoc.String()}
	strMap   = apidoc.Schema{"type": "object", "additionalProperties": apidoc.String()}
)

// listOf is an object holding one list of the schema called name.
func listOf(field, name string) apidoc.Schema {
	return object(apidoc.Schema{field: apidoc.ArrayOf(name)})
}

// schemas are the components' schemas of both documents.
func schemas() map[string]apidoc.Schema {
	ref := object(apidoc.Schema{"id": str(), "name": str()})
	return map[string]apidoc.Schema{
		"Error":   apidoc.Required(object(apidoc.Schema{"error": apidoc.Required(object(apidoc.Schema{"code": str(), "message": str()}), "code", "message")}), "error"),
		"Project": object(apidoc.Schema{"id": str(), "name": str(), "regions": strList}),
		"Image": object(apidoc.Schema{"id": str(), "name": str(), "status": str(), "visibility": str(), "size": integer(),
			"min_disk": integer(), "min_ram": integer(), "metadata": strMap, "created": datetime(), "updated": datetime()}),
		"ServerType": object(apidoc.Schema{"id": str(), "name": str(), "vcpus": integer(), "ram": integer(), "disk": integer(),
			"ephemeral": integer(), "swap": integer(), "public": boolean(), "description": str(), "tags": strList, "share": strList}),
		"ServerTypeRequest": apidoc.Required(object(apidoc.Schema{"name": str(), "vcpus": integer(), "ram": integer(), "disk": integer(),
			"description": str(), "tags": strList, "share": strList}), "name", "vcpus", "ram"),
		"ServerTypePatch": object(apidoc.Schema{"description": str(), "share": strList}),
		"Server": object(apidoc.Schema{"id": str(), "name": str(), "project": str(), "status": str(), "state": str(), "power_state": str(),
			"server_type": ref, "image": ref, "metadata": strMap, "tags": strList, "locked": boolean(), "host": str(), "fault": str(),
			"addresses": apidoc.Schema{"type": "object", "additionalProperties": apidoc.Array(object(apidoc.Schema{"addr": str(), "type": str(), "version": integer()}))},
			"created":   datetime(), "updated": datetime()}),
		"LaunchRequest": apidoc.Required(object(apidoc.Schema{"name": str(), "server_type": str(), "image": str(), "networks": strList,
			"count": integer()}), "name", "server_type", "image"),
		"Launched": object(apidoc.Schema{"servers": apidoc.ArrayOf("Server"),
			"failed": apidoc.Array(object(apidoc.Schema{"code": str(), "message": str()}))}),
		"ServerPatch": object(apidoc.Schema{"name": str(), "metadata": apidoc.Schema{"type": "object", "additionalProperties": apidoc.Nullable(str())}, "tags": strList}),
		"TaskRequest": apidoc.Required(object(apidoc.Schema{"action": apidoc.Schema{"type": "string", "enum": actionNames()},
			"type": apidoc.Schema{"type": "string", "enum": []string{"soft", "hard"}}, "image": str(), "server_type": str(), "name": str(),
			"live": boolean(), "host": str(), "password": str()}), "action"),
		"Task": object(apidoc.Schema{"id": str(), "server": str(), "action": str(),
			"state":   apidoc.Schema{"type": "string", "enum": []string{"queued", "running", "succeeded", "failed"}},
			"created": datetime(), "updated": datetime(), "error": str()}),
		"Diagnostics": object(apidoc.Schema{"server": str(), "state": str(), "driver": str(), "hypervisor": str(), "hypervisor_os": str(),
			"uptime_seconds": integer(), "config_drive": boolean(), "num_cpus": integer(), "num_nics": integer(), "num_disks": integer(),
			"memory_mib": integer(), "memory_used_mib": integer(), "raw": strMap}),
		"Hypervisor": object(apidoc.Schema{"id": str(), "hostname": str(), "type": str(), "hostIp": str(), "state": str(), "status": str(),
			"usageKnown": boolean(), "vcpus": integer(), "vcpusUsed": integer(), "memoryMiB": integer(), "memoryUsedMiB": integer(),
			"diskGiB": integer(), "diskUsedGiB": integer(), "runningVms": integer()}),
		"Service": object(apidoc.Schema{"id": str(), "binary": str(), "host": str(), "zone": str(), "status": str(), "state": str(),
			"disabledReason": str(), "forcedDown": boolean(), "updated": datetime()}),
		"ServiceUpdate": object(apidoc.Schema{"status": apidoc.Schema{"type": "string", "enum": []string{"enabled", "disabled"}},
			"forced_down": boolean(), "reason": str()}),
		"Host": object(apidoc.Schema{"name": str(), "zone": str(), "services": strList}),
		"Aggregate": object(apidoc.Schema{"id": str(), "name": str(), "availabilityZone": str(), "hosts": strList, "metadata": strMap,
			"created": datetime(), "updated": datetime()}),
		"AggregateRequest":  apidoc.Required(object(apidoc.Schema{"name": str(), "availability_zone": str()}), "name"),
		"HostRequest":       apidoc.Required(object(apidoc.Schema{"host": str()}), "host"),
		"EvacuateRequest":   object(apidoc.Schema{"host": str()}),
		"ResetStateRequest": apidoc.Required(object(apidoc.Schema{"state": apidoc.Schema{"type": "string", "enum": []string{"active", "error"}}}), "state"),
	}
}
