package openstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// serverPageSize is the page size asked of Nova; Nova caps it with its
// own max_limit (1000 by default) and the driver follows the next links.
const serverPageSize = 200

// serverListOpts is servers.ListOpts plus what gophercloud's options lack:
// reservation_id, to find the servers of one multi-create request.
type serverListOpts struct {
	servers.ListOpts
	ReservationID string
}

// ToServerListQuery renders the query string. It sorts by uuid alone: a
// unique key is the only one that marker paging over Nova cannot get wrong.
// Nova's default tie-breaker (each cell database's integer id) is not unique
// across cells, and sorting by created_at, uuid was measured on Nova (Zed) to
// return duplicates and skip servers once a multi-create spans pages: 300
// servers in pages of 200 came back as 317 rows, 251 distinct.
func (o serverListOpts) ToServerListQuery() (string, error) {
	q, err := o.ListOpts.ToServerListQuery()
	if err != nil {
		return q, err
	}
	v := url.Values{}
	if o.ReservationID != "" {
		v.Set("reservation_id", o.ReservationID)
	}
	v["sort_key"] = []string{"uuid"}
	v["sort_dir"] = []string{"asc"}
	sep := "?"
	if strings.Contains(q, "?") {
		sep = "&"
	}
	return q + sep + v.Encode(), nil
}

// ListInstances returns every server of the project, following every page.
// Name, tags and changed-since filters run on the server side too.
func (d *Driver) ListInstances(ctx context.Context, opts driver.ListOptions) ([]driver.Instance, error) {
	lo := servers.ListOpts{Limit: serverPageSize}
	if opts.Name != "" {
		// Nova's name filter is a regular expression
		lo.Name = regexpQuote(opts.Name)
	}
	if len(opts.Tags) > 0 && d.mv.atLeast(mvTags) {
		lo.Tags = strings.Join(opts.Tags, ",")
	}
	if !opts.ChangedSince.IsZero() {
		lo.ChangesSince = opts.ChangedSince.UTC().Format(time.RFC3339)
	}
	return d.listServers(ctx, serverListOpts{ListOpts: lo}, opts.Match)
}

