package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// directoryFile is the JSON file (-config) of the portal's users,
// customers, project groups and projects: what Waldur keeps in its
// database. See portal.sample.json.
type directoryFile struct {
	Clouds        []cloudEntry    `json:"clouds"`
	Customers     []customerEntry `json:"customers"`
	ProjectGroups []groupEntry    `json:"project_groups"`
	Projects      []projectEntry  `json:"projects"`
	Users         []userEntry     `json:"users"`
}

// cloudEntry names a cloud account that projects use.
type cloudEntry struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// customerEntry is an organization; its owners see all its instances.
type customerEntry struct {
	UUID         string   `json:"uuid"`
	Name         string   `json:"name"`
	Abbreviation string   `json:"abbreviation"`
	Owners       []string `json:"owners"` // usernames
}

// groupEntry is a project group of a customer.
type groupEntry struct {
	UUID     string   `json:"uuid"`
	Name     string   `json:"name"`
	Customer string   `json:"customer"` // customer uuid
	Projects []string `json:"projects"` // project uuids
}

// projectEntry is a project of a customer in a cloud. URL is the library
// cloud it maps to; empty means a mock cloud of its own
// (mock://CLOUD?project=UUID). Demo lists instances to launch at start-up.
type projectEntry struct {
	UUID           string       `json:"uuid"`
	Name           string       `json:"name"`
	Customer       string       `json:"customer"`
	Cloud          string       `json:"cloud"` // cloud uuid
	URL            string       `json:"url,omitempty"`
	Administrators []string     `json:"administrators"`
	Managers       []string     `json:"managers"`
	Demo           []demoLaunch `json:"demo_instances,omitempty"`
}

// demoLaunch is an instance to launch at start-up, for demos.
type demoLaunch struct {
	Hostname string `json:"hostname"`
	Template string `json:"template"` // image name or id
	Flavor   string `json:"flavor"`   // flavor name or id
}

// userEntry is a user with the token it authenticates with
// (Authorization: Token <token>) and its public keys.
type userEntry struct {
	Username string     `json:"username"`
	Token    string     `json:"token"`
	IsStaff  bool       `json:"is_staff"`
	Keys     []keyEntry `json:"keys,omitempty"`
}

// keyEntry is a user's SSH public key.
type keyEntry struct {
	UUID      string `json:"uuid"`
	Name      string `json:"name"`
	PublicKey string `json:"public_key"`
}

// readDirectory decodes and checks a directory file.
func readDirectory(r io.Reader) (*directoryFile, error) {
	var f directoryFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	return &f, nil
}

// check verifies that every uuid and token is unique and non-empty and
// every reference names something that exists.
func (f *directoryFile) check() error {
	uuids := map[string]string{}
	claim := func(kind, id string) error {
		if id == "" {
			return fmt.Errorf("a %s has no uuid", kind)
		}
		if strings.ContainsAny(id, "/?# ") {
			return fmt.Errorf("%s uuid %q: must not contain '/', '?', '#' or spaces", kind, id)
		}
		if prev, dup := uuids[id]; dup {
			return fmt.Errorf("uuid %q is both a %s and a %s", id, prev, kind)
		}
		uuids[id] = kind
		return nil
	}
	users, tokens, keys := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, u := range f.Users {
		switch {
		case u.Username == "":
			return fmt.Errorf("a user has no username")
		case users[u.Username]:
			return fmt.Errorf("user %q is listed twice", u.Username)
		case len(u.Token) < 8:
			return fmt.Errorf("user %q: token must be at least 8 characters", u.Username)
		case tokens[u.Token]:
			return fmt.Errorf("user %q: token is another user's too", u.Username)
		}
		users[u.Username], tokens[u.Token] = true, true
		for _, k := range u.Keys {
			if err := claim("key", k.UUID); err != nil {
				return err
			}
			if k.Name == "" || k.PublicKey == "" {
				return fmt.Errorf("user %q: key %s needs a name and a public_key", u.Username, k.UUID)
			}
			if keys[k.Name] {
				return fmt.Errorf("key name %q is used twice", k.Name)
			}
			keys[k.Name] = true
		}
	}
	knownUsers := func(where string, names []string) error {
		for _, n := range names {
			if !users[n] {
				return fmt.Errorf("%s: no user %q", where, n)
			}
		}
		return nil
	}
	for _, c := range f.Clouds {
		if err := claim("cloud", c.UUID); err != nil {
			return err
		}
	}
	for _, c := range f.Customers {
		if err := claim("customer", c.UUID); err != nil {
			return err
		}
		if err := knownUsers("customer "+c.Name+" owners", c.Owners); err != nil {
			return err
		}
	}
	for _, p := range f.Projects {
		if err := claim("project", p.UUID); err != nil {
			return err
		}
		if uuids[p.Customer] != "customer" {
			return fmt.Errorf("project %q: no customer %q", p.Name, p.Customer)
		}
		if uuids[p.Cloud] != "cloud" {
			return fmt.Errorf("project %q: no cloud %q", p.Name, p.Cloud)
		}
		if err := knownUsers("project "+p.Name+" administrators", p.Administrators); err != nil {
			return err
		}
		if err := knownUsers("project "+p.Name+" managers", p.Managers); err != nil {
			return err
		}
	}
	for _, g := range f.ProjectGroups {
		if err := claim("project group", g.UUID); err != nil {
			return err
		}
		if uuids[g.Customer] != "customer" {
			return fmt.Errorf("project group %q: no customer %q", g.Name, g.Customer)
		}
		for _, p := range g.Projects {
			if uuids[p] != "project" {
				return fmt.Errorf("project group %q: no project %q", g.Name, p)
			}
		}
	}
	if len(f.Projects) == 0 {
		return fmt.Errorf("no projects")
	}
	return nil
}
