package operator

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds of operator input, enforced before any call to the cloud.
const (
	// MaxNameBytes bounds names, hosts, project ids, keys and values.
	MaxNameBytes = 255
	// MaxMetadataKeys bounds the keys of one metadata or extra-spec change.
	MaxMetadataKeys = 100
)

// validRef checks a name, id, host or key: 1 to MaxNameBytes bytes of
// printable UTF-8 (no control or invisible format characters).
func validRef(op Operation, field, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalidArg(op, field, "is empty")
	}
	return validValue(op, field, s)
}

// validValue checks a value that may be empty: at most MaxNameBytes bytes
// of printable UTF-8.
func validValue(op Operation, field, s string) error {
	if len(s) > MaxNameBytes {
		return invalidArg(op, field, "is %d bytes; at most %d", len(s), MaxNameBytes)
	}
	if !utf8.ValidString(s) {
		return invalidArg(op, field, "is not valid UTF-8")
	}
	for i, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return invalidArg(op, field, "has the character %U at byte %d (control and format characters are not allowed)", r, i)
		}
	}
	return nil
}

// validPairs checks a metadata or extra-spec change.
func validPairs(op Operation, field string, set map[string]string, unset []string) error {
	if len(set)+len(unset) == 0 {
		return invalidArg(op, field, "nothing to set or unset")
	}
	if len(set)+len(unset) > MaxMetadataKeys {
		return invalidArg(op, field, "%d keys; at most %d", len(set)+len(unset), MaxMetadataKeys)
	}
	for k, v := range set {
		if err := validRef(op, field+" key", k); err != nil {
			return err
		}
		if err := validValue(op, fmt.Sprintf("%s %s", field, quoted(k)), v); err != nil {
			return err
		}
	}
	for _, k := range unset {
		if err := validRef(op, field+" key", k); err != nil {
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
