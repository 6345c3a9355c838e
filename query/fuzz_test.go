package query

import (
	"context"
	"errors"
	"testing"
)

// FuzzParse checks that no input makes the lexer or the parser panic, and
// that whatever parses formats back to text that parses again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"select id, name from projects where name regexp :name: order by name asc",
		"SELECT * FROM instances i LEFT JOIN flavors f ON i.project_id = f.project_id AND i.flavor_id = f.id LIMIT 1, 2",
		"select count(*) from instances group by state having count(*) > ? ; explain select 1",
		"select `key` from instance_metadata where value like '%a\\%' or !(x between 1 and 2)",
		"select :a.b.c: , ?, 'it''s', 1e3, .5 -- c\n /* c */",
		"((((((((", "'unterminated", ":", "select a from b natural right join c using (d)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sc := parseScript(src)
		if sc.err != nil {
			return
		}
		for i, st := range sc.stmts {
			if sc.errs[i] != nil {
				continue
			}
			if st == nil {
				t.Fatalf("statement %d: nil without error", i)
			}
			if st.Where != nil {
				if _, err := parse("select 1 where " + st.Where.String()); err != nil {
					t.Fatalf("WHERE %q formats to text that does not parse: %v", st.Where.String(), err)
				}
			}
		}
	})
}

// FuzzCompile checks that compiling and running any statement over the
// test inventory ends in a result or a classified error, never a panic.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"select id, name from projects where name regexp :name: order by name asc",
		"select instances.name, flavors.name from instances left join flavors on instances.project_id = flavors.project_id and instances.flavor_id = flavors.id order by 1 desc limit 2",
		"select state, count(*) n, max(name) from instances group by state having n > 0 order by n",
		"select distinct cloud_type from instances right join projects using (cloud_id)",
		"select substring(name, -2, 5), round(ram / 3, 2), coalesce(notes, 'x') from flavors where ram in (512, :r) or name like ?",
		"select * from clouds natural join projects where id <=> null xor true",
	} {
		f.Add(s)
	}
	db := testDB(f)
	f.Fuzz(func(t *testing.T, src string) {
		results, err := testEngine().Batch(context.Background(), db, []Request{{SQL: src, Parameters: []Parameter{
			{Name: "name", Value: String("a")}, {Name: "r", Value: Int(1)}, {Value: String("x")}}}})
		if err != nil {
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("batch %q refused with an unclassified error: %v", src, err)
			}
			return
		}
		for _, res := range results {
			if res == nil || res.Status == "" {
				t.Fatalf("no status for %q", src)
			}
			if res.Status == StatusEvaluationError && len(res.Message) > 0 && res.Message[:8] == "internal" {
				t.Fatalf("panic while running %q: %s", src, res.Message)
			}
		}
	})
}