// listServers follows every page of a servers listing and returns the
// servers keep keeps, each once.
func (d *Driver) listServers(ctx context.Context, lo serverListOpts, keep func(driver.Instance) bool) ([]driver.Instance, error) {
	var out []driver.Instance
	seen := map[string]bool{}
	err := servers.List(d.compute, lo).EachPage(ctx, func(ctx context.Context, page pagination.Page) (bool, error) {
		list, err := servers.ExtractServers(page)
		if err != nil {
			return false, err
		}
		for i := range list {
			if seen[list[i].ID] {
				continue // a server that moved across a page boundary while we paged
			}
			seen[list[i].ID] = true
			inst := d.toInstance(ctx, &list[i])
			if keep(inst) {
				out = append(out, inst)
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindInstance, "")
	}
	return out, nil
}

// GetInstance returns one server.
func (d *Driver) GetInstance(ctx context.Context, id string) (driver.Instance, error) {
	s, err := servers.Get(ctx, d.compute, id).Extract()
	if err != nil {
		return driver.Instance{}, classify(err, perspective.OpGet, perspective.KindInstance, id)
	}
	return d.toInstance(ctx, s), nil
}

// LaunchInstances creates spec.Count servers in one request (min_count =
// max_count = Count), then lists them by the request's reservation id.
func (d *Driver) LaunchInstances(ctx context.Context, spec driver.LaunchSpec) ([]driver.Instance, error) {
	count := max(spec.Count, 1)
	co := servers.CreateOpts{
		Name:             spec.Name,
		ImageRef:         spec.ImageID,
		FlavorRef:        spec.FlavorID,
		Metadata:         spec.Metadata,
		UserData:         spec.UserData,
		AvailabilityZone: spec.AvailabilityZone,
		Min:              count,
		Max:              count,
	}
	if len(spec.Tags) > 0 {
		if !d.mv.atLeast(mvTags) {
			return nil, d.unsupported(perspective.OpLaunch, "tags at launch", mvTags)
		}
		co.Tags = spec.Tags
	}
	switch {
	case len(spec.Networks) > 0:
		nets := make([]servers.Network, len(spec.Networks))
		for i, n := range spec.Networks {
			id, err := d.networkID(ctx, n)
			if err != nil {
				return nil, classify(err, perspective.OpLaunch, perspective.KindNetwork, n)
			}
			nets[i] = servers.Network{UUID: id}
		}
		co.Networks = nets
	case d.mv.atLeast(mvNetworksAuto):
		co.Networks = "auto"
	}
	create := launchOpts{CreateOpts: co, keyName: spec.KeyName, reservation: count > 1}
	r := servers.Create(ctx, d.compute, create, nil)
	if r.Err != nil {
		return nil, classify(r.Err, perspective.OpLaunch, perspective.KindInstance, spec.Name)
	}
	var ids []string
	if count == 1 {
		s, err := r.Extract()
		if err != nil {
			return nil, classify(err, perspective.OpLaunch, perspective.KindInstance, spec.Name)
		}
		ids = []string{s.ID}
	} else {
		var body struct {
			ReservationID string `json:"reservation_id"`
		}
		if err := r.Result.ExtractIntoStructPtr(&body, ""); err != nil || body.ReservationID == "" {
			return nil, driver.Errorf(driver.CodeUnknown,
				"openstack: launch %q: Nova's reply names no reservation_id: %v", spec.Name, err)
		}
		insts, err := d.listServers(ctx, serverListOpts{ListOpts: servers.ListOpts{Limit: serverPageSize},
			ReservationID: body.ReservationID}, driver.ListOptions{}.Match)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(insts, func(a, b driver.Instance) int { return strings.Compare(a.Name, b.Name) })
		if spec.Locked {
			for _, in := range insts {
				if err := d.Lock(ctx, in.ID); err != nil {
					return insts, err
				}
			}
		}
		return insts, nil
	}
	if spec.Locked {
		if err := d.Lock(ctx, ids[0]); err != nil {
			return nil, err
		}
	}
	inst, err := d.GetInstance(ctx, ids[0])
	if err != nil {
		return nil, err
	}
	return []driver.Instance{inst}, nil
}

// launchOpts adds to gophercloud's CreateOpts the key_name (a keypairs
// extension in gophercloud) and return_reservation_id, which makes Nova
// answer a multi-create with the id that finds all the servers it made.
type launchOpts struct {
	servers.CreateOpts
	keyName     string
	reservation bool
}

// ToServerCreateMap renders the request body.
func (o launchOpts) ToServerCreateMap() (map[string]any, error) {
	b, err := o.CreateOpts.ToServerCreateMap()
	if err != nil {
		return nil, err
	}
	srv, _ := b["server"].(map[string]any)
	if srv == nil {
		return b, nil
	}
	if o.keyName != "" {
		srv["key_name"] = o.keyName
	}
	if o.reservation {
		srv["return_reservation_id"] = true
	}
	return b, nil
}

// DeleteInstance starts the deletion of a server.
func (d *Driver) DeleteInstance(ctx context.Context, id string) error {
	return classify(servers.Delete(ctx, d.compute, id).ExtractErr(), perspective.OpDelete, perspective.KindInstance, id)
}

// toInstance converts Nova's server to the portable instance.
func (d *Driver) toInstance(ctx context.Context, s *servers.Server) driver.Instance {
	inst := driver.Instance{
		ID:               s.ID,
		ProjectID:        s.TenantID,
		Region:           d.info.Region,
		AvailabilityZone: s.AvailabilityZone,
		Host:             s.Host, // OS-EXT-SRV-ATTR:host, shown to administrators only
		Name:             s.Name,
		Status:           s.Status,
		State:            NormalizeState(s.Status, s.TaskState, s.VmState),
		Metadata:         s.Metadata,
		Created:          s.Created,
		Updated:          s.Updated,
		Fault:            s.Fault.Message,
	}
	if s.Locked != nil {
		inst.Locked = *s.Locked
	}
	if s.Tags != nil {
		inst.Tags = slices.Clone(*s.Tags)
	}
	if s.Hostname != nil {
		inst.FQDN = *s.Hostname
	}
	inst.ImageID, _ = s.Image["id"].(string)
	inst.KeyName = s.KeyName
	inst.Flavor = d.serverFlavor(ctx, s.Flavor)
	inst.Addresses, inst.Networks = addresses(s.Addresses)
	return inst
}

// serverFlavor reads the server's flavor: {"id": …} before microversion
// 2.47, the flavor's copy {"original_name", "vcpus", "ram", …} since.
func (d *Driver) serverFlavor(ctx context.Context, f map[string]any) *driver.Flavor {
	if len(f) == 0 {
		return nil
	}
	num := func(k string) int {
		switch v := f[k].(type) {
		case float64:
			return int(v)
		case json.Number:
			n, _ := v.Int64()
			return int(n)
		}
		return 0
	}
	fl := &driver.Flavor{
		Name: stringOf(f["original_name"]), RAM: num("ram"), VCPUs: num("vcpus"),
		RootDisk: num("disk"), EphemeralDisk: num("ephemeral"), Swap: num("swap"),
	}
	fl.ID = stringOf(f["id"])
	if fl.ID == "" && fl.Name != "" {
		fl.ID = d.flavorID(ctx, fl.Name)
	}
	return fl
}

// addresses converts Nova's {"net": [{"addr", "version", "OS-EXT-IPS:type"}]}
// into addresses and networks, sorted by network name for stable output.
func addresses(m map[string]any) ([]driver.Address, []driver.Network) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	var addrs []driver.Address
	var nets []driver.Network
	for _, name := range names {
		nets = append(nets, driver.Network{Name: name})
		list, _ := m[name].([]any)
		for _, a := range list {
			am, _ := a.(map[string]any)
			ip := stringOf(am["addr"])
			if ip == "" {
				continue
			}
			kind := driver.AddressFixed
			if stringOf(am["OS-EXT-IPS:type"]) == "floating" {
				kind = driver.AddressFloating
			}
			v := 4
			if strings.Contains(ip, ":") {
				v = 6
			}
			addrs = append(addrs, driver.Address{Network: name, IP: ip, Kind: kind, Version: v})
		}
	}
	return addrs, nets
}

func stringOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case float64:
		return fmt.Sprint(t)
	}
	return ""
}

// regexpQuote escapes a literal for Nova's regular-expression name filter.
func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unsupported says that op needs a microversion the cloud lacks.
func (d *Driver) unsupported(op perspective.Operation, what, need string) error {
	return &driver.Error{Code: driver.CodeUnsupported,
		Msg: fmt.Sprintf("%s needs compute microversion %s; negotiated %s", what, need, d.mv)}
}
