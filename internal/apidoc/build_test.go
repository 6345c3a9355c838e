package apidoc

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitPattern(t *testing.T) {
	tests := []struct{ pattern, method, path string }{
		{"GET /api/v1/image", "get", "/api/v1/image"},
		{"POST /api/v1/server/{$}", "post", "/api/v1/server/"},
		{"DELETE /api/instances/{uuid}/{$}", "delete", "/api/instances/{uuid}/"},
		{"GET /{$}", "get", "/"},
		{"/bare", "/bare", ""},
	}
	for _, tt := range tests {
		method, path := SplitPattern(tt.pattern)
		assert.Equal(t, tt.method, method, tt.pattern)
		assert.Equal(t, tt.path, path, tt.pattern)
	}
}

var testStatus = map[int]string{200: "OK", 201: "Created", 404: "No such thing", 409: "Wrong state"}

func testDoc() *Doc {
	return Build(Info{Title: "t", Version: "1"}, map[string]Route{
		"GET /things/{id}/{$}": {Summary: "Get", Tag: "things", Params: map[string]string{"id": "its id", "b": "other"},
			Query: []Parameter{{Name: "q"}, {Name: "n", Schema: Integer()}}, OK: 200, Schema: Ref("Thing"), Errors: []int{404}},
		"POST /things": {Summary: "Make", Tag: "things", Body: "Thing", Example: map[string]string{"name": "a"},
			OK: 201, Schema: Ref("Thing"), Errors: []int{409}},
		"GET /{$}": {Summary: "Docs", Public: true, OK: 200},
	}, map[string]Schema{"Thing": Object(Schema{"name": String()}), "Error": Object(Schema{"message": String()})}, testStatus)
}

func TestBuild(t *testing.T) {
	doc := testDoc()
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	assert.Len(t, doc.Paths, 3)

	get := doc.Paths["/things/{id}/"]["get"]
	require.NotNil(t, get)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"operation id", get.OperationID, "get_things_id_"},
		{"tags", get.Tags, []string{"things"}},
		{"path parameters sorted, then query", get.Parameters, []Parameter{
			{Name: "b", In: "path", Required: true, Description: "other", Schema: String()},
			{Name: "id", In: "path", Required: true, Description: "its id", Schema: String()},
			{Name: "q", In: "query", Schema: String()},
			{Name: "n", In: "query", Schema: Integer()},
		}},
		{"success", get.Responses["200"], Response{Description: "OK",
			Content: map[string]MediaType{"application/json": {Schema: Ref("Thing")}}}},
		{"error", get.Responses["404"], Response{Description: "No such thing",
			Content: map[string]MediaType{"application/json": {Schema: Ref("Error")}}}},
		{"no request body", get.RequestBody, (*RequestBody)(nil)},
		{"no security override", get.Security, []map[string][]string(nil)},
		{"request body", doc.Paths["/things"]["post"].RequestBody, &RequestBody{Required: true,
			Content: map[string]MediaType{"application/json": {Schema: Ref("Thing"), Example: map[string]string{"name": "a"}}}}},
		{"public", doc.Paths["/"]["get"].Security, []map[string][]string{}},
		{"untagged", doc.Paths["/"]["get"].Tags, []string(nil)},
		{"no body answer", doc.Paths["/"]["get"].Responses["200"], Response{Description: "OK"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}
}

func TestBuildJSON(t *testing.T) {
	b, err := json.Marshal(testDoc())
	require.NoError(t, err)
	s := string(b)
	assert.Contains(t, s, `"security":[]`, "a public route says so")
	assert.NotContains(t, s, `"security":null`, "nil security lists are left out")
	var back Doc
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "Make", back.Paths["/things"]["post"].Summary)
}

func TestSchemaBuilders(t *testing.T) {
	tests := []struct {
		name string
		got  Schema
		want Schema
	}{
		{"ref", Ref("X"), Schema{"$ref": "#/components/schemas/X"}},
		{"array of ref", ArrayOf("X"), Schema{"type": "array", "items": Schema{"$ref": "#/components/schemas/X"}}},
		{"array", Array(String()), Schema{"type": "array", "items": Schema{"type": "string"}}},
		{"boolean", Boolean(), Schema{"type": "boolean"}},
		{"date-time", DateTime(), Schema{"type": "string", "format": "date-time"}},
		{"required", Required(Object(Schema{"a": Integer()}), "a"),
			Schema{"type": "object", "properties": Schema{"a": Schema{"type": "integer"}}, "required": []string{"a"}}},
		{"nullable", Nullable(String()), Schema{"type": "string", "nullable": true}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}
}
