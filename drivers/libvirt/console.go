package libvirt

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/perspective-cloud/sdk/driver"
)

// maxLogBytes bounds how much of a console log one call reads: its tail.
const maxLogBytes = 1 << 20

// Console returns the domain's VNC display as a vnc:// URL. VNC listens on
// the libvirt host's loopback, so the URL is for a viewer on that host (or
// through an SSH tunnel to it).
func (d *Driver) Console(ctx context.Context, id string) (driver.Console, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return driver.Console{}, err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return driver.Console{}, err
	}
	if dm.xml.Devices != nil {
		for _, g := range dm.xml.Devices.Graphics {
			if g.VNC == nil || g.VNC.Port <= 0 {
				continue
			}
			host := g.VNC.Listen
			if host == "" || host == "0.0.0.0" {
				host = "127.0.0.1"
			}
			if d.cfg.Transport == "tcp" && (host == "127.0.0.1" || host == "::1") {
				h, _, _ := net.SplitHostPort(d.cfg.Host)
				host = h
			}
			return driver.Console{Type: "vnc", URL: fmt.Sprintf("vnc://%s", net.JoinHostPort(host, fmt.Sprint(g.VNC.Port)))}, nil
		}
	}
	return driver.Console{}, driver.Errorf(driver.CodeInvalidState, "libvirt: instance %s has no VNC display now (it has one while it runs)", id)
}

// ConsoleLog returns the last lines lines (all when zero) of the guest's
// serial console, which libvirt logs into the volume "<uuid>.console.log"
// of the pool. At most the last MiB of the log is read. The driver reads
// the file itself, so only through the local socket: over TCP it would be
// a volume download, and go-libvirt's stream download can deadlock the
// connection (digitalocean/go-libvirt issue 241).
func (d *Driver) ConsoleLog(ctx context.Context, id string, lines int) (string, error) {
	l, err := d.conn(ctx)
	if err != nil {
		return "", err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return "", err
	}
	if d.cfg.Transport != "unix" {
		return "", driver.Errorf(driver.CodeUnsupported, "libvirt: the console log of instance %s is on host %s; it is read only through the local socket", id, d.cfg.Host)
	}
	if dm.meta.Log == "" {
		return "", nil
	}
	pool, err := l.StoragePoolLookupByName(d.cfg.Pool)
	if err != nil {
		return "", classify(err, "storage pool "+d.cfg.Pool)
	}
	vol, err := l.StorageVolLookupByName(pool, dm.meta.Log)
	if err != nil {
		return "", classify(err, "console log of instance "+id)
	}
	path, err := l.StorageVolGetPath(vol)
	if err != nil {
		return "", classify(err, "console log of instance "+id)
	}
	raw, err := readTail(path, maxLogBytes)
	if err != nil {
		return "", driver.Wrap(driver.CodeUnknown, err, "libvirt: reading the console log of instance "+id)
	}
	return tail(strings.ReplaceAll(string(raw), "\r\n", "\n"), lines), nil
}

// readTail reads the last at most limit bytes of a file.
func readTail(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := max(st.Size()-limit, 0)
	return io.ReadAll(io.NewSectionReader(f, off, st.Size()-off))
}

// tail returns the last n lines of s (all of it when n <= 0).
func tail(s string, n int) string {
	if n <= 0 {
		return s
	}
	trimmed := strings.TrimRight(s, "\n")
	i := len(trimmed)
	for range n {
		j := strings.LastIndexByte(trimmed[:i], '\n')
		if j < 0 {
			return trimmed + "\n"
		}
		i = j
	}
	return trimmed[i+1:] + "\n"
}

// usageSamples keeps a bounded history of each instance's counters,
// sampled whenever its usage is asked for: libvirt keeps no history.
type usageSamples struct {
	mu sync.Mutex
	by map[string][]sample
}

type sample struct {
	at            time.Time
	cpuNs         uint64
	vcpus         int
	memMiB, diskG float64
}

const (
	maxSamples   = 720  // per instance
	maxInstances = 4096 // instances with a history
)

func newUsageSamples() *usageSamples { return &usageSamples{by: map[string][]sample{}} }

func (u *usageSamples) add(id string, s sample) []sample {
	u.mu.Lock()
	defer u.mu.Unlock()
	h := u.by[id]
	if h == nil && len(u.by) >= maxInstances {
		for k := range u.by { // forget one at random: memory stays bounded
			delete(u.by, k)
			break
		}
	}
	h = append(h, s)
	if len(h) > maxSamples {
		h = h[len(h)-maxSamples:]
	}
	u.by[id] = h
	return append([]sample(nil), h...)
}

func (u *usageSamples) forget(id string) {
	u.mu.Lock()
	delete(u.by, id)
	u.mu.Unlock()
}

