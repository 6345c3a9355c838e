package httpjson

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// TextRules say what CheckText accepts of a text field.
type TextRules struct {
	// MaxBytes is the longest text accepted; 0 means no bound.
	MaxBytes int
	// Multiline lets the text hold newlines and tabs (a description);
	// by default it is one line (a name).
	Multiline bool
}

// CheckText refuses, with a 400 *Error that names field, a text a person
// will read in a list or a terminal that would show something other than
// what it holds: one that is not UTF-8, holds a control character (NUL,
// ESC, a newline where the text is one line, C1 controls, DEL), a
// bidirectional override, embedding or isolate ("\u202egnp.exe" shows as
// "exe.png") or another invisible format character (zero-width space,
// soft hyphen), or is longer than the rules allow. These are the
// characters the perspective package refuses in names, refused here with
// the API's field name before anything is sent.
func CheckText(field, s string, rules TextRules) error {
	if rules.MaxBytes > 0 && len(s) > rules.MaxBytes {
		return badRequest(fmt.Sprintf("%s: %d bytes; at most %d", field, len(s), rules.MaxBytes))
	}
	for i, c := range s {
		switch {
		case c == utf8.RuneError && !validAt(s, i):
			return badRequest(fmt.Sprintf("%s: not valid UTF-8 (byte %d)", field, i))
		case rules.Multiline && (c == '\n' || c == '\t' || c == '\r'):
		case unicode.IsControl(c):
			return badRequest(fmt.Sprintf("%s: control character %U at byte %d is not allowed", field, c, i))
		case unicode.Is(unicode.Bidi_Control, c):
			return badRequest(fmt.Sprintf("%s: bidirectional control character %U at byte %d is not allowed", field, c, i))
		case unicode.Is(unicode.Cf, c):
			return badRequest(fmt.Sprintf("%s: invisible format character %U at byte %d is not allowed", field, c, i))
		}
	}
	return nil
}

// validAt reports whether the U+FFFD at byte i of s is written there,
// rather than standing for a byte that is not UTF-8.
func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 3
}
