package auth

import (
	"context"
	"fmt"
	"slices"

	"github.com/perspective-cloud/sdk/perspective"
)

// Role is what a grant lets its holder do in the projects it names.
type Role string

const (
	// RoleViewer may see the project's instances, images, keypairs and
	// tasks, but change nothing (seed 004's project manager).
	RoleViewer Role = "viewer"
	// RoleOperator may also launch, operate on and delete instances and
	// manage images and keypairs (seed 004's project administrator).
	RoleOperator Role = "operator"
)

// parseRole reads a role name; the empty name is a viewer.
func parseRole(s string) (Role, error) {
	switch Role(s) {
	case "", RoleViewer:
		return RoleViewer, nil
	case RoleOperator:
		return RoleOperator, nil
	}
	return "", fmt.Errorf("role %q: expected %q or %q", s, RoleViewer, RoleOperator)
}

// Action is what a request does: read or change.
type Action int

const (
	// ActionRead sees without changing anything.
	ActionRead Action = iota
	// ActionWrite changes something (launch, reboot, delete, upload…).
	ActionWrite
)

// ActionOf classifies an HTTP method: GET, HEAD and OPTIONS read, the
// rest write.
func ActionOf(method string) Action {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return ActionRead
	}
	return ActionWrite
}

// Grant gives a role in the clouds, projects and regions it matches: an
// empty field matches any value. Project matches a project's id or name.
type Grant struct {
	Cloud   string `json:"cloudId,omitempty" yaml:"cloud"`
	Project string `json:"project,omitempty" yaml:"project"`
	Region  string `json:"region,omitempty" yaml:"region"`
	Role    Role   `json:"role" yaml:"role"`
}

// matches reports whether g covers the cloud described by info.
func (g Grant) matches(info perspective.CloudInfo) bool {
	return (g.Cloud == "" || g.Cloud == info.CloudID) &&
		(g.Project == "" || g.Project == info.ProjectID || g.Project == info.ProjectName) &&
		(g.Region == "" || g.Region == info.Region)
}

// allows reports whether g's role permits a.
func (g Grant) allows(a Action) bool {
	return a == ActionRead || g.Role == RoleOperator
}

// Principal is a signed-in user: who they are and what they may do.
type Principal struct {
	// Name is the user's name as the identity back-end knows it.
	Name string `json:"user"`
	// Grants lists the projects the user may see or act on.
	Grants []Grant `json:"grants"`
	// Unrestricted is set only for the open server (mock cloud, no
	// identity configured): every cloud, every action.
	Unrestricted bool `json:"unrestricted,omitempty"`
	// Backend names the identity back-end that signed the user in.
	Backend string `json:"backend,omitempty"`

	// clouds, when set, are the user's own cloud sessions (the OpenStack
	// identity back-end opens them with the user's credentials); they
	// replace the server's clouds for this user.
	clouds *perspective.Set
}

// can reports whether p may do a in the cloud described by info.
func (p *Principal) can(info perspective.CloudInfo, a Action) bool {
	if p == nil {
		return false
	}
	if p.Unrestricted {
		return true
	}
	return slices.ContainsFunc(p.Grants, func(g Grant) bool { return g.matches(info) && g.allows(a) })
}

// cloudsFor returns the clouds of base (or of the user's own session, when
// the identity back-end opened one) in which p may do a.
func (p *Principal) cloudsFor(base *perspective.Set, a Action) []*perspective.Cloud {
	if p == nil {
		return nil
	}
	if p.clouds != nil {
		base = p.clouds
	}
	if base == nil {
		return nil
	}
	var out []*perspective.Cloud
	for _, c := range base.Clouds() {
		if p.can(c.Info(), a) {
			out = append(out, c)
		}
	}
	return out
}

// Narrow returns a Set of the clouds of base in which p may do a: every
// listing, query and bulk call made through it sees only those, and its
// listings report the members of base's fleet that are not open in p's
// projects (perspective.Set.Select). The Set shares base's clouds: do not
// Close it.
func (p *Principal) Narrow(base *perspective.Set, a Action) *perspective.Set {
	if p != nil && p.clouds == nil && base != nil {
		// base's fleet members that are not open, in p's projects, stay
		// reported by the narrowed Set's reads
		return base.Select(func(i perspective.CloudInfo) bool { return p.can(i, a) })
	}
	s, err := perspective.NewSet(p.cloudsFor(base, a)...)
	if err != nil {
		// The clouds come from one valid Set, so they are distinct; an
		// error here means base itself was invalid: grant nothing.
		s, _ = perspective.NewSet()
	}
	return s
}

// targets returns the project and region of every cloud in which p may do
// a, for pickers and for narrowing a handler by perspective.Target.
func (p *Principal) targets(base *perspective.Set, a Action) []perspective.Target {
	var out []perspective.Target
	for _, c := range p.cloudsFor(base, a) {
		i := c.Info()
		out = append(out, perspective.Target{CloudID: i.CloudID, ProjectID: i.ProjectID, Region: i.Region})
	}
	return out
}

// close releases the user's own cloud sessions, if any.
func (p *Principal) close() {
	if p != nil && p.clouds != nil {
		_ = p.clouds.Close()
	}
}

type ctxKey struct{}

// newContext returns ctx carrying p.
func newContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal the middleware put in ctx.
func FromContext(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(*Principal)
	return p, ok && p != nil
}
