package main

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

// FuzzDecodeLaunch: the launch body decoder never panics, and either
// accepts a complete request or says what is wrong with a 400 or 413.
func FuzzDecodeLaunch(f *testing.F) {
	for _, s := range []string{launchBody, `{}`, ``, `{"name":1}`, `[]`, `null`, `{"name":"a","x":1}`,
		`{"name":"a","image_id":"b","flavor_id":"c","network_id":"d"} {}`, `{"name":"\u0000"}`,
		`{"name":"\u202ea","image_id":"b","flavor_id":"c","network_id":"d"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := decodeFrom[launchRequest](strings.NewReader(body))
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) || (ae.Status != 400 && ae.Status != 413) || ae.Message == "" {
				t.Fatalf("decode %q: unclassified error %v", body, err)
			}
			return
		}
		if req.Name == "" || req.ImageID == "" || req.FlavorID == "" || req.NetworkID == "" {
			t.Fatalf("decode %q: accepted an incomplete request %+v", body, req)
		}
		for _, c := range req.Name {
			if unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
				t.Fatalf("decode %q: accepted the name %q with %U", body, req.Name, c)
			}
		}
	})
}
