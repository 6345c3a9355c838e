package libvirt

import (
	"net/url"
	"strings"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/perspective-cloud/sdk/driver"
)

func TestParseURL(t *testing.T) {
	ok := map[string]func(t *testing.T, c Config){
		"libvirt:///system": func(t *testing.T, c Config) {
			assert.Equal(t, "unix", c.Transport)
			assert.Equal(t, "qemu:///system", c.URI)
			assert.Equal(t, "perspective", c.Namespace)
			assert.Equal(t, "default", c.Pool)
			assert.Equal(t, "qemu", c.DomainType)
			assert.Len(t, c.Flavors, 3)
		},
		"libvirt+tcp://host.example/system?pool=p&network=n&namespace=team-a": func(t *testing.T, c Config) {
			assert.Equal(t, "tcp", c.Transport)
			assert.Equal(t, "host.example:16509", c.Host)
			assert.Equal(t, "p", c.Pool)
			assert.Equal(t, "n", c.Network)
			assert.Equal(t, "libvirt-team-a", c.CloudID)
		},
		"libvirt:///session?uri=test:///default&flavors=a:1:64:1,b:2:128:2&shutdown_timeout=5s": func(t *testing.T, c Config) {
			assert.Equal(t, "test:///default", c.URI)
			require.Len(t, c.Flavors, 2)
			assert.Equal(t, driver.Flavor{ID: "b", Name: "b", VCPUs: 2, RAM: 128, RootDisk: 2, IsPublic: true}, c.Flavors[1])
			assert.Equal(t, 5*time.Second, c.ShutdownTimeout)
		},
	}
	for raw, check := range ok {
		t.Run(raw, func(t *testing.T) {
			u, err := url.Parse(raw)
			require.NoError(t, err)
			c, err := ParseURL(u)
			require.NoError(t, err)
			check(t, c)
		})
	}
	bad := map[string]string{
		"libvirt://host/system":                       "names a host",
		"libvirt+tcp:///system":                       "names no host",
		"openstack:///system":                         "scheme",
		"libvirt:///other":                            "path",
		"libvirt:///system?colour=red":                "unknown",
		"libvirt:///system?pool=a&pool=b":             "given 2 times",
		"libvirt:///system?namespace=a/b":             "namespace",
		"libvirt:///system?flavors=a:1:64":            "id:vcpus",
		"libvirt:///system?flavors=a:x:64:1":          "whole number",
		"libvirt:///system?flavors=a:0:64:1":          "vcpus",
		"libvirt:///system?flavors=a:1:64:1,a:1:64:1": "repeated",
		"libvirt:///system?type=xen":                  "domain type",
		"libvirt:///system?shutdown_timeout=soon":     "duration",
		"libvirt:///system?uri=nonsense":              "uri",
	}
	for raw, want := range bad {
		t.Run(raw, func(t *testing.T) {
			u, err := url.Parse(raw)
			require.NoError(t, err)
			_, err = ParseURL(u)
			require.Error(t, err)
			assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err))
			assert.Contains(t, err.Error(), want)
		})
	}
}

func TestMetaRoundTrip(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m := &meta{Namespace: "ns", Flavor: "tiny", Image: "img", Keypair: "k", Locked: true,
		Created: now, Updated: now, Tags: []string{"a", "b"}}
	m.setMetadata(map[string]string{"z": "1", "a": "<&>"})
	x, err := m.marshal()
	require.NoError(t, err)
	assert.Contains(t, x, XMLNamespace)
	// libvirt hands back the element inside <metadata>, beside others
	got, ok, err := parseMeta(`<other xmlns="urn:x"/>` + prefixed(x))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "ns", got.Namespace)
	assert.True(t, got.Locked)
	assert.Equal(t, []string{"a", "b"}, got.Tags)
	assert.Equal(t, map[string]string{"a": "<&>", "z": "1"}, got.metadataMap())
	assert.Equal(t, now, got.Created)

	_, ok, err = parseMeta(`<other xmlns="urn:x"/>`)
	require.NoError(t, err)
	assert.False(t, ok, "a domain without the element is not an instance")

	big := &meta{Namespace: "ns", Meta: []kv{{Key: "k", Value: strings.Repeat("x", maxMetaBytes)}}}
	_, err = big.marshal()
	assert.Equal(t, driver.CodeInvalidArgument, driver.CodeOf(err), "the element has a bound")
}

