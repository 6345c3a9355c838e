package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/perspective-cloud/sdk/perspective"
)

// isClientError reports whether err is a 400 or 413 with a message.
func isClientError(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && (ae.Status == 400 || ae.Status == 413) && ae.Message != ""
}

// FuzzDecodeCreate: the create body decoder never panics, and accepts only
// requests with every required field.
func FuzzDecodeCreate(f *testing.F) {
	for _, s := range []string{`{"hostname":"a","template":"t","flavor":"f","project":"p","ssh_public_key":"k"}`,
		``, `{}`, `[]`, `null`, `{"hostname":1}`, `{"security_groups":[{"url":1}]}`, `{"hostname":"a"} {}`,
		`{"hostname":"\u202ea","template":"t","flavor":"f","project":"p","ssh_public_key":"k","description":"x\ny"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := decodeFrom[createRequest](strings.NewReader(body))
		if err != nil {
			if !isClientError(err) {
				t.Fatalf("decode %q: unclassified error %v", body, err)
			}
			return
		}
		for _, v := range []string{req.Hostname, req.Template, req.Flavor, req.Project, req.SSHPublicKey} {
			if strings.TrimSpace(v) == "" {
				t.Fatalf("decode %q: accepted an incomplete request %+v", body, req)
			}
		}
		for _, c := range req.Hostname + req.Description {
			if (unicode.IsControl(c) && c != '\n' && c != '\t' && c != '\r') || unicode.Is(unicode.Cf, c) {
				t.Fatalf("decode %q: accepted %U in the hostname or description", body, c)
			}
		}
		if strings.ContainsAny(req.Hostname, "\n\t\r") {
			t.Fatalf("decode %q: accepted a hostname of several lines", body)
		}
	})
}

// FuzzDecodeResize: the resize body decoder never panics, and accepts
// exactly one of flavor and a positive disk_size.
func FuzzDecodeResize(f *testing.F) {
	for _, s := range []string{`{"flavor":"m1.small"}`, `{"disk_size":1024}`, `{"disk_size":-1}`, `{}`,
		`{"flavor":"a","disk_size":1}`, `{"flavor":null}`, `{"disk_size":1e40}`, `{"flavor":"http://x/"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := decodeFrom[resizeRequest](strings.NewReader(body))
		if err != nil {
			if !isClientError(err) {
				t.Fatalf("decode %q: unclassified error %v", body, err)
			}
			return
		}
		if (req.Flavor == nil) == (req.DiskSize == nil) || (req.DiskSize != nil && *req.DiskSize <= 0) ||
			(req.Flavor != nil && refID(*req.Flavor) == "") {
			t.Fatalf("decode %q: accepted %+v", body, req)
		}
	})
}

// FuzzUsageQuery: the usage query parser never panics, and what it
// accepts is a valid query.
func FuzzUsageQuery(f *testing.F) {
	for _, s := range []string{"item=cpu", "item=memory&from=1415910025&to=1415912625&datapoints=6", "",
		"item=storage&from=1e300", "item=cpu&from=-1", "item=cpu&datapoints=x", "item=cpu&from=NaN", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := usageValues(raw)
		if err != nil {
			if !isClientError(err) {
				t.Fatalf("parse %q: unclassified error %v", raw, err)
			}
			return
		}
		q, err := parseUsageQuery(v)
		if err != nil {
			if !isClientError(err) {
				t.Fatalf("parse %q: unclassified error %v", raw, err)
			}
			return
		}
		if !q.From.Before(q.To) || q.Points < 0 || q.Points > 1000 {
			t.Fatalf("parse %q: accepted %+v", raw, q)
		}
	})
}

// FuzzListQuery: any list query either filters (never adding instances) or
// is a 400 saying what is wrong.
func FuzzListQuery(f *testing.F) {
	for _, s := range []string{"hostname=web-1", "state=%2B&o=-hostname", "o=project__name,-state", "state=x",
		"bogus=1", "o=", "o=-", "project_group=a&project_group=b", "hostname='+OR+1=1+--", "o=hostname;DROP",
		"hostname=%zz", "o=a,,b", "hostname=a&hostname=b&hostname=c&o=state,hostname,uuid"} {
		f.Add(s)
	}
	p := &portal{customers: map[string]customerEntry{"c": {UUID: "c", Name: "C"}}}
	pr := &project{projectEntry: projectEntry{UUID: "p", Name: "P", Customer: "c"}, groups: []groupEntry{{Name: "G"}}}
	p.ordered = []*project{pr}
	all := []listed{
		{inst: perspective.Instance{ID: "11111111-1111-1111-1111-111111111111", Name: "web-1", State: perspective.StateLaunched}, proj: pr},
		{inst: perspective.Instance{ID: "22222222-2222-2222-2222-222222222222", Name: "web-2", State: perspective.StateShutoff}, proj: pr},
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := listValues(raw)
		if err != nil {
			if !isClientError(err) {
				t.Fatalf("parse %q: unclassified error %v", raw, err)
			}
			return
		}
		out, err := p.filterInstances(context.Background(), v, all)
		if err != nil {
			if !isClientError(err) {
				t.Fatalf("filter %q: unclassified error %v", raw, err)
			}
			return
		}
		if len(out) > len(all) {
			t.Fatalf("filter %q: %d instances out of %d", raw, len(out), len(all))
		}
	})
}
