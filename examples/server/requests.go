package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/perspective-cloud/sdk/perspective"
)

// This file holds the request bodies the server accepts, each validated
// by decode (see encode.go) before a handler sees it.

// maxItems bounds the ids, instances or images of one request.
const maxItems = 1000

// invalid returns the invalid-argument error of a request body.
func invalid(format string, args ...any) error {
	return perspective.Errorf(perspective.CodeInvalidArgument, "request body: "+format, args...)
}

// flexString is an id that Java clients may send as a JSON string or a
// number (the original's flavor ids are "uuidOrInteger").
type flexString string

// UnmarshalJSON accepts a string, a number or null.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			// An UnmarshalTypeError gets the field's name from the decoder.
			return &json.UnmarshalTypeError{Value: jsonValueKind(b), Type: reflect.TypeFor[flexString]()}
		}
		*f = flexString(n.String())
	}
	return nil
}

// jsonValueKind names the kind of the JSON value b as UnmarshalTypeError does.
func jsonValueKind(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// flexStrings is a list that may also come as one string (an image's
// projectId is a list in seed 001 and a string elsewhere).
type flexStrings []string

// UnmarshalJSON accepts a string, a list of strings or null.
func (f *flexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexStrings{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return &json.UnmarshalTypeError{Value: jsonValueKind(b), Type: reflect.TypeFor[[]string]()}
	}
	*f = list
	return nil
}

// checkIDs validates a list of ids.
func checkIDs(what string, ids []string) error {
	if len(ids) == 0 {
		return invalid("no %s given; send a JSON list such as [\"id-one\", \"id-two\"]", what)
	}
	if len(ids) > maxItems {
		return invalid("%d %s; at most %d per request", len(ids), what, maxItems)
	}
	for i, id := range ids {
		if strings.TrimSpace(id) == "" {
			return invalid("item %d of %s is empty", i, what)
		}
		if len(id) > 255 {
			return invalid("item %d of %s is longer than 255 bytes", i, what)
		}
	}
	return nil
}

// idList is a JSON list of ids: what the original's bulk routes take.
type idList []string

// Validate checks that the list has 1 to maxItems non-empty ids.
func (l idList) Validate() error { return checkIDs("ids", l) }

// selection is the body of a bulk route that needs an argument besides
// the ids: either a plain JSON list of ids (the original's form) or an
// object carrying the ids and the argument, e.g.
// {"ids":["…"],"tags":["web"]} or {"ids":["…"],"flavorId":"2"}.
type selection struct {
	IDs      []string `json:"ids"`
	Name     string   `json:"name,omitempty"`
	FlavorID string   `json:"flavorId,omitempty"`
	ImageID  string   `json:"imageId,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	Address  string   `json:"address,omitempty"`
	Network  string   `json:"network,omitempty"`
}

// UnmarshalJSON accepts a list of ids or an object with no unknown fields.
func (s *selection) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		*s = selection{}
		return json.Unmarshal(b, &s.IDs)
	}
	type plain selection
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p plain
	if err := dec.Decode(&p); err != nil {
		if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("unknown field %s; the fields are ids, name, flavorId, imageId, tags, address and network", msg)
		}
		return err
	}
	*s = selection(p)
	return nil
}

// Bounds of a selection's tags (Nova allows 50 tags of 60 characters).
const (
	maxTags     = 50
	maxTagBytes = 60
)

// Validate checks the ids, the snapshot's name and the tags; each route
// checks that the argument it needs is there.
func (s selection) Validate() error {
	if err := checkIDs("ids", s.IDs); err != nil {
		return err
	}
	if s.Name != "" {
		if err := checkName("name", s.Name); err != nil {
			return err
		}
	}
	if len(s.Tags) > maxTags {
		return invalid("tags: %d tags; at most %d", len(s.Tags), maxTags)
	}
	for i, tag := range s.Tags {
		if len(tag) > maxTagBytes {
			return invalid("tags: tag %d is %d bytes long; at most %d", i, len(tag), maxTagBytes)
		}
		if err := checkName(fmt.Sprintf("tags: tag %d", i), tag); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{{"flavorId", s.FlavorID}, {"imageId", s.ImageID}, {"address", s.Address}, {"network", s.Network}} {
		if len(f.v) > maxIDBytes {
			return invalid("%s is %d bytes long; at most %d", f.name, len(f.v), maxIDBytes)
		}
	}
	return nil
}

// renameMap maps instance ids to new names (PUT /instances/rename).
type renameMap map[string]string

// Validate checks that there is something to rename and no empty name.
func (m renameMap) Validate() error {
	if len(m) == 0 {
		return invalid("no instances to rename; send {\"<instance id>\": \"<new name>\"}")
	}
	if len(m) > maxItems {
		return invalid("%d instances; at most %d per request", len(m), maxItems)
	}
	for id, name := range m {
		if strings.TrimSpace(id) == "" {
			return invalid("an instance id is empty")
		}
		if len(id) > maxIDBytes {
			return invalid("the instance id %s is longer than %d bytes", shortQuote(id), maxIDBytes)
		}
		if err := checkName("the new name of instance "+shortQuote(id), name); err != nil {
			return err
		}
	}
	return nil
}

// idRef and nameRef are references by id or by name, as the original's
// client sends them ({"id": …}, {"name": …}).
type idRef struct {
	ID flexString `json:"id"`
}

type nameRef struct {
	Name string `json:"name"`
}

// launchItem is one instance to launch, as the original's client sends
// it. Fields the server assigns (id, state, created, timestamp) are
// ignored if present. Region is an addition: it picks a region when the
// project is opened in several.
type launchItem struct {
	CloudID   string       `json:"cloudId"`
	CloudType string       `json:"cloudType"`
	ProjectID string       `json:"projectId"`
	Region    string       `json:"region"`
	Name      string       `json:"name"`
	Flavor    *idRef       `json:"flavor"`
	Image     *idRef       `json:"image"`
	Networks  []idRef      `json:"networks"`
	Keypairs  []nameRef    `json:"keypairs"`
	IsLocked  bool         `json:"isLocked"`
	Metadata  metadataView `json:"metadata"`
}

// launchRequest is the body of POST /instances: always a list.
type launchRequest []launchItem

func (it launchItem) name() string { return it.Name }

// Validate checks every item before anything is launched.
func (l launchRequest) Validate() error {
	if len(l) == 0 {
		return invalid("no instances to launch; send a JSON list of instances")
	}
	if len(l) > maxItems {
		return invalid("%d instances; at most %d per request", len(l), maxItems)
	}
	for i, it := range l {
		if err := checkName(fmt.Sprintf("instance %d: name", i), it.Name); err != nil {
			return err
		}
		name := shortQuote(it.Name)
		switch {
		case it.Flavor == nil || it.Flavor.ID == "":
			return invalid("instance %d (%s): flavor.id is required", i, name)
		case it.Image == nil || it.Image.ID == "":
			return invalid("instance %d (%s): image.id is required", i, name)
		case len(it.Keypairs) > 1:
			return invalid("instance %d (%s): keypairs: at most one keypair, not %d", i, name, len(it.Keypairs))
		case len(it.Networks) > maxNetworks:
			return invalid("instance %d (%s): networks: at most %d, not %d", i, name, maxNetworks, len(it.Networks))
		}
		for _, f := range []struct{ name, v string }{{"flavor.id", string(it.Flavor.ID)}, {"image.id", string(it.Image.ID)},
			{"cloudId", it.CloudID}, {"cloudType", it.CloudType}, {"projectId", it.ProjectID}, {"region", it.Region}} {
			if len(f.v) > maxIDBytes {
				return invalid("instance %d (%s): %s is %d bytes long; at most %d", i, name, f.name, len(f.v), maxIDBytes)
			}
		}
		for j, n := range it.Networks {
			if n.ID == "" || len(n.ID) > maxIDBytes {
				return invalid("instance %d (%s): networks: network %d has no id, or one longer than %d bytes", i, name, j, maxIDBytes)
			}
		}
		if len(it.Keypairs) == 1 && len(it.Keypairs[0].Name) > maxIDBytes {
			return invalid("instance %d (%s): keypairs: the name is longer than %d bytes", i, name, maxIDBytes)
		}
		if err := checkEntries(it.Metadata); err != nil {
			return invalid("instance %d (%s): metadata: %v", i, name, err)
		}
	}
	return nil
}

// Bounds of a launch item (Nova: 128 metadata items, keys and values of
// 255 characters).
const (
	maxNetworks      = 16
	maxMetadata      = 128
	maxMetadataBytes = 255
)

func checkEntries(m metadataView) error {
	if len(m.Entry) > maxMetadata {
		return fmt.Errorf("%d entries; at most %d", len(m.Entry), maxMetadata)
	}
	for i, e := range m.Entry {
		if e.Key == "" {
			return fmt.Errorf("entry %d has an empty key", i)
		}
		if len(e.Key) > maxMetadataBytes || len(e.Value) > maxMetadataBytes {
			return fmt.Errorf("entry %d: key and value are at most %d bytes each", i, maxMetadataBytes)
		}
	}
	return nil
}

func (m metadataView) toMap() map[string]string {
	if len(m.Entry) == 0 {
		return nil
	}
	out := make(map[string]string, len(m.Entry))
	for _, e := range m.Entry {
		out[e.Key] = e.Value
	}
	return out
}

// imageItem is one image to add (POST /images). With instanceId it is a
// snapshot of that instance, as the original's client asks for one;
// without, a new image record with these properties.
type imageItem struct {
	CloudID         string       `json:"cloudId"`
	CloudType       string       `json:"cloudType"`
	ProjectID       flexStrings  `json:"projectId"`
	InstanceID      string       `json:"instanceId"`
	Name            string       `json:"name"`
	Metadata        metadataView `json:"metadata"`
	Visibility      string       `json:"visibility"`
	MinDisk         int          `json:"minDisk"`
	MinRAM          int          `json:"minRam"`
	DiskFormat      string       `json:"diskFormat"`
	ContainerFormat string       `json:"containerFormat"`
}

// imageRequest is the body of POST /images: always a list.
type imageRequest []imageItem

func (it imageItem) name() string { return it.Name }

// Validate checks every item before anything is added.
func (l imageRequest) Validate() error {
	if len(l) == 0 {
		return invalid("no images to add; send a JSON list of images")
	}
	if len(l) > maxItems {
		return invalid("%d images; at most %d per request", len(l), maxItems)
	}
	for i, it := range l {
		if strings.TrimSpace(it.Name) == "" && it.InstanceID == "" {
			return invalid("image %d: name is required (or instanceId, to snapshot an instance)", i)
		}
		if it.Name != "" {
			if err := checkName(fmt.Sprintf("image %d: name", i), it.Name); err != nil {
				return err
			}
		}
		if len(it.InstanceID) > maxIDBytes {
			return invalid("image %d: instanceId is longer than %d bytes", i, maxIDBytes)
		}
		if len(it.ProjectID) > 1 {
			return invalid("image %d (%s): one projectId, not %d", i, shortQuote(it.Name), len(it.ProjectID))
		}
		if err := checkEntries(it.Metadata); err != nil {
			return invalid("image %d (%s): metadata: %v", i, shortQuote(it.Name), err)
		}
	}
	return nil
}

// imageChange is one image to modify (PUT /images): nil fields stay.
type imageChange struct {
	ID             string        `json:"id"`
	Name           *string       `json:"name"`
	Visibility     *string       `json:"visibility"`
	MinDisk        *int          `json:"minDisk"`
	MinRAM         *int          `json:"minRam"`
	Metadata       *metadataView `json:"metadata"`
	RemoveMetadata []string      `json:"removeMetadata"`
}

// imageChanges is the body of PUT /images: a list of changes.
type imageChanges []imageChange

func (c imageChange) id() string { return c.ID }

// Validate checks that every change names its image and changes something.
func (l imageChanges) Validate() error {
	if len(l) == 0 {
		return invalid("no images to modify; send a JSON list such as [{\"id\":\"…\",\"name\":\"new\"}]")
	}
	if len(l) > maxItems {
		return invalid("%d images; at most %d per request", len(l), maxItems)
	}
	for i, c := range l {
		if c.ID == "" {
			return invalid("change %d: id is required", i)
		}
		if len(c.ID) > maxIDBytes {
			return invalid("change %d: id is longer than %d bytes", i, maxIDBytes)
		}
		if c.Name != nil {
			if err := checkName(fmt.Sprintf("change %d: name", i), *c.Name); err != nil {
				return err
			}
		}
		if c.Name == nil && c.Visibility == nil && c.MinDisk == nil && c.MinRAM == nil &&
			c.Metadata == nil && len(c.RemoveMetadata) == 0 {
			return invalid("change %d (%s): nothing to change", i, c.ID)
		}
		if c.Metadata != nil {
			if err := checkEntries(*c.Metadata); err != nil {
				return invalid("change %d (%s): metadata: %v", i, c.ID, err)
			}
		}
	}
	return nil
}

func (c imageChange) update() perspective.ImageUpdate {
	u := perspective.ImageUpdate{Name: c.Name, Visibility: c.Visibility, MinDisk: c.MinDisk,
		MinRAM: c.MinRAM, RemoveMetadata: c.RemoveMetadata}
	if c.Metadata != nil {
		u.Metadata = c.Metadata.toMap()
	}
	return u
}

// keypairRequest is the body of POST /keypairs.
type keypairRequest struct {
	Name      string `json:"name"`
	PublicKey string `json:"publicKey"`
}

// Validate checks the keypair's name; the library checks the key.
func (k keypairRequest) Validate() error { return checkName("name", k.Name) }
