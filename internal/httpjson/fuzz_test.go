package httpjson

import (
	"errors"
	"strings"
	"testing"
)

// FuzzDecodeReader: no body makes the decoder panic; every refusal is an
// *Error, 400 with a message (or the validator's own error), and every
// body accepted validates.
func FuzzDecodeReader(f *testing.F) {
	for _, s := range []string{`{"name":"vm1","count":2}`, ``, `{`, `[]`, `null`, `{"name":1}`,
		`{"name":"a"} {}`, `{"name":"a","x":1}`, `{"count":1e400}`, `"\ud800"`} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, body string, lenient bool) {
		v, err := DecodeReader[launch](strings.NewReader(body), Options{AllowUnknownFields: lenient})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 || e.Message == "" {
				t.Fatalf("decode %q: unclassified error %v", body, err)
			}
			return
		}
		if v.Validate() != nil {
			t.Fatalf("decode %q: accepted %+v, which does not validate", body, v)
		}
	})
}
