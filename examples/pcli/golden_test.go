package main

import (
	"testing"
)

// seeded is a mock cloud with instances in every resting state. Items are
// acted on one at a time, so that the per-item progress lines come in one
// order (the refused ones, then the others in the arguments' order);
// TestProgressLinesAtDefaultConcurrency covers concurrent calls.
var seeded = []string{"--cloud", "mock", "--concurrency", "1", "--seed-instances",
	"web=3,batch=1:shutoff,paused=1:paused,resized=1:verify_resize,broken=1:error,db=1:locked"}

// slow is the same cloud whose transitions take time, for --wait.
var slow = []string{"--cloud", "mock://?delay=30ms", "--concurrency", "1", "--seed-instances", "web=3,batch=1:shutoff,resized=1:verify_resize"}

// adminSlow is a mock cloud whose credentials are an administrator's.
var adminSlow = []string{"--cloud", "mock://?admin=true&delay=30ms", "--concurrency", "1", "--seed-instances", "web=2"}

// partlyFailing is two clouds with two instances each (pclitest://, see
// partial_test.go) and a third whose listing is refused.
var partlyFailing = []string{"--cloud", "pclitest://a?project=web&region=R1&vms=2", "--cloud", "pclitest://b?project=web&region=R2&vms=2",
	"--cloud", "mock://c?project=db&region=R1&fail=ListInstances:forbidden"}

// admin is an administrator's mock cloud with three instances, two on
// host aio and one on aio2.
var admin = []string{"--cloud", "mock://?admin=true", "--concurrency", "1", "--seed-instances", "web=3"}

func with(base []string, args ...string) []string {
	return append(append([]string(nil), base...), args...)
}

// formats expands a case into its table, JSON and CSV forms.
func formats(name string, code int, args ...string) []goldenCase {
	return []goldenCase{
		{name, args, code},
		{name + "-json", with(args, "-o", "json"), code},
		{name + "-csv", with(args, "-o", "csv"), code},
	}
}

type goldenCase struct {
	name string
	args []string
	code int
}

