package main

// openAPI returns the API's OpenAPI document.
func openAPI() *apiDoc {
	return buildDoc(apiInfo{Title: "devstack-client", Version: "1.0",
		Description: "Seed 002's API for the virtual machines of one OpenStack project, on the Perspective library. " +
			"Configured by AUTH_URL, USERNAME, PASSWORD, PROJECT_ID and USER_DOMAIN_NAME; when one is missing or refused, " +
			"every /api call answers 403 with a message that says which. Errors are {\"code\",\"message\"}."},
		routeDocs(), schemas())
}

var (
	readErrs  = []int{403, 404, 429, 502, 503}
	listErrs  = []int{403, 429, 502, 503}
	byName    = map[string]string{"name": "the name or the id"}
	launchEx  = map[string]string{"name": "vm1", "image_id": "cirros-0.6.2", "flavor_id": "1", "network_id": "private"}
	deleteErr = []int{403, 404, 409, 429, 501, 502, 503}
)

// routeDocs describes every route of addRoutes, by its pattern.
func routeDocs() map[string]routeDoc {
	launch := routeDoc{summary: "Launch a server from image_id, flavor_id and network_id (ids or names)", tag: "servers",
		body: "LaunchRequest", example: launchEx, ok: 201, schema: ref("Server"), errs: []int{400, 403, 413, 429, 501, 502, 503}}
	return map[string]routeDoc{
		"GET /api/v1/image":          {summary: "List the images servers can be launched from", tag: "images", ok: 200, schema: arrayOf("Image"), errs: listErrs},
		"GET /api/v1/image/{name}":   {summary: "Get an image by name or id", tag: "images", params: byName, ok: 200, schema: ref("Image"), errs: readErrs},
		"GET /api/v1/flavor":         {summary: "List the flavors (RAM, vCPUs, disk)", tag: "flavors", ok: 200, schema: arrayOf("Flavor"), errs: listErrs},
		"GET /api/v1/flavor/{name}":  {summary: "Get a flavor by name or id", tag: "flavors", params: byName, ok: 200, schema: ref("Flavor"), errs: readErrs},
		"GET /api/v1/network":        {summary: "List the networks", tag: "networks", ok: 200, schema: arrayOf("Network"), errs: listErrs},
		"GET /api/v1/network/{name}": {summary: "Get a network by name or id", tag: "networks", params: byName, ok: 200, schema: ref("Network"), errs: readErrs},
		"GET /api/v1/server":         {summary: "List the servers", tag: "servers", ok: 200, schema: arrayOf("Server"), errs: listErrs},
		"POST /api/v1/server":        launch,
		"POST /api/v1/server/{$}":    launch,
		"GET /api/v1/server/{id}": {summary: "Get a server", tag: "servers", params: map[string]string{"id": "the server's id"},
			ok: 200, schema: ref("Server"), errs: readErrs},
		"DELETE /api/v1/server/{id}": {summary: "Delete a server", tag: "servers", params: map[string]string{"id": "the server's id"},
			ok: 204, errs: deleteErr},
		"GET /openapi.json": {summary: "This OpenAPI 3 document", tag: "docs", ok: 200, schema: apiSchm{"type": "object"}},
		"GET /{$}":          {summary: "Interactive API docs (HTML)", tag: "docs", ok: 200},
	}
}

func str() apiSchm             { return apiSchm{"type": "string"} }
func integer() apiSchm         { return apiSchm{"type": "integer"} }
func boolean() apiSchm         { return apiSchm{"type": "boolean"} }
func datetime() apiSchm        { return apiSchm{"type": "string", "format": "date-time"} }
func object(p apiSchm) apiSchm { return apiSchm{"type": "object", "properties": p} }
func required(s apiSchm, names ...string) apiSchm {
	s["required"] = names
	return s
}

// schemas are the components' schemas.
func schemas() map[string]apiSchm {
	return map[string]apiSchm{
		"Error": required(object(apiSchm{"code": str(), "message": str()}), "code", "message"),
		"Image": object(apiSchm{"id": str(), "name": str(), "status": str(), "visibility": str(), "size": integer(),
			"min_disk": integer(), "min_ram": integer(), "checksum": str(),
			"metadata": apiSchm{"type": "object", "additionalProperties": str()}, "created_at": datetime(), "updated_at": datetime()}),
		"Flavor": object(apiSchm{"id": str(), "name": str(), "ram": integer(), "vcpus": integer(), "disk": integer(),
			"ephemeral": integer(), "swap": integer(), "is_public": boolean()}),
		"Network": object(apiSchm{"id": str(), "name": str(), "status": str(), "shared": boolean(), "router_external": boolean(),
			"subnets": apiSchm{"type": "array", "items": object(apiSchm{"id": str(), "name": str(), "cidr": str(),
				"ip_version": integer(), "gateway_ip": str(), "enable_dhcp": boolean()})}}),
		"Server": object(apiSchm{"id": str(), "name": str(), "status": str(), "state": str(), "flavor": ref("Flavor"),
			"image": object(apiSchm{"id": str(), "name": str()}), "key_name": str(),
			"addresses": apiSchm{"type": "object", "additionalProperties": apiSchm{"type": "array",
				"items": object(apiSchm{"addr": str(), "OS-EXT-IPS:type": str(), "version": integer()})}},
			"availability_zone": str(), "locked": boolean(), "fault": str(), "created": datetime(), "updated": datetime()}),
		"LaunchRequest": required(object(apiSchm{"name": str(), "image_id": str(), "flavor_id": str(), "network_id": str()}),
			"name", "image_id", "flavor_id", "network_id"),
	}
}
