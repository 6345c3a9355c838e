package apidoc_test

import (
	"encoding/json"
	"fmt"

	"github.com/perspective-cloud/sdk/internal/apidoc"
)

// ExampleBuild documents one route and prints its operation.
func ExampleBuild() {
	doc := apidoc.Build(apidoc.Info{Title: "devstack-client", Version: "1.0"},
		map[string]apidoc.Route{
			"DELETE /api/v1/server/{id}": {Summary: "Delete a server", Tag: "servers",
				Params: map[string]string{"id": "the server's id"}, OK: 204, Errors: []int{404}},
		},
		map[string]apidoc.Schema{"Error": apidoc.Object(apidoc.Schema{"message": apidoc.String()})},
		map[int]string{204: "No Content", 404: "No such server"})
	b, _ := json.MarshalIndent(doc.Paths["/api/v1/server/{id}"]["delete"], "", " ")
	fmt.Println(string(b))
	// Output:
	// {
	//  "operationId": "delete_api_v1_server_id",
	//  "summary": "Delete a server",
	//  "tags": [
	//   "servers"
	//  ],
	//  "parameters": [
	//   {
	//    "name": "id",
	//    "in": "path",
	//    "description": "the server's id",
	//    "required": true,
	//    "schema": {
	//     "type": "string"
	//    }
	//   }
	//  ],
	//  "responses": {
	//   "204": {
	//    "description": "No Content"
	//   },
	//   "404": {
	//    "description": "No such server",
	//    "content": {
	//     "application/json": {
	//      "schema": {
	//       "$ref": "#/components/schemas/Error"
	//      }
	//     }
	//    }
	//   }
	//  }
	// }
}
