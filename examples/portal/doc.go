// Command portal serves seed 004's instance API, as a Waldur-style
// self-service portal has it, on the Perspective library:
//
//	GET    /api/instances/                  list, with ?hostname, ?customer_name, ?state, ?project_name,
//	                                        ?project_group_name, ?template_name (and the deprecated ?project,
//	                                        ?project_group) and ?o= orderings, through the query package
//	POST   /api/instances/                  create
//	GET    /api/instances/{uuid}/
//	DELETE /api/instances/{uuid}/           only when Offline, else 409
//	POST   /api/instances/{uuid}/start/     also stop/, restart/, resize/ (flavor; disk_size is 501)
//	GET    /api/instances/{uuid}/usage/     ?item=cpu|memory|storage&from=&to=&datapoints= → [{from,to,value}]
//	GET    /openapi.json, GET /             the OpenAPI 3 document and the docs page
//
// Users authenticate with "Authorization: Token <key>". Staff see every
// instance; customer owners see the instances of their customers; project
// administrators see, create, start, stop, restart, resize and delete the
// instances of their projects; project managers only see theirs. An
// instance a user does not see is 404 to that user, one they see but may
// not act on 403. A launch names one of the user's own SSH keys (another
// user's is 403, staff included) and a template and flavor of the
// project's cloud (another cloud's is 400).
//
// Every input is bounded before it costs anything: a query string has at
// most 100 parameters, 50 values a field and 255 bytes a value, and a
// listing at most 10 ordering fields; a malformed one (a ';' separator, a
// bad %-escape) is a 400, never a filter dropped. Hostnames and
// descriptions may not hold control or invisible format characters (bidi
// overrides, zero-width spaces). Every
// answer is JSON, errors {"detail": "…"}: an unknown path is 404, a
// method a route does not have 405 with Allow.
//
// Users, customers, project groups and projects come from a JSON file
// (-config; portal.sample.json when none is given). Each project maps to a
// library cloud: its "url", or by default a mock cloud of its own, so
//
//	go run ./examples/portal
//	curl -s -H 'Authorization: Token d697b33f490004274a710424120992774160a5e4' 'localhost:8000/api/instances/?o=-hostname'
//
// lists alice's instances on the sample's mock clouds.
package main
