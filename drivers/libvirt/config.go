package libvirt

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/perspective-cloud/sdk/driver"
)

// Config says which libvirt to reach and how to map it onto the model.
// Open builds one from a URL; New takes one directly.
type Config struct {
	// Transport is "unix" (the local socket) or "tcp" (Host on TCP, no
	// authentication); Socket is the unix socket (default
	// /var/run/libvirt/libvirt-sock) and Host the "host[:port]" for tcp
	// (default port 16509).
	Transport string
	Socket    string
	Host      string
	// URI is the connection URI libvirtd opens (default qemu:///system);
	// test:///default reaches libvirt's own test driver.
	URI string
	// Namespace marks the domains that are this cloud's (default
	// "perspective"): only domains whose metadata element names it are
	// instances; it is also the project id.
	Namespace string
	// Pool is the storage pool whose volumes are the images and that holds
	// the instances' disks and console logs (default "default").
	Pool string
	// Network is the libvirt network new instances attach to when a launch
	// names none (default "default").
	Network string
	// Flavors is the flavor set (default DefaultFlavors).
	Flavors []driver.Flavor
	// DomainType is the domain type of new instances: "qemu" (software
	// emulation, the default) or "kvm".
	DomainType string
	// ShutdownTimeout bounds how long Shutdown waits for the guest to power
	// off after its ACPI request (default 60 s).
	ShutdownTimeout time.Duration
	// CloudID names this cloud (default "libvirt-" + Namespace).
	CloudID string
	// Timeout bounds connecting (default 5 s).
	Timeout time.Duration
}

// DefaultFlavors is the flavor set of a cloud whose URL names none:
// RAM in MiB, RootDisk in GiB (the size of an instance's disk overlay).
var DefaultFlavors = []driver.Flavor{
	{ID: "tiny", Name: "tiny", VCPUs: 1, RAM: 256, RootDisk: 1, IsPublic: true},
	{ID: "small", Name: "small", VCPUs: 1, RAM: 512, RootDisk: 2, IsPublic: true},
	{ID: "medium", Name: "medium", VCPUs: 2, RAM: 1024, RootDisk: 4, IsPublic: true},
}

