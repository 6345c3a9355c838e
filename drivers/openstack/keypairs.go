package openstack

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"github.com/gophercloud/gophercloud/v2/pagination"
	"golang.org/x/crypto/ssh"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// ListKeypairs returns the user's keypairs, all pages.
func (d *Driver) ListKeypairs(ctx context.Context) ([]driver.Keypair, error) {
	var out []driver.Keypair
	err := keypairs.List(d.compute, nil).EachPage(ctx, func(ctx context.Context, p pagination.Page) (bool, error) {
		list, err := keypairs.ExtractKeyPairs(p)
		if err != nil {
			return false, err
		}
		for _, k := range list {
			out = append(out, toKeypair(k))
		}
		return true, nil
	})
	if err != nil {
		return nil, classify(err, perspective.OpList, perspective.KindKeypair, "")
	}
	return out, nil
}

// CreateKeypair imports spec.PublicKey, or, when it is empty, generates a
// key and returns its private half once. Nova stopped generating keys at
// microversion 2.92, so the driver generates an Ed25519 key itself (the
// private key never travels) and imports the public half.
func (d *Driver) CreateKeypair(ctx context.Context, spec driver.KeypairSpec) (driver.Keypair, error) {
	pub := strings.TrimSpace(spec.PublicKey)
	var private string
	if pub == "" {
		var err error
		pub, private, err = generateKey(spec.Name)
		if err != nil {
			return driver.Keypair{}, &driver.Error{Code: driver.CodeUnknown, Msg: "generate key", Err: err}
		}
	} else if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(pub)); err != nil {
		return driver.Keypair{}, &driver.Error{Code: driver.CodeInvalidArgument,
			Msg: "public key is not in OpenSSH authorized_keys format", Err: err}
	}
	opts := keypairs.CreateOpts{Name: spec.Name, PublicKey: pub}
	if d.mv.atLeast("2.2") {
		opts.Type = "ssh"
	}
	k, err := keypairs.Create(ctx, d.compute, opts).Extract()
	if err != nil {
		return driver.Keypair{}, classify(err, perspective.OpAddKeypair, perspective.KindKeypair, spec.Name)
	}
	kp := toKeypair(*k)
	kp.PrivateKey = private
	return kp, nil
}

// DeleteKeypair deletes a keypair.
func (d *Driver) DeleteKeypair(ctx context.Context, name string) error {
	err := keypairs.Delete(ctx, d.compute, name, nil).ExtractErr()
	return classify(err, perspective.OpDeleteKeypair, perspective.KindKeypair, name)
}

// generateKey makes an Ed25519 key: the authorized_keys line and the
// OpenSSH PEM private key.
func generateKey(comment string) (string, string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return "", "", err
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return "", "", err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub)))
	if comment != "" {
		line += " " + comment
	}
	return line, string(pem.EncodeToMemory(block)), nil
}

func toKeypair(k keypairs.KeyPair) driver.Keypair {
	return driver.Keypair{Name: k.Name, Fingerprint: k.Fingerprint, PublicKey: k.PublicKey,
		PrivateKey: k.PrivateKey, Type: k.Type}
}
