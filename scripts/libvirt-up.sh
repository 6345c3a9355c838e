#!/usr/bin/env bash
# scripts/libvirt-up.sh -- the project's own libvirt (Debian bookworm packages)
# on this machine, the target of the libvirt driver's integration tests.
#
#   scripts/libvirt-up.sh up     [STATE_DIR]   install (apt) + start + pool, network, image; idempotent
#   scripts/libvirt-up.sh down   [STATE_DIR]   stop the daemons "up" started (pool, network, image stay)
#   scripts/libvirt-up.sh status [STATE_DIR]   daemons, pool, network, image; rc 1 if something is missing
#   scripts/libvirt-up.sh env    [STATE_DIR]   print the LIBVIRT_* environment the tests read
#
# STATE_DIR defaults to $LIBVIRT_UP_STATE or /tmp/libvirt-up. "up" must run as
# root on Debian bookworm with only Debian's package mirrors. It:
#   1. installs libvirt 9 and QEMU 7.2 (apt, no recommends) when missing;
#   2. starts virtlogd and libvirtd directly (systemd is not PID 1 on these
#      machines), unless they already run; with LIBVIRT_UP_TCP=1 libvirtd also
#      listens on 127.0.0.1:16509 without authentication (off by default: any
#      local user could then drive the host's libvirt);
#   3. defines, builds and starts the dir storage pool "perspective"
#      (/var/lib/libvirt/perspective) and the NAT network "perspective"
#      (bridge virbr-psp, 192.168.150.0/24, DHCP);
#   4. builds the test image from Debian's packages, once: the Debian kernel
#      (linux-image-*-amd64: vmlinuz + a few modules) and a busybox-static
#      initramfs whose /init logs to the serial console, takes a DHCP lease,
#      prints the keys handed to it through fw_cfg and powers off on the ACPI
#      power button; it is uploaded as three volumes of the pool: tiny.qcow2 (an
#      empty 64 MiB disk, the image), tiny.qcow2.kernel and tiny.qcow2.initrd
#      (the boot files the driver uses for it).
# Guests must use software emulation (<domain type='qemu'>): /dev/kvm here is
# a paravirtual one that does not run ordinary guest kernels.
#
# Daemon PIDs and start times are kept in STATE_DIR/pids, so "down" stops those
# processes and nothing else (a libvirtd that ran before "up" is left alone).
# A second "up" changes nothing and returns in about a second.
set -Eeuo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
POOL=${LIBVIRT_UP_POOL:-perspective}
POOL_DIR=${LIBVIRT_UP_POOL_DIR:-/var/lib/libvirt/perspective}
NET=${LIBVIRT_UP_NETWORK:-perspective}
NET_BRIDGE=virbr-psp
NET_PREFIX=${LIBVIRT_UP_NET_PREFIX:-192.168.150}
IMAGE=tiny.qcow2
URI=qemu:///system
IMAGE_VERSION=4 # bump when the initramfs changes: "up" rebuilds the image volumes

state_dir() { echo "${1:-${LIBVIRT_UP_STATE:-/tmp/libvirt-up}}"; }
starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
virsh_() { virsh -q -c "$URI" "$@"; }

