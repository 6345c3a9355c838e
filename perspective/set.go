package perspective

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// Set is several opened clouds used as one: listings read every cloud
// concurrently and merge, and operations route each global id to its
// cloud, running per-cloud groups concurrently. Typically a program opens
// one Cloud per project and region, or per cloud type, and puts them in a Set.
//
// One cloud that fails never fails a read of the others: the listings
// (Instances().List, Images().List, Keypairs().List, Flavors().List,
// Networks().List, Projects().List) and the queries (Query, QueryBatch,
// ListInstances) return what the clouds that answered gave, with a
// *PartialError naming each cloud that did not (see PartialError); the
// Set of a Fleet names its members that are not open there too. A Get
// looks in every cloud that answers before it says not found.
type Set struct {
	clouds []*Cloud
	// absent are the members of the fleet the set came from that are not
	// open (Fleet.Set): every read of the set reports them as failed.
	absent []CloudError
}

// NewSet makes a Set of clouds. Two clouds with the same cloud id, project
// and region are an invalid argument.
func NewSet(clouds ...*Cloud) (*Set, error) {
	seen := map[Target]bool{}
	for i, c := range clouds {
		if c == nil {
			return nil, invalidArg("open", "clouds", "item %d is nil", i)
		}
		k := Target{CloudID: c.info.CloudID, ProjectID: c.info.ProjectID, Region: c.info.Region}
		if seen[k] {
			return nil, invalidArg("open", "clouds", "two clouds are %s", k)
		}
		seen[k] = true
	}
	return &Set{clouds: slices.Clone(clouds)}, nil
}

// OpenSet opens every URL and makes a Set of the clouds. If one fails, the
// clouds already opened are closed again.
func OpenSet(ctx context.Context, urls []string, opts ...Option) (*Set, error) {
	if len(urls) == 0 {
		return nil, invalidArg("open", "urls", "none given")
	}
	var clouds []*Cloud
	for _, u := range urls {
		c, err := Open(ctx, u, opts...)
		if err != nil {
			for _, o := range clouds {
				_ = o.Close()
			}
			return nil, err
		}
		clouds = append(clouds, c)
	}
	s, err := NewSet(clouds...)
	if err != nil {
		for _, o := range clouds {
			_ = o.Close()
		}
	}
	return s, err
}

// Clouds returns the clouds of the set.
func (s *Set) Clouds() []*Cloud { return slices.Clone(s.clouds) }

// Select returns a Set of the clouds of s that keep keeps, sharing them
// (close s, not the result). The members of s's fleet that are not open
// stay reported by its reads when keep keeps what is known of them (their
// cloud id, project id and name, and region): a program narrowing a
// fleet's Set to what a user may see still tells them which of their
// projects failed.
func (s *Set) Select(keep func(CloudInfo) bool) *Set {
	out := &Set{}
	for _, c := range s.clouds {
		if keep(c.info) {
			out.clouds = append(out.clouds, c)
		}
	}
	for _, a := range s.absent {
		if keep(CloudInfo{CloudID: a.Target.CloudID, ProjectID: a.Target.ProjectID, ProjectName: a.ProjectName, Region: a.Target.Region}) {
			out.absent = append(out.absent, a)
		}
	}
	return out
}

// Cloud returns the first cloud matching t.
func (s *Set) Cloud(t Target) (*Cloud, bool) {
	cs := narrow(s.clouds, t)
	if len(cs) == 0 {
		return nil, false
	}
	return cs[0], true
}

// Close closes every cloud and returns their errors joined.
func (s *Set) Close() error {
	var errs []error
	for _, c := range s.clouds {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Operations returns, per cloud type, the operations every cloud of that
// type in the set supports (what the REST API's /operations serves).
func (s *Set) Operations() map[string][]Operation {
	out := map[string][]Operation{}
	for _, c := range s.clouds {
		ops := c.Operations()
		if prev, ok := out[c.info.Type]; ok {
			ops = slices.DeleteFunc(ops, func(o Operation) bool { return !slices.Contains(prev, o) })
		}
		out[c.info.Type] = ops
	}
	return out
}

// Ping checks that every cloud answers, concurrently, by listing its
// flavors. It returns nil when all do, and the errors joined otherwise.
func (s *Set) Ping(ctx context.Context) error {
	errs := make([]error, len(s.clouds))
	var wg sync.WaitGroup
	for i, c := range s.clouds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.drv.ListFlavors(ctx); err != nil {
				errs[i] = classify(err, "ping", "", c.info.CloudID)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Instances returns the instance operations over every cloud of the set.
func (s *Set) Instances() *Instances { return &Instances{clouds: s.clouds, absent: s.absent} }

// Images returns the images of every cloud of the set.
func (s *Set) Images() *Images { return &Images{clouds: s.clouds, absent: s.absent} }

// Keypairs returns the keypairs of every cloud of the set.
func (s *Set) Keypairs() *Keypairs { return &Keypairs{clouds: s.clouds, absent: s.absent} }

// Flavors returns the flavors of every cloud of the set.
func (s *Set) Flavors() *Flavors { return &Flavors{clouds: s.clouds, absent: s.absent} }

// Networks returns the networks of every cloud of the set.
func (s *Set) Networks() *Networks { return &Networks{clouds: s.clouds, absent: s.absent} }

// Projects returns the projects of every cloud of the set.
func (s *Set) Projects() *Projects { return &Projects{clouds: s.clouds, absent: s.absent} }
