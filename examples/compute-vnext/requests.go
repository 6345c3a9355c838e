package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpjson"
)

// Bounds of request fields, checked where they are decoded.
const (
	maxIDBytes       = 255 // ids, names, hosts, project ids
	maxLaunchCount   = 50  // servers launched by one request
	maxNetworks      = 16  // networks of one launch
	maxMetadataKeys  = 100 // metadata keys of one change
	maxTags          = 50  // tags of one server or server type
	maxTagBytes      = 60  // one tag
	maxShare         = 100 // projects one server type is shared with
	maxDescription   = 1024
	maxVCPUs         = 4096
	maxRAMMiB        = 64 << 20 // 64 TiB
	maxDiskGiB       = 1 << 20  // 1 PiB
	maxPasswordBytes = 255
)

// oneLine is the rule of a name: one line of at most maxIDBytes.
var oneLine = httpjson.TextRules{MaxBytes: maxIDBytes}

// required refuses an empty field, and checks a set one as a name.
func required(field, v string) error {
	if v == "" {
		return badRequest(field + " is required")
	}
	return httpjson.CheckText(field, v, oneLine)
}

// optional checks a field as a name when it is set.
func optional(field, v string) error {
	if v == "" {
		return nil
	}
	return httpjson.CheckText(field, v, oneLine)
}

// checkList checks a list of names: at most max, each one a name, no
// duplicates.
func checkList(field string, vs []string, max, maxBytes int) error {
	if len(vs) > max {
		return badRequest(fmt.Sprintf("%s: %d items; at most %d", field, len(vs), max))
	}
	for i, v := range vs {
		name := fmt.Sprintf("%s[%d]", field, i)
		if v == "" {
			return badRequest(name + " is empty")
		}
		if err := httpjson.CheckText(name, v, httpjson.TextRules{MaxBytes: maxBytes}); err != nil {
			return err
		}
		if slices.Contains(vs[:i], v) {
			return badRequest(fmt.Sprintf("%s: %q appears twice", field, v))
		}
	}
	return nil
}

// checkTags checks tags: Nova refuses a tag with a comma or a slash.
func checkTags(field string, tags []string) error {
	if err := checkList(field, tags, maxTags, maxTagBytes); err != nil {
		return err
	}
	for i, t := range tags {
		if strings.ContainsAny(t, ",/") {
			return badRequest(fmt.Sprintf("%s[%d]: %q holds a comma or a slash", field, i, t))
		}
	}
	return nil
}

// firstError returns the first non-nil error.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// launchRequest is the body of POST /projects/{project}/servers.
type launchRequest struct {
	Name       string   `json:"name"`
	ServerType string   `json:"server_type"`
	Image      string   `json:"image"`
	Networks   []string `json:"networks"`
	Count      int      `json:"count"`
}

// Validate names what is missing, too long or out of range.
func (r *launchRequest) Validate() error {
	if r.Count < 0 || r.Count > maxLaunchCount {
		return badRequest(fmt.Sprintf("count: %d; give from 1 to %d (0 means 1)", r.Count, maxLaunchCount))
	}
	return firstError(required("name", r.Name), required("server_type", r.ServerType), required("image", r.Image),
		checkList("networks", r.Networks, maxNetworks, maxIDBytes))
}

// patchRequest is the body of PATCH /servers/{id}: the fields given
// change. A metadata key set to null is removed; tags is the whole new list.
type patchRequest struct {
	Name     *string            `json:"name"`
	Metadata map[string]*string `json:"metadata"`
	Tags     *[]string          `json:"tags"`
}

// Validate checks the fields given, and that one is.
func (r *patchRequest) Validate() error {
	if r.Name == nil && r.Metadata == nil && r.Tags == nil {
		return badRequest("request body: give name, metadata or tags")
	}
	if r.Name != nil {
		if err := required("name", *r.Name); err != nil {
			return err
		}
	}
	if len(r.Metadata) > maxMetadataKeys {
		return badRequest(fmt.Sprintf("metadata: %d keys; at most %d", len(r.Metadata), maxMetadataKeys))
	}
	for k, v := range r.Metadata {
		if err := required("metadata key", k); err != nil {
			return err
		}
		if v != nil {
			if err := httpjson.CheckText("metadata["+k+"]", *v, oneLine); err != nil {
				return err
			}
		}
	}
	if r.Tags != nil {
		return checkTags("tags", *r.Tags)
	}
	return nil
}

// serverTypeRequest is the body of POST /server_types. A non-empty share
// makes the server type private and shared with those projects.
type serverTypeRequest struct {
	Name        string   `json:"name"`
	VCPUs       int      `json:"vcpus"`
	RAM         int      `json:"ram"`
	Disk        int      `json:"disk"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Share       []string `json:"share"`
}

// Validate checks every field.
func (r *serverTypeRequest) Validate() error {
	switch {
	case r.VCPUs < 1 || r.VCPUs > maxVCPUs:
		return badRequest(fmt.Sprintf("vcpus: %d; give from 1 to %d", r.VCPUs, maxVCPUs))
	case r.RAM < 1 || r.RAM > maxRAMMiB:
		return badRequest(fmt.Sprintf("ram: %d MiB; give from 1 to %d", r.RAM, maxRAMMiB))
	case r.Disk < 0 || r.Disk > maxDiskGiB:
		return badRequest(fmt.Sprintf("disk: %d GiB; give from 0 to %d", r.Disk, maxDiskGiB))
	}
	return firstError(required("name", r.Name),
		httpjson.CheckText("description", r.Description, httpjson.TextRules{MaxBytes: maxDescription, Multiline: true}),
		checkTags("tags", r.Tags), checkList("share", r.Share, maxShare, maxIDBytes))
}

// serverTypePatch is the body of PATCH /server_types/{id}: a new
// description, and share as the whole new list of projects.
type serverTypePatch struct {
	Description *string   `json:"description"`
	Share       *[]string `json:"share"`
}

// Validate checks the fields given, and that one is.
func (r *serverTypePatch) Validate() error {
	if r.Description == nil && r.Share == nil {
		return badRequest("request body: give description or share")
	}
	if r.Description != nil {
		if err := httpjson.CheckText("description", *r.Description, httpjson.TextRules{MaxBytes: maxDescription, Multiline: true}); err != nil {
			return err
		}
	}
	if r.Share != nil {
		return checkList("share", *r.Share, maxShare, maxIDBytes)
	}
	return nil
}
