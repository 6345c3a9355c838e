package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/perspective-cloud/sdk/perspective"
	"golang.org/x/crypto/ssh"
)

// ownKey returns the key of a create request's ssh_public_key: a key of
// the directory (400 otherwise) that belongs to u (403 otherwise, staff
// included: as in Waldur, a user launches with their own keys only, so
// that nobody is let into an instance by someone else).
func (p *portal) ownKey(u *user, id string) (keyEntry, error) {
	key, ok := p.keys[id]
	if !ok {
		return key, badRequest(fmt.Sprintf("ssh_public_key: no key %q", id))
	}
	if p.keyOwners[id] != u.Username {
		return key, forbidden(fmt.Sprintf("ssh_public_key: key %q belongs to another user; launch with one of your own keys", id))
	}
	return key, nil
}

// importKey makes sure the project's cloud has key under its name,
// importing it the first time. A key pair of that name that holds another
// public key (made outside the portal) is a 409: launching with it would
// let its holder in, not the key's owner.
func (p *portal) importKey(ctx context.Context, pr *project, key keyEntry) error {
	keys := p.set.Keypairs().In(pr.target)
	have, err := keys.Get(ctx, key.Name)
	switch {
	case perspective.Code(err) == perspective.CodeNotFound:
		if _, err := keys.Create(ctx, perspective.KeypairSpec{Name: key.Name, PublicKey: key.PublicKey}); err != nil {
			return fmt.Errorf("import key %q into the cloud of project %q: %w", key.Name, pr.Name, err)
		}
		return nil
	case err != nil:
		return err
	case have.PublicKey != "" && !sameKey(have.PublicKey, key.PublicKey):
		return conflict(fmt.Sprintf("ssh_public_key: the cloud of project %q has a key pair named %q with another public key", pr.Name, key.Name))
	}
	return nil
}

// sameKey reports whether two authorized_keys lines hold the same key,
// whatever their comments.
func sameKey(a, b string) bool {
	ka, _, _, _, errA := ssh.ParseAuthorizedKey([]byte(a))
	kb, _, _, _, errB := ssh.ParseAuthorizedKey([]byte(b))
	return errA == nil && errB == nil && bytes.Equal(ka.Marshal(), kb.Marshal())
}
