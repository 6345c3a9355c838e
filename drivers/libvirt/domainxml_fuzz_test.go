package libvirt

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

// metaSeed is an element as the driver writes it, in the two forms it is
// read back in: as written, and as libvirt hands it back (prefixed).
func metaSeeds(f *testing.F) []string {
	now := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	m := &meta{Namespace: "ns", Name: "web 1", Flavor: "tiny", Image: "img", Keypair: "k", Disk: "d.overlay.qcow2",
		Log: "d.console.log", Locked: true, Created: now, Updated: now, Tags: []string{"a", "b"}}
	m.setMetadata(map[string]string{"z": "1", "a": "<&>\"'\r\n"})
	x, err := m.marshal()
	require.NoError(f, err)
	return []string{x, prefixed(x), `<other xmlns="urn:x"/>` + prefixed(x)}
}

// FuzzParseMeta reads arbitrary inner XML of a domain's <metadata>, as
// another libvirt client may have written it: parseMeta never panics,
// refuses input past its bound with a classified error, holds no more
// than its input, and what it read writes back and reads the same.
func FuzzParseMeta(f *testing.F) {
	for _, s := range metaSeeds(f) {
		f.Add(s)
	}
	f.Add(`<perspective:instance xmlns:perspective="` + XMLNamespace + `"><perspective:tag>` + strings.Repeat("x", 100) + `</perspective:tag>`)
	f.Add(`<instance xmlns="` + XMLNamespace + `"><created>not a time</created></instance>`)
	f.Add(`<instance xmlns="` + XMLNamespace + `"><meta key="k">&bogus;</meta></instance>`)
	f.Add(`<instance xmlns="` + XMLNamespace + `"><namespace><namespace>x</namespace></namespace></instance>`)
	f.Add(XMLNamespace)
	f.Add("")
	f.Add(metaSeeds(f)[1] + strings.Repeat(" ", 4*maxMetaBytes)) // past the bound
	f.Fuzz(func(t *testing.T, inner string) {
		m, ok, err := parseMeta(inner)
		if len(inner) > 4*maxMetaBytes {
			require.Error(t, err, "past the bound")
			require.Equal(t, driver.CodeUnknown, driver.CodeOf(err))
			return
		}
		if err != nil {
			require.NotEqual(t, driver.CodeOK, driver.CodeOf(err), "a classified error")
			require.False(t, ok)
			return
		}
		if !ok {
			require.Nil(t, m)
			return
		}
		require.NotNil(t, m)
		// character and entity references only shrink: what was read is
		// no bigger than the input
		require.LessOrEqual(t, metaBytes(m), len(inner), "the element read holds no more than its input")
		x, err := m.marshal()
		if err != nil {
			// a time past year 9999, or more than the bound once escaped
			require.NotEqual(t, driver.CodeOK, driver.CodeOf(err))
			return
		}
		for _, form := range []string{x, prefixed(x)} {
			back, ok, err := parseMeta(form)
			require.NoError(t, err, "what the driver wrote reads back: %q", form)
			require.True(t, ok)
			requireSameMeta(t, m, back)
		}
	})
}

// FuzzMetaRoundTrip writes an element from arbitrary field values and
// reads it back: every value that XML can carry comes back unchanged.
func FuzzMetaRoundTrip(f *testing.F) {
	f.Add("ns", "web-1", "tiny", "tag", "key", "value", true, int64(1767323045))
	f.Add("", "a\x00b", "\xff", "t\r\n", "k\"<", "v]]>&", false, int64(-62135596800))
	f.Fuzz(func(t *testing.T, ns, name, flavor, tag, key, value string, locked bool, unix int64) {
		at := time.Unix(unix, 0).UTC()
		m := &meta{Namespace: ns, Name: name, Flavor: flavor, Locked: locked, Created: at, Updated: at,
			Tags: []string{tag}, Meta: []kv{{Key: key, Value: value}}}
		x, err := m.marshal()
		if err != nil {
			require.NotEqual(t, driver.CodeOK, driver.CodeOf(err), "a classified error")
			return
		}
		require.LessOrEqual(t, len(x), maxMetaBytes, "what it writes keeps the bound")
		back, ok, err := parseMeta(prefixed(x))
		require.NoError(t, err, "what the driver wrote reads back: %q", x)
		require.True(t, ok)
		want := *m
		// XML carries no NUL, no other control character but tab, CR and
		// LF, and no invalid UTF-8: the writer puts U+FFFD in their place
		want.Namespace, want.Name, want.Flavor = xmlSafe(ns), xmlSafe(name), xmlSafe(flavor)
		want.Tags = []string{xmlSafe(tag)}
		want.Meta = []kv{{Key: xmlSafe(key), Value: xmlSafe(value)}}
		requireSameMeta(t, &want, back)
	})
}

// xmlSafe is s as encoding/xml writes it: U+FFFD for what XML cannot carry.
func xmlSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if r == utf8.RuneError && w == 1 || !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
			r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// requireSameMeta compares two elements: times by instant, the rest exactly.
func requireSameMeta(t *testing.T, want, got *meta) {
	t.Helper()
	require.True(t, want.Created.Equal(got.Created), "created %s vs %s", want.Created, got.Created)
	require.True(t, want.Updated.Equal(got.Updated), "updated %s vs %s", want.Updated, got.Updated)
	w, g := *want, *got
	w.Created, w.Updated, g.Created, g.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	w.XMLName = g.XMLName // the writer leaves it empty, the reader fills it
	if len(w.Tags) == 0 {
		w.Tags = nil
	}
	if len(g.Tags) == 0 {
		g.Tags = nil
	}
	if len(w.Meta) == 0 {
		w.Meta = nil
	}
	if len(g.Meta) == 0 {
		g.Meta = nil
	}
	require.Equal(t, w, g)
}

// metaBytes is how many bytes of text an element holds.
func metaBytes(m *meta) int {
	n := len(m.Namespace) + len(m.Name) + len(m.Flavor) + len(m.Image) + len(m.Keypair) + len(m.Disk) + len(m.Log)
	for _, t := range m.Tags {
		n += len(t)
	}
	for _, e := range m.Meta {
		n += len(e.Key) + len(e.Value)
	}
	return n
}
