package perspective

import (
	"context"
	"github.com/perspective-cloud/sdk/driver"
	"slices"
)

// Projects is the handle for the projects, regions and service endpoints
// of one Cloud or a Set.
type Projects struct {
	clouds []*Cloud
	absent []CloudError
}

// In returns a copy of the handle narrowed to the clouds matching t.
func (s *Projects) In(t Target) *Projects {
	return &Projects{clouds: narrow(s.clouds, t), absent: narrowAbsent(s.absent, t)}
}

// List returns the projects the clouds' credentials can see, each with the
// regions it is opened in. A driver that cannot list projects contributes
// the one project it was opened for. A cloud that fails never fails the
// others: see Instances.List and PartialError.
func (s *Projects) List(ctx context.Context) ([]Project, error) {
	if ctx == nil {
		return nil, invalidArg(OpList, "ctx", "is nil")
	}
	all, err := gather(ctx, s.clouds, s.absent, OpList, KindProject, func(c *Cloud) ([]Project, error) { return c.projects(ctx) })
	if err != nil && !isPartial(err) {
		return nil, err
	}
	// One project opened in several regions is one project with several regions.
	var out []Project
	for _, p := range all {
		i := slices.IndexFunc(out, func(q Project) bool { return q.CloudID == p.CloudID && q.ID == p.ID })
		if i < 0 {
			out = append(out, p)
			continue
		}
		for _, r := range p.Regions {
			if !slices.ContainsFunc(out[i].Regions, func(x Region) bool { return x.ID == r.ID }) {
				out[i].Regions = append(out[i].Regions, r)
			}
		}
	}
	return out, err
}

// loadProjects lists the projects the cloud's credentials can see; a
// driver without driver.ProjectLister has the one it was opened for.
func (c *Cloud) loadProjects(ctx context.Context) ([]Project, error) {
	own := Project{ID: c.info.ProjectID, Name: c.info.ProjectName, CloudID: c.info.CloudID, CloudType: c.info.Type}
	if c.info.Region != "" {
		own.Regions = []Region{{ID: c.info.Region}}
	}
	l, ok := c.drv.(driver.ProjectLister)
	if !ok {
		return []Project{own}, nil
	}
	var listed []driver.Project
	err := c.retry(ctx, func(ctx context.Context) (err error) {
		listed, err = l.ListProjects(ctx)
		return err
	})
	if err != nil {
		return nil, classify(err, OpList, KindProject, "")
	}
	ps := make([]Project, len(listed))
	for i, p := range listed {
		ps[i] = Project{ID: p.ID, Name: p.Name, CloudID: c.info.CloudID, CloudType: c.info.Type,
			Regions: p.Regions, Metadata: p.Metadata}
	}
	if own.ID != "" && !slices.ContainsFunc(ps, func(p Project) bool { return p.ID == own.ID }) {
		ps = append(ps, own)
	}
	return ps, nil
}

// Get returns one project.
func (s *Projects) Get(ctx context.Context, id string) (Project, error) {
	ps, err := s.List(ctx)
	if err != nil {
		return Project{}, err
	}
	if id == "" {
		return Project{}, invalidArg(OpGet, "id", "is empty")
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return Project{}, &Error{Code: CodeNotFound, Op: OpGet, Kind: KindProject, ID: id, Msg: "no such project"}
}

// forProject returns the clouds that can speak for a project.
func (s *Projects) forProject(ctx context.Context, op Operation, id string) ([]*Cloud, error) {
	if ctx == nil {
		return nil, invalidArg(op, "ctx", "is nil")
	}
	if id == "" {
		return nil, invalidArg(op, "project", "is empty")
	}
	// From the projects the inventories hold; one not there is looked for
	// once more in fresh listings (a project made since they were read).
	var out []*Cloud
	for fresh := false; len(out) == 0; fresh = true {
		for _, c := range s.clouds {
			h := c.meta.projects
			if fresh && h.every <= 0 {
				continue // its first look was a fresh listing
			}
			var l *heldList[Project]
			var err error
			if fresh {
				l, err = h.reload(ctx, false)
			} else {
				l, err = h.view(ctx)
			}
			if err != nil {
				return nil, err
			}
			if l.byKey(id) != nil {
				out = append(out, c)
			}
		}
		if fresh {
			break
		}
	}
	if len(out) == 0 {
		return nil, &Error{Code: CodeNotFound, Op: op, Kind: KindProject, ID: id, Msg: "no such project"}
	}
	return out, nil
}

// Endpoints returns the service endpoints of a project (seed 000's
// /projects/$id/access).
func (s *Projects) Endpoints(ctx context.Context, projectID string) ([]Endpoint, error) {
	const op Operation = "endpoints"
	clouds, err := s.forProject(ctx, op, projectID)
	if err != nil {
		return nil, err
	}
	for _, c := range clouds {
		if l, ok := c.drv.(driver.EndpointLister); ok {
			eps, err := l.Endpoints(ctx, projectID)
			return eps, classify(err, op, KindProject, projectID)
		}
	}
	return nil, clouds[0].unsupported(op)
}

// RCFile returns an OpenStack RC file for a project and region: a shell
// script that sets the OS_* variables, without a password.
func (s *Projects) RCFile(ctx context.Context, projectID, region string) ([]byte, error) {
	const op Operation = "rcfile"
	clouds, err := s.forProject(ctx, op, projectID)
	if err != nil {
		return nil, err
	}
	if region == "" {
		return nil, invalidArg(op, "region", "is empty")
	}
	// the cloud opened in that region speaks for it first (a fleet has one per region)
	if i := slices.IndexFunc(clouds, func(c *Cloud) bool { return c.info.Region == region }); i > 0 {
		clouds[0], clouds[i] = clouds[i], clouds[0]
	}
	for _, c := range clouds {
		if m, ok := c.drv.(driver.RCFileMaker); ok {
			b, err := m.RCFile(ctx, projectID, region)
			return b, classify(err, op, KindProject, projectID)
		}
	}
	return nil, clouds[0].unsupported(op)
}

// Quota returns a project's quota use and limits.
func (s *Projects) Quota(ctx context.Context, projectID string) (Quota, error) {
	const op Operation = "quota"
	clouds, err := s.forProject(ctx, op, projectID)
	if err != nil {
		return Quota{}, err
	}
	for _, c := range clouds {
		if q, ok := c.drv.(driver.QuotaReporter); ok {
			v, err := q.Quota(ctx, projectID)
			return v, classify(err, op, KindProject, projectID)
		}
	}
	return Quota{}, clouds[0].unsupported(op)
}
