package main

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/perspective-cloud/sdk/perspective"
)

// instanceJSON is seed 004's rendering of an instance. What the library
// does not know of (security groups, backups, licenses, an SLA) renders
// empty rather than invented. Volume sizes and RAM are in MiB.
type instanceJSON struct {
	URL                  string     `json:"url"`
	UUID                 string     `json:"uuid"`
	Hostname             string     `json:"hostname"`
	Description          string     `json:"description"`
	StartTime            *time.Time `json:"start_time"`
	Template             string     `json:"template"`
	TemplateName         string     `json:"template_name"`
	TemplateOS           string     `json:"template_os"`
	Cloud                string     `json:"cloud"`
	CloudName            string     `json:"cloud_name"`
	CloudUUID            string     `json:"cloud_uuid"`
	Project              string     `json:"project"`
	ProjectName          string     `json:"project_name"`
	ProjectUUID          string     `json:"project_uuid"`
	Customer             string     `json:"customer"`
	CustomerName         string     `json:"customer_name"`
	CustomerAbbreviation string     `json:"customer_abbreviation"`
	KeyName              string     `json:"key_name"`
	KeyFingerprint       string     `json:"key_fingerprint"`
	ProjectGroups        []groupRef `json:"project_groups"`
	SecurityGroups       []any      `json:"security_groups"`
	ExternalIPs          []string   `json:"external_ips"`
	InternalIPs          []string   `json:"internal_ips"`
	State                string     `json:"state"`
	Backups              []any      `json:"backups"`
	BackupSchedules      []any      `json:"backup_schedules"`
	InstanceLicenses     []any      `json:"instance_licenses"`
	AgreedSLA            *string    `json:"agreed_sla"`
	SystemVolumeSize     int        `json:"system_volume_size"`
	DataVolumeSize       int        `json:"data_volume_size"`
	Cores                int        `json:"cores"`
	RAM                  int        `json:"ram"`
}

// groupRef is a project group in an instance's rendering.
type groupRef struct {
	URL  string `json:"url"`
	Name string `json:"name"`
	UUID string `json:"uuid"`
}

// hexUUID writes a uuid as Waldur does: 32 hex digits, no dashes.
func hexUUID(id string) string { return strings.ReplaceAll(id, "-", "") }

// instanceID turns the uuid of a URL (with or without dashes) into the
// library's global id; ok is false when it is not a uuid.
func instanceID(s string) (string, bool) {
	u, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// baseURL is the scheme and host the request came to, for the links.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// render makes the seed-004 rendering of inst, which lives in pr.
func (p *portal) render(base string, pr *project, inst perspective.Instance) instanceJSON {
	st := stateOf(inst.State)
	out := instanceJSON{
		URL: base + "/api/instances/" + hexUUID(inst.ID) + "/", UUID: hexUUID(inst.ID), Hostname: inst.Name,
		Description: inst.Metadata["description"], State: st.Name,
		Cloud: base + "/api/clouds/" + pr.cloud.UUID + "/", CloudName: pr.cloud.Name, CloudUUID: pr.cloud.UUID,
		Project: base + "/api/projects/" + pr.UUID + "/", ProjectName: pr.Name, ProjectUUID: pr.UUID,
		Customer: base + "/api/customers/" + pr.customer.UUID + "/", CustomerName: pr.customer.Name,
		CustomerAbbreviation: pr.customer.Abbreviation,
		ProjectGroups:        []groupRef{}, SecurityGroups: []any{}, ExternalIPs: []string{}, InternalIPs: []string{},
		Backups: []any{}, BackupSchedules: []any{}, InstanceLicenses: []any{},
	}
	if !inst.Created.IsZero() {
		t := inst.Created.UTC()
		out.StartTime = &t
	}
	if inst.Image != nil {
		out.Template = base + "/api/iaas-templates/" + hexUUID(inst.Image.ID) + "/"
		out.TemplateName = inst.Image.Name
		out.TemplateOS = inst.Image.Metadata["os_distro"]
	}
	if inst.Keypair != nil {
		out.KeyName = inst.Keypair.Name
		out.KeyFingerprint = p.fingerprints[inst.Keypair.Name]
	}
	for _, g := range pr.groups {
		out.ProjectGroups = append(out.ProjectGroups, groupRef{URL: base + "/api/project-groups/" + g.UUID + "/", Name: g.Name, UUID: g.UUID})
	}
	for _, a := range inst.Addresses {
		if a.Kind == perspective.AddressFloating {
			out.ExternalIPs = append(out.ExternalIPs, a.IP)
		} else {
			out.InternalIPs = append(out.InternalIPs, a.IP)
		}
	}
	if f := inst.Flavor; f != nil {
		out.SystemVolumeSize, out.DataVolumeSize = f.RootDisk*1024, f.EphemeralDisk*1024
		out.Cores, out.RAM = f.VCPUs, f.RAM
	}
	return out
}
