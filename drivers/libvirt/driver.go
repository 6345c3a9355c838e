package libvirt

import (
	"context"
	"errors"
	"net"
	"net/url"
	"sync"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"

	"github.com/perspective-cloud/sdk/driver"
	"github.com/perspective-cloud/sdk/perspective"
)

// Scheme and SchemeTCP are the URL schemes this package registers with
// perspective.Register: the local socket and libvirtd's TCP port.
const (
	Scheme    = "libvirt"
	SchemeTCP = "libvirt+tcp"
	// Type is the cloud type the driver reports in Info.
	Type = "libvirt"
)

// The capabilities the driver has (checked at compile time: a signature
// that drifts from the contract fails the build, not a type assertion).
var (
	_ driver.Driver          = (*Driver)(nil)
	_ driver.Rebooter        = (*Driver)(nil)
	_ driver.PowerManager    = (*Driver)(nil)
	_ driver.Pauser          = (*Driver)(nil)
	_ driver.Suspender       = (*Driver)(nil)
	_ driver.Renamer         = (*Driver)(nil)
	_ driver.Snapshotter     = (*Driver)(nil)
	_ driver.Locker          = (*Driver)(nil)
	_ driver.Tagger          = (*Driver)(nil)
	_ driver.MetadataManager = (*Driver)(nil)
	_ driver.ConsoleGetter   = (*Driver)(nil)
	_ driver.LogGetter       = (*Driver)(nil)
	_ driver.UsageReporter   = (*Driver)(nil)
	_ driver.ImageWriter     = (*Driver)(nil)
	_ driver.KeypairManager  = (*Driver)(nil)
	_ driver.ChangeLister    = (*Driver)(nil)
)

func init() {
	perspective.Register(Scheme, Open)
	perspective.Register(SchemeTCP, Open)
}

// Open opens a driver from a libvirt URL (see ParseURL); it is the opener
// registered with perspective.Register.
func Open(ctx context.Context, u *url.URL) (driver.Driver, error) {
	c, err := ParseURL(u)
	if err != nil {
		return nil, err
	}
	return New(ctx, c)
}

// Driver is the libvirt driver. Its methods are safe for concurrent use:
// go-libvirt multiplexes calls over one connection.
type Driver struct {
	cfg  Config
	info driver.Info

	mu sync.Mutex // guards l
	l  *golibvirt.Libvirt

	// catalogMu serialises read-modify-write of the keypair and image
	// catalogs kept as volumes (see catalog.go).
	catalogMu sync.Mutex
	usage     *usageSamples
	// busy holds the instances with a long call under way (shutdown,
	// suspend, snapshot) and the state they are passing through.
	busyMu sync.Mutex
	busy   map[string]driver.State

	// changes is what ListChanges answers from, fed by the subscription
	// to libvirt's domain events (watch) and by the driver's own calls.
	changes *changeLog
	watchMu sync.Mutex // guards watch
	watch   *watch
}

// New connects to libvirt as c says and checks that its pool exists.
func New(ctx context.Context, c Config) (*Driver, error) {
	if ctx == nil {
		return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: ctx is nil")
	}
	c.defaults()
	if err := c.check(); err != nil {
		return nil, err
	}
	d := &Driver{cfg: c, usage: newUsageSamples(), busy: map[string]driver.State{}, changes: newChangeLog(time.Now)}
	l, err := d.conn(ctx)
	if err != nil {
		return nil, err
	}
	// Subscribe before anything is listed, so that the first complete
	// listing starts after the log's horizon. A failure here is retried by
	// the next listing (ListChanges fails until one subscribes).
	_ = d.ensureWatch(l)
	host, err := l.ConnectGetHostname()
	if err != nil {
		_ = d.Close()
		return nil, classify(err, "reading the host name of "+c.URI)
	}
	d.info = driver.Info{Type: Type, CloudID: c.CloudID, ProjectID: c.Namespace, ProjectName: c.Namespace, Region: host}
	if _, err := l.StoragePoolLookupByName(c.Pool); err != nil {
		_ = d.Close()
		return nil, classify(err, "storage pool "+c.Pool)
	}
	return d, nil
}

// conn returns the connection, dialling again when it was lost.
func (d *Driver) conn(ctx context.Context) (*golibvirt.Libvirt, error) {
	if err := ctx.Err(); err != nil {
		return nil, driver.Wrap(driver.CodeCanceled, err, "libvirt")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.l != nil && d.l.IsConnected() {
		return d.l, nil
	}
	var dialer interface {
		Dial() (net.Conn, error)
	}
	if d.cfg.Transport == "tcp" {
		host, port, err := net.SplitHostPort(d.cfg.Host)
		if err != nil {
			return nil, driver.Errorf(driver.CodeInvalidArgument, "libvirt: host %q: %w", d.cfg.Host, err)
		}
		dialer = dialers.NewRemote(host, dialers.UsePort(port), dialers.WithRemoteTimeout(d.cfg.Timeout))
	} else {
		dialer = dialers.NewLocal(dialers.WithSocket(d.cfg.Socket), dialers.WithLocalTimeout(d.cfg.Timeout))
	}
	l := golibvirt.NewWithDialer(dialer)
	if err := l.ConnectToURI(golibvirt.ConnectURI(d.cfg.URI)); err != nil {
		return nil, driver.Wrap(driver.CodeTransient, err, "libvirt: connecting to "+d.cfg.URI+" through "+d.where())
	}
	d.l = l
	return l, nil
}

func (d *Driver) where() string {
	if d.cfg.Transport == "tcp" {
		return "tcp " + d.cfg.Host
	}
	return d.cfg.Socket
}

// Info names the cloud: type libvirt, project = the namespace, region = the host.
func (d *Driver) Info() driver.Info { return d.info }

// Config returns the configuration the driver runs with.
func (d *Driver) Config() Config { return d.cfg }

// Close ends the event subscription and disconnects from libvirt.
func (d *Driver) Close() error {
	d.watchMu.Lock()
	d.stopWatchLocked()
	d.watchMu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.l == nil {
		return nil
	}
	err := d.l.Disconnect()
	d.l = nil
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return driver.Wrap(driver.CodeTransient, err, "libvirt: disconnecting")
	}
	return nil
}

// setBusy marks id as passing through state s until the returned func runs;
// false when another long call on id is under way.
func (d *Driver) setBusy(id string, s driver.State) (func(), bool) {
	d.busyMu.Lock()
	defer d.busyMu.Unlock()
	if _, ok := d.busy[id]; ok {
		return nil, false
	}
	d.busy[id] = s
	d.changes.record(id)
	return func() {
		d.busyMu.Lock()
		delete(d.busy, id)
		d.busyMu.Unlock()
		d.changes.record(id)
	}, true
}

func (d *Driver) busyState(id string) (driver.State, bool) {
	d.busyMu.Lock()
	defer d.busyMu.Unlock()
	s, ok := d.busy[id]
	return s, ok
}

// sleep waits for t or the end of ctx.
func sleep(ctx context.Context, t time.Duration) error {
	tm := time.NewTimer(t)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return driver.Wrap(driver.CodeCanceled, ctx.Err(), "libvirt")
	case <-tm.C:
		return nil
	}
}
