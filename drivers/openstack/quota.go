package openstack

import (
	"context"
	"slices"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/quotasets"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/quotas"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// Quota reports a project's use and limits: instances, vCPUs, RAM and
// keypairs from Nova, floating IPs and security groups from Neutron (when
// the cloud has it). Other projects than the driver's need an admin.
// Volumes and disk stay zero: this driver does not talk to Cinder.
func (d *Driver) Quota(ctx context.Context, projectID string) (driver.Quota, error) {
	if projectID == "" {
		projectID = d.info.ProjectID
	}
	qs, err := quotasets.GetDetail(ctx, d.compute, projectID).Extract()
	if err != nil {
		return driver.Quota{}, classify(err, perspective.OpGet, perspective.KindProject, projectID)
	}
	u := func(q quotasets.QuotaDetail) driver.Usage { return driver.Usage{Used: q.InUse, Max: q.Limit} }
	out := driver.Quota{
		Instances: u(qs.Instances), VCPUs: u(qs.Cores), RAM: u(qs.RAM), Keypairs: u(qs.KeyPairs),
		FloatingIPs: u(qs.FloatingIPs), SecurityGroups: u(qs.SecurityGroups),
	}
	if d.network != nil {
		nq, err := quotas.GetDetail(ctx, d.network, projectID).Extract()
		if err != nil {
			return driver.Quota{}, classify(err, perspective.OpGet, perspective.KindProject, projectID)
		}
		out.FloatingIPs = driver.Usage{Used: nq.FloatingIP.Used, Max: nq.FloatingIP.Limit}
		out.SecurityGroups = driver.Usage{Used: nq.SecurityGroup.Used, Max: nq.SecurityGroup.Limit}
	}
	return out, nil
}

// AvailabilityZones lists the compute availability zones that are up.
func (d *Driver) AvailabilityZones(ctx context.Context) ([]string, error) {
	var out []string
	pager := pagination.NewPager(d.compute, d.compute.ServiceURL("os-availability-zone"), func(r pagination.PageResult) pagination.Page {
		return azPage{availabilityzones.AvailabilityZonePage{SinglePageBase: pagination.SinglePageBase(r)}}
	})
	err := pager.EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := availabilityzones.ExtractAvailabilityZones(p.(azPage).AvailabilityZonePage)
		if err != nil {
			return false, err
		}
		for _, z := range list {
			if z.ZoneState.Available {
				out = append(out, z.ZoneName)
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, "", "availability zones")
	}
	slices.Sort(out)
	return out, nil
}

// azPage gives gophercloud's availability-zone page the IsEmpty it lacks
// (SinglePageBase's expects a JSON array and fails on Nova's object).
type azPage struct {
	availabilityzones.AvailabilityZonePage
}

// IsEmpty reports whether the page lists no zone.
func (p azPage) IsEmpty() (bool, error) {
	list, err := availabilityzones.ExtractAvailabilityZones(p.AvailabilityZonePage)
	return len(list) == 0, err
}
