package perspective

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"sync"

	"github.com/perspective-cloud/sdk/driver"
)

// FleetMember is one cloud a FleetSource found: a driver for one project in
// one region, or the error that keeps that pair out of the fleet, or a note
// saying why a pair was skipped (Driver and Err both nil).
type FleetMember struct {
	// Target names the pair: the member's cloud id (different for every
	// pair), project id and region. A project-level error may leave Region
	// empty.
	Target      Target
	ProjectName string
	Driver      driver.Driver
	Err         error
	Note        string
}

// FleetSource expands into the members of a fleet, e.g. every project a
// user can reach times every region of its catalog. Expand is called when
// the fleet opens and by every Fleet.Refresh; for a pair it returned before
// and that is still there it must return the same Driver, which the fleet
// keeps using. A failure of one pair is that member's Err; Expand itself
// fails only when it cannot tell the members at all. Close releases what
// the source holds (the drivers are the fleet's to close).
type FleetSource interface {
	Expand(ctx context.Context) ([]FleetMember, error)
	Close() error
}

// FleetOpener makes a FleetSource from a URL whose scheme it was registered
// under with RegisterFleet.
type FleetOpener func(ctx context.Context, u *url.URL) (FleetSource, error)

var (
	fleetMu      sync.RWMutex
	fleetOpeners = map[string]FleetOpener{}
)

// RegisterFleet makes a fleet opener available under a URL scheme, beside
// the driver's Register: OpenFleet uses it for URLs of that scheme. It
// panics if opener is nil or the scheme is registered twice.
func RegisterFleet(scheme string, opener FleetOpener) {
	fleetMu.Lock()
	defer fleetMu.Unlock()
	if opener == nil || scheme == "" {
		panic("perspective: RegisterFleet needs a scheme and an opener")
	}
	if _, dup := fleetOpeners[scheme]; dup {
		panic("perspective: RegisterFleet called twice for scheme " + scheme)
	}
	fleetOpeners[scheme] = opener
}

// Member is one pair of a Fleet as it stands: its Cloud when it is open,
// otherwise the classified error that keeps it out, or the note saying why
// it was skipped.
type Member struct {
	Target      Target
	ProjectName string
	Cloud       *Cloud
	Err         error
	Note        string
}

// Fleet is a Set that knows where its clouds came from: every project and
// region one set of credentials can reach (e.g.
// "openstack://?projects=all&regions=all"), opened with one authentication.
// A pair that fails stays in the fleet as a member with a classified error
// and never fails the rest; Refresh expands the sources again, so that
// projects and regions added later appear and lost ones turn into errors.
// A Fleet is safe for concurrent use.
type Fleet struct {
	srcs []FleetSource
	opts []Option

	mu      sync.RWMutex
	set     *Set
	members []Member
	clouds  map[Target]*Cloud // every cloud ever opened, by its member target
	retired []*Cloud          // clouds of pairs gone, closed with the fleet
	closed  bool
}

// OpenFleet opens every URL as part of one fleet. A URL whose scheme has a
// fleet opener (RegisterFleet; the OpenStack driver registers one) expands
// into its members, e.g. "openstack://?projects=all&regions=all"; any other
// URL is opened with Open and is one member. A URL that cannot be opened at
// all (bad URL, refused credentials) fails the call, and what was opened is
// closed again.
func OpenFleet(ctx context.Context, urls []string, opts ...Option) (*Fleet, error) {
	if ctx == nil {
		return nil, invalidArg("open", "ctx", "is nil")
	}
	if len(urls) == 0 {
		return nil, invalidArg("open", "urls", "none given")
	}
	var srcs []FleetSource
	closeAll := func() {
		for _, s := range srcs {
			_ = s.Close()
		}
	}
	for _, raw := range urls {
		src, err := OpenSource(ctx, raw)
		if err != nil {
			closeAll()
			return nil, err
		}
		srcs = append(srcs, src)
	}
	f, err := NewFleet(ctx, srcs, opts...)
	if err != nil {
		closeAll()
	}
	return f, err
}

