package httpjson

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckText(t *testing.T) {
	name := TextRules{MaxBytes: 16}
	desc := TextRules{MaxBytes: 64, Multiline: true}
	tests := []struct {
		name, s string
		rules   TextRules
		message string // "" when accepted
	}{
		{name: "plain", s: "web-1", rules: name},
		{name: "empty", s: "", rules: name},
		{name: "unicode letters", s: "сервер-ü 1", rules: TextRules{MaxBytes: 32}},
		{name: "NUL", s: "web\x00", rules: name, message: "hostname: control character U+0000 at byte 3 is not allowed"},
		{name: "ESC", s: "\x1b[31mred", rules: name, message: "control character U+001B at byte 0"},
		{name: "newline in a name", s: "a\nb", rules: name, message: "control character U+000A"},
		{name: "tab in a name", s: "a\tb", rules: name, message: "control character U+0009"},
		{name: "DEL", s: "a\x7f", rules: name, message: "U+007F"},
		{name: "C1", s: "a\u0085", rules: name, message: "U+0085"},
		{name: "bidi override", s: "\u202egnp.exe", rules: name, message: "hostname: bidirectional control character U+202E at byte 0"},
		{name: "bidi isolate", s: "a\u2066b", rules: name, message: "U+2066"},
		{name: "right-to-left mark", s: "a\u200fb", rules: name, message: "U+200F"},
		{name: "zero-width space", s: "web\u200b1", rules: name, message: "hostname: invisible format character U+200B at byte 3"},
		{name: "soft hyphen", s: "we\u00adb", rules: name, message: "U+00AD"},
		{name: "not UTF-8", s: "a\xffb", rules: name, message: "hostname: not valid UTF-8 (byte 1)"},
		{name: "U+FFFD itself is text", s: "a\ufffdb", rules: name},
		{name: "too long", s: "abcdefghijklmnopq", rules: name, message: "hostname: 17 bytes; at most 16"},
		{name: "no bound", s: strings.Repeat("x", 300), rules: TextRules{}},
		{name: "multiline", s: "line 1\nline 2\ttabbed\r\n", rules: desc},
		{name: "multiline still refuses ESC", s: "a\n\x1b", rules: desc, message: "U+001B"},
		{name: "multiline still refuses bidi", s: "a\n\u202d", rules: desc, message: "U+202D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckText("hostname", tt.s, tt.rules)
			if tt.message == "" {
				assert.NoError(t, err)
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 400, e.Status)
			assert.Equal(t, CodeInvalidArgument, e.Code)
			assert.Contains(t, e.Message, tt.message)
		})
	}
}
