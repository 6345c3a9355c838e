package perspective

import (
	"cmp"
	"context"
	"slices"
	"sync"
)

// gather runs fn on every cloud concurrently and concatenates the results
// in cloud order; the first error (in cloud order) wins.
func gather[T any](clouds []*Cloud, fn func(c *Cloud) ([]T, error)) ([]T, error) {
	parts := make([][]T, len(clouds))
	errs := make([]error, len(clouds))
	var wg sync.WaitGroup
	for i, c := range clouds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = fn(c)
		}()
	}
	wg.Wait()
	var out []T
	for i := range clouds {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, parts[i]...)
	}
	return out, nil
}

// firstFound asks each cloud in turn and returns the first object found.
func firstFound[T any](ctx context.Context, clouds []*Cloud, op Operation, kind Kind, id string,
	fn func(c *Cloud) (T, error)) (T, error) {
	var zero T
	if ctx == nil {
		return zero, invalidArg(op, "ctx", "is nil")
	}
	if id == "" {
		return zero, invalidArg(op, "id", "is empty")
	}
	for _, c := range clouds {
		v, err := fn(c)
		if err == nil {
			return v, nil
		}
		if Code(err) != CodeNotFound {
			return zero, classify(err, op, kind, id)
		}
	}
	return zero, &Error{Code: CodeNotFound, Op: op, Kind: kind, ID: id, Msg: "no such " + string(kind)}
}

// Flavors is the handle for the flavors of one Cloud or a Set.
type Flavors struct{ clouds []*Cloud }

// In returns a copy of the handle narrowed to the clouds matching t.
func (s *Flavors) In(t Target) *Flavors { return &Flavors{clouds: narrow(s.clouds, t)} }

// List returns the flavors of every cloud, sorted by RAM then name within each cloud.
func (s *Flavors) List(ctx context.Context) ([]Flavor, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	return gather(s.clouds, func(c *Cloud) ([]Flavor, error) {
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
type Networks struct{ clouds []*Cloud }

// In returns a copy of the handle narrowed to the clouds matching t.
func (s *Networks) In(t Target) *Networks { return &Networks{clouds: narrow(s.clouds, t)} }

// List returns the networks of every cloud, with their subnets.
func (s *Networks) List(ctx context.Context) ([]Network, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	return gather(s.clouds, func(c *Cloud) ([]Network, error) { return c.networks(ctx) })
}

// Get returns the network with this id, or else this name.
func (s *Networks) Get(ctx context.Context, idOrName string) (Network, error) {
	return firstFound(ctx, s.clouds, OpGet, KindNetwork, idOrName, func(c *Cloud) (Network, error) {
		return c.findNetwork(ctx, idOrName)
	})
}
