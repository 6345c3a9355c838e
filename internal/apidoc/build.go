package apidoc

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Route documents one route, under its http.ServeMux pattern.
type Route struct {
	Summary string
	Tag     string            // the group it is listed under; "" for "other"
	Params  map[string]string // path parameter → description
	Query   []Parameter       // query parameters (In and a nil Schema are filled in)
	Public  bool              // served without credentials, whatever the document's Security says
	Body    string            // the request body's schema in the components; "" for none
	Example any               // an example request body; it fills the page's form
	OK      int               // the success status
	Schema  Schema            // the success body; nil for none
	Errors  []int             // the error statuses, answered with the components' "Error" schema
}

// SplitPattern turns a ServeMux pattern into an OpenAPI method and path:
// "POST /api/v1/server/{$}" → "post", "/api/v1/server/".
func SplitPattern(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	return strings.ToLower(method), strings.ReplaceAll(path, "{$}", "")
}

// operationID names an operation after its method and path:
// "get", "/api/{id}/" → "get_api_id_".
var operationID = strings.NewReplacer("/", "_", "{", "", "}", "")

// Build makes the OpenAPI 3.0.3 document of routes (keyed by their
// ServeMux patterns) and schemas (the components' schemas, which should
// hold "Error" and every schema a route names). statusText describes each
// status a route answers with.
func Build(info Info, routes map[string]Route, schemas map[string]Schema, statusText map[int]string) *Doc {
	doc := &Doc{OpenAPI: "3.0.3", Info: info, Paths: map[string]map[string]*Operation{},
		Components: map[string]map[string]Schema{"schemas": schemas}}
	for _, pattern := range slices.Sorted(maps.Keys(routes)) {
		method, path := SplitPattern(pattern)
		if doc.Paths[path] == nil {
			doc.Paths[path] = map[string]*Operation{}
		}
		doc.Paths[path][method] = operation(method, path, routes[pattern], statusText)
	}
	return doc
}

func operation(method, path string, rd Route, statusText map[int]string) *Operation {
	op := &Operation{Summary: rd.Summary, Responses: map[string]Response{}}
	op.OperationID = method + operationID.Replace(path)
	if rd.Tag != "" {
		op.Tags = []string{rd.Tag}
	}
	for _, n := range slices.Sorted(maps.Keys(rd.Params)) {
		op.Parameters = append(op.Parameters, Parameter{Name: n, In: "path", Required: true,
			Description: rd.Params[n], Schema: String()})
	}
	for _, q := range rd.Query {
		q.In = "query"
		if q.Schema == nil {
			q.Schema = String()
		}
		op.Parameters = append(op.Parameters, q)
	}
	if rd.Public {
		op.Security = []map[string][]string{}
	}
	if rd.Body != "" {
		op.RequestBody = &RequestBody{Required: true, Content: map[string]MediaType{
			"application/json": {Schema: Ref(rd.Body), Example: rd.Example}}}
	}
	ok := Response{Description: statusText[rd.OK]}
	if rd.Schema != nil {
		ok.Content = map[string]MediaType{"application/json": {Schema: rd.Schema}}
	}
	op.Responses[strconv.Itoa(rd.OK)] = ok
	for _, code := range rd.Errors {
		op.Responses[strconv.Itoa(code)] = Response{Description: statusText[code],
			Content: map[string]MediaType{"application/json": {Schema: Ref("Error")}}}
	}
	return op
}
