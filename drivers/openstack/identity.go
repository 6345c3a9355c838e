package openstack

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/catalog"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/projects"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/regions"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListProjects returns the projects the user has a role on (GET
// /v3/auth/projects), each with the cloud's regions.
func (d *Driver) ListProjects(ctx context.Context) ([]driver.Project, error) {
	regs, err := d.regions(ctx)
	if err != nil {
		return nil, err
	}
	var out []driver.Project
	err = projects.ListAvailable(d.identity).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := projects.ExtractProjects(p)
		if err != nil {
			return false, err
		}
		for _, pr := range list {
			out = append(out, driver.Project{
				ID: pr.ID, Name: pr.Name,
				Regions:  slices.Clone(regs),
				Metadata: map[string]string{"domain_id": pr.DomainID, "description": pr.Description},
			})
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindProject, "")
	}
	slices.SortFunc(out, func(a, b driver.Project) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// regions lists Keystone's regions, all pages.
func (d *Driver) regions(ctx context.Context) ([]driver.Region, error) {
	var out []driver.Region
	err := regions.List(d.identity, nil).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := regions.ExtractRegions(p)
		if err != nil {
			return false, err
		}
		for _, r := range list {
			out = append(out, driver.Region{ID: r.ID, Description: r.Description})
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindProject, "regions")
	}
	return out, nil
}

// Endpoints returns the service catalog of a project: the driver's own
// project from GET /v3/auth/catalog, another one from a token re-scoped to
// it (which Keystone grants only if the user has a role there).
func (d *Driver) Endpoints(ctx context.Context, projectID string) ([]driver.Endpoint, error) {
	var entries []tokens.CatalogEntry
	if projectID == "" || projectID == d.info.ProjectID {
		err := catalog.List(d.identity).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
			list, err := catalog.ExtractServiceCatalog(p)
			entries = append(entries, list...)
			return err == nil, err
		})
		if err != nil {
			return nil, classify(err, perspective.OpGet, perspective.KindProject, projectID)
		}
	} else {
		res := tokens.Create(ctx, d.identity, &tokens.AuthOptions{
			TokenID: d.provider.Token(), Scope: tokens.Scope{ProjectID: projectID},
		})
		cat, err := res.ExtractServiceCatalog()
		if err != nil {
			return nil, classify(err, perspective.OpGet, perspective.KindProject, projectID)
		}
		entries = cat.Entries
	}
	var out []driver.Endpoint
	for _, e := range entries {
		for _, ep := range e.Endpoints {
			out = append(out, driver.Endpoint{Service: e.Type, Name: e.Name, Interface: ep.Interface,
				Region: firstNonEmpty(ep.RegionID, ep.Region), URL: ep.URL})
		}
	}
	slices.SortFunc(out, func(a, b driver.Endpoint) int {
		return strings.Compare(a.Service+"\x00"+a.Interface+"\x00"+a.Region, b.Service+"\x00"+b.Interface+"\x00"+b.Region)
	})
	return out, nil
}

// RCFile writes an OpenStack RC file for the project and region, as
// Horizon's "OpenStack RC File" does: it prompts for the password instead
// of containing it.
func (d *Driver) RCFile(ctx context.Context, projectID, region string) ([]byte, error) {
	projs, err := d.ListProjects(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(projs, func(p driver.Project) bool { return p.ID == projectID || p.Name == projectID })
	if i < 0 {
		return nil, &driver.Error{Code: driver.CodeNotFound, Msg: "no such project among the user's projects"}
	}
	p := projs[i]
	if region == "" {
		region = d.info.Region
	}
	if region != "" && !slices.ContainsFunc(p.Regions, func(r driver.Region) bool { return r.ID == region }) {
		return nil, &driver.Error{Code: driver.CodeNotFound, Msg: fmt.Sprintf("no region %q", region)}
	}
	c := d.cfg
	var b bytes.Buffer
	b.WriteString("#!/usr/bin/env bash\n")
	fmt.Fprintf(&b, "# OpenStack RC file for project %s (%s), region %s.\n", p.Name, p.ID, firstNonEmpty(region, "(any)"))
	b.WriteString("# Source it: the password is asked for and kept in the shell only.\n")
	export := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "export %s=%s\n", k, shellQuote(v))
		}
	}
	export("OS_AUTH_URL", c.AuthURL)
	export("OS_PROJECT_ID", p.ID)
	export("OS_PROJECT_NAME", p.Name)
	export("OS_PROJECT_DOMAIN_ID", p.Metadata["domain_id"])
	b.WriteString("unset OS_TENANT_ID OS_TENANT_NAME\n")
	switch {
	case c.Username != "":
		export("OS_USERNAME", c.Username)
		export("OS_USER_DOMAIN_NAME", c.UserDomainName)
		export("OS_USER_DOMAIN_ID", c.UserDomainID)
	case c.UserID != "":
		export("OS_USER_ID", c.UserID)
	default:
		export("OS_USER_ID", d.userID)
	}
	b.WriteString("echo \"Please enter your OpenStack Password for project $OS_PROJECT_NAME as user ${OS_USERNAME:-$OS_USER_ID}: \"\n")
	b.WriteString("read -sr OS_PASSWORD_INPUT\nexport OS_PASSWORD=$OS_PASSWORD_INPUT\n")
	export("OS_REGION_NAME", region)
	b.WriteString("[ -z \"$OS_REGION_NAME\" ] && unset OS_REGION_NAME\n")
	export("OS_INTERFACE", firstNonEmpty(c.Interface, "public"))
	b.WriteString("export OS_IDENTITY_API_VERSION=3\n")
	return b.Bytes(), nil
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
