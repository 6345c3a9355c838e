package httpjson

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// QueryBounds bound what StrictQuery accepts of a query string. A zero
// field takes its default.
type QueryBounds struct {
	// MaxParams is the most parameters (key=value pairs) a request may
	// carry; default 100.
	MaxParams int
	// MaxValues is the most values one parameter may have
	// (?hostname=a&hostname=b is two); default 50.
	MaxValues int
	// MaxValueBytes is the longest value (or key), once unescaped, in
	// bytes; default 255.
	MaxValueBytes int
}

func (b QueryBounds) withDefaults() QueryBounds {
	if b.MaxParams <= 0 {
		b.MaxParams = 100
	}
	if b.MaxValues <= 0 {
		b.MaxValues = 50
	}
	if b.MaxValueBytes <= 0 {
		b.MaxValueBytes = 255
	}
	return b
}

// StrictQuery parses r's query string as ParseQueryString does.
func StrictQuery(r *http.Request, b QueryBounds) (url.Values, error) {
	return ParseQueryString(r.URL.RawQuery, b)
}

// ParseQueryString parses a raw query string (without its '?') and
// refuses, with a 400 *Error that says what is wrong, one that is
// malformed, where url.ParseQuery (and http.Request.URL.Query, which
// ignores its error) would drop the malformed pair and with it a filter:
// a ';' separator, a bad %-escape. It also refuses more parameters, more
// values of one parameter, or longer values than b allows, and counts the
// parameters before it parses them, so that a huge query costs no more
// than a scan.
func ParseQueryString(raw string, b QueryBounds) (url.Values, error) {
	b = b.withDefaults()
	if n := countParams(raw); n > b.MaxParams {
		return nil, badRequest(fmt.Sprintf("query string: %d parameters; at most %d per request", n, b.MaxParams))
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, badRequest("query string: " + queryProblem(err))
	}
	for k, vs := range values {
		if len(k) > b.MaxValueBytes {
			return nil, badRequest(fmt.Sprintf("query string: a parameter name of %d bytes; at most %d", len(k), b.MaxValueBytes))
		}
		if len(vs) > b.MaxValues {
			return nil, badRequest(fmt.Sprintf("%s: %d values; at most %d per parameter", quoteKey(k), len(vs), b.MaxValues))
		}
		for _, v := range vs {
			if len(v) > b.MaxValueBytes {
				return nil, badRequest(fmt.Sprintf("%s: a value of %d bytes; at most %d", quoteKey(k), len(v), b.MaxValueBytes))
			}
		}
	}
	return values, nil
}

// countParams counts the non-empty pairs of a raw query, separated by '&'
// or ';' (the latter is refused later, but counts here).
func countParams(raw string) int {
	n := 0
	for raw != "" {
		var pair string
		i := strings.IndexAny(raw, "&;")
		if i < 0 {
			pair, raw = raw, ""
		} else {
			pair, raw = raw[:i], raw[i+1:]
		}
		if pair != "" {
			n++
		}
	}
	return n
}

// queryProblem says what url.ParseQuery found wrong, for a client.
func queryProblem(err error) string {
	var esc url.EscapeError
	if errors.As(err, &esc) {
		return fmt.Sprintf("invalid %%-escape %q (write a literal %% as %%25)", "%"+strings.TrimPrefix(string(esc), "%"))
	}
	if strings.Contains(err.Error(), "semicolon") {
		return "';' is not a separator: parameters are separated by ampersands (write a literal ';' as %3B)"
	}
	return err.Error()
}

// quoteKey writes a parameter's name for a message: as it is when it is
// a plain name, quoted otherwise.
func quoteKey(k string) string {
	for _, c := range k {
		if !(c == '_' || c == '-' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return fmt.Sprintf("%q", k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}
