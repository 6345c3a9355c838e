package query

import (
	"context"
	"errors"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listing is the instance listing over the test schema, with the fields
// the perspective package gives its ListInstances.
var listing = FieldMap{
	Select: "instances.*, projects.name AS project_name, flavors.name AS flavor_name, images.name AS template_name",
	From: "instances INNER JOIN projects ON instances.project_id = projects.id " +
		"LEFT JOIN flavors ON instances.project_id = flavors.project_id AND instances.flavor_id = flavors.id " +
		"LEFT JOIN images ON instances.image_id = images.id",
	Fields: map[string]string{"hostname": "instances.name", "state": "instances.state", "project_name": "projects.name"},
	Order:  map[string]string{"project__name": "projects.name"},
	Ignore: []string{"page"},
}

func TestFilter(t *testing.T) {
	en := testEngine()
	q, args, err := en.Filter("hostname=web-1&hostname=web-2&state=launched&o=-hostname&o=project__name,hostname&page=2", listing)
	require.NoError(t, err)
	assert.Equal(t, "SELECT "+listing.Select+" FROM "+listing.From+
		" WHERE (instances.name IN (:f0:, :f1:)) AND (instances.state = :f2:) ORDER BY instances.name DESC, projects.name ASC", q.String(),
		"a repeated ordering key adds nothing")
	assert.Equal(t, []any{Named("f0", "web-1"), Named("f1", "web-2"), Named("f2", "launched")}, args)
	same, err := en.Compile(q.String())
	require.NoError(t, err)
	assert.Same(t, q, same, "filters compile through the engine's cache")

	res, err := q.Run(context.Background(), testDB(t), args...)
	require.NoError(t, err)
	type row struct {
		Name        string
		ProjectName string
		Flavor      *string `query:"flavor_name"`
	}
	rows, err := ScanAll[row](res)
	require.NoError(t, err)
	small := "m1.small"
	assert.Equal(t, []row{{Name: "web-1", ProjectName: "project-one", Flavor: &small}}, rows)
}

func TestFilterClientConvention(t *testing.T) {
	fm := listing
	fm.ClientConvention = true
	q, args, err := testEngine().Filter("hostname=%5Eweb-1%24&hostname=%25db%25&state=launch", fm)
	require.NoError(t, err)
	assert.Contains(t, q.String(), "WHERE (instances.name = :f0: OR instances.name LIKE :f1:) AND (instances.state REGEXP :f2:)")
	assert.Equal(t, []any{Named("f0", "web-1"), Named("f1", "%db%"), Named("f2", "launch")}, args)
	res, err := q.Run(context.Background(), testDB(t), args...)
	require.NoError(t, err)
	assert.Len(t, res.Rows(), 2) // web-1 and db-1, both launched
}

func TestFilterErrors(t *testing.T) {
	en := testEngine()
	many := func(key string, n int) string {
		return strings.Repeat(key+"&", n-1) + key
	}
	tests := []struct {
		name, raw string
		limit     bool
		msg       string
	}{
		{"unknown field", "hostnme=x", false, `unknown filter field "hostnme" (did you mean "hostname"?)`},
		{"unknown ordering", "o=-color", false, `unknown ordering field "color" (known fields: hostname, project__name, project_name, state)`},
		{"semicolon", "hostname=web-1;x", false, `invalid filter parameter "hostname=web-1;x": ';' is not a separator (separate parameters with &, and write a ';' in a value as %3B)`},
		{"bad escape", "hostname=%zz", false, `invalid filter parameter "hostname=%zz": invalid URL escape "%zz"`},
		{"bad escape in a key", "host%2=a", false, `invalid filter parameter "host%2=a": invalid URL escape "%2"`},
		{"values per field", many("hostname=a", 101), true, `invalid filter: field "hostname" has 101 values, more than 100 (the value limit)`},
		{"parameters per request", many("o=hostname", 501), true, `invalid filter: more than 500 parameters (the parameter limit)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := en.Filter(tc.raw, listing)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidFilter, "a server answers 400")
			assert.Equal(t, tc.limit, errors.Is(err, ErrLimit))
			assert.EqualError(t, err, tc.msg)
		})
	}
	_, _, err := en.Filter("hostname=x", FieldMap{Select: "nope", From: "instances", Fields: listing.Fields})
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrInvalidFilter, "a broken FieldMap is the program's fault, not the client's")
	assert.ErrorIs(t, err, ErrUnknownColumn)
}

// allocated reports the bytes f allocates: an upper bound of how much it
// grows the heap at its peak.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const maxAttackBytes = 50 << 20

// hostnames is issue 16's attack: 5,000 values of one field (a 74 KB URL).
func hostnames(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString("hostname=a" + itoa(i))
	}
	return b.String()
}

// TestFilterCostIsLinear compiles the attacks with the bounds lifted: the
// compiler's cost follows the size of the URL (it took 1.29 GB for 5,000
// values and 666 MB for 9,999 o=hostname when the plan's text was built
// by re-formatting the OR chain at every level and each collected chunk
// held 2,048 rows of 10,000 keys).
func TestFilterCostIsLinear(t *testing.T) {
	en := testEngine(WithLimits(Limits{FilterValues: 1 << 20, FilterParams: 1 << 20}))
	for name, raw := range map[string]string{
		"5,000 values":           hostnames(5000),
		"9,999 o=hostname":       "hostname=web-1&" + strings.Repeat("o=hostname&", 9999),
		"one o= of 9,999 fields": "hostname=web-1&o=" + strings.Repeat("hostname,", 9999),
	} {
		t.Run(name, func(t *testing.T) {
			db := testDB(t)
			n := allocated(func() {
				q, args, err := en.Filter(raw, listing)
				require.NoError(t, err)
				_, err = q.Run(context.Background(), db, args...)
				require.NoError(t, err)
			})
			t.Logf("%s: %.1f MB allocated", name, float64(n)/(1<<20))
			assert.Less(t, n, uint64(maxAttackBytes))
		})
	}
}

// TestFilterBoundsAttack sends the attacks at the default bounds: refused
// with a clear error, for a few hundred kilobytes.
func TestFilterBoundsAttack(t *testing.T) {
	en := testEngine()
	for name, raw := range map[string]string{
		"5,000 values":     hostnames(5000),
		"9,999 o=hostname": "hostname=web-1&" + strings.Repeat("o=hostname&", 9999),
		"1,000,000 params": strings.Repeat("o=hostname&", 1_000_000),
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, _, err = en.Filter(raw, listing) })
			assert.ErrorIs(t, err, ErrLimit)
			assert.Less(t, n, uint64(1<<20), "refused before holding the parameters")
		})
	}
}

// FuzzFilter checks the URL filter reader and compiler: never a panic,
// every error classified, exactly as strict as url.ParseQuery (what it
// accepts, ParseQuery reads the same way without error), and whatever
// compiles runs.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{"hostname=web-1&state=launched&o=-hostname", "hostname=web-1;x", "hostname=%zz",
		"o=project__name,-hostname&page=2", "=&&=", "hostname=%E2%82%AC+x", "state", "o=-", hostnames(3)} {
		f.Add(s)
	}
	db := testDB(f)
	en := testEngine(WithLimits(Limits{FilterValues: 8, FilterParams: 16}))
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := en.parseFilter(raw)
		std, stdErr := url.ParseQuery(raw)
		if err == nil {
			require.NoError(t, stdErr, "accepted %q, which url.ParseQuery rejects", raw)
			assert.Equal(t, std, values)
		} else {
			require.ErrorIs(t, err, ErrInvalidFilter)
		}
		q, args, err := en.Filter(raw, listing)
		if err != nil {
			if !errors.Is(err, ErrInvalidFilter) {
				t.Fatalf("filter %q: unclassified error %v", raw, err)
			}
			return
		}
		if _, err := q.Run(context.Background(), db, args...); err != nil {
			t.Fatalf("filter %q compiled but does not run: %v", raw, err)
		}
	})
}
