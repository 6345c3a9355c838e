package httpjson

import (
	"errors"
	"net/url"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParseQueryString: no query makes the parser panic; what it refuses
// is a 400 with a message; what it accepts is what url.ParseQuery makes
// of it, with no pair dropped, and within the bounds.
func FuzzParseQueryString(f *testing.F) {
	for _, s := range []string{"", "a=1", "hostname=web-1;x", "hostname=%zz", "a=1&a=2&a=3", "&&", "=", "a%20b=%2B",
		"o=hostname,-state", "a=%", "x=" + string(rune(0x202e))} {
		f.Add(s)
	}
	bounds := QueryBounds{MaxParams: 8, MaxValues: 3, MaxValueBytes: 16}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := ParseQueryString(raw, bounds)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 || e.Message == "" {
				t.Fatalf("parse %q: unclassified error %v", raw, err)
			}
			return
		}
		std, stdErr := url.ParseQuery(raw)
		if stdErr != nil {
			t.Fatalf("parse %q: accepted what url.ParseQuery refuses (%v)", raw, stdErr)
		}
		if len(got) != len(std) {
			t.Fatalf("parse %q: %v, url.ParseQuery %v", raw, got, std)
		}
		n := 0
		for k, vs := range got {
			n += len(vs)
			if len(vs) > bounds.MaxValues || len(k) > bounds.MaxValueBytes || len(vs) != len(std[k]) {
				t.Fatalf("parse %q: accepted %q=%q", raw, k, vs)
			}
			for _, v := range vs {
				if len(v) > bounds.MaxValueBytes {
					t.Fatalf("parse %q: accepted a value of %d bytes", raw, len(v))
				}
			}
		}
		if n > bounds.MaxParams {
			t.Fatalf("parse %q: accepted %d parameters", raw, n)
		}
	})
}

// FuzzCheckText: no text makes CheckText panic; a text it accepts as a
// name is UTF-8 within the bound, with no control or bidi character.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"web-1", "", "a\x00", "\x1b[2J", "\u202egnp.exe", "a\xff", "line\nline", "\ufffd"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		err := CheckText("name", s, TextRules{MaxBytes: 64, Multiline: multiline})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 || e.Message == "" {
				t.Fatalf("check %q: unclassified error %v", s, err)
			}
			return
		}
		if len(s) > 64 || !utf8.ValidString(s) {
			t.Fatalf("check %q: accepted", s)
		}
		for _, c := range s {
			if (unicode.IsControl(c) && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || unicode.Is(unicode.Cf, c) {
				t.Fatalf("check %q: accepted %U", s, c)
			}
		}
	})
}
