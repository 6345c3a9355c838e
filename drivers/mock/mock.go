package mock

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/perspective-cloud/sdk/perspective"
)

// Type is the cloud type the mock driver reports.
const Type = "mock"

// Driver is an in-memory cloud. It implements perspective.Driver and every
// optional capability interface. It is safe for concurrent use.
type Driver struct {
	cfg config

	mu       sync.Mutex
	rng      *rand.Rand
	servers  map[string]*server
	images   map[string]*perspective.Image
	flavors  []perspective.Flavor
	networks []perspective.Network
	keypairs map[string]perspective.Keypair
	floating map[string]string // floating address → server id ("" when free)
	nextIP   int
	calls    map[string]int
}

// server is an instance with the transition it is going through.
type server struct {
	inst perspective.Instance
	// When pending is set, the instance is in a transitional state until at,
	// then it settles in to.
	pending    bool
	to         perspective.State
	at         time.Time
	prevFlavor string            // flavor before a resize, for revert
	prevState  perspective.State // state before a resize or snapshot
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
		images:   map[string]*perspective.Image{},
		keypairs: map[string]perspective.Keypair{},
		floating: map[string]string{},
		calls:    map[string]int{},
	}
	d.seed()
	return d
}

// Info names the mock cloud.
func (d *Driver) Info() perspective.DriverInfo {
	return perspective.DriverInfo{Type: Type, CloudID: d.cfg.cloudID, ProjectID: d.cfg.projectID,
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
	"SetMetadata": true, "UnsetMetadata": true, "AddFloatingIP": true, "RemoveFloatingIP": true}

// enter counts a call and applies the configured latency and faults. It
// must be called without d.mu held.
func (d *Driver) enter(ctx context.Context, method string, op perspective.Operation) error {
	if ctx == nil {
		return perspective.Errorf(perspective.CodeInvalidArgument, "mock %s: nil context", method)
	}
	if d.cfg.latency > 0 {
		t := time.NewTimer(d.cfg.latency)
		select {
		case <-ctx.Done():
			t.Stop()
			return perspective.Wrap(perspective.CodeCanceled, ctx.Err(), "mock "+method)
		case <-t.C:
		}
	}
	if err := ctx.Err(); err != nil {
		return perspective.Wrap(perspective.CodeCanceled, err, "mock "+method)
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
		return perspective.Errorf(perspective.CodeTransient, "mock %s: injected transient fault (503 Service Unavailable)", method)
	}
	return nil
}

// settle applies every transition that is due. d.mu must be held.
func (d *Driver) settle(now time.Time) {
	for id, s := range d.servers {
		if s.pending && !now.Before(s.at) {
			s.pending = false
			s.inst.State = s.to
			s.inst.Status = statusOf(s.to)
			s.inst.Updated = now
			if s.to == perspective.StateDeleted {
				for addr, owner := range d.floating {
					if owner == id {
						d.floating[addr] = ""
					}
				}
				delete(d.servers, id)
			}
		}
	}
	for _, img := range d.images {
		if img.State == perspective.ImageSaving && !now.Before(img.Updated.Add(d.cfg.delay)) {
			img.State = perspective.ImageSaved
			img.Status = "active"
		}
	}
}

// move puts s into the transitional state of op and schedules its end.
// to == "" keeps the current state. d.mu must be held.
func (d *Driver) move(s *server, via, to perspective.State, now time.Time) {
	if to == "" {
		to = s.inst.State
	}
	s.inst.Updated = now
	if d.cfg.delay <= 0 || via == "" {
		s.inst.State, s.inst.Status, s.pending = to, statusOf(to), false
		if to == perspective.StateDeleted {
			d.settleNow(s)
		}
		return
	}
	s.inst.State, s.inst.Status = via, statusOf(via)
	s.pending, s.to, s.at = true, to, now.Add(d.cfg.delay)
}

// settleNow removes a deleted server at once.
func (d *Driver) settleNow(s *server) {
	for addr, owner := range d.floating {
		if owner == s.inst.RealID {
			d.floating[addr] = ""
		}
	}
	delete(d.servers, s.inst.RealID)
}

// find returns a server by id, settled. d.mu must be held.
func (d *Driver) find(id string) (*server, error) {
	d.settle(time.Now())
	s, ok := d.servers[id]
	if !ok {
		return nil, perspective.Errorf(perspective.CodeNotFound, "mock: instance %s could not be found", id)
	}
	return s, nil
}

// statusOf is the raw status the mock reports for a state, in Nova's words.
func statusOf(s perspective.State) string {
	switch s {
	case perspective.StateLaunched:
		return "ACTIVE"
	case perspective.StateQueued, perspective.StateLaunching:
		return "BUILD"
	case perspective.StateShutoff:
		return "SHUTOFF"
	case perspective.StatePaused:
		return "PAUSED"
	case perspective.StateSuspended:
		return "SUSPENDED"
	case perspective.StateVerifyResize:
		return "VERIFY_RESIZE"
	case perspective.StateError:
		return "ERROR"
	case perspective.StateDeleted:
		return "DELETED"
	case perspective.StateRebooting:
		return "REBOOT"
	case perspective.StateHardRebooting:
		return "HARD_REBOOT"
	case perspective.StateResizing:
		return "RESIZE"
	case perspective.StateRevertingResize:
		return "REVERT_RESIZE"
	case perspective.StateRebuilding:
		return "REBUILD"
	}
	return "ACTIVE"
}

func newID() string { return uuid.NewString() }

func (d *Driver) logf(s *server, format string, args ...any) {
	s.log = append(s.log, fmt.Sprintf("[%10.6f] ", time.Since(s.inst.Created).Seconds())+fmt.Sprintf(format, args...))
}
