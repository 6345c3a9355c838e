package main

import "github.com/perspective-cloud/sdk/internal/apidoc"

// openAPI returns the portal's OpenAPI document.
func openAPI() *apidoc.Doc {
	doc := apidoc.Build(apidoc.Info{Title: "portal", Version: "1.0",
		Description: "Seed 004's instance API (a Waldur-style portal) on the Perspective library. Every /api call needs " +
			"Authorization: Token <key>. Staff see every instance; customer owners see their customers' instances; " +
			"project administrators see, create, start, stop, restart, resize and delete in their projects; " +
			"project managers only see theirs. Errors are {\"detail\": \"…\"}."},
		routeDocs(), schemas(), statusText)
	doc.Components["securitySchemes"] = map[string]apidoc.Schema{
		"token": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token <key>"}}
	doc.Security = []map[string][]string{{"token": {}}}
	return doc
}

// statusText describes a status in the document.
var statusText = map[int]string{
	200: "OK", 201: "Created", 202: "Accepted: the action was scheduled",
	400: "Bad request: malformed JSON or query string, a missing or invalid field or filter, a query over its bounds " +
		"(100 parameters, 50 values a field, 255 bytes a value, 10 ordering fields), or over quota; {\"detail\"} says what",
	401: "No token, or an invalid one (Authorization: Token <key>)",
	403: "The user's role does not allow this (staff and project administrators act; owners and managers only list), " +
		"or a launch names another user's SSH key",
	404: "No such instance, or one of a project the user does not see; or no such route",
	405: "The route does not have this method; Allow lists those it has",
	409: "The instance's state does not allow this, or the cloud has a key pair of the key's name with another key; {\"detail\"} says why",
	413: "Request body too large", 429: "The cloud rate-limits the portal", 501: "The cloud or the library cannot do this",
	502: "The cloud gave an unexpected answer", 503: "The cloud is unavailable",
}

var (
	uuidParam  = map[string]string{"uuid": "the instance's uuid (32 hex digits)"}
	readErrs   = []int{401, 404, 429, 502, 503}
	actionErrs = []int{401, 403, 404, 409, 429, 501, 502, 503}
	createEx   = map[string]any{"hostname": "test VM", "description": "sample description",
		"template": "cirros-0.6.2", "flavor": "m1.tiny",
		"project":        "http://localhost:8000/api/projects/8c4c2f2434c744cfb02a787f102abae0/",
		"ssh_public_key": "http://localhost:8000/api/keys/6fbd6b24246f4fb38715c29bafa2e5e7/"}
)

// listQuery are the filters and orderings of the instance list.
var listQuery = []apidoc.Parameter{
	{Name: "hostname", Description: "hostname equals"},
	{Name: "customer_name", Description: "customer name equals"},
	{Name: "state", Description: "state: a symbol (p P + - a A o O e d D r R; escape + as %2B) or a name (Online, OFFLINE, …)"},
	{Name: "project_name", Description: "project name equals"},
	{Name: "project_group_name", Description: "project group name equals"},
	{Name: "template_name", Description: "template (image) name equals"},
	{Name: "project", Description: "deprecated: use project_name"},
	{Name: "project_group", Description: "deprecated: use project_group_name"},
	{Name: "o", Description: "order by hostname, state, customer_name, project_group_name, project_name or template_name " +
		"(prefix - for descending; deprecated: project__customer__name, project__project_groups__name, project__name, template__name); " +
		"repeat or separate with commas; at most 10 fields in all"},
}

// usageQuery are the parameters of the usage route.
var usageQuery = []apidoc.Parameter{
	{Name: "item", Required: true, Description: "cpu, memory or storage"},
	{Name: "from", Description: "Unix timestamp (default: an hour before to)"},
	{Name: "to", Description: "Unix timestamp (default: now)"},
	{Name: "datapoints", Description: "how many points (default 6, at most 1000)", Schema: apidoc.Schema{"type": "integer"}},
}

func action(verb string) apidoc.Route {
	return apidoc.Route{Summary: verb + " an instance (staff and project administrators)", Tag: "instances", Params: uuidParam,
		OK: 202, Schema: apidoc.Ref("Scheduled"), Errors: actionErrs}
}

// routeDocs describes every route of addRoutes, by its pattern.
func routeDocs() map[string]apidoc.Route {
	return map[string]apidoc.Route{
		"GET /api/instances/{$}": {Summary: "List the instances the user sees, filtered and ordered", Tag: "instances",
			Query: listQuery, OK: 200, Schema: apidoc.ArrayOf("Instance"), Errors: []int{400, 401, 429, 502, 503}},
		"POST /api/instances/{$}": {Summary: "Create an instance (staff and project administrators)", Tag: "instances",
			Body: "CreateRequest", Example: createEx, OK: 201, Schema: apidoc.Ref("Instance"), Errors: []int{400, 401, 403, 409, 413, 429, 501, 502, 503}},
		"GET /api/instances/{uuid}/{$}": {Summary: "Get an instance", Tag: "instances", Params: uuidParam,
			OK: 200, Schema: apidoc.Ref("Instance"), Errors: readErrs},
		"DELETE /api/instances/{uuid}/{$}": {Summary: "Delete an Offline instance (staff and project administrators); 409 otherwise",
			Tag: "instances", Params: uuidParam, OK: 202, Schema: apidoc.Ref("Scheduled"), Errors: actionErrs},
		"POST /api/instances/{uuid}/start/{$}":   action("Start"),
		"POST /api/instances/{uuid}/stop/{$}":    action("Stop"),
		"POST /api/instances/{uuid}/restart/{$}": action("Restart"),
		"POST /api/instances/{uuid}/resize/{$}": {Summary: "Resize to a flavor (the disk_size form answers 501)", Tag: "instances",
			Params: uuidParam, Body: "ResizeRequest", Example: map[string]string{"flavor": "m1.small"},
			OK: 202, Schema: apidoc.Ref("Scheduled"), Errors: append([]int{400, 413}, actionErrs...)},
		"GET /api/instances/{uuid}/usage/{$}": {Summary: "Usage of an instance over time", Tag: "instances", Params: uuidParam,
			Query: usageQuery, OK: 200, Schema: apidoc.ArrayOf("UsagePoint"), Errors: append([]int{400}, readErrs...)},
		"GET /openapi.json": {Summary: "This OpenAPI 3 document", Tag: "docs", Public: true, OK: 200, Schema: apidoc.Schema{"type": "object"}},
		"GET /{$}":          {Summary: "API docs (HTML)", Tag: "docs", Public: true, OK: 200},
	}
}

// Short names for the schema builders the tables below use most.
var (
	str     = apidoc.String
	integer = apidoc.Integer
	object  = apidoc.Object
)

// schemas are the components' schemas.
func schemas() map[string]apidoc.Schema {
	props := apidoc.Schema{}
	for _, n := range []string{"url", "uuid", "hostname", "description", "template", "template_name", "template_os",
		"cloud", "cloud_name", "cloud_uuid", "project", "project_name", "project_uuid", "customer", "customer_name",
		"customer_abbreviation", "key_name", "key_fingerprint"} {
		props[n] = str()
	}
	props["start_time"] = apidoc.Nullable(apidoc.Schema{"type": "string", "format": "date-time"})
	props["state"] = apidoc.Schema{"type": "string", "enum": stateNames()}
	props["project_groups"] = apidoc.Array(object(apidoc.Schema{"url": str(), "name": str(), "uuid": str()}))
	for _, n := range []string{"security_groups", "backups", "backup_schedules", "instance_licenses"} {
		props[n] = apidoc.Array(apidoc.Schema{"type": "object"})
	}
	props["external_ips"], props["internal_ips"] = apidoc.Array(str()), apidoc.Array(str())
	props["agreed_sla"] = apidoc.Nullable(str())
	for _, n := range []string{"system_volume_size", "data_volume_size", "cores", "ram"} {
		props[n] = integer()
	}
	return map[string]apidoc.Schema{
		"Error":     apidoc.Required(object(apidoc.Schema{"detail": str()}), "detail"),
		"Scheduled": object(apidoc.Schema{"status": str()}),
		"Instance":  object(props),
		"CreateRequest": apidoc.Required(object(apidoc.Schema{"hostname": str(), "description": str(), "template": str(), "flavor": str(),
			"project": str(), "ssh_public_key": str(), "internal_ips": str(), "external_ips": str(),
			"security_groups": apidoc.Array(object(apidoc.Schema{"url": str()}))}),
			"hostname", "template", "flavor", "project", "ssh_public_key"),
		"ResizeRequest": object(apidoc.Schema{"flavor": str(), "disk_size": integer()}),
		"UsagePoint": object(apidoc.Schema{"from": integer(), "to": integer(), "value": apidoc.Schema{"type": "number"},
			"unit": str(), "source": str()}),
	}
}

// stateNames are the rendered state names.
func stateNames() []string {
	out := make([]string, len(portalStates))
	for i, s := range portalStates {
		out[i] = s.Name
	}
	return out
}
