package perspective

import (
	"context"
	"fmt"
	"github.com/perspective-cloud/sdk/driver"
	"maps"
	"slices"
	"strings"
	"time"
)

// simple returns the action of an operation that takes only the instance id.
func simple(op Operation) action {
	return func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		return c.call(ctx, op, it.realID, &args{})
	}
}

// with returns the action of an operation whose arguments are a.
func with(op Operation, a args) action {
	return func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		cp := a
		return c.call(ctx, op, it.realID, &cp)
	}
}

// Delete starts the deletion of instances.
func (s *Instances) Delete(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpDelete, ids, nil, func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		if err := c.call(ctx, OpDelete, it.realID, &args{}); err != nil {
			return err
		}
		c.forget(it.inst.ID)
		return nil
	})
}

// Reboot reboots instances softly (the guest is asked to restart).
func (s *Instances) Reboot(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpReboot, ids, nil, simple(OpReboot))
}

// HardReboot resets instances.
func (s *Instances) HardReboot(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpHardReboot, ids, nil, simple(OpHardReboot))
}

// Start powers on shut-off instances.
func (s *Instances) Start(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpStart, ids, nil, simple(OpStart))
}

// Shutdown powers off instances.
func (s *Instances) Shutdown(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpShutdown, ids, nil, simple(OpShutdown))
}

// Pause pauses instances in memory.
func (s *Instances) Pause(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpPause, ids, nil, simple(OpPause))
}

// Suspend suspends instances to disk.
func (s *Instances) Suspend(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpSuspend, ids, nil, simple(OpSuspend))
}

// Resume brings paused or suspended instances back: it unpauses a paused
// instance and resumes a suspended one.
func (s *Instances) Resume(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpResume, ids, resumeNeeds, func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		return c.call(ctx, OpResume, it.realID, &args{state: it.inst.State})
	})
}

// resumeNeeds is the capability resuming an instance needs: unpausing a
// paused one (Pauser), resuming a suspended one (Suspender).
func resumeNeeds(it item) Operation {
	switch it.inst.State {
	case StatePaused:
		return OpPause
	case StateSuspended:
		return OpSuspend
	}
	return OpResume
}

// Resize moves instances to another flavor (an id or a name). The
// instances then wait in verify_resize for ConfirmResize or RevertResize.
func (s *Instances) Resize(ctx context.Context, flavor string, ids ...string) (*Report, error) {
	if flavor == "" {
		return &Report{Op: OpResize}, invalidArg(OpResize, "flavor", "is empty")
	}
	return s.act(ctx, OpResize, ids, nil, func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		f, err := c.findFlavor(ctx, flavor)
		if err != nil {
			return err
		}
		if it.inst.Flavor != nil && it.inst.Flavor.ID == f.ID {
			return &Error{Code: CodeInvalidArgument, Msg: fmt.Sprintf("instance already has flavor %q", f.Name)}
		}
		return c.call(ctx, OpResize, it.realID, &args{flavorID: f.ID})
	})
}

// ConfirmResize keeps the new flavor of resized instances.
func (s *Instances) ConfirmResize(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpConfirmResize, ids, nil, simple(OpConfirmResize))
}

// RevertResize goes back to the old flavor of resized instances.
func (s *Instances) RevertResize(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpRevertResize, ids, nil, simple(OpRevertResize))
}

// Rebuild rebuilds instances from an image (a global id, real id or name).
func (s *Instances) Rebuild(ctx context.Context, image string, ids ...string) (*Report, error) {
	if image == "" {
		return &Report{Op: OpRebuild}, invalidArg(OpRebuild, "image", "is empty")
	}
	return s.act(ctx, OpRebuild, ids, nil, func(ctx context.Context, c *Cloud, it item, _ *Result) error {
		img, err := c.findImage(ctx, image)
		if err != nil {
			return err
		}
		return c.call(ctx, OpRebuild, it.realID, &args{imageID: img.RealID})
	})
}

// Rename gives instances new names: names maps an instance id to its new name.
func (s *Instances) Rename(ctx context.Context, names map[string]string) (*Report, error) {
	if len(names) == 0 {
		return &Report{Op: OpRename}, invalidArg(OpRename, "names", "no instances to rename")
	}
	for id, name := range names {
		if err := validName(OpRename, name); err != nil {
			return &Report{Op: OpRename}, fmt.Errorf("instance %s: %w", id, err)
		}
	}
	ids := slices.Sorted(maps.Keys(names))
	return s.act(ctx, OpRename, ids, nil, func(ctx context.Context, c *Cloud, it item, res *Result) error {
		return c.call(ctx, OpRename, it.realID, &args{name: names[res.ID]})
	})
}

