package perspective

import (
	"context"

	"github.com/perspective-cloud/sdk/driver"
)

// args carries one call's inputs to a driver and its outputs back.
type args struct {
	state       State // the instance's state (resume picks unpause or resume by it)
	flavorID    string
	imageID     string
	name        string
	tags        []string
	keys        []string
	metadata    map[string]string
	fip         FloatingIPRequest
	address     string
	lines       int
	usage       UsageQuery
	imageSpec   ImageSpec
	imageUpdate ImageUpdate
	keypairSpec KeypairSpec
	host        string // migrations: the target host, empty for the scheduler's choice
	backup      BackupSpec
	password    string
	group       string // a security group's name or id

	image   driver.Image   // out: Snapshot, Backup, CreateImage, UpdateImage
	keypair driver.Keypair // out: CreateKeypair
	addr    string         // out: AddFloatingIP
	console Console        // out: Console
	log     string         // out: ConsoleLog
	series  UsageSeries    // out: Usage
	diag    Diagnostics    // out: Diagnostics
}

// opFunc is one operation bound to one driver: id is a real id.
type opFunc func(ctx context.Context, id string, a *args) error

// binder finds an operation's capability in a driver and binds the call to
// it; it returns nil when the driver lacks the capability.
type binder func(driver.Driver) opFunc

// bind makes the binder of an operation that capability T performs.
func bind[T any](call func(T, context.Context, string, *args) error) binder {
	return func(d driver.Driver) opFunc {
		t, ok := d.(T)
		if !ok {
			return nil
		}
		return func(ctx context.Context, id string, a *args) error { return call(t, ctx, id, a) }
	}
}

// operations is the one table of what every operation needs from a driver
// and how it is called: Supports and every call read it, so an operation a
// cloud reports is an operation it can perform (never a failed type
// assertion). OpLaunch is the Driver interface itself.
var operations = map[Operation]binder{
	OpDelete: bind(func(d driver.Driver, ctx context.Context, id string, _ *args) error {
		return d.DeleteInstance(ctx, id)
	}),
	OpReboot: bind(func(d driver.Rebooter, ctx context.Context, id string, _ *args) error {
		return d.Reboot(ctx, id, false)
	}),
	OpHardReboot: bind(func(d driver.Rebooter, ctx context.Context, id string, _ *args) error {
		return d.Reboot(ctx, id, true)
	}),
	OpStart: bind(func(d driver.PowerManager, ctx context.Context, id string, _ *args) error {
		return d.Start(ctx, id)
	}),
	OpShutdown: bind(func(d driver.PowerManager, ctx context.Context, id string, _ *args) error {
		return d.Shutdown(ctx, id)
	}),
	OpPause: bind(func(d driver.Pauser, ctx context.Context, id string, _ *args) error {
		return d.Pause(ctx, id)
	}),
	OpSuspend: bind(func(d driver.Suspender, ctx context.Context, id string, _ *args) error {
		return d.Suspend(ctx, id)
	}),
	OpResume: bindResume,
	OpResize: bind(func(d driver.Resizer, ctx context.Context, id string, a *args) error {
		return d.Resize(ctx, id, a.flavorID)
	}),
	OpConfirmResize: bind(func(d driver.Resizer, ctx context.Context, id string, _ *args) error { return d.ConfirmResize(ctx, id) }),
	OpRevertResize:  bind(func(d driver.Resizer, ctx context.Context, id string, _ *args) error { return d.RevertResize(ctx, id) }),
	OpRebuild: bind(func(d driver.Rebuilder, ctx context.Context, id string, a *args) error {
		return d.Rebuild(ctx, id, a.imageID)
	}),
	OpRename: bind(func(d driver.Renamer, ctx context.Context, id string, a *args) error {
		return d.Rename(ctx, id, a.name)
	}),
	OpSnapshot: bind(func(d driver.Snapshotter, ctx context.Context, id string, a *args) (err error) {
		a.image, err = d.Snapshot(ctx, id, a.name)
		return err
	}),
	OpLock:   bind(func(d driver.Locker, ctx context.Context, id string, _ *args) error { return d.Lock(ctx, id) }),
	OpUnlock: bind(func(d driver.Locker, ctx context.Context, id string, _ *args) error { return d.Unlock(ctx, id) }),
	OpTag: bind(func(d driver.Tagger, ctx context.Context, id string, a *args) error {
		return d.AddTags(ctx, id, a.tags)
	}),
	OpUntag: bind(func(d driver.Tagger, ctx context.Context, id string, a *args) error {
		return d.RemoveTags(ctx, id, a.tags)
	}),
	OpSetMetadata: bind(func(d driver.MetadataManager, ctx context.Context, id string, a *args) error {
		return d.SetMetadata(ctx, id, a.metadata)
	}),
	OpUnsetMetadata: bind(func(d driver.MetadataManager, ctx context.Context, id string, a *args) error {
		return d.UnsetMetadata(ctx, id, a.keys)
	}),
	OpAddIP: bind(func(d driver.FloatingIPManager, ctx context.Context, id string, a *args) (err error) {
		a.addr, err = d.AddFloatingIP(ctx, id, a.fip)
		return err
	}),
	OpRemoveIP: bind(func(d driver.FloatingIPManager, ctx context.Context, id string, a *args) error {
		return d.RemoveFloatingIP(ctx, id, a.address)
	}),
	OpConsole: bind(func(d driver.ConsoleGetter, ctx context.Context, id string, a *args) (err error) {
		a.console, err = d.Console(ctx, id)
		return err
	}),
	OpLog: bind(func(d driver.LogGetter, ctx context.Context, id string, a *args) (err error) {
		a.log, err = d.ConsoleLog(ctx, id, a.lines)
		return err
	}),
	OpUsage: bind(func(d driver.UsageReporter, ctx context.Context, id string, a *args) (err error) {
		a.series, err = d.Usage(ctx, id, a.usage)
		return err
	}),
	OpShelve: bind(func(d driver.Shelver, ctx context.Context, id string, _ *args) error {
		return d.Shelve(ctx, id)
	}),
	OpShelveOffload: bind(func(d driver.Shelver, ctx context.Context, id string, _ *args) error {
		return d.ShelveOffload(ctx, id)
	}),
	OpUnshelve: bind(func(d driver.Shelver, ctx context.Context, id string, _ *args) error {
		return d.Unshelve(ctx, id)
	}),
	OpMigrate: bind(func(d driver.Migrator, ctx context.Context, id string, a *args) error {
		return d.Migrate(ctx, id, a.host)
	}),
	OpLiveMigrate: bind(func(d driver.LiveMigrator, ctx context.Context, id string, a *args) error {
		return d.LiveMigrate(ctx, id, a.host)
	}),
	OpBackup: bind(func(d driver.BackupMaker, ctx context.Context, id string, a *args) (err error) {
		a.image, err = d.Backup(ctx, id, a.backup)
		return err
	}),
	OpSetPassword: bind(func(d driver.PasswordSetter, ctx context.Context, id string, a *args) error {
		return d.SetAdminPassword(ctx, id, a.password)
	}),
	OpAddSecurityGroup: bind(func(d driver.SecurityGroupManager, ctx context.Context, id string, a *args) error {
		return d.AddSecurityGroup(ctx, id, a.group)
	}),
	OpRemoveSecurityGroup: bind(func(d driver.SecurityGroupManager, ctx context.Context, id string, a *args) error {
		return d.RemoveSecurityGroup(ctx, id, a.group)
	}),
	OpDiagnostics: bind(func(d driver.Diagnoser, ctx context.Context, id string, a *args) (err error) {
		a.diag, err = d.Diagnostics(ctx, id)
		return err
	}),
	OpRestore: bind(func(d driver.Restorer, ctx context.Context, id string, _ *args) error {
		return d.Restore(ctx, id)
	}),
	OpForceDelete: bind(func(d driver.ForceDeleter, ctx context.Context, id string, _ *args) error {
		return d.ForceDelete(ctx, id)
	}),
	// Images and keypairs: id is the image's real id or the keypair's name.
	OpAddImage: bind(func(d driver.ImageWriter, ctx context.Context, _ string, a *args) (err error) {
		a.image, err = d.CreateImage(ctx, a.imageSpec)
		return err
	}),
	OpUpdateImage: bind(func(d driver.ImageWriter, ctx context.Context, id string, a *args) (err error) {
		a.image, err = d.UpdateImage(ctx, id, a.imageUpdate)
		return err
	}),
	OpDeleteImage: bind(func(d driver.ImageWriter, ctx context.Context, id string, _ *args) error {
		return d.DeleteImage(ctx, id)
	}),
	OpAddKeypair: bind(func(d driver.KeypairManager, ctx context.Context, _ string, a *args) (err error) {
		a.keypair, err = d.CreateKeypair(ctx, a.keypairSpec)
		return err
	}),
	OpDeleteKeypair: bind(func(d driver.KeypairManager, ctx context.Context, id string, _ *args) error {
		return d.DeleteKeypair(ctx, id)
	}),
}

