package perspective

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidNameRefusesWhatWouldMisleadOrOverflow(t *testing.T) {
	for _, tc := range []struct {
		name, in, why string
	}{
		{"blank", "  ", "is empty"},
		{"too long", strings.Repeat("a", 256), "at most 255"},
		{"NUL", "a\x00b", "U+0000"},
		{"escape", "a\x1b[31mred", "U+001B"},
		{"newline", "web\n1", "U+000A"},
		{"DEL", "a\x7f", "U+007F"},
		{"C1", "a\u0085", "U+0085"},
		{"bidi override", "\u202egnp.exe", "U+202E"},
		{"bidi isolate", "a\u2066b", "U+2066"},
		{"zero width", "a\u200bb", "U+200B"},
		{"invalid UTF-8", "a\xffb", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := validName(OpLaunch, tc.in)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.ErrorContains(t, err, "name")
			assert.ErrorContains(t, err, tc.why)
			assert.Less(t, len(err.Error()), 200, "the error never echoes a huge input")
		})
	}
	for _, ok := range []string{"web-1", "Ünïcödé サーバー", "a b.c_d", strings.Repeat("x", 255)} {
		assert.NoError(t, validName(OpLaunch, ok), "%q", ok)
	}
}

func TestValidTagsBoundTheirEcho(t *testing.T) {
	err := validTags(OpTag, []string{strings.Repeat("t", 900_000)})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Less(t, len(err.Error()), 200)
	assert.ErrorIs(t, validTags(OpTag, []string{"a\u202eb"}), ErrInvalidArgument)
	assert.NoError(t, validTags(OpTag, []string{"prod", "web"}))
}
