package libvirt

import (
	"encoding/xml"
	"fmt"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/perspective-cloud/sdk/driver"
)

// maxStoreBytes is the most one stored value holds (libvirt's limit on a
// secret's value is 64 KiB).
const maxStoreBytes = 60 << 10

// The driver keeps what libvirt has no place for (keypairs, image names and
// metadata) as small non-private libvirt secrets of usage type "tls" named
// "perspective-cloud:<key>": every client of the same libvirtd finds them,
// locally or over TCP, and reading one is a plain call. (Volume downloads
// would be the other place, but go-libvirt's stream download can deadlock
// the connection: digitalocean/go-libvirt issue 241.)
func storeName(key string) string { return "perspective-cloud:" + key }

// storeGet returns the value stored under key, nil when there is none.
func storeGet(l *golibvirt.Libvirt, key string) ([]byte, error) {
	s, err := l.SecretLookupByUsage(int32(golibvirt.SecretUsageTypeTLS), storeName(key))
	if err != nil {
		// a libvirt without a secret driver (the test driver) stores nothing
		if notFound(err) || codeOf(asLibvirt(err)) == driver.CodeUnsupported {
			return nil, nil
		}
		return nil, err
	}
	v, err := l.SecretGetValue(s, 0)
	if err != nil {
		if notFound(err) || codeOf(asLibvirt(err)) == driver.CodeNotFound {
			return nil, nil
		}
		return nil, err
	}
	return v, nil
}

// storePut stores value under key; an empty value removes the key.
func storePut(l *golibvirt.Libvirt, key string, value []byte) error {
	if len(value) > maxStoreBytes {
		return driver.Errorf(driver.CodeQuotaExceeded, "libvirt: %s would take %d bytes, more than the %d a stored value holds", key, len(value), maxStoreBytes)
	}
	s, err := l.SecretLookupByUsage(int32(golibvirt.SecretUsageTypeTLS), storeName(key))
	if err != nil && !notFound(err) {
		return err
	}
	if len(value) == 0 {
		if err != nil {
			return nil
		}
		if err := l.SecretUndefine(s); err != nil && !notFound(err) {
			return err
		}
		return nil
	}
	if err != nil {
		var desc, name bytesEscaped
		desc.set("Perspective SDK: " + key)
		name.set(storeName(key))
		x := fmt.Sprintf("<secret ephemeral='no' private='no'><description>%s</description><usage type='tls'><name>%s</name></usage></secret>", desc, name)
		if s, err = l.SecretDefineXML(x, 0); err != nil {
			return err
		}
	}
	return l.SecretSetValue(s, value, 0)
}

type bytesEscaped string

func (b *bytesEscaped) set(s string) {
	var out []byte
	w := &appendWriter{&out}
	_ = xml.EscapeText(w, []byte(s))
	*b = bytesEscaped(out)
}

type appendWriter struct{ b *[]byte }

func (a *appendWriter) Write(p []byte) (int, error) { *a.b = append(*a.b, p...); return len(p), nil }
