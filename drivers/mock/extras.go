package mock

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// AddFloatingIP attaches a floating IP: req.Address if given (allocated
// before and free), otherwise a new one from the external network.
func (d *Driver) AddFloatingIP(ctx context.Context, id string, req driver.FloatingIPRequest) (string, error) {
	var addr string
	err := d.transition(ctx, "AddFloatingIP", perspective.OpAddIP, id, func(s *server) error {
		ext := d.external()
		if req.Network != "" && req.Network != ext.ID && req.Network != ext.Name {
			return driver.Errorf(driver.CodeInvalidArgument, "mock: network %q is not an external network", req.Network)
		}
		if req.Address != "" {
			owner, ok := d.floating[req.Address]
			switch {
			case !ok:
				return driver.Errorf(driver.CodeNotFound, "mock: floating IP %s is not allocated", req.Address)
			case owner != "":
				return driver.Errorf(driver.CodeConflict, "mock: floating IP %s is in use by instance %s", req.Address, owner)
			}
			addr = req.Address
		} else {
			addr = d.allocateFloating()
		}
		d.floating[addr] = id
		s.inst.Addresses = append(s.inst.Addresses, driver.Address{NetworkID: ext.ID, Network: ext.Name,
			IP: addr, Kind: driver.AddressFloating, Version: 4})
		return nil
	})
	return addr, err
}

// RemoveFloatingIP detaches a floating IP; the address stays allocated.
func (d *Driver) RemoveFloatingIP(ctx context.Context, id, address string) error {
	return d.transition(ctx, "RemoveFloatingIP", perspective.OpRemoveIP, id, func(s *server) error {
		if d.floating[address] != id {
			return driver.Errorf(driver.CodeNotFound, "mock: instance %s has no floating IP %s", id, address)
		}
		d.floating[address] = ""
		s.inst.Addresses = slices.DeleteFunc(s.inst.Addresses, func(a driver.Address) bool {
			return a.IP == address && a.Kind == driver.AddressFloating
		})
		return nil
	})
}

// external returns the external network. d.mu must be held.
func (d *Driver) external() driver.Network {
	for _, n := range d.networks {
		if n.IsExternal {
			return n
		}
	}
	return d.networks[len(d.networks)-1]
}

// allocateFloating returns a free floating address, allocating one if none
// is free. d.mu must be held.
func (d *Driver) allocateFloating() string {
	free := make([]string, 0)
	for a, owner := range d.floating {
		if owner == "" {
			free = append(free, a)
		}
	}
	if len(free) > 0 {
		slices.Sort(free)
		return free[0]
	}
	n := len(d.floating) + 10
	return fmt.Sprintf("203.0.%d.%d", 113+n/250, n%250+1)
}

// Console returns a noVNC console URL on the loopback address.
func (d *Driver) Console(ctx context.Context, id string) (driver.Console, error) {
	if err := d.read(ctx, "Console", perspective.OpConsole, id); err != nil {
		return driver.Console{}, err
	}
	return driver.Console{Type: "novnc", URL: "http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D" + newID()}, nil
}

// ConsoleLog returns the instance's boot log and the operations applied to it.
func (d *Driver) ConsoleLog(ctx context.Context, id string, lines int) (string, error) {
	if err := d.read(ctx, "ConsoleLog", perspective.OpLog, id); err != nil {
		return "", err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.find(id)
	if err != nil {
		return "", err
	}
	all := append([]string{
		"[    0.000000] Linux version 6.1.0-mock (perspective@mock) #1 SMP",
		"[    0.420000] Run /init as init process",
	}, s.log...)
	all = append(all, s.inst.Name+" login: ")
	if lines > 0 && lines < len(all) {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n") + "\n", nil
}

// Usage returns deterministic usage figures derived from the instance id
// and each interval: the same query gives the same answer.
func (d *Driver) Usage(ctx context.Context, id string, q driver.UsageQuery) (driver.UsageSeries, error) {
	if err := d.read(ctx, "Usage", perspective.OpUsage, id); err != nil {
		return driver.UsageSeries{}, err
	}
	d.mu.Lock()
	s, err := d.find(id)
	var f driver.Flavor
	if err == nil && s.inst.Flavor != nil {
		f = *s.inst.Flavor
	}
	d.mu.Unlock()
	if err != nil {
		return driver.UsageSeries{}, err
	}
	step := q.To.Sub(q.From) / time.Duration(q.Points)
	pts := make([]driver.UsagePoint, q.Points)
	for i := range pts {
		from := q.From.Add(time.Duration(i) * step)
		h := fnv.New64a()
		_, _ = fmt.Fprintf(h, "%s/%s/%d", id, q.Item, from.Unix()/60)
		frac := float64(h.Sum64()%10000) / 10000
		var v float64
		switch q.Item {
		case driver.UsageCPU:
			v = 5 + 90*frac
		case driver.UsageMemory:
			v = float64(f.RAM) * (0.3 + 0.6*frac)
		case driver.UsageStorage:
			v = float64(f.RootDisk) * (0.2 + 0.1*frac)
		}
		pts[i] = driver.UsagePoint{From: from, To: from.Add(step), Value: math.Round(v*100) / 100}
	}
	return driver.UsageSeries{Item: q.Item, Unit: driver.UnitOf(q.Item), Source: "mock",
		Note: "made up from a hash of the instance and the interval", Points: pts}, nil
}

// read checks that a read-only operation may look at the instance now.
func (d *Driver) read(ctx context.Context, method string, op perspective.Operation, id string) error {
	if err := d.enter(ctx, method, op); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	_, err := d.admitted(id, op)
	return err
}

// admitted finds the instance id and checks that the state machine admits
// op in its state. d.mu must be held.
func (d *Driver) admitted(id string, op perspective.Operation) (*server, error) {
	s, err := d.find(id)
	if err != nil {
		return nil, err
	}
	if err := perspective.Check(perspective.Instance{RealID: s.inst.ID, Name: s.inst.Name, State: s.inst.State, Locked: s.inst.Locked}, op); err != nil {
		return nil, err
	}
	return s, nil
}

// Fail puts an instance into the error state with a fault message, as a
// hypervisor failure would. Tests use it to see how callers cope.
func (d *Driver) Fail(id, fault string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.find(id)
	if err != nil {
		return err
	}
	s.pending = false
	s.inst.State, s.inst.Status, s.inst.Fault = driver.StateError, "ERROR", fault
	s.inst.Updated = d.now()
	d.logf(s, "fault: %s", fault)
	return nil
}