// OpenSource makes the fleet source of one URL: the fleet opener of its
// scheme (RegisterFleet) if it has one, otherwise a source of the one cloud
// the URL opens (with its driver opened now). OpenFleet calls it for each
// URL; a program that gathers sources itself passes them to NewFleet.
func OpenSource(ctx context.Context, raw string) (FleetSource, error) {
	if ctx == nil {
		return nil, invalidArg("open", "ctx", "is nil")
	}
	if raw == "" {
		return nil, invalidArg("open", "url", "is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &Error{Code: CodeInvalidArgument, Op: "open", Msg: "url", Err: err}
	}
	fleetMu.RLock()
	fo, ok := fleetOpeners[u.Scheme]
	fleetMu.RUnlock()
	if ok {
		src, err := fo(ctx, u)
		if err != nil {
			return nil, classify(fmt.Errorf("open %s: %w", u.Scheme, err), "open", "", "")
		}
		return src, nil
	}
	registryMu.RLock()
	opener, known := registry[u.Scheme]
	registryMu.RUnlock()
	if !known {
		return nil, invalidArg("open", "url", "unknown scheme %q (registered: %v); is its driver package imported?", u.Scheme, Schemes())
	}
	d, err := opener(ctx, u)
	if err != nil {
		return nil, classify(fmt.Errorf("open %s: %w", u.Scheme, err), "open", "", "")
	}
	return StaticSource(d), nil
}

// StaticSource is a fleet source of drivers already opened: each is one
// member, whose target its Info names. Closing the source does not close
// the drivers (the fleet does).
func StaticSource(drivers ...driver.Driver) FleetSource { return staticSource(drivers) }

type staticSource []driver.Driver

func (s staticSource) Expand(context.Context) ([]FleetMember, error) {
	out := make([]FleetMember, 0, len(s))
	for _, d := range s {
		if d == nil {
			return nil, invalidArg("open", "driver", "is nil")
		}
		i := d.Info()
		out = append(out, FleetMember{Target: Target{CloudID: i.CloudID, ProjectID: i.ProjectID, Region: i.Region},
			ProjectName: i.ProjectName, Driver: d})
	}
	return out, nil
}

func (s staticSource) Close() error { return nil }

// NewFleet makes a fleet of sources and expands them (concurrently). The
// fleet owns the sources from then on, also when NewFleet fails.
func NewFleet(ctx context.Context, srcs []FleetSource, opts ...Option) (*Fleet, error) {
	if ctx == nil {
		return nil, invalidArg("open", "ctx", "is nil")
	}
	if len(srcs) == 0 {
		return nil, invalidArg("open", "sources", "none given")
	}
	if slices.Contains(srcs, nil) {
		return nil, invalidArg("open", "sources", "one is nil")
	}
	f := &Fleet{srcs: slices.Clone(srcs), opts: slices.Clone(opts), clouds: map[Target]*Cloud{}}
	if err := f.Refresh(ctx); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// Refresh expands every source again: pairs that appeared are opened,
// pairs still there keep their Cloud, and pairs gone (a project the user
// lost, a region removed) become members with their error. It fails only
// when a source cannot be expanded at all; the fleet then stays as it was.
// A Set obtained before stays usable: clouds of pairs gone are closed only
// with the fleet.
func (f *Fleet) Refresh(ctx context.Context) error {
	if ctx == nil {
		return invalidArg("refresh", "ctx", "is nil")
	}
	expanded := make([][]FleetMember, len(f.srcs))
	errs := make([]error, len(f.srcs))
	var wg sync.WaitGroup
	for i, s := range f.srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			expanded[i], errs[i] = s.Expand(ctx)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return classify(err, "refresh", "", "")
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return &Error{Code: CodeInvalidArgument, Op: "refresh", Msg: "the fleet is closed"}
	}
	var (
		members []Member
		seen    = map[Target]bool{}
	)
	for _, ms := range expanded {
		for _, m := range ms {
			mem := Member{Target: m.Target, ProjectName: m.ProjectName, Err: m.Err, Note: m.Note}
			if m.Driver != nil && m.Err == nil {
				if seen[m.Target] {
					mem.Err = &Error{Code: CodeInvalidArgument, Op: "open", Msg: fmt.Sprintf("two members are %s", m.Target)}
				} else {
					c, err := f.cloudOf(m)
					if err != nil {
						mem.Err = err
					} else {
						mem.Cloud = c
						seen[m.Target] = true
					}
				}
			}
			if mem.Err != nil {
				mem.Err = classify(mem.Err, "open", "", m.Target.String())
			}
			members = append(members, mem)
		}
	}
	for t, c := range f.clouds {
		if !seen[t] {
			f.retired = append(f.retired, c)
			delete(f.clouds, t)
		}
	}
	slices.SortStableFunc(members, func(a, b Member) int {
		return cmp.Or(cmp.Compare(a.ProjectName, b.ProjectName), cmp.Compare(a.Target.ProjectID, b.Target.ProjectID),
			cmp.Compare(a.Target.Region, b.Target.Region))
	})
	// The set's clouds and its absent members in the members' order.
	var (
		clouds []*Cloud
		absent []CloudError
	)
	for _, m := range members {
		switch {
		case m.Cloud != nil:
			clouds = append(clouds, m.Cloud)
		case m.Err != nil:
			absent = append(absent, CloudError{Target: m.Target, ProjectName: m.ProjectName, Err: m.Err})
		}
	}
	set, err := NewSet(clouds...)
	if err != nil {
		return err
	}
	set.absent = absent
	f.set, f.members = set, members
	return nil
}

// cloudOf returns the Cloud of a member with a driver: the one opened
// before for its target, or a new one.
func (f *Fleet) cloudOf(m FleetMember) (*Cloud, error) {
	if c, ok := f.clouds[m.Target]; ok {
		if !sameDriver(c.drv, m.Driver) {
			// the contract says a pair still there keeps its driver; a second
			// one for the same pair is released, never used beside the first
			_ = m.Driver.Close()
		}
		return c, nil
	}
	c, err := NewCloud(m.Driver, f.opts...)
	if err != nil {
		_ = m.Driver.Close()
		return nil, err
	}
	f.clouds[m.Target] = c
	return c, nil
}

// sameDriver compares two drivers without panicking on uncomparable types.
func sameDriver(a, b driver.Driver) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta != nil && ta.Comparable() && a == b
}