// bindResume binds resuming: unpausing a paused instance (Pauser) or
// resuming a suspended one (Suspender); a driver with either can resume.
func bindResume(d driver.Driver) opFunc {
	p, unpauses := d.(driver.Pauser)
	s, resumes := d.(driver.Suspender)
	if !unpauses && !resumes {
		return nil
	}
	return func(ctx context.Context, id string, a *args) error {
		switch {
		case a.state == StatePaused && unpauses:
			return p.Unpause(ctx, id)
		case a.state == StateSuspended && resumes:
			return s.Resume(ctx, id)
		case a.state == StatePaused:
			return &Error{Code: CodeUnsupported, Op: OpResume, Msg: "this cloud cannot unpause instances"}
		case a.state == StateSuspended:
			return &Error{Code: CodeUnsupported, Op: OpResume, Msg: "this cloud cannot resume suspended instances"}
		}
		return &Error{Code: CodeInvalidState, Op: OpResume, State: a.state, Msg: "only a paused or suspended instance resumes"}
	}
}

// bindAll binds every operation of the table to d.
func bindAll(d driver.Driver) map[Operation]opFunc {
	calls := make(map[Operation]opFunc, len(operations))
	for op, b := range operations {
		if f := b(d); f != nil {
			calls[op] = f
		}
	}
	return calls
}

// Supports reports whether the cloud can perform op.
func (c *Cloud) Supports(op Operation) bool {
	return op == OpLaunch || c.calls[op] != nil
}

// call performs op on one object of c through the table; a capability the
// driver lacks is ErrUnsupported, never a panic.
func (c *Cloud) call(ctx context.Context, op Operation, id string, a *args) error {
	f := c.calls[op]
	if f == nil {
		return c.unsupported(op)
	}
	return f(ctx, id, a)
}

// Touched tells the cloud that instances (their real ids) were changed
// outside this package: through Driver(), or by package operator (an
// evacuation, a state reset). The next read of each asks the cloud
// instead of the inventory, so that it never shows the state from before.
func (c *Cloud) Touched(realIDs ...string) {
	for _, id := range realIDs {
		c.inv.touch(id)
	}
}