func goldenCases() []goldenCase {
	var cs []goldenCase
	add := func(c ...goldenCase) { cs = append(cs, c...) }
	one := func(name string, code int, args ...string) { add(goldenCase{name, args, code}) }

	// Listings.
	add(formats("list-instances", 0, with(seeded, "list", "instances")...)...)
	one("list-instances-state", 0, with(seeded, "list", "instances", "--state", "shutoff", "--state", "paused")...)
	one("list-instances-bad-state", 2, with(seeded, "list", "instances", "--state", "running")...)
	// A cloud that does not answer: the others' rows, the failed one on stderr, exit 1.
	add(formats("list-instances-failed-cloud", 1, with(partlyFailing, "list", "instances")...)...)
	one("list-instances-filter-failed-cloud", 1, with(partlyFailing, "list", "instances", "--filter", "state=launched")...)
	one("query-failed-cloud", 1, with(partlyFailing, "query", "SELECT name, project_id FROM instances ORDER BY name")...)
	one("projects-failed-cloud", 1, "--cloud", "mock://a?project=web", "--cloud", "mock://b?project=db&fail=ListProjects:forbidden", "projects")
	one("flavors-failed-cloud", 1, "--cloud", "mock://a?project=web", "--cloud", "mock://b?project=db&fail=ListFlavors:forbidden", "flavors")
	one("list-instances-no-cloud-answers", 1, "--cloud", "mock://b?project=db&fail=ListInstances:transient", "list", "instances")
	add(formats("flavors", 0, "--cloud", "mock", "flavors")...)
	add(formats("networks", 0, "--cloud", "mock", "networks")...)
	add(formats("images-list", 0, "--cloud", "mock", "images", "list")...)
	add(formats("images-show", 0, "--cloud", "mock", "images", "show", "cirros-0.6.2")...)
	one("images-show-missing", 1, "--cloud", "mock", "images", "show", "nope")
	add(formats("images-add", 0, "--cloud", "mock", "images", "add", "--name", "alpine", "--file", "testdata/disk.img",
		"--disk-format", "raw", "--visibility", "private", "--property", "os_distro=alpine")...)
	one("images-update", 0, "--cloud", "mock", "images", "update", "debian-12", "--name", "debian-12-old",
		"--min-ram", "512", "--property", "os_version=12", "--remove-property", "os_distro")
	one("images-update-nothing", 2, "--cloud", "mock", "images", "update", "debian-12")
	add(formats("images-delete", 1, "--cloud", "mock", "--concurrency", "1", "images", "delete", "debian-12", "nope")...)
	add(formats("keypairs-add-public", 0, "--cloud", "mock", "keypairs", "add", "laptop", "--public-key", "testdata/laptop.pub")...)
	add(formats("keypairs-list", 0, "--cloud", "mock", "keypairs", "list")...)
	add(formats("keypairs-delete", 1, "--cloud", "mock", "keypairs", "delete", "nope")...)
	add(formats("projects", 0, "--cloud", "mock", "projects")...)
	one("projects-rc", 0, "--cloud", "mock", "projects", "--rc", "-")
	add(formats("projects-endpoints", 0, "--cloud", "mock", "projects", "--endpoints")...)
	one("projects-rc-unknown", 1, "--cloud", "mock", "projects", "--rc", "-", "--project", "nope")
	add(formats("operations", 0, "--cloud", "mock", "operations")...)

	// Launch.
	add(formats("launch", 0, "--cloud", "mock", "launch", "--name", "app", "--count", "2", "--flavor", "m1.small",
		"--image", "ubuntu-24.04", "--network", "private", "--tag", "blue", "--property", "role=app")...)
	one("launch-wait", 0, "--cloud", "mock://?delay=30ms", "launch", "--name", "app", "--flavor", "1", "--image", "debian-12", "--wait")
	one("launch-bad-flavor", 2, "--cloud", "mock", "launch", "--name", "app", "--flavor", "m9.huge", "--image", "debian-12")
	one("launch-quota", 1, "--cloud", "mock://?quota=2", "launch", "--name", "app", "--count", "3", "--flavor", "1", "--image", "debian-12")
	one("launch-missing-name", 2, "--cloud", "mock", "launch", "--flavor", "1", "--image", "debian-12")

	// Bulk actions: every operation, in a state that admits it.
	add(formats("reboot", 0, with(seeded, "reboot", "web-1", "web-2")...)...)
	add(formats("reboot-partial", 1, with(seeded, "reboot", "web-1", "nope", "batch")...)...)
	add(formats("dry-run-start", 1, with(seeded, "start", "batch", "web-1", "--dry-run")...)...)
	one("dry-run-reboot", 0, with(seeded, "reboot", "web-1", "web-2", "--dry-run")...)
	one("dry-run-locked", 1, with(seeded, "reboot", "db", "web-1", "--dry-run")...)
	one("hard-reboot", 0, with(seeded, "hard-reboot", "broken", "web-1")...)
	one("start-wait", 0, with(slow, "start", "batch", "--wait")...)
	one("shutdown-wait", 0, with(slow, "shutdown", "web-1", "web-2", "--wait")...)
	one("pause", 0, with(seeded, "pause", "web-1")...)
	one("resume", 0, with(seeded, "resume", "paused")...)
	one("suspend", 0, with(seeded, "suspend", "web-1")...)
	one("delete-wait", 0, with(slow, "delete", "web-3", "--wait")...)
	one("lock", 0, with(seeded, "lock", "web-1", "web-2")...)
	one("unlock", 0, with(seeded, "unlock", "web-1")...)
	one("snapshot", 0, with(seeded, "snapshot", "web-1", "web-2", "--name", "nightly")...)
	one("snapshot-default-name", 0, with(seeded, "snapshot", "web-1")...)
	one("snapshot-wait", 0, with(slow, "snapshot", "web-1", "--name", "before", "--wait")...)
	one("tag", 0, with(seeded, "tag", "web-1", "web-2", "--tag", "prod", "--tag", "team-a")...)
	one("untag", 0, with(seeded, "untag", "web-1", "--tag", "prod")...)
	one("rebuild", 0, with(seeded, "rebuild", "web-1", "--image", "debian-12")...)
	one("resize", 0, with(seeded, "resize", "web-1", "web-2", "--flavor", "m1.small")...)
	one("resize-wait", 0, with(slow, "resize", "web-1", "--flavor", "m1.medium", "--wait")...)
	one("confirm-resize", 0, with(seeded, "confirm-resize", "resized")...)
	one("revert-resize-wait", 0, with(slow, "revert-resize", "resized", "--wait")...)
	one("set-metadata", 0, with(seeded, "set-metadata", "web-1", "--set", "role=frontend")...)
	one("unset-metadata", 0, with(seeded, "unset-metadata", "web-1", "--key", "role")...)
	// Seed 003's operations; migrations need an administrator (the mock's admin=true).
	one("shelve-wait", 0, with(slow, "shelve", "web-1", "--wait")...)
	one("migrate-wait", 0, with(adminSlow, "migrate", "web-1", "--host", "aio2", "--wait")...)
	one("live-migrate-wait", 0, with(adminSlow, "live-migrate", "web-1", "web-2", "--wait")...)
	one("migrate-member", 1, with(slow, "migrate", "web-1")...)
	one("backup-missing-name", 2, with(seeded, "backup", "web-1")...)
	one("migrate-live-wait", 0, with(adminSlow, "migrate", "--where", "name LIKE 'web-%'", "--live", "--wait")...)
	one("migrate-live-dry-run", 0, with(adminSlow, "migrate", "web-1", "--live", "--dry-run", "-o", "json")...)
	// The operator commands (package operator): an administrator's mock, a member refused.
	add(formats("hosts", 0, with(admin, "hosts")...)...)
	one("hosts-member", 1, with(slow, "hosts")...)
	one("hosts-mixed", 1, "--cloud", "mock://east?admin=true", "--cloud", "mock://west", "hosts")
	add(formats("services", 0, "--cloud", "mock://?admin=true", "services")...)
	one("services-member", 1, "--cloud", "mock", "services")
	one("services-disable", 0, "--cloud", "mock://?admin=true", "services", "disable", "aio2", "--reason", "disk replacement")
	one("services-force-down", 0, "--cloud", "mock://?admin=true", "services", "force-down", "aio2", "-o", "json")
	one("services-unknown-host", 1, "--cloud", "mock://?admin=true", "services", "enable", "aio9")
	one("services-member-disable", 1, "--cloud", "mock", "services", "disable", "aio2")
	one("services-disable-no-host", 2, "--cloud", "mock://?admin=true", "services", "disable", "--reason", "x")
	one("evacuate-dry-run", 1, with(admin, "evacuate", "--where", "host = 'aio2'", "nope", "--host", "aio", "--dry-run")...)
	one("evacuate-host-up", 1, with(admin, "evacuate", "--where", "host = 'aio2'")...)
	one("evacuate-member", 1, with(slow, "evacuate", "web-1", "--host", "aio2")...)
	one("evacuate-host-missing-value", 2, with(admin, "evacuate", "web-1", "--host")...)
	one("evacuate-no-instances", 2, with(admin, "evacuate", "--host", "aio")...)
	// One at a time (as every case on seeded): concurrent calls would take the floating IPs in any order.
	add(formats("add-ip", 0, with(seeded, "add-ip", "web-1", "web-2")...)...)
	one("remove-ip-none", 1, with(seeded, "remove-ip", "web-1")...)
	one("rename", 0, with(seeded, "rename", "web-1=front-1", "web-2=front-2")...)
	one("ambiguous-name", 2, "--cloud", "mock", "--seed-instances", "a=1,a=1", "reboot", "a")
	one("refused-by-cloud", 1, "--cloud", "mock", "--seed-instances", "web=2", "--concurrency", "1", "rebuild", "web-1", "--image", "nope")

	// Queries, --where and seed-004 filters.
	add(formats("query", 0, with(seeded, "query", "SELECT name, state FROM instances WHERE name LIKE :p ORDER BY name", "-p", "p=web-%")...)...)
	add(formats("query-group", 0, with(seeded, "query", "SELECT state, COUNT(*) AS n FROM instances GROUP BY state ORDER BY n DESC, state")...)...)
	one("query-positional", 0, "--cloud", "mock", "query", "SELECT name, ram FROM flavors WHERE ram >= ? ORDER BY ram", "-p", "2048")
	one("query-join", 0, with(seeded, "query", "SELECT i.name, f.name AS flavor, im.name AS image FROM instances i "+
		"JOIN flavors f ON i.project_id = f.project_id AND i.flavor_id = f.id LEFT JOIN images im ON i.image_id = im.id "+
		"WHERE f.ram > 512 ORDER BY i.name")...)
	one("query-explain", 0, "--cloud", "mock", "query", "EXPLAIN SELECT name FROM flavors WHERE vcpus > 1")
	one("query-hosts", 0, with(admin, "query", "SELECT h.host, h.state, COUNT(i.id) AS n FROM hypervisors h LEFT JOIN instances i "+
		"ON i.cloud_id = h.cloud_id AND i.host = h.host GROUP BY h.host, h.state ORDER BY h.host")...)
	one("query-hosts-member", 1, with(seeded, "query", "SELECT i.name, h.hostname FROM instances i JOIN hypervisors h ON i.host = h.host")...)
	one("query-syntax-error", 2, "--cloud", "mock", "query", "SELEKT name FROM instances")
	one("query-unknown-column", 2, "--cloud", "mock", "query", "SELECT nmae FROM instances")
	one("query-missing-parameter", 2, "--cloud", "mock", "query", "SELECT name FROM instances WHERE name = :n")
	add(formats("where", 0, with(seeded, "reboot", "--where", "name LIKE :p", "-p", "p=web-%")...)...)
	one("where-dry-run", 1, with(seeded, "shutdown", "--where", "state = 'launched'", "--dry-run")...)
	one("where-and-names", 0, with(seeded, "pause", "web-1", "--where", "name = 'web-2'")...)
	one("where-none", 0, with(seeded, "reboot", "--where", "name = 'zzz'")...)
	one("where-syntax-error", 2, with(seeded, "reboot", "--where", "name LIKE")...)
	one("where-param-without-where", 2, with(seeded, "reboot", "web-1", "-p", "p=1")...)
	one("list-filter-order", 0, with(seeded, "list", "instances", "--filter", "state=launched", "-o", "-name")...)
	add(formats("list-filter", 0, with(seeded, "list", "instances", "--filter", "state=shutoff", "--filter", "state=paused", "--order", "name")...)...)
	one("list-filter-state-flag", 0, with(seeded, "list", "instances", "--state", "error", "--order", "-name")...)
	one("list-filter-unknown-field", 2, with(seeded, "list", "instances", "--filter", "hostnme=web-1")...)
	one("list-filter-unknown-order", 2, with(seeded, "list", "instances", "-o", "-nmae")...)
	one("list-filter-malformed", 2, with(seeded, "list", "instances", "--filter", "state")...)
	one("list-filter-with-name", 2, with(seeded, "list", "instances", "--filter", "state=launched", "--name", "web")...)

	// Usage errors.
	one("usage-no-cloud", 2, "reboot", "web-1")
	one("usage-unknown-command", 2, "--cloud", "mock", "frobnicate")
	one("usage-unknown-flag", 2, "--cloud", "mock", "reboot", "--frob")
	one("usage-bad-output", 2, "--cloud", "mock", "-o", "yaml", "flavors")
	one("usage-tag-missing", 2, with(seeded, "tag", "web-1")...)
	one("usage-seed-openstack", 2, "--cloud", "openstack://", "--seed-instances", "2", "flavors")
	one("usage-bad-seed", 2, "--cloud", "mock", "--seed-instances", "web=x", "flavors")
	one("usage-bad-seed-state", 2, "--cloud", "mock", "--seed-instances", "web=2:rebooting", "flavors")
	one("usage-no-instances", 2, "--cloud", "mock", "reboot")
	one("usage-wait-dry-run", 2, with(seeded, "start", "batch", "--wait", "--dry-run")...)
	one("usage-bad-cloud", 2, "--cloud", "not a/cloud", "flavors")
	one("usage-unknown-scheme", 2, "--cloud", "ftp://x", "flavors")
	one("usage-negative-concurrency", 2, "--cloud", "mock", "--concurrency", "-1", "flavors")

	// Help.
	one("help", 0, "--help")
	one("help-reboot", 0, "reboot", "--help")
	one("help-keypairs-add", 0, "keypairs", "add", "--help")
	one("help-query", 0, "query", "--help")
	one("help-list-instances", 0, "list", "instances", "--help")
	one("help-evacuate", 0, "evacuate", "--help")
	one("help-migrate", 0, "migrate", "--help")
	one("help-services", 0, "services", "--help")
	one("help-hosts", 0, "hosts", "--help")
	return cs
}

// TestGolden runs every command against the mock cloud and compares what
// it prints and its exit status with testdata/*.golden.
func TestGolden(t *testing.T) {
	t.Setenv("OS_AUTH_URL", "")
	t.Setenv("OS_CLOUD", "")
	seen := map[string]bool{}
	for _, c := range goldenCases() {
		if seen[c.name] {
			t.Fatalf("two cases named %s", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			got := runPCLI(t, "", c.args...)
			checkGolden(t, c.name, got.render())
			if got.code != c.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", got.code, c.code, got.stdout, got.stderr)
			}
		})
	}
}
