package libvirt

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"net"
	"slices"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
	"golang.org/x/crypto/ssh"
	"libvirt.org/go/libvirtxml"

	"github.com/perspective-cloud/sdk/driver"
)

// maxKeypairs bounds the keypair catalog of a namespace.
const maxKeypairs = 200 // about 200 bytes each: they fit one stored value

// ListFlavors returns the configured flavor set.
func (d *Driver) ListFlavors(ctx context.Context) ([]driver.Flavor, error) {
	if err := ctx.Err(); err != nil {
		return nil, driver.Wrap(driver.CodeCanceled, err, "libvirt: listing flavors")
	}
	return slices.Clone(d.cfg.Flavors), nil
}

// ListNetworks lists libvirt's networks with their IPv4 ranges; the id and
// the name are both the network's name.
func (d *Driver) ListNetworks(ctx context.Context) ([]driver.Network, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return nil, err
	}
	nets, _, err := l.ConnectListAllNetworks(1, 0)
	if err != nil {
		return nil, classify(err, "listing networks")
	}
	var out []driver.Network
	for _, n := range nets {
		raw, err := l.NetworkGetXMLDesc(n, 0)
		if err != nil {
			if notFound(err) {
				continue
			}
			return nil, classify(err, "reading network "+n.Name)
		}
		var x libvirtxml.Network
		if err := x.Unmarshal(raw); err != nil {
			return nil, driver.Wrap(driver.CodeUnknown, err, "libvirt: reading the XML of network "+n.Name)
		}
		active, _ := l.NetworkIsActive(n)
		net := driver.Network{ID: n.Name, Name: n.Name, State: "inactive", IsShared: true,
			IsExternal: x.Forward != nil && x.Forward.Mode != "" && x.Forward.Mode != "isolated"}
		if active == 1 {
			net.State = "active"
		}
		for _, ip := range x.IPs {
			if sn, ok := subnet(n.Name, ip); ok {
				net.Subnets = append(net.Subnets, sn)
			}
		}
		out = append(out, net)
	}
	return out, nil
}

func subnet(network string, ip libvirtxml.NetworkIP) (driver.Subnet, bool) {
	addr := net.ParseIP(ip.Address)
	if addr == nil {
		return driver.Subnet{}, false
	}
	var mask net.IPMask
	switch {
	case ip.Netmask != "":
		m := net.ParseIP(ip.Netmask)
		if m == nil || m.To4() == nil {
			return driver.Subnet{}, false
		}
		mask = net.IPMask(m.To4())
	case addr.To4() != nil:
		mask = net.CIDRMask(int(ip.Prefix), 32)
	default:
		mask = net.CIDRMask(int(ip.Prefix), 128)
	}
	ipn := net.IPNet{IP: addr.Mask(mask), Mask: mask}
	v := 4
	if addr.To4() == nil {
		v = 6
	}
	return driver.Subnet{ID: network + "/" + ipn.String(), Name: ipn.String(), CIDR: ipn.String(),
		IPVersion: v, Gateway: ip.Address, DHCPEnabled: ip.DHCP != nil}, true
}

// keypairCatalog is what the driver stores under "keypairs/<namespace>"
// (see store.go): libvirt keeps no keypairs.
type keypairCatalog struct {
	Keypairs []driver.Keypair `json:"keypairs"`
}

func (d *Driver) keysKey() string { return "keypairs/" + d.cfg.Namespace }

func (d *Driver) readKeys(l *golibvirt.Libvirt, _ golibvirt.StoragePool) (keypairCatalog, error) {
	var c keypairCatalog
	raw, err := storeGet(l, d.keysKey())
	if err != nil {
		return c, classify(err, "reading the keypairs of namespace "+d.cfg.Namespace)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return c, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, driver.Wrap(driver.CodeUnknown, err, "libvirt: the stored keypairs of namespace "+d.cfg.Namespace+" are not valid JSON")
	}
	return c, nil
}

// ListKeypairs lists the namespace's keypairs.
func (d *Driver) ListKeypairs(ctx context.Context) ([]driver.Keypair, error) {
	l, pool, err := d.pool(ctx)
	if err != nil {
		return nil, err
	}
	c, err := d.readKeys(l, pool)
	if err != nil {
		return nil, err
	}
	return c.Keypairs, nil
}