// Set returns the open clouds of the fleet as a Set, as of the last
// Refresh, in the order of Members. Its reads report the members that are
// not open beside the clouds that fail, in their *PartialError (see
// Instances.List): a project whose scope was refused is a failed cloud of
// every listing, with ErrForbidden.
func (f *Fleet) Set() *Set {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.set
}

// Members returns every pair of the fleet as of the last Refresh, sorted by
// project name, project id and region: the open ones with their Cloud, the
// others with their error or note.
func (f *Fleet) Members() []Member {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return slices.Clone(f.members)
}

// Listing is what a fleet listing found: the instances of every cloud that
// answered, and one error per cloud that did not (or that is out of the
// fleet since the last Refresh).
type Listing struct {
	Instances []Instance
	Errors    []CloudError
}

// Err returns the listing's errors joined, or nil.
func (l Listing) Err() error {
	errs := make([]error, len(l.Errors))
	for i := range l.Errors {
		errs[i] = &l.Errors[i]
	}
	return errors.Join(errs...)
}

// List is Set().Instances().List with the failed clouds taken out of its
// *PartialError: the instances of every cloud that answered, and an entry
// of Listing.Errors per cloud that did not and per member out of the
// fleet. The error returned is a call-level one (a nil ctx, or ctx ended).
func (f *Fleet) List(ctx context.Context, opts ListOptions) (Listing, error) {
	insts, err := f.Set().Instances().List(ctx, opts)
	var pe *PartialError
	if err != nil && !errors.As(err, &pe) {
		return Listing{}, err
	}
	l := Listing{Instances: insts}
	if pe != nil {
		l.Errors = pe.Failed
	}
	return l, nil
}

// FleetProject is a project of the fleet with the regions it is open in,
// and the errors of its pairs that are not.
type FleetProject struct {
	Project
	Errors []CloudError `json:"-"`
}

// Projects returns the fleet's projects, each with the regions it is open
// in (a Cloud per region), sorted by name then id, without asking any
// cloud. A project none of whose pairs is open is listed with its errors
// and no regions.
func (f *Fleet) Projects() []FleetProject {
	var out []FleetProject
	for _, m := range f.Members() {
		if m.Cloud == nil && m.Err == nil {
			continue // a note: nothing to serve
		}
		i := slices.IndexFunc(out, func(p FleetProject) bool { return p.ID == m.Target.ProjectID })
		if i < 0 {
			p := FleetProject{Project: Project{ID: m.Target.ProjectID, Name: m.ProjectName, Regions: []Region{}}}
			if m.Cloud != nil {
				p.CloudID, p.CloudType = m.Cloud.info.CloudID, m.Cloud.info.Type
			}
			out = append(out, p)
			i = len(out) - 1
		}
		p := &out[i]
		if m.Err != nil {
			p.Errors = append(p.Errors, CloudError{Target: m.Target, ProjectName: m.ProjectName, Err: m.Err})
			continue
		}
		p.Name = cmp.Or(p.Name, m.Cloud.info.ProjectName)
		p.CloudType = cmp.Or(p.CloudType, m.Cloud.info.Type)
		if m.Target.Region != "" && !slices.ContainsFunc(p.Regions, func(r Region) bool { return r.ID == m.Target.Region }) {
			p.Regions = append(p.Regions, Region{ID: m.Target.Region})
		}
	}
	slices.SortFunc(out, func(a, b FleetProject) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}

// Close closes every cloud the fleet opened and its sources, and returns
// their errors joined. Sets obtained from the fleet are unusable after.
func (f *Fleet) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	var errs []error
	for _, c := range f.clouds {
		errs = append(errs, c.Close())
	}
	for _, c := range f.retired {
		errs = append(errs, c.Close())
	}
	for _, s := range f.srcs {
		errs = append(errs, s.Close())
	}
	f.clouds, f.retired = nil, nil
	return errors.Join(errs...)
}
