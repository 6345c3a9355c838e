package mock

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// Scheme is the URL scheme this package registers with perspective.Register,
// and the cloud type the mock reports.
const Scheme = "mock"

// Driver is an in-memory cloud. It implements driver.Driver and every
// optional capability interface. It is safe for concurrent use.
type Driver struct {
	cfg config

	mu       sync.Mutex
	rng      *rand.Rand
	servers  map[string]*server
	tombs    map[string]driver.Instance // deleted instances, for ListChanges
	images   map[string]*driver.Image
	flavors  []driver.Flavor
	networks []driver.Network
	keypairs map[string]driver.Keypair
	floating map[string]string // floating address → server id ("" when free)
	nextIP   int
	calls    map[string]int
	rows     map[string]int // instances returned, by method
	infra    infra          // hosts, services, aggregates, flavor access (operator.go)
}

// server is an instance with the transition it is going through.
type server struct {
	inst driver.Instance
	// When pending is set, the instance is in a transitional state until at,
	// then it settles in to.
	pending    bool
	to         driver.State
	at         time.Time
	prevFlavor string       // flavor before a resize, for revert
	prevState  driver.State // state before a resize or snapshot
	prevHost   string       // host before a cold migration, for revert
	groups     []string     // security groups
	log        []string
}

// New returns a mock cloud with seeded flavors, images and networks.
func New(opts ...Option) *Driver {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	d := &Driver{
		cfg:      cfg,
		rng:      rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
		servers:  map[string]*server{},
		tombs:    map[string]driver.Instance{},
		images:   map[string]*driver.Image{},
		keypairs: map[string]driver.Keypair{},
		floating: map[string]string{},
		calls:    map[string]int{},
		rows:     map[string]int{},
	}
	d.seed()
	d.seedInfra()
	return d
}

// Info names the mock cloud.
func (d *Driver) Info() driver.Info {
	return driver.Info{Type: Scheme, CloudID: d.cfg.cloudID, ProjectID: d.cfg.projectID,
		ProjectName: d.cfg.projectName, Region: d.cfg.region}
}

// Close does nothing: the mock holds no resources.
func (d *Driver) Close() error { return nil }

// Calls returns how many calls of a kind the driver has answered, by method
// name (e.g. "Reboot", "GetInstance"). Tests use it to prove that a call
// was, or was not, made.
func (d *Driver) Calls(method string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[method]
}

// Rows returns how many instances all calls of a method (e.g.
// "ListInstances", "GetInstance") have returned so far. Tests use it to
// prove that nothing lists the whole project when it need not.
func (d *Driver) Rows(method string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.rows[method]
}

// Mutations returns how many calls that change instances the driver has answered.
func (d *Driver) Mutations() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for m, c := range d.calls {
		if mutating[m] {
			n += c
		}
	}
	return n
}

var mutating = map[string]bool{"LaunchInstances": true, "DeleteInstance": true, "Reboot": true,
	"Start": true, "Shutdown": true, "Pause": true, "Unpause": true, "Suspend": true, "Resume": true,
	"Resize": true, "ConfirmResize": true, "RevertResize": true, "Rebuild": true, "Rename": true,
	"Snapshot": true, "Lock": true, "Unlock": true, "AddTags": true, "RemoveTags": true,
	"SetMetadata": true, "UnsetMetadata": true, "AddFloatingIP": true, "RemoveFloatingIP": true,
	"Shelve": true, "ShelveOffload": true, "Unshelve": true, "Migrate": true, "LiveMigrate": true,
	"Backup": true, "SetAdminPassword": true, "AddSecurityGroup": true, "RemoveSecurityGroup": true,
	"Restore": true, "ForceDelete": true, "Evacuate": true, "ResetState": true}

