package httpjson_test

import (
	"fmt"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

type resizeRequest struct {
	Flavor string `json:"flavor"`
}

// ExampleDecodeReader shows what a client is told about a misspelt field.
func ExampleDecodeReader() {
	_, err := httpjson.DecodeReader[resizeRequest](strings.NewReader(`{"flavour":"m1.small"}`), httpjson.Options{})
	e := err.(*httpjson.Error)
	fmt.Println(e.Status, e.Code, e.Message)

	req, err := httpjson.DecodeReader[resizeRequest](strings.NewReader(`{"flavour":"x","flavor":"m1.small"}`),
		httpjson.Options{AllowUnknownFields: true})
	fmt.Println(req.Flavor, err)
	// Output:
	// 400 invalid_argument request body: unknown field "flavour"
	// m1.small <nil>
}
