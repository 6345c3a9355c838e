package main

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds the name of an instance or an image: Nova's limit.
const maxNameBytes = 255

// checkName returns why name cannot be the name of an instance or image,
// naming field: it is empty, longer than maxNameBytes, not UTF-8, or holds
// a control character (NUL, ESC, a newline…) or a bidirectional control
// (U+202E makes "\u202egnp.exe" show as "exe.png"). The error never
// repeats a long name.
func checkName(field, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return invalid("%s is required", field)
	case len(name) > maxNameBytes:
		return invalid("%s is %d bytes long; at most %d", field, len(name), maxNameBytes)
	case !utf8.ValidString(name):
		return invalid("%s %s is not valid UTF-8", field, shortQuote(name))
	}
	for i, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return invalid("%s %s has the control character %U at byte %d; names are printable text", field, shortQuote(name), r, i)
		}
	}
	return nil
}

// shortQuote quotes s for an error message, control and bidirectional
// characters escaped, cut to 40 bytes (on a character boundary) so that an
// answer never echoes a huge input.
func shortQuote(s string) string {
	const limit = 40
	if len(s) <= limit {
		return strconv.QuoteToGraphic(s)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.QuoteToGraphic(s[:cut]) + "…"
}
