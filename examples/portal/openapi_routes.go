package main

// openAPI returns the portal's OpenAPI document.
func openAPI() *apiDoc {
	doc := buildDoc(apiInfo{Title: "portal", Version: "1.0",
		Description: "Seed 004's instance API (a Waldur-style portal) on the Perspective library. Every /api call needs " +
			"Authorization: Token <key>. Staff see every instance; customer owners see their customers' instances; " +
			"project administrators see, create, start, stop, restart, resize and delete in their projects; " +
			"project managers only see theirs. Errors are {\"detail\": \"…\"}."},
		routeDocs(), schemas())
	doc.Components["securitySchemes"] = map[string]apiSchm{
		"token": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token <key>"}}
	doc.Security = []map[string][]string{{"token": {}}}
	return doc
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
var listQuery = []apiParam{
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
		"repeat or separate with commas"},
}

// usageQuery are the parameters of the usage route.
var usageQuery = []apiParam{
	{Name: "item", Required: true, Description: "cpu, memory or storage"},
	{Name: "from", Description: "Unix timestamp (default: an hour before to)"},
	{Name: "to", Description: "Unix timestamp (default: now)"},
	{Name: "datapoints", Description: "how many points (default 6, at most 1000)", Schema: apiSchm{"type": "integer"}},
}

func action(verb string) routeDoc {
	return routeDoc{summary: verb + " an instance (staff and project administrators)", tag: "instances", params: uuidParam,
		ok: 202, schema: ref("Scheduled"), errs: actionErrs}
}

// routeDocs describes every route of addRoutes, by its pattern.
func routeDocs() map[string]routeDoc {
	return map[string]routeDoc{
		"GET /api/instances/{$}": {summary: "List the instances the user sees, filtered and ordered", tag: "instances",
			query: listQuery, ok: 200, schema: arrayOf("Instance"), errs: []int{400, 401, 429, 502, 503}},
		"POST /api/instances/{$}": {summary: "Create an instance (staff and project administrators)", tag: "instances",
			body: "CreateRequest", example: createEx, ok: 201, schema: ref("Instance"), errs: []int{400, 401, 403, 413, 429, 501, 502, 503}},
		"GET /api/instances/{uuid}/{$}": {summary: "Get an instance", tag: "instances", params: uuidParam,
			ok: 200, schema: ref("Instance"), errs: readErrs},
		"DELETE /api/instances/{uuid}/{$}": {summary: "Delete an Offline instance (staff and project administrators); 409 otherwise",
			tag: "instances", params: uuidParam, ok: 202, schema: ref("Scheduled"), errs: actionErrs},
		"POST /api/instances/{uuid}/start/{$}":   action("Start"),
		"POST /api/instances/{uuid}/stop/{$}":    action("Stop"),
		"POST /api/instances/{uuid}/restart/{$}": action("Restart"),
		"POST /api/instances/{uuid}/resize/{$}": {summary: "Resize to a flavor (the disk_size form answers 501)", tag: "instances",
			params: uuidParam, body: "ResizeRequest", example: map[string]string{"flavor": "m1.small"},
			ok: 202, schema: ref("Scheduled"), errs: append([]int{400, 413}, actionErrs...)},
		"GET /api/instances/{uuid}/usage/{$}": {summary: "Usage of an instance over time", tag: "instances", params: uuidParam,
			query: usageQuery, ok: 200, schema: arrayOf("UsagePoint"), errs: append([]int{400}, readErrs...)},
		"GET /openapi.json": {summary: "This OpenAPI 3 document", tag: "docs", public: true, ok: 200, schema: apiSchm{"type": "object"}},
		"GET /{$}":          {summary: "API docs (HTML)", tag: "docs", public: true, ok: 200},
	}
}

func str() apiSchm                    { return apiSchm{"type": "string"} }
func integer() apiSchm                { return apiSchm{"type": "integer"} }
func nullable(s apiSchm) apiSchm      { s["nullable"] = true; return s }
func object(p apiSchm) apiSchm        { return apiSchm{"type": "object", "properties": p} }
func arrayOfSchema(s apiSchm) apiSchm { return apiSchm{"type": "array", "items": s} }
func required(s apiSchm, names ...string) apiSchm {
	s["required"] = names
	return s
}

// schemas are the components' schemas.
func schemas() map[string]apiSchm {
	props := apiSchm{}
	for _, n := range []string{"url", "uuid", "hostname", "description", "template", "template_name", "template_os",
		"cloud", "cloud_name", "cloud_uuid", "project", "project_name", "project_uuid", "customer", "customer_name",
		"customer_abbreviation", "key_name", "key_fingerprint"} {
		props[n] = str()
	}
	props["start_time"] = nullable(apiSchm{"type": "string", "format": "date-time"})
	props["state"] = apiSchm{"type": "string", "enum": stateNames()}
	props["project_groups"] = arrayOfSchema(object(apiSchm{"url": str(), "name": str(), "uuid": str()}))
	for _, n := range []string{"security_groups", "backups", "backup_schedules", "instance_licenses"} {
		props[n] = arrayOfSchema(apiSchm{"type": "object"})
	}
	props["external_ips"], props["internal_ips"] = arrayOfSchema(str()), arrayOfSchema(str())
	props["agreed_sla"] = nullable(str())
	for _, n := range []string{"system_volume_size", "data_volume_size", "cores", "ram"} {
		props[n] = integer()
	}
	return map[string]apiSchm{
		"Error":     required(object(apiSchm{"detail": str()}), "detail"),
		"Scheduled": object(apiSchm{"status": str()}),
		"Instance":  object(props),
		"CreateRequest": required(object(apiSchm{"hostname": str(), "description": str(), "template": str(), "flavor": str(),
			"project": str(), "ssh_public_key": str(), "internal_ips": str(), "external_ips": str(),
			"security_groups": arrayOfSchema(object(apiSchm{"url": str()}))}),
			"hostname", "template", "flavor", "project", "ssh_public_key"),
		"ResizeRequest": object(apiSchm{"flavor": str(), "disk_size": integer()}),
		"UsagePoint":    object(apiSchm{"from": integer(), "to": integer(), "value": apiSchm{"type": "number"}}),
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
