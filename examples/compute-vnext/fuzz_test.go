package main

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// FuzzDecodeTask: the task body decoder never panics, and either accepts
// a known action with exactly the fields it takes, or says what is wrong
// with a 400 or 413.
func FuzzDecodeTask(f *testing.F) {
	for _, s := range []string{`{"action":"reboot","type":"hard"}`, `{"action":"move","live":true,"host":"aio2"}`,
		`{"action":"resize","server_type":"m1.small"}`, `{"action":"set_password","password":"x"}`, `{}`, ``, `[]`, `null`,
		`{"action":"stop","host":"a"}`, `{"action":"rebuild"}`, `{"action":1}`, `{"action":"snapshot","name":"\u202e"}`,
		`{"action":"reboot"} {}`, `{"action":"terminate","x":1}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := httpjson.DecodeReader[taskRequest](strings.NewReader(body), bodyOptions)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || (ae.Status != 400 && ae.Status != 413) || ae.Message == "" {
				t.Fatalf("decode %q: unclassified error %v", body, err)
			}
			return
		}
		a, ok := actions[req.Action]
		if !ok {
			t.Fatalf("decode %q: accepted the unknown action %q", body, req.Action)
		}
		for _, f := range a.required {
			if !slices.Contains(req.present(), f) {
				t.Fatalf("decode %q: accepted %s without %s", body, req.Action, f)
			}
		}
		for _, f := range req.present() {
			if !slices.Contains(a.required, f) && !slices.Contains(a.optional, f) {
				t.Fatalf("decode %q: accepted %s with %s", body, req.Action, f)
			}
		}
		for _, v := range []string{req.Image, req.ServerType, req.Name, req.Host} {
			if httpjson.CheckText("field", v, oneLine) != nil {
				t.Fatalf("decode %q: accepted the text %q", body, v)
			}
		}
	})
}