// Snapshot saves instances' disks as images. With one id the image is
// called name; with several, name-<instance name>. An empty name means
// <instance name>-snapshot-<UTC time>. Each result carries its image.
func (s *Instances) Snapshot(ctx context.Context, name string, ids ...string) (*Report, error) {
	many := len(dedupe(ids)) > 1
	stamp := time.Now().UTC().Format("20060102-150405")
	return s.act(ctx, OpSnapshot, ids, nil, func(ctx context.Context, c *Cloud, it item, res *Result) error {
		n := name
		switch {
		case n == "":
			n = it.inst.Name + "-snapshot-" + stamp
		case many:
			n = name + "-" + it.inst.Name
		}
		a := args{name: n}
		err := c.call(ctx, OpSnapshot, it.realID, &a)
		if err != nil {
			c.invalidate(KindImage) // a failed snapshot may still have made an image
			return err
		}
		img := c.adoptImage(a.image)
		c.meta.images.put(img.Clone())
		res.Image = &img
		return nil
	})
}

// Lock locks instances: they refuse every change but unlock until unlocked.
func (s *Instances) Lock(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpLock, ids, nil, simple(OpLock))
}

// Unlock unlocks instances.
func (s *Instances) Unlock(ctx context.Context, ids ...string) (*Report, error) {
	return s.act(ctx, OpUnlock, ids, nil, simple(OpUnlock))
}

// AddTags adds tags to instances.
func (s *Instances) AddTags(ctx context.Context, tags []string, ids ...string) (*Report, error) {
	if err := validTags(OpTag, tags); err != nil {
		return &Report{Op: OpTag}, err
	}
	return s.act(ctx, OpTag, ids, nil, with(OpTag, args{tags: slices.Clone(tags)}))
}

// RemoveTags removes tags from instances; a tag an instance lacks is ignored.
func (s *Instances) RemoveTags(ctx context.Context, tags []string, ids ...string) (*Report, error) {
	if err := validTags(OpUntag, tags); err != nil {
		return &Report{Op: OpUntag}, err
	}
	return s.act(ctx, OpUntag, ids, nil, with(OpUntag, args{tags: slices.Clone(tags)}))
}

// SetMetadata sets metadata keys on instances.
func (s *Instances) SetMetadata(ctx context.Context, md map[string]string, ids ...string) (*Report, error) {
	if len(md) == 0 {
		return &Report{Op: OpSetMetadata}, invalidArg(OpSetMetadata, "metadata", "is empty")
	}
	for k, v := range md {
		if k == "" || len(k) > 255 || len(v) > 255 {
			return &Report{Op: OpSetMetadata}, invalidArg(OpSetMetadata, "metadata",
				"key %q: keys must be 1 to 255 bytes and values at most 255", k)
		}
	}
	return s.act(ctx, OpSetMetadata, ids, nil, with(OpSetMetadata, args{metadata: maps.Clone(md)}))
}

// UnsetMetadata removes metadata keys from instances; a missing key is ignored.
func (s *Instances) UnsetMetadata(ctx context.Context, keys []string, ids ...string) (*Report, error) {
	if len(keys) == 0 || slices.Contains(keys, "") {
		return &Report{Op: OpUnsetMetadata}, invalidArg(OpUnsetMetadata, "keys", "must be non-empty keys")
	}
	return s.act(ctx, OpUnsetMetadata, ids, nil, with(OpUnsetMetadata, args{keys: slices.Clone(keys)}))
}

// AddFloatingIP gives each instance a floating IP; each result's Address
// is the address added.
func (s *Instances) AddFloatingIP(ctx context.Context, req FloatingIPRequest, ids ...string) (*Report, error) {
	if req.Address != "" && len(dedupe(ids)) > 1 {
		return &Report{Op: OpAddIP}, invalidArg(OpAddIP, "address", "one address cannot go to %d instances", len(dedupe(ids)))
	}
	return s.act(ctx, OpAddIP, ids, nil, func(ctx context.Context, c *Cloud, it item, res *Result) error {
		a := args{fip: req}
		err := c.call(ctx, OpAddIP, it.realID, &a)
		res.Address = a.addr
		return err
	})
}

// RemoveFloatingIP removes a floating IP from instances: address, or every
// floating IP of each instance when address is empty.
func (s *Instances) RemoveFloatingIP(ctx context.Context, address string, ids ...string) (*Report, error) {
	return s.act(ctx, OpRemoveIP, ids, nil, func(ctx context.Context, c *Cloud, it item, res *Result) error {
		ips := it.inst.FloatingIPs()
		if address != "" {
			if !slices.Contains(ips, address) {
				return &Error{Code: CodeNotFound, Msg: fmt.Sprintf("instance has no floating IP %s", address)}
			}
			ips = []string{address}
		}
		if len(ips) == 0 {
			return &Error{Code: CodeNotFound, Msg: "instance has no floating IP"}
		}
		for _, ip := range ips {
			if err := c.call(ctx, OpRemoveIP, it.realID, &args{address: ip}); err != nil {
				return err
			}
		}
		res.Address = strings.Join(ips, ",")
		return nil
	})
}