func (d *Driver) keypair(ctx context.Context, l *golibvirt.Libvirt, name string) (driver.Keypair, error) {
	pool, err := l.StoragePoolLookupByName(d.cfg.Pool)
	if err != nil {
		return driver.Keypair{}, classify(err, "storage pool "+d.cfg.Pool)
	}
	c, err := d.readKeys(l, pool)
	if err != nil {
		return driver.Keypair{}, err
	}
	for _, k := range c.Keypairs {
		if k.Name == name {
			return k, nil
		}
	}
	return driver.Keypair{}, driver.Errorf(driver.CodeNotFound, "libvirt: keypair %q could not be found in namespace %s", name, d.cfg.Namespace)
}

// CreateKeypair imports spec.PublicKey or generates an ed25519 key (whose
// private half is returned once and kept nowhere).
func (d *Driver) CreateKeypair(ctx context.Context, spec driver.KeypairSpec) (driver.Keypair, error) {
	k := driver.Keypair{Name: spec.Name, Type: "ssh"}
	var pub ssh.PublicKey
	if spec.PublicKey != "" {
		p, _, _, _, err := ssh.ParseAuthorizedKey([]byte(spec.PublicKey))
		if err != nil {
			return driver.Keypair{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: the public key of keypair %q is not an SSH public key: %v", spec.Name, err)
		}
		pub = p
	} else {
		pk, sk, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return driver.Keypair{}, driver.Wrap(driver.CodeUnknown, err, "libvirt: generating keypair "+spec.Name)
		}
		if pub, err = ssh.NewPublicKey(pk); err != nil {
			return driver.Keypair{}, driver.Wrap(driver.CodeUnknown, err, "libvirt: encoding keypair "+spec.Name)
		}
		block, err := ssh.MarshalPrivateKey(sk, spec.Name)
		if err != nil {
			return driver.Keypair{}, driver.Wrap(driver.CodeUnknown, err, "libvirt: encoding keypair "+spec.Name)
		}
		k.PrivateKey = string(pem.EncodeToMemory(block))
	}
	k.PublicKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " " + spec.Name
	k.Fingerprint = ssh.FingerprintLegacyMD5(pub)
	l, pool, err := d.pool(ctx)
	if err != nil {
		return driver.Keypair{}, err
	}
	d.catalogMu.Lock()
	defer d.catalogMu.Unlock()
	c, err := d.readKeys(l, pool)
	if err != nil {
		return driver.Keypair{}, err
	}
	if slices.ContainsFunc(c.Keypairs, func(x driver.Keypair) bool { return x.Name == spec.Name }) {
		return driver.Keypair{}, driver.Errorf(driver.CodeConflict, "libvirt: keypair %q already exists in namespace %s", spec.Name, d.cfg.Namespace)
	}
	if len(c.Keypairs) >= maxKeypairs {
		return driver.Keypair{}, driver.Errorf(driver.CodeQuotaExceeded, "libvirt: namespace %s has %d keypairs, the most it keeps", d.cfg.Namespace, maxKeypairs)
	}
	stored := k
	stored.PrivateKey = ""
	c.Keypairs = append(c.Keypairs, stored)
	if err := d.writeKeys(l, pool, c); err != nil {
		return driver.Keypair{}, err
	}
	return k, nil
}

func (d *Driver) writeKeys(l *golibvirt.Libvirt, _ golibvirt.StoragePool, c keypairCatalog) error {
	slices.SortFunc(c.Keypairs, func(a, b driver.Keypair) int { return strings.Compare(a.Name, b.Name) })
	var b []byte
	if len(c.Keypairs) > 0 { // none: nothing stored
		var err error
		if b, err = json.Marshal(c); err != nil {
			return driver.Wrap(driver.CodeUnknown, err, "libvirt: encoding the keypairs")
		}
	}
	if err := storePut(l, d.keysKey(), b); err != nil {
		return classify(err, "writing the keypairs of namespace "+d.cfg.Namespace)
	}
	return nil
}

// DeleteKeypair deletes a keypair from the namespace's catalog.
func (d *Driver) DeleteKeypair(ctx context.Context, name string) error {
	l, pool, err := d.pool(ctx)
	if err != nil {
		return err
	}
	d.catalogMu.Lock()
	defer d.catalogMu.Unlock()
	c, err := d.readKeys(l, pool)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(c.Keypairs, func(x driver.Keypair) bool { return x.Name == name })
	if i < 0 {
		return driver.Errorf(driver.CodeNotFound, "libvirt: keypair %q could not be found in namespace %s", name, d.cfg.Namespace)
	}
	c.Keypairs = slices.Delete(c.Keypairs, i, i+1)
	return d.writeKeys(l, pool, c)
}