// prefixed writes the element as libvirt hands it back: with a prefix.
func prefixed(x string) string {
	x = strings.Replace(x, "<instance xmlns=\""+XMLNamespace+"\"", "<perspective:instance xmlns:perspective=\""+XMLNamespace+"\"", 1)
	x = strings.ReplaceAll(x, "<", "<perspective:")
	x = strings.ReplaceAll(x, "<perspective:/", "</perspective:")
	return strings.ReplaceAll(x, "<perspective:perspective:", "<perspective:")
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		st   domainState
		want driver.State
	}{
		{domainState{state: golibvirt.DomainRunning, reason: 1}, driver.StateLaunched},
		{domainState{state: golibvirt.DomainBlocked}, driver.StateLaunched},
		{domainState{state: golibvirt.DomainPaused, reason: int32(golibvirt.DomainPausedUser)}, driver.StatePaused},
		{domainState{state: golibvirt.DomainPaused, reason: int32(golibvirt.DomainPausedSave)}, driver.StateSuspending},
		{domainState{state: golibvirt.DomainPaused, reason: int32(golibvirt.DomainPausedIoerror)}, driver.StateError},
		{domainState{state: golibvirt.DomainShutdown}, driver.StateShuttingDown},
		{domainState{state: golibvirt.DomainShutoff, reason: int32(golibvirt.DomainShutoffShutdown)}, driver.StateShutoff},
		{domainState{state: golibvirt.DomainShutoff, reason: int32(golibvirt.DomainShutoffSaved), saved: true}, driver.StateSuspended},
		{domainState{state: golibvirt.DomainShutoff, reason: int32(golibvirt.DomainShutoffCrashed)}, driver.StateError},
		{domainState{state: golibvirt.DomainShutoff, reason: int32(golibvirt.DomainShutoffFailed)}, driver.StateError},
		{domainState{state: golibvirt.DomainCrashed}, driver.StateError},
		{domainState{state: golibvirt.DomainPmsuspended}, driver.StateSuspended},
		{domainState{state: golibvirt.DomainNostate}, driver.StateUnknown},
	}
	for _, c := range cases {
		got, status, fault := c.st.normalize()
		assert.Equal(t, c.want, got, "%+v", c.st)
		assert.NotEmpty(t, status)
		assert.Equal(t, got == driver.StateError, fault != "", "a fault exactly for the error state")
	}
}

func TestDomainXML(t *testing.T) {
	x, err := domainXML(domainSpec{name: "web-1", uuid: "0b3c6d0e-3b8d-4d0a-9a4e-2f7f1f2f0a11", domainType: "qemu",
		flavor: DefaultFlavors[0], disk: "/p/d.overlay.qcow2", diskFormat: "qcow2", logPath: "/p/d.console.log",
		boot: bootFiles{kernel: "/p/i.kernel", initrd: "/p/i.initrd"}, networks: []string{"n1"},
		publicKey: "ssh-ed25519 AAAA k", meta: &meta{Namespace: "ns"}})
	require.NoError(t, err)
	for _, want := range []string{`<domain type="qemu">`, `<memory unit="MiB">256</memory>`, `<kernel>/p/i.kernel</kernel>`,
		`<acpi>`, `<log file="/p/d.console.log" append="on">`, `<source network="n1">`, `type="vnc"`, FWCfgKeys, XMLNamespace} {
		assert.Contains(t, x, want)
	}
}

func TestTail(t *testing.T) {
	assert.Equal(t, "c\nd\n", tail("a\nb\nc\nd\n", 2))
	assert.Equal(t, "a\nb\n", tail("a\nb\n", 5))
	assert.Equal(t, "a\nb", tail("a\nb", 0))
}

func TestPoints(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	hist := []sample{
		{at: t0.Add(10 * time.Second), cpuNs: 0, vcpus: 1, memMiB: 100},
		{at: t0.Add(20 * time.Second), cpuNs: 5e9, vcpus: 1, memMiB: 200}, // 50 % over 10 s
		{at: t0.Add(50 * time.Second), cpuNs: 1e9, vcpus: 1, memMiB: 300}, // restarted: no CPU figure
	}
	q := driver.UsageQuery{Item: driver.UsageCPU, From: t0, To: t0.Add(60 * time.Second), Points: 2}
	pts := points(hist, q, t0.Add(time.Hour))
	require.Len(t, pts, 1, "only intervals with a figure")
	assert.InDelta(t, 50, pts[0].Value, 0.001)
	q.Item = driver.UsageMemory
	pts = points(hist, q, t0.Add(time.Hour))
	require.Len(t, pts, 2)
	assert.InDelta(t, 150, pts[0].Value, 0.001)
	assert.InDelta(t, 300, pts[1].Value, 0.001)
	// a query ending "now" counts the sample taken just after its end
	late := []sample{{at: t0.Add(61 * time.Second), memMiB: 7}}
	pts = points(late, q, t0.Add(61*time.Second))
	require.Len(t, pts, 1)
	assert.InDelta(t, 7, pts[0].Value, 0.001)
}

func TestUsageSamplesBounded(t *testing.T) {
	u := newUsageSamples()
	for i := range maxSamples + 10 {
		u.add("a", sample{at: time.Unix(int64(i), 0)})
	}
	assert.Len(t, u.by["a"], maxSamples)
	for i := range maxInstances + 5 {
		u.add(strings.Repeat("x", i%7)+string(rune('a'+i%26))+time.Unix(int64(i), 0).String(), sample{})
	}
	assert.LessOrEqual(t, len(u.by), maxInstances)
}

func TestImageVolumes(t *testing.T) {
	assert.True(t, isImageVolume("tiny.qcow2"))
	for _, n := range []string{"tiny.qcow2.kernel", "tiny.qcow2.initrd", "x.overlay.qcow2", "x.console.log"} {
		assert.False(t, isImageVolume(n), n)
	}
}