// enter counts a call and applies the configured latency and faults. It
// must be called without d.mu held.
func (d *Driver) enter(ctx context.Context, method string, op perspective.Operation) error {
	if ctx == nil {
		return driver.Errorf(driver.CodeInvalidArgument, "mock %s: nil context", method)
	}
	if d.cfg.latency > 0 {
		t := time.NewTimer(d.cfg.latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return driver.Wrap(driver.CodeCanceled, ctx.Err(), "mock "+method)
		case <-t.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return driver.Wrap(driver.CodeCanceled, err, "mock "+method)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls[method]++
	if err, ok := d.cfg.failing[op]; ok && op != "" {
		return err
	}
	if err, ok := d.cfg.failing[perspective.Operation(method)]; ok {
		return err
	}
	if d.cfg.faultRate > 0 && d.rng.Float64() < d.cfg.faultRate {
		return driver.Errorf(driver.CodeTransient, "mock %s: injected transient fault (503 Service Unavailable)", method)
	}
	return nil
}

// settle applies every transition that is due. d.mu must be held.
func (d *Driver) settle(now time.Time) {
	for _, s := range d.servers {
		if s.pending && !now.Before(s.at) {
			s.pending = false
			s.inst.State = s.to
			s.inst.Status = statusOf(s.to)
			s.inst.Updated = now
			if s.to == driver.StateDeleted {
				d.remove(s, now)
			}
		}
	}
	for id, t := range d.tombs {
		if t.Updated.Before(now.Add(-d.cfg.tombstones)) {
			delete(d.tombs, id)
		}
	}
	for _, img := range d.images {
		if img.State == driver.ImageSaving && !now.Before(img.Updated.Add(d.cfg.delay)) {
			img.State = driver.ImageSaved
			img.Status = "active"
		}
	}
}

// move puts s into the transitional state of op and schedules its end.
// to == "" keeps the current state. d.mu must be held.
func (d *Driver) move(s *server, via, to driver.State, now time.Time) {
	if to == "" {
		to = s.inst.State
	}
	s.inst.Updated = now
	if d.cfg.delay <= 0 || via == "" {
		s.inst.State, s.inst.Status, s.pending = to, statusOf(to), false
		if to == driver.StateDeleted {
			d.remove(s, now)
		}
		return
	}
	s.inst.State, s.inst.Status = via, statusOf(via)
	s.pending, s.to, s.at = true, to, now.Add(d.cfg.delay)
}

// remove forgets a deleted server, frees its floating IPs and keeps its
// tombstone for ListChanges. d.mu must be held.
func (d *Driver) remove(s *server, now time.Time) {
	for addr, owner := range d.floating {
		if owner == s.inst.ID {
			d.floating[addr] = ""
		}
	}
	delete(d.servers, s.inst.ID)
	d.tombs[s.inst.ID] = driver.Instance{ID: s.inst.ID, Name: s.inst.Name, ProjectID: s.inst.ProjectID,
		Region: s.inst.Region, State: driver.StateDeleted, Status: statusOf(driver.StateDeleted),
		Created: s.inst.Created, Updated: now}
}

// now is the mock cloud's clock: this machine's, shifted by WithClockSkew.
func (d *Driver) now() time.Time { return time.Now().Add(d.cfg.skew) }

// find returns a server by id, settled. d.mu must be held.
func (d *Driver) find(id string) (*server, error) {
	d.settle(d.now())
	s, ok := d.servers[id]
	if !ok {
		return nil, driver.Errorf(driver.CodeNotFound, "mock: instance %s could not be found", id)
	}
	return s, nil
}

// statusOf is the raw status the mock reports for a state, in Nova's words.
func statusOf(s driver.State) string {
	switch s {
	case driver.StateLaunched:
		return "ACTIVE"
	case driver.StateQueued, driver.StateLaunching:
		return "BUILD"
	case driver.StateShutoff:
		return "SHUTOFF"
	case driver.StatePaused:
		return "PAUSED"
	case driver.StateSuspended:
		return "SUSPENDED"
	case driver.StateVerifyResize:
		return "VERIFY_RESIZE"
	case driver.StateError:
		return "ERROR"
	case driver.StateDeleted:
		return "DELETED"
	case driver.StateRebooting:
		return "REBOOT"
	case driver.StateHardRebooting:
		return "HARD_REBOOT"
	case driver.StateResizing:
		return "RESIZE"
	case driver.StateRevertingResize:
		return "REVERT_RESIZE"
	case driver.StateRebuilding:
		return "REBUILD"
	case driver.StateMigrating:
		return "MIGRATING"
	case driver.StateShelved:
		return "SHELVED"
	case driver.StateShelvedOffloaded:
		return "SHELVED_OFFLOADED"
	case driver.StateSoftDeleted:
		return "SOFT_DELETED"
	}
	return "ACTIVE"
}

func newID() string { return uuid.NewString() }

func (d *Driver) logf(s *server, format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf("[%10.6f] ", d.now().Sub(s.inst.Created).Seconds())+fmt.Sprintf(format, args...))
}
