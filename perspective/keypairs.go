package perspective

import (
	"context"
	"regexp"
)

// Keypairs is the handle for the keypairs of one Cloud or a Set.
type Keypairs struct {
	clouds []*Cloud
	absent []CloudError
	call   callOptions
}

// With returns a copy of the handle whose bulk calls (Delete) use opts:
// Concurrency bounds the keypairs deleted at once by one call, and
// Progress and OnResult are told of each distinct name once as it is done,
// as for Instances.With.
func (s *Keypairs) With(opts ...CallOption) *Keypairs {
	cp := *s
	cp.call = s.call.with(opts)
	return &cp
}

// In returns a copy of the handle narrowed to the clouds matching t; it
// keeps the handle's call options.
func (s *Keypairs) In(t Target) *Keypairs {
	cp := *s
	cp.clouds = narrow(s.clouds, t)
	cp.absent = narrowAbsent(s.absent, t)
	return &cp
}

// List returns the keypairs of every cloud (public parts only). A cloud
// that fails never fails the others: see Instances.List and PartialError.
func (s *Keypairs) List(ctx context.Context) ([]Keypair, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	return gather(ctx, s.clouds, s.absent, OpList, KindKeypair, func(c *Cloud) ([]Keypair, error) { return c.keypairs(ctx) })
}

// Get returns the keypair with this name.
func (s *Keypairs) Get(ctx context.Context, name string) (Keypair, error) {
	return firstFound(ctx, s.clouds, OpGet, KindKeypair, name, func(c *Cloud) (Keypair, error) {
		return c.findKeypair(ctx, name)
	})
}

var keypairName = regexp.MustCompile(`^[A-Za-z0-9_@. -]{1,255}$`)

// Create adds a keypair: it imports spec.PublicKey, or, when that is empty,
// has the cloud generate one and returns its private key this once. On a
// multi-cloud Set, narrow the handle with In first.
func (s *Keypairs) Create(ctx context.Context, spec KeypairSpec) (Keypair, error) {
	if ctx == nil {
		return Keypair{}, invalidArg(OpAddKeypair, "ctx", "is nil")
	}
	if !keypairName.MatchString(spec.Name) {
		return Keypair{}, invalidArg(OpAddKeypair, "name", "%s: 1 to 255 letters, digits, spaces or _@.-", quoted(spec.Name))
	}
	c, err := single(OpAddKeypair, s.clouds)
	if err != nil {
		return Keypair{}, err
	}
	a := args{keypairSpec: spec}
	err = c.call(ctx, OpAddKeypair, "", &a)
	if err != nil {
		c.invalidate(KindKeypair) // a failed create may still have made the keypair
		return Keypair{}, classify(err, OpAddKeypair, KindKeypair, spec.Name)
	}
	k := c.adoptKeypair(a.keypair)
	listed := k
	listed.PrivateKey = "" // the cloud keeps no copy; a listing never shows it
	c.meta.keypairs.put(listed)
	c.meta.quotas.invalidate() // the keypairs used
	return k, nil
}

// Delete deletes keypairs by name; one result per name, in the order
// given. A repeated name is deleted once; an empty name fails without a
// call to the cloud. On a multi-cloud Set, narrow the handle with In
// first. See With for the call options it honours.
func (s *Keypairs) Delete(ctx context.Context, names ...string) (*Report, error) {
	rep := &Report{Op: OpDeleteKeypair}
	if ctx == nil {
		return rep, invalidArg(OpDeleteKeypair, "ctx", "is nil")
	}
	if len(names) == 0 {
		return rep, invalidArg(OpDeleteKeypair, "names", "no keypair names given")
	}
	c, err := single(OpDeleteKeypair, s.clouds)
	if err != nil {
		return rep, err
	}
	if !c.Supports(OpDeleteKeypair) {
		return rep, c.unsupported(OpDeleteKeypair)
	}
	rep = runItems(ctx, c.exec, OpDeleteKeypair, KindKeypair, "names", names, s.call, func(ctx context.Context, name string) error {
		err := c.call(ctx, OpDeleteKeypair, name, &args{})
		if err != nil {
			c.invalidate(KindKeypair) // a failed delete may still have deleted it
			return err
		}
		c.meta.keypairs.drop(name)
		c.meta.quotas.invalidate()
		return nil
	})
	return rep, rep.Err()
}
