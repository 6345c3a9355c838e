package perspective

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds every name this package passes to a cloud (Nova's
// limit for server names is 255 characters).
const maxNameBytes = 255

// validName checks a name given to an instance or an image: not blank, at
// most 255 bytes of valid UTF-8, and no character that would make it show
// as something else (see unsafeRune).
func validName(op Operation, name string) error {
	if strings.TrimSpace(name) == "" {
		return invalidArg(op, "name", "is empty")
	}
	if len(name) > maxNameBytes {
		return invalidArg(op, "name", "is %d bytes; at most %d", len(name), maxNameBytes)
	}
	return validText(op, "name", name)
}

// validText refuses invalid UTF-8, control characters (NUL, ESC, newlines,
// DEL, C1) and the invisible formatting characters that reorder or hide
// text: a name "\u202egnp.exe" would show as "exe.png".
func validText(op Operation, field, s string) error {
	if !utf8.ValidString(s) {
		return invalidArg(op, field, "is not valid UTF-8")
	}
	for i, r := range s {
		if unsafeRune(r) {
			return invalidArg(op, field, "has the character %U at byte %d (control and bidi-override characters are not allowed)", r, i)
		}
	}
	return nil
}

// unsafeRune reports control characters and Unicode's format characters
// (bidi embeddings, overrides and isolates, zero-width characters).
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

func validTags(op Operation, tags []string) error {
	if len(tags) == 0 {
		return invalidArg(op, "tags", "no tags given")
	}
	for _, t := range tags {
		if t == "" || len(t) > 60 || strings.ContainsAny(t, "/,") {
			return invalidArg(op, "tags", "%s: a tag is 1 to 60 bytes without '/' or ','", quoted(t))
		}
		if err := validText(op, "tags", t); err != nil {
			return err
		}
	}
	return nil
}

// quoted renders untrusted text for an error message, cut to a bound.
func quoted(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "…"
	}
	return fmt.Sprintf("%q", s)
}
