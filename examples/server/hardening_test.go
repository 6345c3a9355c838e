package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/perspective-cloud/sdk/perspective"
)

// TestBadNamesRefusedBeforeATask: a launch or rename whose name is empty,
// too long, or holds a control or bidirectional character is a 400 that
// names the field, no task is created, and the answer does not echo a
// long name.
func TestBadNamesRefusedBeforeATask(t *testing.T) {
	e := newEnv(t)
	id := e.launch("ok")[0]
	huge := strings.Repeat("x", 900<<10)
	tests := []struct {
		name, value, field string
	}{
		{"NUL", "web\x00", "name"},
		{"ESC", "web\x1b[31m", "name"},
		{"newline", "web\n1", "name"},
		{"bidi override", "\u202egnp.exe", "name"},
		{"isolate", "a\u2066b", "name"},
		{"empty", " ", "name"},
		{"900 KB", huge, "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qb, err := json.Marshal(tc.value)
			require.NoError(t, err)
			q := string(qb)
			bodies := map[string]string{
				"POST /instances":       `[{"name":` + q + `,"flavor":{"id":"m1.small"},"image":{"id":"cirros-0.6.2"}}]`,
				"PUT /instances/rename": `{"` + id + `":` + q + `}`,
			}
			for route, body := range bodies {
				method, path, _ := strings.Cut(route, " ")
				resp, b := e.do(method, path, body)
				require.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %.200s", route, b)
				v := decodeJSON[errorBody](t, b)
				assert.Equal(t, "invalid_argument", v.Code)
				assert.Contains(t, v.Message, tc.field, route)
				assert.Less(t, len(b), 1024, "%s: the answer echoes the input", route)
				assert.Empty(t, resp.Header.Get("Location"), "%s: a task was created", route)
			}
			assert.Empty(t, e.tasks.list(), "a refused request left a task")
		})
	}
	list, err := e.set.Instances().List(t.Context(), perspective.ListOptions{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "ok", list[0].Name, "nothing was launched or renamed")
}

// TestCheckName covers what JSON cannot carry to a handler (invalid
// UTF-8 arrives as U+FFFD).
func TestCheckName(t *testing.T) {
	for _, bad := range []string{"web\xff", "", "\t", "a\u200fb", "a\u061cb", strings.Repeat("é", 128)} {
		err := checkName("name", bad)
		require.Error(t, err, "%q", bad)
		assert.Equal(t, perspective.CodeInvalidArgument, perspective.Code(err))
		assert.Contains(t, err.Error(), "name")
	}
	for _, good := range []string{"web-1", "Ünïcode ok", "数据库", strings.Repeat("é", 127)} {
		assert.NoError(t, checkName("name", good), "%q", good)
	}
	assert.Equal(t, `"\u202egnp.exe"`, shortQuote("\u202egnp.exe"), "the override shows as an escape")
	assert.Equal(t, 40+len(`""…`), len(shortQuote(strings.Repeat("x", 1000))))
}

// TestTaskStoreBoundedInBytes: results that would not fit drop their
// instance views, a task takes at most maxResultBytes per item, and the
// store forgets finished tasks to stay within its bytes, however few
// tasks it holds.
func TestTaskStoreBoundedInBytes(t *testing.T) {
	const budget = maxTaskBytes + 1<<20 // one task running, one finished
	s := newBoundedTaskStore(taskLimits{count: 1000, bytes: budget})
	defer s.Close()
	ids := make([]string, maxItems)
	for i := range ids {
		ids[i] = fmt.Sprintf("%0255d", i) // the longest id there may be
	}
	long := perspective.Errorf(perspective.CodeInvalidState, "%s", strings.Repeat("m", 64<<10))
	big := &perspective.Instance{ID: "x", Name: "x", Metadata: map[string]string{}}
	for i := range 100 {
		big.Metadata[fmt.Sprint(i)] = strings.Repeat("v", 255)
	}
	var kept []*task
	for round := range 3 {
		tk, err := s.start("rebootInstance", ids)
		require.NoError(t, err, "round %d", round)
		rep := &perspective.Report{}
		for i, id := range ids {
			r := perspective.Result{ID: id, Instance: big}
			if i%2 == 1 {
				r = perspective.Result{ID: id, Err: long}
			}
			rep.Results = append(rep.Results, r)
		}
		tk.finish(rep, rep.Err())
		assert.LessOrEqual(t, tk.size(), maxTaskBytes, "round %d", round)
		v, _ := tk.view()
		assert.Nil(t, v.Results[0].Instance, "a result over maxResultBytes keeps no instance view")
		assert.LessOrEqual(t, len(v.Results[1].Message), maxMessageBytes)
		kept = append(kept, tk)
	}
	s.mu.Lock()
	total := s.bytesLocked()
	n := len(s.order)
	s.mu.Unlock()
	assert.LessOrEqual(t, total, budget)
	assert.Less(t, n, 3, "the store forgot the oldest finished task to stay within its bytes")
	_, ok := s.get(kept[0].id)
	assert.False(t, ok, "the oldest task is the one forgotten")

	// Running tasks alone fill the store: the next call is refused, not kept.
	s2 := newBoundedTaskStore(taskLimits{count: 1000, bytes: maxTaskBytes})
	defer s2.Close()
	_, err := s2.start("rebootInstance", ids)
	require.NoError(t, err)
	_, err = s2.start("rebootInstance", ids[:10])
	require.Error(t, err)
	assert.Equal(t, perspective.CodeRateLimited, perspective.Code(err))
	assert.Contains(t, err.Error(), "MiB")
}

// TestHashPassword: "server hash-password" prints a bcrypt hash of the
// password on standard input that a static users file accepts.
func TestHashPassword(t *testing.T) {
	var out strings.Builder
	require.NoError(t, hashPassword(nil, strings.NewReader("s3cret pass\n"), &out))
	h := strings.TrimSpace(out.String())
	assert.NoError(t, bcrypt.CompareHashAndPassword([]byte(h), []byte("s3cret pass")))

	for _, tc := range []struct {
		args []string
		in   string
		want string
	}{
		{nil, "", "no password on standard input"},
		{nil, "\n", "no password on standard input"},
		{nil, strings.Repeat("p", 73), "longer than 72 bytes"},
		{[]string{"secret"}, "", "takes no arguments"},
	} {
		err := hashPassword(tc.args, strings.NewReader(tc.in), &out)
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.want)
	}

	// Through run, as a user types it.
	old := stdin
	t.Cleanup(func() { stdin = old })
	stdin = strings.NewReader("pw")
	out.Reset()
	require.NoError(t, run(t.Context(), []string{"server", hashPasswordCommand}, noEnv, &out))
	assert.NoError(t, bcrypt.CompareHashAndPassword([]byte(strings.TrimSpace(out.String())), []byte("pw")))
}
