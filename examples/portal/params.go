package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// queryBounds bound every query string the portal reads, before anything
// parses its values further, let alone compiles them: at most 100
// parameters a request, 50 values a field (?hostname=a&hostname=b is two),
// 255 bytes a value. A malformed query (a ';' separator, a bad %-escape) is
// a 400 too, never a filter dropped.
var queryBounds = httpjson.QueryBounds{MaxParams: 100, MaxValues: 50, MaxValueBytes: 255}

// maxOrderFields bounds the ordering fields of a listing, all o= values
// and their comma-separated parts together: there are ten to order by.
const maxOrderFields = 10

// listValues reads the instance listing's filters and orderings from a
// raw query string, within queryBounds and maxOrderFields.
func listValues(raw string) (url.Values, error) {
	values, err := httpjson.ParseQueryString(raw, queryBounds)
	if err != nil {
		return nil, err
	}
	n := 0
	for _, o := range values["o"] {
		for _, f := range strings.Split(o, ",") {
			if strings.TrimSpace(f) == "" {
				return nil, badRequest(fmt.Sprintf("o: empty ordering field in %q; write o=hostname or o=-state,hostname", o))
			}
			n++
		}
	}
	if n > maxOrderFields {
		return nil, badRequest(fmt.Sprintf("o: %d ordering fields; at most %d", n, maxOrderFields))
	}
	return values, nil
}

// usageValues reads the usage route's parameters from a raw query
// string, within queryBounds.
func usageValues(raw string) (url.Values, error) {
	return httpjson.ParseQueryString(raw, queryBounds)
}
