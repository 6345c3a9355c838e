package perspective

import "github.com/perspective-cloud/sdk/query"

// The names of the original Perspective's fifteen tables, which the tables
// of a Set or Cloud serve to its SQL queries.
const (
	tableAvailabilityZones = "availability_zones"
	tableClouds            = "clouds"
	tableFlavors           = "flavors"
	tableImages            = "images"
	tableImageMetadata     = "image_metadata"
	tableInstances         = "instances"
	tableInstanceMetadata  = "instance_metadata"
	tableInstanceNetworks  = "instance_networks"
	tableKeypairs          = "keypairs"
	tableNetworks          = "networks"
	tableNetworkSubnets    = "network_subnets"
	tableProjects          = "projects"
	tableProjectImages     = "project_images"
	tableProjectMetadata   = "project_metadata"
	tableProjectQuota      = "project_quota"
	// tableHypervisors is seed 003's table beside the original's fifteen:
	// the compute nodes and their usage, for administrators (see
	// hypervisorRows).
	tableHypervisors = "hypervisors"
)

func text(name string) query.Column { return query.Column{Name: name, Type: query.TypeString} }
func textNull(name string) query.Column {
	return query.Column{Name: name, Type: query.TypeString, Nullable: true}
}
func number(name string) query.Column { return query.Column{Name: name, Type: query.TypeNumber} }
func numberNull(name string) query.Column {
	return query.Column{Name: name, Type: query.TypeNumber, Nullable: true}
}
func flag(name string) query.Column { return query.Column{Name: name, Type: query.TypeBool} }

// schema is the original Perspective's fifteen tables, with the exact
// table names, column names, column order and types its clients rely on:
// the contract of Set.Query's dialect. The rows the tables give hold their
// values in this column order. Seed 003 adds, after the original columns
// so that its clients' column positions hold, the instances' host (NULL
// unless the credentials may see it) and the hypervisors table.
var schema = func() *query.Schema {
	s, err := query.NewSchema(
		query.NewTable(tableAvailabilityZones, text("name"), text("project_id")),
		query.NewTable(tableClouds, text("id"), text("type")),
		query.NewTable(tableFlavors, text("id"), text("project_id"), text("name"), number("ram"), number("vcpus"),
			number("root_disk"), number("ephemeral_disk"), flag("has_swap"), flag("is_public"), textNull("notes")),
		query.NewTable(tableImages, text("id"), text("real_id"), text("name"), text("cloud_id"), text("cloud_type"),
			text("created"), text("last_updated"), text("state"), textNull("checksum")),
		query.NewTable(tableImageMetadata, text("image_id"), text("key"), text("value")),
		query.NewTable(tableInstances, text("id"), text("real_id"), text("name"), text("cloud_id"), text("cloud_type"),
			text("project_id"), textNull("flavor_id"), textNull("image_id"), text("state"), text("last_updated"),
			text("created"), textNull("availability_zone"), text("addresses"), textNull("fqdn"), textNull("host")),
		query.NewTable(tableInstanceMetadata, text("instance_id"), text("key"), text("value")),
		query.NewTable(tableInstanceNetworks, text("instance_id"), text("network_id")),
		query.NewTable(tableKeypairs, text("name"), text("project_id"), text("fingerprint"), text("public_key")),
		query.NewTable(tableNetworks, text("id"), text("project_id"), text("name"), text("state"), flag("is_shared")),
		query.NewTable(tableNetworkSubnets, text("id"), text("project_id"), text("network_id"), text("name"), text("cidr"),
			number("protocol_version"), textNull("gateway"), flag("is_dhcp_enabled")),
		query.NewTable(tableProjects, text("id"), text("name"), text("cloud_id"), text("cloud_type"), text("last_updated")),
		query.NewTable(tableProjectImages, text("project_id"), text("image_id")),
		query.NewTable(tableProjectMetadata, text("project_id"), text("key"), text("value")),
		query.NewTable(tableProjectQuota, text("project_id"), textNull("instances"), textNull("vcpus"), textNull("ram"),
			textNull("disk"), textNull("ips"), textNull("security_groups"), textNull("volumes"), textNull("keypairs")),
		query.NewTable(tableHypervisors, text("id"), text("cloud_id"), text("cloud_type"), textNull("region"), text("host"),
			text("hostname"), text("type"), textNull("host_ip"), text("state"), text("status"), numberNull("vcpus"),
			numberNull("vcpus_used"), numberNull("ram"), numberNull("ram_used"), numberNull("disk"), numberNull("disk_used"),
			numberNull("running_vms")),
	)
	if err != nil {
		panic(err) // the tables above are literals: a duplicate is a programming error any test finds
	}
	return s
}()

// listingFields are the seed-004 filters and orderings of ListInstances
// over the fifteen tables: the original client's listing (instances joined
// with projects, flavors and images).
var listingFields = query.FieldMap{
	Select: "instances.*, projects.name AS project_name, flavors.name AS flavor_name, images.name AS template_name",
	From: "instances INNER JOIN projects ON instances.project_id = projects.id " +
		"LEFT JOIN flavors ON instances.project_id = flavors.project_id AND instances.flavor_id = flavors.id " +
		"LEFT JOIN images ON instances.image_id = images.id",
	Fields: map[string]string{
		"id":                "instances.id",
		"real_id":           "instances.real_id",
		"hostname":          "instances.name",
		"name":              "instances.name",
		"state":             "instances.state",
		"cloud_id":          "instances.cloud_id",
		"cloud_type":        "instances.cloud_type",
		"project_id":        "instances.project_id",
		"project_name":      "projects.name",
		"project":           "projects.name",
		"flavor_id":         "instances.flavor_id",
		"flavor_name":       "flavors.name",
		"image_id":          "instances.image_id",
		"template_name":     "images.name",
		"image_name":        "images.name",
		"availability_zone": "instances.availability_zone",
		"fqdn":              "instances.fqdn",
		"created":           "instances.created",
		"last_updated":      "instances.last_updated",
	},
	Order: map[string]string{
		"project__name":  "projects.name",
		"template__name": "images.name",
	},
}
