package httpjson

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseQueryString(t *testing.T) {
	small := QueryBounds{MaxParams: 4, MaxValues: 2, MaxValueBytes: 8}
	tests := []struct {
		name, raw string
		bounds    QueryBounds
		want      url.Values
		message   string // "" when accepted
	}{
		{name: "empty", raw: "", want: url.Values{}},
		{name: "plain", raw: "hostname=web-1&o=-hostname", want: url.Values{"hostname": {"web-1"}, "o": {"-hostname"}}},
		{name: "escapes", raw: "state=%2B&name=a+b", want: url.Values{"state": {"+"}, "name": {"a b"}}},
		{name: "empty pairs are no parameters", raw: "&&a=1&&", bounds: QueryBounds{MaxParams: 1}, want: url.Values{"a": {"1"}}},
		{name: "semicolon", raw: "hostname=web-1;x", message: "query string: ';' is not a separator"},
		{name: "bad escape", raw: "hostname=%zz", message: `query string: invalid %-escape "%zz"`},
		{name: "bad escape in a key", raw: "a%2=1", message: `invalid %-escape "%2"`},
		{name: "bad escape after good pairs", raw: "a=1&b=%", message: `invalid %-escape "%"`},
		{name: "too many parameters", raw: "a=1&b=2&c=3&d=4&e=5", bounds: small, message: "query string: 5 parameters; at most 4 per request"},
		{name: "too many values", raw: "a=1&a=2&a=3", bounds: small, message: "a: 3 values; at most 2 per parameter"},
		{name: "value too long", raw: "a=123456789", bounds: small, message: "a: a value of 9 bytes; at most 8"},
		{name: "key too long", raw: "abcdefghi=1", bounds: small, message: "a parameter name of 9 bytes; at most 8"},
		{name: "odd key quoted", raw: "a%20b=1&a%20b=2&a%20b=3", bounds: small, message: `"a b": 3 values`},
		{name: "defaults: 100 parameters", raw: strings.Repeat("o=x&", 101), message: "101 parameters; at most 100"},
		{name: "defaults: 50 values", raw: strings.Repeat("o=x&", 51), message: "o: 51 values; at most 50"},
		{name: "defaults: 255 bytes", raw: "o=" + strings.Repeat("x", 256), message: "o: a value of 256 bytes; at most 255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQueryString(tt.raw, tt.bounds)
			if tt.message == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 400, e.Status)
			assert.Equal(t, CodeInvalidArgument, e.Code)
			assert.Contains(t, e.Message, tt.message)
			assert.Nil(t, got)
		})
	}
}

// TestStrictQuery: the request's raw query is what is parsed, where
// URL.Query would have dropped the malformed pair.
func TestStrictQuery(t *testing.T) {
	r := httptest.NewRequest("GET", "/x?hostname=web-1;x", nil)
	assert.Empty(t, r.URL.Query()["hostname"], "what the standard library does")
	_, err := StrictQuery(r, QueryBounds{})
	assert.ErrorContains(t, err, "';' is not a separator")
	v, err := StrictQuery(httptest.NewRequest("GET", "/x?hostname=web-1", nil), QueryBounds{})
	require.NoError(t, err)
	assert.Equal(t, "web-1", v.Get("hostname"))
}

// BenchmarkParseQueryStringRefused: a 5,000-parameter query (74 KB) is
// refused after a scan, without building its values.
func BenchmarkParseQueryStringRefused(b *testing.B) {
	var sb strings.Builder
	for i := range 5000 {
		sb.WriteString("hostname=a" + itoa(i) + "&")
	}
	raw := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ParseQueryString(raw, QueryBounds{}); err == nil {
			b.Fatal("accepted")
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}