usage() {
  sed -n '2,8p' "$SELF" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd_env() {
  cat <<EOF
export LIBVIRT_URL='libvirt:///system?pool=$POOL&network=$NET'
export LIBVIRT_TEST_IMAGE=$IMAGE
export LIBVIRT_TEST_POOL=$POOL
export LIBVIRT_TEST_NETWORK=$NET
EOF
}

recorded() { # pidfile -> 0 if its process is alive and is the one recorded
  local pid st
  [[ -f $1 ]] || return 1
  read -r pid st <"$1" || return 1
  [[ -n ${pid:-} && -d /proc/$pid && "$(starttime "$pid")" == "${st:-x}" ]]
}

cmd_status() {
  local state bad=0 name
  state=$(state_dir "${1:-}")
  for name in virtlogd libvirtd; do
    if recorded "$state/pids/$name.pid"; then echo "$name: running (pid $(cut -d' ' -f1 "$state/pids/$name.pid"), started by up)"
    elif pidof "$name" >/dev/null 2>&1; then echo "$name: running (pid $(pidof "$name"), not started by up)"
    else echo "$name: not running"; bad=1; fi
  done
  if ((bad == 0)) && virsh_ uri >/dev/null 2>&1; then
    virsh_ pool-info "$POOL" 2>/dev/null | grep '^State: *running' >/dev/null && echo "pool $POOL: running" || { echo "pool $POOL: missing or inactive"; bad=1; }
    virsh_ net-info "$NET" 2>/dev/null | grep '^Active: *yes' >/dev/null && echo "network $NET: active" || { echo "network $NET: missing or inactive"; bad=1; }
    virsh_ vol-info --pool "$POOL" "$IMAGE" >/dev/null 2>&1 && echo "image $IMAGE: present" || { echo "image $IMAGE: missing"; bad=1; }
  else
    echo "libvirtd: does not answer on $URI"; bad=1
  fi
  return $bad
}

# down: stop the daemons "up" started (libvirtd first, then virtlogd). Running
# guests keep running (QEMU processes outlive libvirtd) and are seen again by
# the next libvirtd. A recorded PID whose start time differs is a recycled PID
# (not ours) and is left alone.
cmd_down() {
  local state name f pid st
  state=$(state_dir "${1:-}")
  for name in libvirtd virtlogd; do
    f=$state/pids/$name.pid
    [[ -f $f ]] || continue
    read -r pid st <"$f" || { rm -f "$f"; continue; }
    if recorded "$f"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
      [[ -d /proc/$pid ]] && { echo "libvirt-up down: $name (pid $pid) did not stop in 5 s; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; }
      echo "stopped $name (pid $pid)" >&2
    fi
    rm -f "$f"
  done
}

cmd_up() (
STATE=$(state_dir "${1:-}")
mkdir -p "$STATE/pids" "$STATE/log" "$STATE/cache"
STATE="$(cd "$STATE" && pwd)"
T0=$(date +%s.%N)
log() { printf '[libvirt-up %6.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{print a-b}')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'rc=$?; log "FAILED (rc=$rc) at line $LINENO: $BASH_COMMAND; logs in $STATE/log"; exit $rc' ERR

[[ $(id -u) == 0 ]] || die "must run as root"

###############################################################################
# 1. packages
###############################################################################
PKGS=(libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils dnsmasq-base
      iptables iproute2 busybox-static cpio xz-utils kmod)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
done
updated=0
apt_update() {
  ((updated)) && return 0
  apt-get update -q -o DPkg::Lock::Timeout=1800 >"$STATE/log/apt-update.log" 2>&1 || { cat "$STATE/log/apt-update.log" >&2; die "apt-get update failed"; }
  updated=1
}
if ((${#missing[@]})); then
  log "installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # keep maintainer scripts from starting services: this script starts them
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  apt_update
  # another install (the OpenStack script's) may hold dpkg's lock: wait for it
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=1800 -o Dpkg::Options::=--force-confdef \
      -o Dpkg::Options::=--force-confold "${missing[@]}" >"$STATE/log/apt-install.log" 2>&1 \
    || { tail -30 "$STATE/log/apt-install.log" >&2; ((made_policy)) && rm -f /usr/sbin/policy-rc.d; die "apt-get install failed"; }
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  log "packages installed ($(libvirtd --version | awk '{print $NF}'), $(qemu-system-x86_64 --version | head -1 | awk '{print $4}'))"
else
  log "packages already installed"
fi

###############################################################################
# 2. daemons
###############################################################################
start_daemon() { # name pidfile cmd...
  local name=$1 pidfile=$2; shift 2
  if recorded "$STATE/pids/$name.pid"; then log "$name already running (pid $(cut -d' ' -f1 "$STATE/pids/$name.pid"))"; return 0; fi
  if pidof "$name" >/dev/null 2>&1; then log "$name already running (pid $(pidof "$name"), not started here: left as it is)"; return 0; fi
  rm -f "$pidfile"
  "$@" >>"$STATE/log/$name.log" 2>&1 </dev/null
  local pid=""
  for _ in $(seq 100); do [[ -s $pidfile ]] && pid=$(<"$pidfile") && [[ -d /proc/$pid ]] && break; pid=""; sleep 0.05; done
  [[ -n $pid ]] || die "$name did not start (see $STATE/log/$name.log)"
  echo "$pid $(starttime "$pid")" >"$STATE/pids/$name.pid"
  log "started $name (pid $pid)"
}
# Without udev (not running here) /dev/kvm stays root:root 0600. libvirt then
# finds KVM usable when it probes QEMU as root but not for the qemu user when
# it checks its cache, and probes QEMU's capabilities again (~4 s) several
# times for every domain start (a start took 60 s instead of 1). Give /dev/kvm
# the owner and mode Debian's udev rule gives it. (Guests still use TCG.)
if [[ -c /dev/kvm ]] && getent group kvm >/dev/null && [[ $(stat -c %G:%a /dev/kvm) != kvm:660 ]]; then
  chgrp kvm /dev/kvm && chmod 660 /dev/kvm
  log "/dev/kvm: group kvm, mode 660 (as udev would set it)"
fi
mkdir -p /run/libvirt
start_daemon virtlogd /run/virtlogd.pid virtlogd -d -p /run/virtlogd.pid
conf=$STATE/libvirtd.conf
{
  echo "# written by $SELF"
  if [[ ${LIBVIRT_UP_TCP:-0} == 1 ]]; then
    printf 'listen_tls = 0\nlisten_tcp = 1\nlisten_addr = "127.0.0.1"\ntcp_port = "16509"\nauth_tcp = "none"\n'
  fi
  echo 'log_outputs = "3:stderr"'
} >"$conf"
largs=(-d -p /run/libvirtd.pid -f "$conf")
[[ ${LIBVIRT_UP_TCP:-0} == 1 ]] && largs+=(-l)
start_daemon libvirtd /run/libvirtd.pid libvirtd "${largs[@]}"
# The first start probes QEMU's capabilities (~8 s); later starts answer in ~1 s.
for i in $(seq 120); do virsh_ uri >/dev/null 2>&1 && break; ((i == 120)) && die "libvirtd does not answer on $URI after 60 s"; sleep 0.5; done
log "libvirtd answers on $URI"

###############################################################################
# 3. storage pool and NAT network
###############################################################################
if ! virsh_ pool-info "$POOL" >/dev/null 2>&1; then
  virsh_ pool-define-as "$POOL" dir --target "$POOL_DIR" >/dev/null
  virsh_ pool-build "$POOL" >/dev/null
  virsh_ pool-autostart "$POOL" >/dev/null
  log "defined pool $POOL ($POOL_DIR)"
fi
virsh_ pool-info "$POOL" | grep '^State: *running' >/dev/null || { virsh_ pool-start "$POOL" >/dev/null; log "started pool $POOL"; }
virsh_ pool-refresh "$POOL" >/dev/null

if ! virsh_ net-info "$NET" >/dev/null 2>&1; then
  cat >"$STATE/network.xml" <<EOF
<network>
  <name>$NET</name>
  <forward mode='nat'/>
  <bridge name='$NET_BRIDGE' stp='on' delay='0'/>
  <ip address='$NET_PREFIX.1' netmask='255.255.255.0'>
    <dhcp><range start='$NET_PREFIX.10' end='$NET_PREFIX.250'/></dhcp>
  </ip>
</network>
EOF
  virsh_ net-define "$STATE/network.xml" >/dev/null
  virsh_ net-autostart "$NET" >/dev/null
  log "defined network $NET ($NET_PREFIX.0/24, bridge $NET_BRIDGE)"
fi
virsh_ net-info "$NET" | grep '^Active: *yes' >/dev/null || { virsh_ net-start "$NET" >/dev/null; log "started network $NET"; }

###############################################################################
# 4. the test image
###############################################################################
stamp=/var/lib/libvirt/perspective-image-version # outside the pool: every file there is a volume
if [[ -f $stamp && $(<"$stamp") == "$IMAGE_VERSION" ]] && virsh_ vol-info --pool "$POOL" "$IMAGE" >/dev/null 2>&1 \
   && virsh_ vol-info --pool "$POOL" "$IMAGE.kernel" >/dev/null 2>&1 && virsh_ vol-info --pool "$POOL" "$IMAGE.initrd" >/dev/null 2>&1; then
  log "test image $IMAGE already in pool $POOL"
else
  build=$STATE/image
  rm -rf "$build"; mkdir -p "$build/root"
  deb=$(ls "$STATE"/cache/linux-image-*-amd64_*.deb 2>/dev/null | head -1 || true)
  if [[ -z $deb ]]; then
    apt_update
    kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    [[ -n $kpkg ]] || die "no linux-image-*-amd64 package found (apt-cache depends linux-image-amd64)"
    (cd "$STATE/cache" && apt-get download -q "$kpkg" >"$STATE/log/apt-download.log" 2>&1) || { cat "$STATE/log/apt-download.log" >&2; die "apt-get download $kpkg failed"; }
    deb=$(ls "$STATE"/cache/linux-image-*-amd64_*.deb | head -1)
    log "downloaded $(basename "$deb") ($(du -m "$deb" | cut -f1) MB)"
  fi
  # vmlinuz and the module tree (~7 s); depmod writes the modules.dep the
  # package leaves to its postinst, so the needed modules come with their dependencies
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$build" --wildcards './boot/vmlinuz-*' './lib/modules/*'
  kdir=$(ls -d "$build"/lib/modules/*/ | head -1); kdir=${kdir%/}; kver=$(basename "$kdir")
  depmod -b "$build" "$kver"
  want=(evdev button e1000 virtio_pci virtio_blk qemu_fw_cfg)
  declare -A seen=(); order=()
  resolve() { # module name -> its dependencies first, then itself, into order[]
    local name=$1 line path deps d
    line=$(grep -E "/$name\.ko(\.xz)?:" "$kdir/modules.dep" | head -1 || true)
    if [[ -z $line ]]; then
      grep -qE "/$name\.ko$" "$kdir/modules.builtin" && return 0
      die "kernel $kver has no module $name"
    fi
    path=${line%%:*}; deps=${line#*:}
    [[ -n ${seen[$path]:-} ]] && return 0
    seen[$path]=1
    for d in $deps; do resolve "$(basename "$d" | sed -E 's/\.ko(\.xz)?$//')"; done
    order+=("$path")
  }
  for m in "${want[@]}"; do resolve "$m"; done
  mkdir -p "$build/root"/{bin,sbin,proc,sys,dev,mods,etc,usr/share/udhcpc,run,tmp}
  cp /bin/busybox "$build/root/bin/busybox"
  : >"$build/root/mods/order"
  for p in "${order[@]}"; do
    f=$build/lib/modules/$kver/$p; b=$(basename "$p")
    if [[ $b == *.xz ]]; then xz -dc "$f" >"$build/root/mods/${b%.xz}"; b=${b%.xz}; else cp "$f" "$build/root/mods/$b"; fi
    echo "$b" >>"$build/root/mods/order"
  done
  cat >"$build/root/init" <<'INIT'
#!/bin/busybox sh
# /init of the perspective test image (scripts/libvirt-up.sh). Everything it
# prints goes to the serial console (ttyS0), which libvirt logs to a file.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
say() { echo "PERSPECTIVE: $*"; }
say "init started, uptime $(cut -d' ' -f1 /proc/uptime)s, kernel $(uname -r)"
for m in $(cat /mods/order); do insmod /mods/$m 2>/dev/null || say "insmod $m failed"; done
hostname "$(sed -n 's/.*perspective.hostname=\([^ ]*\).*/\1/p' /proc/cmdline)" 2>/dev/null
say "hostname $(hostname)"
sleep 1
for e in /dev/input/event*; do
  n=$(cat /sys/class/input/$(basename $e)/device/name 2>/dev/null)
  case "$n" in *Power*) (dd if=$e bs=24 count=1 >/dev/null 2>&1; say "power button pressed, powering off"; poweroff -f) & say "power button $e ($n)";; esac
done
for d in /sys/block/vd*; do [ -e "$d" ] && say "disk $(basename $d) $(( $(cat $d/size) / 2048 )) MiB"; done
keys=/sys/firmware/qemu_fw_cfg/by_name/opt/org.perspective-cloud/authorized_keys/raw
if [ -r $keys ]; then
  mkdir -p /root/.ssh; cp $keys /root/.ssh/authorized_keys
  while read -r t k c; do [ -n "$k" ] && say "authorized key $t $c"; done < /root/.ssh/authorized_keys
else
  say "no authorized keys"
fi
cat > /usr/share/udhcpc/default.script <<'S'
#!/bin/sh
[ "$1" = bound ] && { ifconfig $interface $ip netmask ${subnet:-255.255.255.0}; echo "PERSPECTIVE: dhcp bound $ip router $router"; }
exit 0
S
chmod +x /usr/share/udhcpc/default.script
if ip link show eth0 >/dev/null 2>&1; then ip link set eth0 up; udhcpc -i eth0 -n -q -t 5 -T 1 -s /usr/share/udhcpc/default.script || say "no dhcp lease"; else say "no network interface"; fi
say "ready, uptime $(cut -d' ' -f1 /proc/uptime)s"
i=0; while true; do sleep 10; i=$((i+1)); say "tick $i uptime $(cut -d' ' -f1 /proc/uptime)s"; done
INIT
  chmod 755 "$build/root/init"
  (cd "$build/root" && find . | cpio -o -H newc --quiet | gzip -9) >"$build/initrd.gz"
  cp "$build"/boot/vmlinuz-* "$build/vmlinuz"
  qemu-img create -q -f qcow2 "$build/disk.qcow2" 64M
  # upload as volumes (vol-upload goes through libvirt, as an image add does)
  for v in "$IMAGE" "$IMAGE.kernel" "$IMAGE.initrd"; do
    virsh_ vol-info --pool "$POOL" "$v" >/dev/null 2>&1 && virsh_ vol-delete --pool "$POOL" "$v" >/dev/null
  done
  virsh_ vol-create-as "$POOL" "$IMAGE" 64M --format qcow2 >/dev/null
  virsh_ vol-upload --pool "$POOL" "$IMAGE" "$build/disk.qcow2"
  virsh_ vol-create-as "$POOL" "$IMAGE.kernel" "$(stat -c %s "$build/vmlinuz")" --format raw >/dev/null
  virsh_ vol-upload --pool "$POOL" "$IMAGE.kernel" "$build/vmlinuz"
  virsh_ vol-create-as "$POOL" "$IMAGE.initrd" "$(stat -c %s "$build/initrd.gz")" --format raw >/dev/null
  virsh_ vol-upload --pool "$POOL" "$IMAGE.initrd" "$build/initrd.gz"
  echo "$IMAGE_VERSION" >"$stamp"
  virsh_ pool-refresh "$POOL" >/dev/null
  log "test image $IMAGE built from $(basename "$deb") (kernel $kver, initramfs $(du -k "$build/initrd.gz" | cut -f1) KiB, modules: ${want[*]})"
  rm -rf "$build"
fi
log "ready: $URI, pool $POOL, network $NET, image $IMAGE; stop the daemons with $SELF down $STATE"
cmd_env
)

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  env) shift; cmd_env "$@" ;;
  *) usage ;;
esac
