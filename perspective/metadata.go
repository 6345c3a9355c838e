package perspective

import (
	"cmp"
	"context"
	"slices"
)

// firstFound asks each cloud in turn and returns the first object found.
// A cloud that fails does not stop the search: the object may be in
// another one; when none has it and some failed, the error is the first
// failure (naming its cloud), since the object may be in that one.
func firstFound[T any](ctx context.Context, clouds []*Cloud, op Operation, kind Kind, id string,
	fn func(c *Cloud) (T, error)) (T, error) {
	var zero T
	if ctx == nil {
		return zero, invalidArg(op, "ctx", "is nil")
	}
	if id == "" {
		return zero, invalidArg(op, "id", "is empty")
	}
	var failed error
	for _, c := range clouds {
		v, err := fn(c)
		if err == nil {
			return v, nil
		}
		if ctx.Err() != nil {
			return zero, classify(ctx.Err(), op, kind, id)
		}
		if Code(err) != CodeNotFound && failed == nil {
			failed = classify(err, op, kind, id)
			if len(clouds) > 1 {
				f := c.failure(failed)
				failed = classify(&f, op, kind, id)
			}
		}
	}
	if failed != nil {
		return zero, failed
	}
	return zero, &Error{Code: CodeNotFound, Op: op, Kind: kind, ID: id, Msg: "no such " + string(kind)}
}

// Flavors is the handle for the flavors of one Cloud or a Set.
type Flavors struct {
	clouds []*Cloud
	absent []CloudError
}

// In returns a copy of the handle narrowed to the clouds matching t.
func (s *Flavors) In(t Target) *Flavors {
	return &Flavors{clouds: narrow(s.clouds, t), absent: narrowAbsent(s.absent, t)}
}

// List returns the flavors of every cloud, sorted by RAM then name within
// each cloud. A cloud that fails never fails the others: see
// Instances.List and PartialError.
func (s *Flavors) List(ctx context.Context) ([]Flavor, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	return gather(ctx, s.clouds, s.absent, OpList, KindFlavor, func(c *Cloud) ([]Flavor, error) {
		fs, err := c.flavors(ctx)
		slices.SortStableFunc(fs, func(a, b Flavor) int { return cmp.Or(cmp.Compare(a.RAM, b.RAM), cmp.Compare(a.Name, b.Name)) })
		return fs, err
	})
}

// Get returns the flavor with this id, or else this name.
func (s *Flavors) Get(ctx context.Context, idOrName string) (Flavor, error) {
	return firstFound(ctx, s.clouds, OpGet, KindFlavor, idOrName, func(c *Cloud) (Flavor, error) {
		return c.findFlavor(ctx, idOrName)
	})
}

// Networks is the handle for the networks of one Cloud or a Set.
type Networks struct {
	clouds []*Cloud
	absent []CloudError
}

// In returns a copy of the handle narrowed to the clouds matching t.
func (s *Networks) In(t Target) *Networks {
	return &Networks{clouds: narrow(s.clouds, t), absent: narrowAbsent(s.absent, t)}
}

// List returns the networks of every cloud, with their subnets. A cloud
// that fails never fails the others: see Instances.List and PartialError.
func (s *Networks) List(ctx context.Context) ([]Network, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	return gather(ctx, s.clouds, s.absent, OpList, KindNetwork, func(c *Cloud) ([]Network, error) { return c.networks(ctx) })
}

// Get returns the network with this id, or else this name.
func (s *Networks) Get(ctx context.Context, idOrName string) (Network, error) {
	return firstFound(ctx, s.clouds, OpGet, KindNetwork, idOrName, func(c *Cloud) (Network, error) {
		return c.findNetwork(ctx, idOrName)
	})
}
