package httpjson

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// everyKind has a field of each JSON kind.
type everyKind struct {
	S   string            `json:"s"`
	N   int               `json:"n"`
	F   float64           `json:"f"`
	B   bool              `json:"b"`
	L   []string          `json:"l"`
	M   map[string]string `json:"m"`
	O   struct{ X int }   `json:"o"`
	P   *string           `json:"p"`
	Sub []everyKind       `json:"sub"`
}

// TestDecodeErrorsNameJSONKinds: a value of the wrong kind is told in
// JSON's words, with the field's path, never with a Go type.
func TestDecodeErrorsNameJSONKinds(t *testing.T) {
	tests := []struct{ body, want string }{
		{`[]`, "request body: expected an object, got a JSON array"},
		{`"x"`, "request body: expected an object, got a JSON string"},
		{`{"s":1}`, "s: expected a string, got a JSON number"},
		{`{"n":"1"}`, "n: expected an integer, got a JSON string"},
		{`{"n":1.5}`, "n: expected an integer, got a JSON number 1.5"},
		{`{"f":true}`, "f: expected a number, got a JSON bool"},
		{`{"b":"yes"}`, "b: expected true or false, got a JSON string"},
		{`{"l":"a"}`, "l: expected an array, got a JSON string"},
		{`{"l":[1]}`, "l: expected a string, got a JSON number"},
		{`{"m":[]}`, "m: expected an object, got a JSON array"},
		{`{"o":1}`, "o: expected an object, got a JSON number"},
		{`{"p":1}`, "p: expected a string, got a JSON number"},
		{`{"sub":[{"s":[]}]}`, "sub.s: expected a string, got a JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			_, err := DecodeReader[everyKind](strings.NewReader(tt.body), Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			for _, goish := range []string{"httpjson.", "main.", "[]", "map[", "float64", "expected int", "expected string", "struct"} {
				assert.NotContains(t, strings.TrimPrefix(err.Error(), "request body: "), goish)
			}
		})
	}
}
