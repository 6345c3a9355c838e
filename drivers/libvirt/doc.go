// Package libvirt is the driver for libvirt: QEMU virtual machines on a
// host, reached through libvirtd's RPC protocol (github.com/digitalocean/go-libvirt,
// pure Go, no cgo), with domain XML built by libvirt.org/go/libvirtxml.
//
// Import it for its side effect and open a cloud by URL:
//
//	import _ "github.com/perspective-cloud/sdk/drivers/libvirt"
//
//	cloud, err := perspective.Open(ctx, "libvirt:///system?pool=perspective&network=perspective")
//
// # URL
//
//	libvirt:///system                 the local socket /var/run/libvirt/libvirt-sock, qemu:///system
//	libvirt:///session                qemu:///session
//	libvirt+tcp://host[:16509]/system libvirtd's TCP port (no authentication: keep it on a trusted network)
//
// Options: namespace (default "perspective"), pool (default "default"),
// network (default "default"), flavors (id:vcpus:ramMiB:diskGiB,… ; default
// tiny 1:256:1, small 1:512:2, medium 2:1024:4), type (qemu, the default:
// software emulation; or kvm), shutdown_timeout (default 60s), cloud (the
// cloud id, default "libvirt-" + namespace), socket (another unix socket),
// uri (the URI libvirtd opens instead, e.g. test:///default for libvirt's
// own test driver).
//
// # How the model maps onto libvirt
//
//   - Instances are the domains whose <metadata> holds the driver's element
//     (namespace XMLNamespace, prefix "perspective") naming this cloud's
//     namespace; other domains are left alone. An instance's id is the
//     domain's UUID, its name the domain's name. The element keeps what
//     libvirt does not: flavor, image, keypair, lock, tags, key/value
//     metadata, created/updated times, the volumes the driver made, and a
//     display name while a rename waits for the domain to be shut off
//     (libvirt renames only shut-off domains).
//   - States come from DomainGetState (state + reason) and whether a managed
//     save image exists: running → launched, paused → paused, shut off with
//     a managed save → suspended, shut off → shutoff, crashed or failed →
//     error (see domainState.normalize for every case). While the driver's
//     own long calls run, the instance shows shutting_down, suspending,
//     snapshotting or deleting.
//   - Flavors are a configured set (vCPUs, memory, disk size).
//   - Images are the volumes of the storage pool. A launch makes a qcow2
//     overlay "<uuid>.overlay.qcow2" on the image (copy-on-write), sized by
//     the flavor. An image "X" boots with a kernel and an initrd when the
//     volumes "X.kernel" and "X.initrd" exist beside it, else from its disk.
//     "X.meta.json" keeps its display name and metadata. Image add uploads a
//     volume; delete refuses while an overlay is backed by it; snapshot makes
//     a flattened copy of the instance's disk (libvirt's clone when shut off,
//     QEMU's block copy while it runs).
//   - Networks are libvirt's networks (id = name); each NIC is an e1000 on
//     one; addresses are the network's DHCP leases.
//   - Keypairs are kept by the driver in the pool's volume
//     "<namespace>.keypairs.json", and handed to the guest through the QEMU
//     fw_cfg entry FWCfgKeys (as Ignition takes its config on QEMU); user
//     data goes to FWCfgUserData. A guest that does not read fw_cfg does not
//     see them (cloud-init does not).
//   - The project is the namespace; the region is the libvirt host's name.
//
// Operations: launch (define + start), delete (destroy + undefine + its
// volumes), start, shutdown (ACPI power button, repeated, with a deadline;
// nothing is forced off), reboot (ACPI) and hard reboot (reset), pause and
// unpause (suspend/resume of the vCPUs), suspend and resume (managed save),
// rename, snapshot, lock, tags, metadata, the VNC console as a vnc:// URL,
// the serial console log (libvirt logs it into the volume
// "<uuid>.console.log", so it reads the same over TCP), and usage figures
// sampled from DomainGetInfo, DomainMemoryStats and the disk's allocation.
// Resize, rebuild and floating IPs are not supported.
//
// # Change listing
//
// The driver is a driver.ChangeLister: the inventory of a perspective.Cloud
// over it asks what changed since its last sync instead of listing every
// domain. From New on, the driver subscribes to libvirt's domain events on
// its connection (lifecycle: started, stopped, suspended, defined,
// undefined, renamed…; metadata changes: tags, lock, key/value metadata;
// devices added or removed) and notes, by domain UUID, when each last
// changed, by its own clock (this machine's wall clock, never going back);
// its own calls note their instances too, whatever order libvirt's event
// comes in. ListChanges reads the DHCP leases of the instances' networks
// (one call per network: no event says a lease moved), then reads each
// changed domain once; one that is gone, or no longer carries the
// namespace's element, becomes a tombstone (state deleted). An instance's
// Updated is the later of its element's time and the last change this
// process saw, so the inventory's cursor is made of the driver's stamps.
//
// Cost: a sync of a quiet cloud is one lease listing per network in use; a
// change costs one read of that domain (XML, state, managed save),
// whatever the number of domains. A full listing reads every domain.
//
// Bounds and failure modes: the driver keeps the last change of at most
// 10,000 domains plus its tombstones (past that the oldest tenth is
// forgotten at once), tombstones for an hour, and at most 10,000 known
// instances (past that, any vanished domain is returned as a tombstone).
// It answers for every change after its horizon: the start of the current
// event subscription, or the newest change it forgot. A cursor at or before
// the horizon is answered only when a complete listing (ListInstances
// without filters) started after it; otherwise ListChanges fails with
// CodeInvalidState, and the inventory's next sync is a full listing. So
// when the connection to libvirtd is lost (libvirtd restarted), the events
// of the meantime are lost too: the next ListChanges subscribes again and
// fails, the inventory lists in full, and listings of changes resume. What
// no event reports and no lease shows (a managed save image removed with
// virsh managedsave-remove, a change of the image catalog) is seen by the
// inventory's periodic full listing (perspective.DefaultFullSyncEvery).
// Updated is per process: two processes may stamp the same change apart.
package libvirt