// measure reads the counters: CPU time and vCPUs (DomainGetInfo), resident
// memory (DomainMemoryStats), the disk overlay's allocation.
func (d *Driver) measure(l *golibvirt.Libvirt, dm *domain) (sample, error) {
	s := sample{at: time.Now()}
	_, _, memKiB, nvcpu, cpuNs, err := l.DomainGetInfo(dm.dom)
	if err != nil {
		return s, err
	}
	s.cpuNs, s.vcpus, s.memMiB = cpuNs, int(nvcpu), float64(memKiB)/1024
	if dm.st.state != golibvirt.DomainShutoff {
		if stats, err := l.DomainMemoryStats(dm.dom, 13, 0); err == nil {
			for _, st := range stats {
				if st.Tag == 7 { // VIR_DOMAIN_MEMORY_STAT_RSS, KiB
					s.memMiB = float64(st.Val) / 1024
				}
			}
		}
	} else {
		s.memMiB = 0
	}
	if pool, err := l.StoragePoolLookupByName(d.cfg.Pool); err == nil && dm.meta.Disk != "" {
		if vol, err := l.StorageVolLookupByName(pool, dm.meta.Disk); err == nil {
			if _, _, alloc, err := l.StorageVolGetInfo(vol); err == nil {
				s.diskG = float64(alloc) / (1 << 30)
			}
		}
	}
	return s, nil
}

// Usage returns usage figures from the samples the driver took: cpu in
// percent of the instance's vCPUs, memory in MiB resident, storage in GiB
// allocated to its disk overlay. A call takes a sample; the first one of an
// instance takes two, a second apart, to have a CPU rate. Intervals with
// no sample have no point.
func (d *Driver) Usage(ctx context.Context, id string, q driver.UsageQuery) (driver.UsageSeries, error) {
	if q.Points <= 0 || !q.From.Before(q.To) {
		return driver.UsageSeries{}, driver.Errorf(driver.CodeInvalidArgument, "libvirt: usage query needs from < to and at least one point")
	}
	l, err := d.conn(ctx)
	if err != nil {
		return driver.UsageSeries{}, err
	}
	dm, err := d.lookup(ctx, l, id)
	if err != nil {
		return driver.UsageSeries{}, err
	}
	s, err := d.measure(l, dm)
	if err != nil {
		return driver.UsageSeries{}, classify(err, "reading the usage of instance "+id)
	}
	hist := d.usage.add(id, s)
	if len(hist) == 1 || s.at.Sub(hist[len(hist)-2].at) > 10*time.Minute {
		if err := sleep(ctx, time.Second); err != nil {
			return driver.UsageSeries{}, err
		}
		if s, err = d.measure(l, dm); err != nil {
			return driver.UsageSeries{}, classify(err, "reading the usage of instance "+id)
		}
		hist = d.usage.add(id, s)
	}
	return driver.UsageSeries{Item: q.Item, Unit: driver.UnitOf(q.Item), Source: "libvirt-samples",
		Note:   "sampled by this driver when usage is asked for (libvirt keeps no history): intervals before the first request have no points",
		Points: points(hist, q, time.Now())}, nil
}

// points averages the samples into the query's intervals. A query that
// ends "now" (within a minute of it) counts the samples this call took,
// a moment after its end, in its last interval.
func points(hist []sample, q driver.UsageQuery, now time.Time) []driver.UsagePoint {
	step := q.To.Sub(q.From) / time.Duration(q.Points)
	var out []driver.UsagePoint
	for i := range q.Points {
		from := q.From.Add(time.Duration(i) * step)
		to := from.Add(step)
		if i == q.Points-1 {
			to = q.To
			if now.After(to) && now.Sub(to) < time.Minute {
				to = now.Add(time.Nanosecond)
			}
		}
		var sum float64
		n := 0
		for j, s := range hist {
			if s.at.Before(from) || !s.at.Before(to) {
				continue
			}
			switch q.Item {
			case driver.UsageCPU:
				if j == 0 {
					continue
				}
				p := hist[j-1]
				dt := s.at.Sub(p.at).Seconds()
				if dt <= 0 || s.cpuNs < p.cpuNs || s.vcpus == 0 {
					continue // restarted: the counter began again
				}
				sum += float64(s.cpuNs-p.cpuNs) / 1e9 / dt / float64(s.vcpus) * 100
			case driver.UsageMemory:
				sum += s.memMiB
			case driver.UsageStorage:
				sum += s.diskG
			}
			n++
		}
		if n > 0 {
			out = append(out, driver.UsagePoint{From: from, To: to, Value: sum / float64(n)})
		}
	}
	return out
}