// DryRun reports, for each id, whether op would be attempted now: the
// result's error says why not (not found, unsupported, invalid state,
// locked). Nothing is changed and no operation is sent to the cloud.
func (s *Instances) DryRun(ctx context.Context, op Operation, ids ...string) (*Report, error) {
	if _, ok := fsm[op]; !ok || op == OpLaunch {
		return &Report{Op: op}, invalidArg(op, "op", "%q is not an operation on existing instances", op)
	}
	var need func(it item) Operation
	if op == OpResume {
		need = resumeNeeds
	}
	return s.act(ctx, op, ids, need, func(context.Context, *Cloud, item, *Result) error { return nil })
}

// one admits op on one instance and returns where it lives.
func (s *Instances) one(ctx context.Context, op Operation, id string) (item, error) {
	if id == "" {
		return item{}, invalidArg(op, "id", "is empty")
	}
	var got item
	_, err := s.act(ctx, op, []string{id}, nil, func(_ context.Context, _ *Cloud, it item, _ *Result) error {
		got = it
		return nil
	})
	return got, err
}

// Console returns a remote console URL for an instance.
func (s *Instances) Console(ctx context.Context, id string) (Console, error) {
	it, err := s.one(ctx, OpConsole, id)
	if err != nil {
		return Console{}, err
	}
	var a args
	err = it.cloud.call(ctx, OpConsole, it.realID, &a)
	return a.console, classify(err, OpConsole, KindInstance, id)
}

// Log returns the last lines of an instance's console log (all of it when
// lines is zero).
func (s *Instances) Log(ctx context.Context, id string, lines int) (string, error) {
	if lines < 0 {
		return "", invalidArg(OpLog, "lines", "is negative (%d)", lines)
	}
	it, err := s.one(ctx, OpLog, id)
	if err != nil {
		return "", err
	}
	a := args{lines: lines}
	err = it.cloud.call(ctx, OpLog, it.realID, &a)
	return a.log, classify(err, OpLog, KindInstance, id)
}

// Usage returns usage figures of an instance. Zero fields of q mean: the
// last hour until now, in six points.
func (s *Instances) Usage(ctx context.Context, id string, q UsageQuery) (UsageSeries, error) {
	q, err := usageQuery(q)
	if err != nil {
		return UsageSeries{}, err
	}
	it, err := s.one(ctx, OpUsage, id)
	if err != nil {
		return UsageSeries{}, err
	}
	a := args{usage: q}
	if err = it.cloud.call(ctx, OpUsage, it.realID, &a); err != nil {
		return UsageSeries{}, classify(err, OpUsage, KindInstance, id)
	}
	return usageSeries(a.series, q), nil
}

// UsageOf returns the usage figures of many instances, read concurrently as
// every bulk call is (see With), one Result per id whose Usage is the
// instance's series. Zero fields of q mean what they mean for Usage.
func (s *Instances) UsageOf(ctx context.Context, q UsageQuery, ids ...string) (*Report, error) {
	q, err := usageQuery(q)
	if err != nil {
		return &Report{Op: OpUsage}, err
	}
	return s.act(ctx, OpUsage, ids, nil, func(ctx context.Context, c *Cloud, it item, res *Result) error {
		a := args{usage: q}
		if err := c.call(ctx, OpUsage, it.realID, &a); err != nil {
			return err
		}
		series := usageSeries(a.series, q)
		res.Usage = &series
		return nil
	})
}

// usageQuery checks q and fills in its defaults.
func usageQuery(q UsageQuery) (UsageQuery, error) {
	switch q.Item {
	case UsageCPU, UsageMemory, UsageStorage:
	default:
		return q, invalidArg(OpUsage, "item", "%s is not one of cpu, memory, storage", quoted(string(q.Item)))
	}
	if q.To.IsZero() {
		q.To = time.Now()
	}
	if q.From.IsZero() {
		q.From = q.To.Add(-time.Hour)
	}
	if !q.From.Before(q.To) {
		return q, invalidArg(OpUsage, "from", "must be before to (%s ≥ %s)", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.Points == 0 {
		q.Points = 6
	}
	if q.Points < 0 || q.Points > 1000 {
		return q, invalidArg(OpUsage, "datapoints", "must be 1 to 1000, not %d", q.Points)
	}
	return q, nil
}

// usageSeries fills in what a driver may leave out of its series.
func usageSeries(out UsageSeries, q UsageQuery) UsageSeries {
	out.Item = q.Item
	if out.Unit == "" {
		out.Unit = driver.UnitOf(q.Item)
	}
	if out.Points == nil {
		out.Points = []UsagePoint{}
	}
	return out
}
