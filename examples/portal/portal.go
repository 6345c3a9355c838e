package main

import (
	"context"
	"fmt"
	"net/url"

	_ "github.com/perspective-cloud/sdk/drivers/libvirt"   // libvirt:///system, libvirt+tcp://host/system
	_ "github.com/perspective-cloud/sdk/drivers/mock"      // mock://
	_ "github.com/perspective-cloud/sdk/drivers/openstack" // openstack://
	"github.com/perspective-cloud/sdk/perspective"
	"golang.org/x/crypto/ssh"
)

// portal is the directory joined with the library clouds its projects map to.
type portal struct {
	set       *perspective.Set
	projects  map[string]*project // by uuid
	ordered   []*project          // in the file's order
	byTarget  map[perspective.Target]*project
	customers map[string]customerEntry
	users     map[string]*user    // by token
	keys      map[string]keyEntry // by uuid
	// keyOwners are the usernames of the keys' owners, by key uuid: a
	// user launches with their own keys only.
	keyOwners map[string]string
	// fingerprints are the MD5 fingerprints of the directory's keys, by name.
	fingerprints map[string]string
}

// project is a project of the directory with what it refers to.
type project struct {
	projectEntry
	customer customerEntry
	cloud    cloudEntry
	groups   []groupEntry
	target   perspective.Target // the library cloud the project maps to
}

// user is a user of the directory with its roles.
type user struct {
	userEntry
	owns    map[string]bool // customer uuids
	admin   map[string]bool // project uuids
	manager map[string]bool // project uuids
}

// sees reports whether u may list p's instances: staff see all, owners their
// customers' projects, administrators and managers their projects.
func (u *user) sees(p *project) bool {
	return u.IsStaff || u.owns[p.Customer] || u.admin[p.UUID] || u.manager[p.UUID]
}

// manages reports whether u may create, start, stop, restart, resize and
// delete p's instances: staff and p's administrators only.
func (u *user) manages(p *project) bool { return u.IsStaff || u.admin[p.UUID] }

// cloudURL is the library cloud a project maps to.
func cloudURL(p projectEntry) string {
	if p.URL != "" {
		return p.URL
	}
	return "mock://" + url.PathEscape(p.Cloud) + "?project=" + url.QueryEscape(p.UUID)
}

// openPortal opens every project's cloud and joins the directory.
func openPortal(ctx context.Context, f *directoryFile) (*portal, error) {
	p := &portal{projects: map[string]*project{}, byTarget: map[perspective.Target]*project{},
		customers: map[string]customerEntry{}, users: map[string]*user{}, keys: map[string]keyEntry{},
		keyOwners: map[string]string{}, fingerprints: map[string]string{}}
	byName := map[string]*user{}
	for _, ue := range f.Users {
		u := &user{userEntry: ue, owns: map[string]bool{}, admin: map[string]bool{}, manager: map[string]bool{}}
		p.users[ue.Token], byName[ue.Username] = u, u
		for _, k := range ue.Keys {
			pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k.PublicKey))
			if err != nil {
				return nil, fmt.Errorf("user %q: key %q: %w", ue.Username, k.Name, err)
			}
			p.keys[k.UUID], p.keyOwners[k.UUID] = k, ue.Username
			p.fingerprints[k.Name] = ssh.FingerprintLegacyMD5(pub)
		}
	}
	for _, c := range f.Customers {
		p.customers[c.UUID] = c
		for _, o := range c.Owners {
			byName[o].owns[c.UUID] = true
		}
	}
	clouds := map[string]cloudEntry{}
	for _, c := range f.Clouds {
		clouds[c.UUID] = c
	}
	var opened []*perspective.Cloud
	fail := func(err error) (*portal, error) {
		for _, c := range opened {
			_ = c.Close()
		}
		return nil, err
	}
	for _, pe := range f.Projects {
		pr := &project{projectEntry: pe, customer: p.customers[pe.Customer], cloud: clouds[pe.Cloud]}
		for _, a := range pe.Administrators {
			byName[a].admin[pe.UUID] = true
		}
		for _, m := range pe.Managers {
			byName[m].manager[pe.UUID] = true
		}
		c, err := perspective.Open(ctx, cloudURL(pe))
		if err != nil {
			return fail(fmt.Errorf("project %q: %w", pe.Name, err))
		}
		opened = append(opened, c)
		i := c.Info()
		pr.target = perspective.Target{CloudID: i.CloudID, ProjectID: i.ProjectID, Region: i.Region}
		if other, dup := p.byTarget[pr.target]; dup {
			return fail(fmt.Errorf("projects %q and %q map to the same cloud project (%s)", other.Name, pe.Name, pr.target))
		}
		p.byTarget[pr.target] = pr
		p.projects[pe.UUID] = pr
		p.ordered = append(p.ordered, pr)
	}
	for _, g := range f.ProjectGroups {
		for _, id := range g.Projects {
			p.projects[id].groups = append(p.projects[id].groups, g)
		}
	}
	set, err := perspective.NewSet(opened...)
	if err != nil {
		return fail(err)
	}
	p.set = set
	return p, nil
}

// launchDemo launches the directory's demo instances.
func (p *portal) launchDemo(ctx context.Context) error {
	for _, pr := range p.ordered {
		for _, d := range pr.Demo {
			_, err := p.set.Instances().In(pr.target).Launch(ctx, perspective.LaunchSpec{Name: d.Hostname,
				ImageID: d.Template, FlavorID: d.Flavor, Metadata: map[string]string{"description": "demo instance"}})
			if err != nil {
				return fmt.Errorf("project %q: demo instance %q: %w", pr.Name, d.Hostname, err)
			}
		}
	}
	return nil
}

// projectOf returns the project an instance lives in, if the portal knows it.
func (p *portal) projectOf(inst perspective.Instance) (*project, bool) {
	pr, ok := p.byTarget[perspective.Target{CloudID: inst.CloudID, ProjectID: inst.ProjectID, Region: inst.Region}]
	return pr, ok
}

// Close closes the clouds.
func (p *portal) Close() error { return p.set.Close() }
