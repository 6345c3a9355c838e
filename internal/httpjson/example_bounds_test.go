package httpjson_test

import (
	"fmt"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// ExampleParseQueryString shows a malformed query refused instead of its
// filter dropped, and a query over its bounds refused before it is built.
func ExampleParseQueryString() {
	for _, raw := range []string{"hostname=web-1", "hostname=web-1;x", "hostname=%zz", "o=a&o=b&o=c"} {
		v, err := httpjson.ParseQueryString(raw, httpjson.QueryBounds{MaxValues: 2})
		fmt.Println(v, err)
	}
	// Output:
	// map[hostname:[web-1]] <nil>
	// map[] query string: ';' is not a separator: parameters are separated by ampersands (write a literal ';' as %3B)
	// map[] query string: invalid %-escape "%zz" (write a literal % as %25)
	// map[] o: 3 values; at most 2 per parameter
}

// ExampleCheckText shows a name that would display as another refused.
func ExampleCheckText() {
	fmt.Println(httpjson.CheckText("hostname", "\u202egnp.exe", httpjson.TextRules{MaxBytes: 255}))
	fmt.Println(httpjson.CheckText("description", "two\nlines", httpjson.TextRules{Multiline: true}))
	// Output:
	// hostname: bidirectional control character U+202E at byte 0 is not allowed
	// <nil>
}
