package main

import "github.com/perspective-cloud/sdk/internal/apidoc"

// openAPI returns the API's OpenAPI document.
func openAPI() *apidoc.Doc {
	return apidoc.Build(apidoc.Info{Title: "devstack-client", Version: "1.0",
		Description: "Seed 002's API for the virtual machines of one OpenStack project, on the Perspective library. " +
			"Configured by AUTH_URL, USERNAME, PASSWORD, PROJECT_ID and USER_DOMAIN_NAME; when one is missing or refused, " +
			"every /api call answers 403 with a message that says which. Errors are {\"code\",\"message\"}."},
		routeDocs(), schemas(), statusText)
}

// statusText describes a status in the document.
var statusText = map[int]string{
	200: "OK", 201: "Created", 204: "No Content",
	400: "Bad request: malformed JSON, a missing or invalid field, an unknown image/flavor/network, or over quota (the cloud's message)",
	403: "The cloud is not configured (a missing variable is named) or refused the credentials",
	404: "No such object", 409: "The server's state does not allow this", 413: "Request body too large",
	429: "The cloud rate-limits us", 501: "The cloud does not support this",
	502: "The cloud gave an unexpected answer", 503: "The cloud is unavailable",
}

var (
	readErrs  = []int{403, 404, 429, 502, 503}
	listErrs  = []int{403, 429, 502, 503}
	byName    = map[string]string{"name": "the name or the id"}
	launchEx  = map[string]string{"name": "vm1", "image_id": "cirros-0.6.2", "flavor_id": "1", "network_id": "private"}
	deleteErr = []int{403, 404, 409, 429, 501, 502, 503}
)

// routeDocs describes every route of addRoutes, by its pattern.
func routeDocs() map[string]apidoc.Route {
	launch := apidoc.Route{Summary: "Launch a server from image_id, flavor_id and network_id (ids or names)", Tag: "servers",
		Body: "LaunchRequest", Example: launchEx, OK: 201, Schema: apidoc.Ref("Server"), Errors: []int{400, 403, 413, 429, 501, 502, 503}}
	return map[string]apidoc.Route{
		"GET /api/v1/image":          {Summary: "List the images servers can be launched from", Tag: "images", OK: 200, Schema: apidoc.ArrayOf("Image"), Errors: listErrs},
		"GET /api/v1/image/{name}":   {Summary: "Get an image by name or id", Tag: "images", Params: byName, OK: 200, Schema: apidoc.Ref("Image"), Errors: readErrs},
		"GET /api/v1/flavor":         {Summary: "List the flavors (RAM, vCPUs, disk)", Tag: "flavors", OK: 200, Schema: apidoc.ArrayOf("Flavor"), Errors: listErrs},
		"GET /api/v1/flavor/{name}":  {Summary: "Get a flavor by name or id", Tag: "flavors", Params: byName, OK: 200, Schema: apidoc.Ref("Flavor"), Errors: readErrs},
		"GET /api/v1/network":        {Summary: "List the networks", Tag: "networks", OK: 200, Schema: apidoc.ArrayOf("Network"), Errors: listErrs},
		"GET /api/v1/network/{name}": {Summary: "Get a network by name or id", Tag: "networks", Params: byName, OK: 200, Schema: apidoc.Ref("Network"), Errors: readErrs},
		"GET /api/v1/server":         {Summary: "List the servers", Tag: "servers", OK: 200, Schema: apidoc.ArrayOf("Server"), Errors: listErrs},
		"POST /api/v1/server":        launch,
		"POST /api/v1/server/{$}":    launch,
		"GET /api/v1/server/{id}": {Summary: "Get a server", Tag: "servers", Params: map[string]string{"id": "the server's id"},
			OK: 200, Schema: apidoc.Ref("Server"), Errors: readErrs},
		"DELETE /api/v1/server/{id}": {Summary: "Delete a server", Tag: "servers", Params: map[string]string{"id": "the server's id"},
			OK: 204, Errors: deleteErr},
		"GET /openapi.json": {Summary: "This OpenAPI 3 document", Tag: "docs", OK: 200, Schema: apidoc.Schema{"type": "object"}},
		"GET /{$}":          {Summary: "Interactive API docs (HTML)", Tag: "docs", OK: 200},
	}
}

// Short names for the schema builders the tables below use most.
var (
	str      = apidoc.String
	integer  = apidoc.Integer
	boolean  = apidoc.Boolean
	datetime = apidoc.DateTime
	object   = apidoc.Object
)

// schemas are the components' schemas.
func schemas() map[string]apidoc.Schema {
	return map[string]apidoc.Schema{
		"Error": apidoc.Required(object(apidoc.Schema{"code": str(), "message": str()}), "code", "message"),
		"Image": object(apidoc.Schema{"id": str(), "name": str(), "status": str(), "visibility": str(), "size": integer(),
			"min_disk": integer(), "min_ram": integer(), "checksum": str(),
			"metadata": apidoc.Schema{"type": "object", "additionalProperties": str()}, "created_at": datetime(), "updated_at": datetime()}),
		"Flavor": object(apidoc.Schema{"id": str(), "name": str(), "ram": integer(), "vcpus": integer(), "disk": integer(),
			"ephemeral": integer(), "swap": integer(), "is_public": boolean()}),
		"Network": object(apidoc.Schema{"id": str(), "name": str(), "status": str(), "shared": boolean(), "router_external": boolean(),
			"subnets": apidoc.Schema{"type": "array", "items": object(apidoc.Schema{"id": str(), "name": str(), "cidr": str(),
				"ip_version": integer(), "gateway_ip": str(), "enable_dhcp": boolean()})}}),
		"Server": object(apidoc.Schema{"id": str(), "name": str(), "status": str(), "state": str(), "flavor": apidoc.Ref("Flavor"),
			"image": object(apidoc.Schema{"id": str(), "name": str()}), "key_name": str(),
			"addresses": apidoc.Schema{"type": "object", "additionalProperties": apidoc.Schema{"type": "array",
				"items": object(apidoc.Schema{"addr": str(), "OS-EXT-IPS:type": str(), "version": integer()})}},
			"availability_zone": str(), "locked": boolean(), "fault": str(), "created": datetime(), "updated": datetime()}),
		"LaunchRequest": apidoc.Required(object(apidoc.Schema{"name": str(), "image_id": str(), "flavor_id": str(), "network_id": str()}),
			"name", "image_id", "flavor_id", "network_id"),
	}
}
