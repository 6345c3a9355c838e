package main

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The OpenAPI 3 document, typed just enough for the docs page to be
// generated from it.

// apiDoc is an OpenAPI 3.0 document.
type apiDoc struct {
	OpenAPI    string                        `json:"openapi"`
	Info       apiInfo                       `json:"info"`
	Paths      map[string]map[string]*apiOp  `json:"paths"`
	Components map[string]map[string]apiSchm `json:"components"`
	Security   []map[string][]string         `json:"security,omitzero"`
}

type apiInfo struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

// apiOp is one operation (a method on a path).
type apiOp struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary"`
	Description string                 `json:"description,omitempty"`
	Tags        []string               `json:"tags,omitempty"`
	Parameters  []apiParam             `json:"parameters,omitempty"`
	RequestBody *apiBody               `json:"requestBody,omitempty"`
	Security    []map[string][]string  `json:"security,omitzero"`
	Responses   map[string]apiResponse `json:"responses"`
}

type apiParam struct {
	Name        string  `json:"name"`
	In          string  `json:"in"`
	Description string  `json:"description,omitempty"`
	Required    bool    `json:"required,omitempty"`
	Schema      apiSchm `json:"schema"`
}

type apiBody struct {
	Required bool                `json:"required"`
	Content  map[string]apiMedia `json:"content"`
}

type apiMedia struct {
	Schema  apiSchm `json:"schema"`
	Example any     `json:"example,omitempty"`
}

type apiResponse struct {
	Description string              `json:"description"`
	Content     map[string]apiMedia `json:"content,omitempty"`
}

// apiSchm is a JSON schema.
type apiSchm = map[string]any

// ref is a reference to a schema of the components.
func ref(name string) apiSchm { return apiSchm{"$ref": "#/components/schemas/" + name} }

// arrayOf is an array of a schema of the components.
func arrayOf(name string) apiSchm { return apiSchm{"type": "array", "items": ref(name)} }

// routeDoc documents one route of addRoutes.
type routeDoc struct {
	summary string
	tag     string
	params  map[string]string // path parameter → description
	query   []apiParam        // query parameters
	public  bool              // served without a token
	body    string            // request body schema, "" for none
	example any               // request body example
	ok      int               // success status
	schema  apiSchm           // success body, nil for none
	errs    []int             // error statuses
}

// splitPattern turns a ServeMux pattern into an OpenAPI method and path:
// "POST /api/v1/server/{$}" → "post", "/api/v1/server/".
func splitPattern(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	return strings.ToLower(method), strings.ReplaceAll(path, "{$}", "")
}

// statusText describes a status in the document.
var statusText = map[int]string{
	200: "OK", 201: "Created", 202: "Accepted: the action was scheduled",
	400: "Bad request: malformed JSON, a missing or invalid field or filter, or over quota; {\"detail\"} says what",
	401: "No token, or an invalid one (Authorization: Token <key>)",
	403: "The user's role does not allow this (staff and project administrators act; owners and managers only list)",
	404: "No such instance, or one of a project the user does not see", 409: "The instance's state does not allow this; {\"detail\"} says why",
	413: "Request body too large", 429: "The cloud rate-limits the portal", 501: "The cloud or the library cannot do this",
	502: "The cloud gave an unexpected answer", 503: "The cloud is unavailable",
}

// buildDoc makes the OpenAPI document of docs.
func buildDoc(info apiInfo, docs map[string]routeDoc, schemas map[string]apiSchm) *apiDoc {
	doc := &apiDoc{OpenAPI: "3.0.3", Info: info, Paths: map[string]map[string]*apiOp{},
		Components: map[string]map[string]apiSchm{"schemas": schemas}}
	patterns := make([]string, 0, len(docs))
	for p := range docs {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	for _, pattern := range patterns {
		rd := docs[pattern]
		method, path := splitPattern(pattern)
		op := &apiOp{Summary: rd.summary, Responses: map[string]apiResponse{}}
		op.OperationID = method + strings.NewReplacer("/", "_", "{", "", "}", "").Replace(path)
		if rd.tag != "" {
			op.Tags = []string{rd.tag}
		}
		names := make([]string, 0, len(rd.params))
		for n := range rd.params {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			op.Parameters = append(op.Parameters, apiParam{Name: n, In: "path", Required: true,
				Description: rd.params[n], Schema: apiSchm{"type": "string"}})
		}
		for _, q := range rd.query {
			q.In = "query"
			if q.Schema == nil {
				q.Schema = apiSchm{"type": "string"}
			}
			op.Parameters = append(op.Parameters, q)
		}
		if rd.public {
			op.Security = []map[string][]string{}
		}
		if rd.body != "" {
			op.RequestBody = &apiBody{Required: true, Content: map[string]apiMedia{
				"application/json": {Schema: ref(rd.body), Example: rd.example}}}
		}
		okResp := apiResponse{Description: statusText[rd.ok]}
		if rd.schema != nil {
			okResp.Content = map[string]apiMedia{"application/json": {Schema: rd.schema}}
		}
		op.Responses[strconv.Itoa(rd.ok)] = okResp
		for _, code := range rd.errs {
			op.Responses[strconv.Itoa(code)] = apiResponse{Description: statusText[code],
				Content: map[string]apiMedia{"application/json": {Schema: ref("Error")}}}
		}
		if doc.Paths[path] == nil {
			doc.Paths[path] = map[string]*apiOp{}
		}
		doc.Paths[path][method] = op
	}
	return doc
}

var (
	docOnce sync.Once
	docJSON []byte
)

// handleOpenAPI serves GET /openapi.json.
func handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		docOnce.Do(func() {
			// The document is built from literals: it always marshals.
			docJSON, _ = json.MarshalIndent(openAPI(), "", "  ")
		})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(docJSON)
	})
}
