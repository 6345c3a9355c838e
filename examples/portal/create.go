package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/perspective-cloud/sdk/internal/httpjson"
	"github.com/perspective-cloud/sdk/perspective"
)

// createRequest is the body of POST /api/instances/. The template, flavor,
// project and ssh_public_key are links (…/api/projects/<uuid>/) or bare
// uuids; a template or flavor may also be named.
type createRequest struct {
	Hostname       string          `json:"hostname"`
	Description    string          `json:"description"`
	Template       string          `json:"template"`
	Flavor         string          `json:"flavor"`
	Project        string          `json:"project"`
	SSHPublicKey   string          `json:"ssh_public_key"`
	InternalIPs    string          `json:"internal_ips"`
	ExternalIPs    string          `json:"external_ips"`
	SecurityGroups []securityGroup `json:"security_groups"`
}

// securityGroup is a link to a security group.
type securityGroup struct {
	URL string `json:"url"`
}

// Validate names the required fields that are missing.
func (c *createRequest) Validate() error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"hostname", c.Hostname}, {"template", c.Template},
		{"flavor", c.Flavor}, {"project", c.Project}, {"ssh_public_key", c.SSHPublicKey}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return badRequest("request body: required: " + strings.Join(missing, ", "))
	}
	if len(c.Hostname) > 255 || len(c.Description) > 255 {
		return badRequest("request body: hostname and description are at most 255 bytes each")
	}
	// A hostname is shown in lists and terminals: nothing in it may show
	// as something else ("\u202egnp.exe" as "exe.png") or drive a
	// terminal; a description may have several lines.
	if err := httpjson.CheckText("hostname", c.Hostname, httpjson.TextRules{}); err != nil {
		return err
	}
	return httpjson.CheckText("description", c.Description, httpjson.TextRules{Multiline: true})
}

// refID returns the object id a link names: the last segment of its path
// (http://example.com/api/projects/661e…/ → 661e…), or the value itself.
func refID(ref string) string {
	ref = strings.TrimSpace(ref)
	u, err := url.Parse(ref)
	if err != nil || (u.Scheme == "" && !strings.Contains(ref, "/")) {
		return ref
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	return parts[len(parts)-1]
}

// globalOrRef turns a uuid written without dashes into the library's form,
// and leaves anything else (an image name, a real id) as it is.
func globalOrRef(ref string) string {
	if id, ok := instanceID(ref); ok && len(ref) == 32 {
		return id
	}
	return ref
}

// handleCreate serves POST /api/instances/: staff and the project's
// administrators launch an instance in the project's cloud.
func handleCreate(d *deps) http.Handler {
	return withUser(d, func(ctx context.Context, u *user, w http.ResponseWriter, r *http.Request) (int, any, error) {
		req, err := decode[createRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		p := d.portal
		pr, ok := p.projects[refID(req.Project)]
		if !ok || !u.sees(pr) {
			return 0, nil, badRequest(fmt.Sprintf("project: no project %q", refID(req.Project)))
		}
		if !u.manages(pr) {
			return 0, nil, forbidden(fmt.Sprintf("only staff and the administrators of project %q may create instances in it", pr.Name))
		}
		switch {
		case len(req.SecurityGroups) > 0:
			return 0, nil, unsupported("security_groups: the library cannot attach security groups at launch")
		case strings.TrimSpace(req.InternalIPs) != "":
			return 0, nil, unsupported("internal_ips: the library cannot choose an instance's fixed IPs at launch")
		case strings.TrimSpace(req.ExternalIPs) != "":
			return 0, nil, unsupported("external_ips: the library cannot assign floating IPs at launch")
		}
		spec, err := p.launchSpec(ctx, u, pr, req)
		if err != nil {
			return 0, nil, err
		}
		rep, err := p.set.Instances().In(pr.target).Launch(ctx, spec)
		if err != nil {
			return 0, nil, err
		}
		if len(rep.Results) == 0 || rep.Results[0].Instance == nil {
			return 0, nil, perspective.Errorf(perspective.CodeUnknown, "launch %q: the cloud answered without an instance", req.Hostname)
		}
		out := p.render(baseURL(r), pr, *rep.Results[0].Instance)
		w.Header().Set("Location", out.URL)
		return http.StatusCreated, out, nil
	})
}

// launchSpec resolves the request's key (u's own: 403 for another
// user's), template and flavor (the project's cloud's: 400 for another
// cloud's), importing the key into the cloud the first time.
func (p *portal) launchSpec(ctx context.Context, u *user, pr *project, req createRequest) (perspective.LaunchSpec, error) {
	spec := perspective.LaunchSpec{Name: req.Hostname}
	key, err := p.ownKey(u, refID(req.SSHPublicKey))
	if err != nil {
		return spec, err
	}
	img, err := p.set.Images().In(pr.target).Get(ctx, globalOrRef(refID(req.Template)))
	if perspective.Code(err) == perspective.CodeNotFound {
		return spec, badRequest(fmt.Sprintf("template: no template %q in the cloud of project %q", refID(req.Template), pr.Name))
	}
	if err != nil {
		return spec, err
	}
	f, err := p.set.Flavors().In(pr.target).Get(ctx, refID(req.Flavor))
	if perspective.Code(err) == perspective.CodeNotFound {
		return spec, badRequest(fmt.Sprintf("flavor: no flavor %q in the cloud of project %q", refID(req.Flavor), pr.Name))
	}
	if err != nil {
		return spec, err
	}
	if err := p.importKey(ctx, pr, key); err != nil {
		return spec, err
	}
	spec.ImageID, spec.FlavorID, spec.KeyName = img.ID, f.ID, key.Name
	if req.Description != "" {
		spec.Metadata = map[string]string{"description": req.Description}
	}
	return spec, nil
}
