package apidoc

// The OpenAPI 3 document, typed just enough for the docs page to be
// generated from it.

// Doc is an OpenAPI 3.0 document.
type Doc struct {
	OpenAPI    string                           `json:"openapi"`
	Info       Info                             `json:"info"`
	Paths      map[string]map[string]*Operation `json:"paths"` // path → lower-case method → operation
	Components map[string]map[string]Schema     `json:"components"`
	Security   []map[string][]string            `json:"security,omitzero"`
}

// Info is the document's title, version and description.
type Info struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

// Operation is one operation: a method on a path.
type Operation struct {
	OperationID string       `json:"operationId"`
	Summary     string       `json:"summary"`
	Description string       `json:"description,omitempty"`
	Tags        []string     `json:"tags,omitempty"`
	Parameters  []Parameter  `json:"parameters,omitempty"`
	RequestBody *RequestBody `json:"requestBody,omitempty"`
	// Security overrides the document's; an empty, non-nil list says the
	// operation needs no credentials.
	Security  []map[string][]string `json:"security,omitzero"`
	Responses map[string]Response   `json:"responses"` // by status, "200"
}

// Parameter is a path or query parameter.
type Parameter struct {
	Name        string `json:"name"`
	In          string `json:"in"` // "path" or "query"
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Schema      Schema `json:"schema"`
}

// RequestBody is an operation's request body.
type RequestBody struct {
	Required bool                 `json:"required"`
	Content  map[string]MediaType `json:"content"` // by media type, "application/json"
}

// MediaType is a body's schema and example.
type MediaType struct {
	Schema  Schema `json:"schema"`
	Example any    `json:"example,omitempty"`
}

// Response is one answer of an operation.
type Response struct {
	Description string               `json:"description"`
	Headers     map[string]Header    `json:"headers,omitempty"` // by header name
	Content     map[string]MediaType `json:"content,omitempty"`
}

// Header is a header of a response.
type Header struct {
	Description string `json:"description,omitempty"`
	Schema      Schema `json:"schema"`
}

// Schema is a JSON schema, kept as the map it marshals to.
type Schema = map[string]any