// Bounds of the configuration, enforced where it is parsed.
const (
	maxFlavors   = 64
	maxVCPUs     = 64
	maxRAM       = 1 << 20 // MiB: 1 TiB
	maxDisk      = 1 << 14 // GiB
	maxNameBytes = 64
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func validName(s string) bool { return len(s) <= maxNameBytes && nameRE.MatchString(s) }

func (c *Config) defaults() {
	if c.Transport == "" {
		c.Transport = "unix"
	}
	if c.Transport == "unix" && c.Socket == "" {
		c.Socket = "/var/run/libvirt/libvirt-sock"
	}
	if c.URI == "" {
		c.URI = "qemu:///system"
	}
	if c.Namespace == "" {
		c.Namespace = "perspective"
	}
	if c.Pool == "" {
		c.Pool = "default"
	}
	if c.Network == "" {
		c.Network = "default"
	}
	if c.Flavors == nil {
		c.Flavors = slices.Clone(DefaultFlavors)
	}
	if c.DomainType == "" {
		c.DomainType = "qemu"
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 60 * time.Second
	}
	if c.CloudID == "" {
		c.CloudID = "libvirt-" + c.Namespace
	}
	if c.Timeout == 0 {
		c.Timeout = 5 * time.Second
	}
}

func (c *Config) check() error {
	bad := func(format string, args ...any) error {
		return driver.Errorf(driver.CodeInvalidArgument, "libvirt: "+format, args...)
	}
	switch c.Transport {
	case "unix":
	case "tcp":
		if c.Host == "" {
			return bad("a tcp connection needs a host")
		}
	default:
		return bad("transport %q is not unix or tcp", c.Transport)
	}
	if !validName(c.Namespace) {
		return bad("namespace %q must be 1-%d letters, digits, '.', '_' or '-'", c.Namespace, maxNameBytes)
	}
	if !validName(c.Pool) {
		return bad("pool %q is not a valid pool name", c.Pool)
	}
	if !validName(c.Network) {
		return bad("network %q is not a valid network name", c.Network)
	}
	if c.DomainType != "qemu" && c.DomainType != "kvm" {
		return bad("domain type %q is not qemu or kvm", c.DomainType)
	}
	if len(c.Flavors) == 0 || len(c.Flavors) > maxFlavors {
		return bad("the flavor set needs 1 to %d flavors, not %d", maxFlavors, len(c.Flavors))
	}
	seen := map[string]bool{}
	for _, f := range c.Flavors {
		if !validName(f.ID) || seen[f.ID] {
			return bad("flavor id %q is empty, invalid or repeated", f.ID)
		}
		seen[f.ID] = true
		if f.VCPUs < 1 || f.VCPUs > maxVCPUs || f.RAM < 16 || f.RAM > maxRAM || f.RootDisk < 1 || f.RootDisk > maxDisk {
			return bad("flavor %q needs 1-%d vcpus, 16-%d MiB of RAM and 1-%d GiB of disk", f.ID, maxVCPUs, maxRAM, maxDisk)
		}
	}
	if c.ShutdownTimeout < 0 || c.ShutdownTimeout > time.Hour {
		return bad("shutdown timeout %s is not between 0 and 1h", c.ShutdownTimeout)
	}
	return nil
}

// ParseURL reads a Config from a URL:
//
//	libvirt:///system?pool=perspective&network=perspective&namespace=team-a
//	libvirt+tcp://host:16509/system?flavors=tiny:1:256:1,big:4:4096:20
//
// The path is /system (qemu:///system) or /session (qemu:///session);
// options: namespace, pool, network, flavors (id:vcpus:ramMiB:diskGiB,…),
// socket (unix), uri (the URI libvirtd opens, e.g. test:///default),
// type (qemu or kvm), shutdown_timeout (a Go duration), cloud (the cloud id).
func ParseURL(u *url.URL) (Config, error) {
	bad := func(format string, args ...any) (Config, error) {
		return Config{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: URL "+format, args...)
	}
	var c Config
	switch u.Scheme {
	case Scheme:
		c.Transport = "unix"
		if u.Host != "" {
			return bad("%q names a host: use %s://host/system for a remote libvirt", u.Redacted(), SchemeTCP)
		}
	case SchemeTCP:
		c.Transport = "tcp"
		if u.Hostname() == "" {
			return bad("%q names no host", u.Redacted())
		}
		c.Host = u.Host
		if u.Port() == "" {
			c.Host = u.Host + ":16509"
		}
	default:
		return bad("scheme %q is not %s or %s", u.Scheme, Scheme, SchemeTCP)
	}
	switch strings.TrimSuffix(u.Path, "/") {
	case "", "/system":
		c.URI = "qemu:///system"
	case "/session":
		c.URI = "qemu:///session"
	default:
		return bad("path %q is not /system or /session", u.Path)
	}
	known := []string{"namespace", "pool", "network", "flavors", "socket", "uri", "type", "shutdown_timeout", "cloud"}
	q := u.Query()
	for k, v := range q {
		if !slices.Contains(known, k) {
			return bad("option %q is unknown (known: %s)", k, strings.Join(known, ", "))
		}
		if len(v) != 1 {
			return bad("option %q is given %d times", k, len(v))
		}
	}
	c.Namespace, c.Pool, c.Network, c.Socket = q.Get("namespace"), q.Get("pool"), q.Get("network"), q.Get("socket")
	c.DomainType, c.CloudID = q.Get("type"), q.Get("cloud")
	if s := q.Get("uri"); s != "" {
		if _, err := url.Parse(s); err != nil || !strings.Contains(s, ":///") {
			return bad("option uri %q is not a local libvirt URI such as test:///default", s)
		}
		c.URI = s
	}
	if s := q.Get("shutdown_timeout"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			return bad("option shutdown_timeout %q is not a duration such as 30s", s)
		}
		c.ShutdownTimeout = d
	}
	if s := q.Get("flavors"); s != "" {
		fs, err := parseFlavors(s)
		if err != nil {
			return Config{}, err
		}
		c.Flavors = fs
	}
	c.defaults()
	if err := c.check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// parseFlavors reads "id:vcpus:ramMiB:diskGiB,…".
func parseFlavors(s string) ([]driver.Flavor, error) {
	parts := strings.Split(s, ",")
	if len(parts) > maxFlavors {
		return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: option flavors lists %d flavors, at most %d", len(parts), maxFlavors)
	}
	var out []driver.Flavor
	for _, p := range parts {
		f := strings.Split(p, ":")
		if len(f) != 4 {
			return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: flavor %q is not id:vcpus:ramMiB:diskGiB", p)
		}
		n := make([]int, 3)
		for i, v := range f[1:] {
			x, err := strconv.Atoi(v)
			if err != nil {
				return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: flavor %q: %q is not a whole number", p, v)
			}
			n[i] = x
		}
		out = append(out, driver.Flavor{ID: f[0], Name: f[0], VCPUs: n[0], RAM: n[1], RootDisk: n[2], IsPublic: true})
	}
	return out, nil
}

func (c *Config) flavor(id string) (driver.Flavor, bool) {
	i := slices.IndexFunc(c.Flavors, func(f driver.Flavor) bool { return f.ID == id })
	if i < 0 {
		return driver.Flavor{}, false
	}
	return c.Flavors[i], true
}

func (c *Config) String() string {
	return fmt.Sprintf("%s (namespace %s, pool %s)", c.URI, c.Namespace, c.Pool)
}
