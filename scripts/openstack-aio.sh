#!/usr/bin/env bash
# scripts/openstack-aio.sh -- a single-node OpenStack (Zed, Debian bookworm
# packages) on 127.0.0.1, the target of the OpenStack driver's integration tests.
#
#   scripts/openstack-aio.sh up     [STATE_DIR]   install (apt) + start; idempotent
#   scripts/openstack-aio.sh down   [STATE_DIR]   stop exactly what "up" started
#   scripts/openstack-aio.sh status [STATE_DIR]   list the started processes; rc 1 if one is gone
#   scripts/openstack-aio.sh env    [STATE_DIR]   print the admin OS_* environment
#   scripts/openstack-aio.sh restart STATE_DIR NAME...  stop and start those services
#                                   (e.g. nova-compute-aio2) with the command "up" used
#
# STATE_DIR defaults to $OS_AIO_STATE or /tmp/os-aio. "up" must run as root on
# Debian bookworm with only Debian's package mirrors; it writes STATE_DIR/openrc
# (admin/admin-secret, project admin) and STATE_DIR/openrc-demo (demo/demo-secret,
# project demo, not admin) and prints the admin one.
#
# A second region, RegionTwo, has its own Nova: nova-api :8784 (uwsgi), conductor,
# scheduler and a fake compute host aio-r2, with its own API and cell databases
# and its own RabbitMQ vhost; Keystone, Glance, Neutron and Placement are shared
# (catalog endpoints in both regions). Projects: admin, service, demo and p3; the
# demo user is a member of demo and p3, so its fleet is 2 projects x 2 regions.
# OS_AIO_REGION_TWO=0 leaves RegionTwo out.
#
# RegionOne has two fake compute hosts, aio and aio2 (its own state, instances
# and lock paths; discovered by cell_v2 discover_hosts), so cold and live
# migration, evacuation and unshelve to a host are real; OS_AIO_SECOND_HOST=0
# leaves aio2 out. RegionTwo keeps deleted servers (reclaim_instance_interval =
# 3600: DELETE gives SOFT_DELETED, restore brings it back, force delete ends
# it), RegionOne deletes at once: both behaviours of real clouds are under test.
#
# What runs: keystone :5000, placement :8778, nova-api :8774 (uwsgi); glance-api
# :9292, neutron-server :9696; nova-conductor, nova-scheduler, nova-compute with
# compute_driver = fake.FakeDriver; rabbitmq :5672 (+ epmd); MariaDB on a unix
# socket (no TCP). Neutron runs ML2 with no agents: a small mechanism driver
# written by this script (STATE_DIR/lib/aio_mech) binds every port so servers
# boot on networks. Seeded: flavors m1.tiny (1) and m1.small (2); image
# cirros-dummy; networks public (external, flat, 203.0.113.0/24, owned by the
# service project), private (shared, 10.20.0.0/22: room for ~1000 servers) and router1 joining them.
#
# Every process runs in its own session (setsid); its PID and start time are kept
# in STATE_DIR/pids, so "down" stops those sessions and nothing else. Re-running
# "up" on a running stack changes nothing and returns in seconds; delete
# STATE_DIR after "down" for a fresh start.
set -Eeuo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

state_dir() { echo "${1:-${OS_AIO_STATE:-/tmp/os-aio}}"; }
starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
session_members() { ps -eo pid=,sid= | awk -v s="$1" '$2 == s {print $1}'; }

usage() {
  sed -n '2,15p' "$SELF" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd_env() {
  local state; state=$(state_dir "${1:-}")
  [[ -f $state/openrc ]] || { echo "openstack-aio: no $state/openrc; run: $SELF up $state" >&2; exit 1; }
  cat "$state/openrc"
}

cmd_status() {
  local state pids f name pid st bad=0 n=0
  state=$(state_dir "${1:-}"); pids=$state/pids
  [[ -d $pids ]] || { echo "openstack-aio: nothing started in $state" >&2; exit 1; }
  for f in "$pids"/*.pid; do
    [[ -e $f ]] || continue
    n=$((n + 1))
    name=$(basename "$f" .pid)
    read -r pid st <"$f" || { echo "$name: unreadable $f"; bad=1; continue; }
    if [[ -d /proc/$pid && "$(starttime "$pid")" == "$st" ]]; then
      echo "$name: running (session $pid, $(session_members "$pid" | wc -l) processes)"
    else
      echo "$name: not running"; bad=1
    fi
  done
  # After "down" no service is recorded: that is a stopped stack, not a running one.
  ((n > 0)) || { echo "openstack-aio: nothing running in $state" >&2; return 1; }
  return $bad
}

# down: stop exactly the processes "up" started, in reverse start order, or only
# the services named after STATE_DIR. A recorded PID whose start time differs is
# a recycled PID (not ours) and is left alone.
cmd_down() {
  local state pids names name f pid st m
  state=$(state_dir "${1:-}"); pids=$state/pids
  [[ -d $pids ]] || { echo "openstack-aio down: no $pids, nothing to stop" >&2; return 0; }
  if (($# > 1)); then names=("${@:2}")
  else mapfile -t names < <( { [[ -f $pids/order ]] && tac "$pids/order"; ls "$pids" | sed -n 's/\.pid$//p'; } | awk '!seen[$0]++'); fi
  for name in "${names[@]}"; do
    f=$pids/$name.pid
    [[ -f $f ]] || continue
    read -r pid st <"$f" || { rm -f "$f"; continue; }
    if [[ -d /proc/$pid && "$(starttime "$pid")" != "$st" ]]; then
      echo "openstack-aio down: $name: pid $pid is not the process we started; leaving it" >&2
      rm -f "$f"; continue
    fi
    m=$(session_members "$pid")
    if [[ -z $m ]]; then rm -f "$f"; continue; fi
    echo "openstack-aio down: stopping $name (session $pid: $(echo $m | wc -w) processes)" >&2
    kill -TERM $m 2>/dev/null || true
    for _ in $(seq 1 60); do m=$(session_members "$pid"); [[ -z $m ]] && break; sleep 0.25; done
    if [[ -n $m ]]; then
      echo "openstack-aio down: $name still running after 15s; SIGKILL" >&2
      kill -KILL $m 2>/dev/null || true; sleep 0.5
    fi
    rm -f "$f"
  done
  (($# > 1)) || rm -f "$pids/order"
  echo "openstack-aio down: stopped" >&2
}

# restart: stop the named services (as "down" does) and start each again with
# the command "up" recorded for it, in its own session, appending to its log.
# Seconds, where "up" on a running stack takes 30-125 s (its database syncs):
# a test that must restart one nova-compute (after an evacuation) uses this.
cmd_restart() {
  local state pids name pid st
  state=$(state_dir "${1:-}"); pids=$state/pids
  (($# > 1)) || { echo "openstack-aio restart: name the services, e.g. nova-compute-aio2" >&2; return 2; }
  for name in "${@:2}"; do
    [[ -f $pids/$name.cmd ]] || { echo "openstack-aio restart: no $pids/$name.cmd (not started by this script's up)" >&2; return 1; }
  done
  cmd_down "$state" "${@:2}"
  for name in "${@:2}"; do
    setsid bash -c "exec $(cat "$pids/$name.cmd")" >>"$state/log/$name.log" 2>&1 </dev/null &
    pid=$! st=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do st=$(starttime "$pid"); [[ -n $st ]] && break; sleep 0.05; done
    echo "$pid $st" >"$pids/$name.pid"
    echo "openstack-aio restart: started $name (pid $pid)" >&2
  done
}

# up runs in a subshell so that its ERR trap and globals stay its own.
cmd_up() (

STATE=$(state_dir "${1:-}")
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"

PY=/usr/bin/python3                 # Debian's python (not a pyenv shim)
IP=127.0.0.1
ADMIN_PASSWORD="${OS_AIO_ADMIN_PASSWORD:-admin-secret}"
SERVICE_PASSWORD="${OS_AIO_SERVICE_PASSWORD:-service-secret}"
DEMO_PASSWORD="${OS_AIO_DEMO_PASSWORD:-demo-secret}"
REGION=RegionOne
REGION2=RegionTwo                   # its own Nova; "" (OS_AIO_REGION_TWO=0) leaves it out
[[ ${OS_AIO_REGION_TWO:-1} == 0 ]] && REGION2=""
HOSTNAME_R2=aio-r2 NOVA2_PORT=8784 RABBIT_VHOST2=r2
HOSTNAME_AIO=aio                    # nova/neutron "host" (compute node name)
HOSTNAME_AIO2=aio2                  # RegionOne's second compute host; "" (OS_AIO_SECOND_HOST=0) leaves it out
[[ ${OS_AIO_SECOND_HOST:-1} == 0 ]] && HOSTNAME_AIO2=""
RECLAIM_R2=3600                     # RegionTwo's reclaim_instance_interval (soft delete)
KEYSTONE_PORT=5000 NOVA_PORT=8774 PLACEMENT_PORT=8778 GLANCE_PORT=9292 NEUTRON_PORT=9696
RABBIT_PORT=5672 RABBIT_DIST_PORT=25672 EPMD_PORT=4369
UWSGI_PROCESSES="${OS_AIO_UWSGI_PROCESSES:-2}"
DB_PASSWORD="${OS_AIO_DB_PASSWORD:-db-secret}"

ETC=$STATE/etc LOG=$STATE/log PIDS=$STATE/pids DATA=$STATE/data BIN=$STATE/bin LIB=$STATE/lib
T0=$(date +%s.%N)
log() { printf '[openstack-aio up %6.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{print a-b}')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'rc=$?; log "FAILED (rc=$rc) at line $LINENO: $BASH_COMMAND; logs in $LOG"; exit $rc' ERR

[[ $(id -u) == 0 ]] || die "must run as root"

###############################################################################
# 1. packages
###############################################################################
PKGS=(python3-nova python3-keystone python3-glance python3-placement python3-neutron
      python3-openstackclient python3-osc-placement
      rabbitmq-server uwsgi-core uwsgi-plugin-python3 curl procps
      mariadb-server-core mariadb-client-core python3-pymysql)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # keep package maintainer scripts from starting system services (rabbitmq)
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  apt-get update -q >"$STATE/apt-update.log" 2>&1 || { cat "$STATE/apt-update.log" >&2; die "apt-get update failed"; }
  apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confdef \
      -o Dpkg::Options::=--force-confold "${missing[@]}" >"$STATE/apt-install.log" 2>&1 \
    || { tail -30 "$STATE/apt-install.log" >&2; ((made_policy)) && rm -f /usr/sbin/policy-rc.d; die "apt-get install failed"; }
  ((made_policy)) && rm -f /usr/sbin/policy-rc.d
  log "packages installed"
else
  log "packages already installed"
fi

mkdir -p "$ETC"/{keystone,nova,glance,placement,neutron} "$LOG" "$PIDS" "$BIN" "$LIB" \
  "$DATA"/{keystone/fernet-keys,keystone/credential-keys,nova/instances,nova/lock,glance/images,glance/staging,glance/tasks,glance/lock,neutron/lock,placement,rabbitmq/mnesia}
chmod 700 "$DATA/keystone/fernet-keys" "$DATA/keystone/credential-keys"

###############################################################################
# 2. helpers
###############################################################################
# python entry points whose console scripts live in the (not installed) daemon packages
mkwrap() { # name module:function
  local f=$BIN/$1 mod=${2%%:*} fn=${2##*:}
  printf '#!%s\nimport sys\nfrom %s import %s\nsys.exit(%s())\n' "$PY" "$mod" "$fn" "$fn" >"$f"
  chmod 755 "$f"
}
mkwrap nova-manage     nova.cmd.manage:main
mkwrap nova-conductor  nova.cmd.conductor:main
mkwrap nova-scheduler  nova.cmd.scheduler:main
mkwrap nova-compute    nova.cmd.compute:main
mkwrap glance-api      glance.cmd.api:main
mkwrap glance-manage   glance.cmd.manage:main
cat >"$BIN/neutron-server" <<EOF
#!$PY
import sys
sys.path.insert(0, "$LIB")  # aio_mech: ML2 mechanism driver + its entry point (see section 3)
from neutron.cmd.eventlet.server import main  # monkey-patches eventlet first
# neutron 21 (Zed) bug: get_ports() reads Port.port_forwardings, a backref that
# exists only once SQLAlchemy configured the mappers with the port-forwarding
# model loaded. If the first DB access of the process is GET /v2.0/ports (what
# nova does), every port listing answers 500. Load all models and configure now.
from neutron.db.migration.models import head  # noqa: F401
from sqlalchemy import orm
orm.configure_mappers()
sys.exit(main())
EOF
chmod 755 "$BIN/neutron-server"
mkwrap neutron-db-manage neutron.db.migration.cli:main
mkwrap keystone-manage keystone.cmd.manage:main
mkwrap placement-manage placement.cmd.manage:main

starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
running() { # name -> 0 if the recorded process is alive and is the one we started
  local f=$PIDS/$1.pid pid st
  [[ -f $f ]] || return 1
  read -r pid st <"$f" || return 1
  [[ -n ${pid:-} && -d /proc/$pid && "$(starttime "$pid")" == "${st:-x}" ]]
}
start() { # name cmd... ; runs in its own session, output to $LOG/name.log
  local name=$1; shift
  if running "$name"; then log "$name already running (pid $(cut -d' ' -f1 "$PIDS/$name.pid"))"; return 0; fi
  setsid "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  local pid=$!
  local st=""; for _ in 1 2 3 4 5 6 7 8 9 10; do st=$(starttime "$pid"); [[ -n $st ]] && break; sleep 0.05; done
  echo "$pid $st" >"$PIDS/$name.pid"
  printf '%q ' "$@" >"$PIDS/$name.cmd"   # for "restart"
  grep -qx "$name" "$PIDS/order" 2>/dev/null || echo "$name" >>"$PIDS/order"
  log "started $name (pid $pid)"
}
port_open() { (exec 3<>"/dev/tcp/$IP/$1") 2>/dev/null; }
wait_port() { # port name timeout
  local i; for ((i = 0; i < ${3:-60} * 5; i++)); do port_open "$1" && return 0
    running "$2" || { tail -40 "$LOG/$2.log" >&2; die "$2 died"; }; sleep 0.2; done
  tail -40 "$LOG/$2.log" >&2; die "$2: port $1 not open after ${3:-60}s"
}
wait_http() { # url name timeout
  local i code; for ((i = 0; i < ${3:-60} * 4; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1" || true)
    [[ $code =~ ^(2|3|401) ]] && return 0
    running "$2" || { tail -40 "$LOG/$2.log" >&2; die "$2 died"; }; sleep 0.25; done
  tail -40 "$LOG/$2.log" >&2; die "$2: $1 not answering after ${3:-60}s (last $code)"
}
uwsgi_ini() { # name port wsgi-file env...
  local name=$1 port=$2 wsgi=$3; shift 3
  {
    echo "[uwsgi]"
    echo "plugins = python3"
    echo "http-socket = $IP:$port"
    echo "wsgi-file = $wsgi"
    echo "master = true"
    echo "processes = $UWSGI_PROCESSES"
    echo "threads = 1"
    echo "enable-threads = true"
    echo "lazy-apps = true"
    echo "die-on-term = true"
    echo "exit-on-reload = false"
    echo "hook-master-start = unix_signal:15 gracefully_kill_them_all"
    echo "worker-reload-mercy = 10"
    echo "buffer-size = 65535"
    echo "thunder-lock = true"
    echo "need-app = true"
    echo "add-header = Connection: close"
    echo "procname-prefix-spaced = os-aio:$name"
    for e in "$@"; do echo "env = $e"; done
  } >"$ETC/$name-uwsgi.ini"
}
MYSQL_SOCK=$DATA/mysqld.sock
dburl() { echo "mysql+pymysql://openstack:$DB_PASSWORD@localhost/$1?unix_socket=$MYSQL_SOCK&charset=utf8"; }

KS_URL=http://$IP:$KEYSTONE_PORT
authtoken() { # service user name
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASSWORD
region_name = $REGION
service_token_roles_required = true
EOF
}
svcauth() { # section user
  cat <<EOF
[$1]
auth_type = password
auth_url = $KS_URL
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $SERVICE_PASSWORD
region_name = $REGION
valid_interfaces = public
EOF
}

###############################################################################
# 3. configuration (rewritten on every run; cheap and keeps runs consistent)
###############################################################################
RABBIT_URL="rabbit://guest:guest@$IP:$RABBIT_PORT/"

# --- rabbitmq
mkdir -p "$DATA/rabbitmq" "$LOG/rabbitmq"
cat >"$ETC/rabbitmq.conf" <<EOF
listeners.tcp.default = $IP:$RABBIT_PORT
loopback_users.guest = true
log.file.level = warning
vm_memory_high_watermark.relative = 0.2
disk_free_limit.absolute = 50MB
EOF
echo '[].' >"$ETC/rabbitmq_enabled_plugins"
RABBIT_ENV=(HOME="$DATA/rabbitmq" RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$IP
  RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT ERL_EPMD_ADDRESS=$IP
  ERL_EPMD_PORT=$EPMD_PORT RABBITMQ_MNESIA_BASE="$DATA/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$LOG/rabbitmq"
  RABBITMQ_PID_FILE="$DATA/rabbitmq/rabbit.pid" RABBITMQ_CONFIG_FILE="$ETC/rabbitmq.conf"
  RABBITMQ_ENABLED_PLUGINS_FILE="$ETC/rabbitmq_enabled_plugins" RABBITMQ_ADVANCED_CONFIG_FILE="$ETC/rabbitmq-advanced.config"
  RABBITMQ_CONF_ENV_FILE="$ETC/rabbitmq-env.conf"
  "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}")
echo '[].' >"$ETC/rabbitmq-advanced.config"
: >"$ETC/rabbitmq-env.conf"

# --- keystone
cat >"$ETC/keystone/keystone.conf" <<EOF
[DEFAULT]
log_file = $LOG/keystone-app.log
[database]
connection = $(dburl keystone)
[identity]
# bcrypt cost: default 12 (~0.3 s CPU per password auth); 4 is bcrypt's minimum
password_hash_rounds = 4
[token]
provider = fernet
expiration = 86400
[fernet_tokens]
key_repository = $DATA/keystone/fernet-keys/
[fernet_receipts]
key_repository = $DATA/keystone/fernet-keys/
[credential]
key_repository = $DATA/keystone/credential-keys/
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOF
cat >"$ETC/keystone/keystone.wsgi" <<EOF
from keystone.server.wsgi import initialize_public_application
application = initialize_public_application()
EOF
uwsgi_ini keystone $KEYSTONE_PORT "$ETC/keystone/keystone.wsgi" "OS_KEYSTONE_CONFIG_FILES=$ETC/keystone/keystone.conf"

# --- placement
{
cat <<EOF
[DEFAULT]
log_file = $LOG/placement-app.log
[api]
auth_strategy = keystone
[placement_database]
connection = $(dburl placement)
[oslo_concurrency]
lock_path = $DATA/placement
EOF
authtoken placement
} >"$ETC/placement/placement.conf"
cat >"$ETC/placement/placement.wsgi" <<EOF
from placement.wsgi import init_application
application = init_application()
EOF
uwsgi_ini placement $PLACEMENT_PORT "$ETC/placement/placement.wsgi" "OS_PLACEMENT_CONFIG_DIR=$ETC/placement"

# --- glance
{
cat <<EOF
[DEFAULT]
bind_host = $IP
bind_port = $GLANCE_PORT
workers = 0
log_file = $LOG/glance-app.log
enabled_backends = fs:file
image_cache_dir = $DATA/glance/cache
[database]
connection = $(dburl glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DATA/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $DATA/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $DATA/glance/tasks/
[paste_deploy]
flavor = keystone
config_file = $ETC/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $DATA/glance/lock
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOF
authtoken glance
} >"$ETC/glance/glance-api.conf"
cat >"$ETC/glance/glance-api-paste.ini" <<EOF
[pipeline:glance-api-keystone]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler authtoken context rootapp
[pipeline:glance-api]
pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler unauthenticated-context rootapp
[composite:rootapp]
paste.composite_factory = glance.api:root_app_factory
/: apiversions
/v2: apiv2app
[app:apiversions]
paste.app_factory = glance.api.versions:create_resource
[app:apiv2app]
paste.app_factory = glance.api.v2.router:API.factory
[filter:healthcheck]
paste.filter_factory = oslo_middleware:Healthcheck.factory
backends = disable_by_file
disable_by_file_path = $DATA/glance/healthcheck_disable
[filter:versionnegotiation]
paste.filter_factory = glance.api.middleware.version_negotiation:VersionNegotiationFilter.factory
[filter:context]
paste.filter_factory = glance.api.middleware.context:ContextMiddleware.factory
[filter:unauthenticated-context]
paste.filter_factory = glance.api.middleware.context:UnauthenticatedContextMiddleware.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
delay_auth_decision = true
[filter:osprofiler]
paste.filter_factory = osprofiler.web:WsgiMiddleware.factory
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = glance
oslo_config_program = glance-api
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware:HTTPProxyToWSGI.factory
EOF

# --- neutron (ML2, no agents; only the API/DB side nova needs)
# With no L2 agent no stock mechanism driver binds a port, and nova fails every
# boot on a network with PortBindingFailed. aio_mech (below; on neutron-server's
# sys.path through its wrapper, registered by a dist-info entry point) binds any
# port on any host and segment type as an OVS port and marks it ACTIVE; it also
# sets floating IP status the way an L3 agent would (ACTIVE when associated).
mkdir -p "$LIB/aio_mech" "$LIB/aio_mech-1.0.dist-info"
cat >"$LIB/aio_mech/__init__.py" <<'PYEOF'
"""os-aio ML2 mechanism driver 'aio' (written by up.sh): agentless port binding.

Binds every port, on any host, to the first segment offered (flat, vlan, local,
vxlan, geneve, ...) with vif_type 'ovs' and reports it ACTIVE (DOWN when
admin_state_up is false). Nova's fake virt driver plugs nothing, so the vif
type only has to be one nova accepts. connectivity 'l2' lets ports without an
IP address bind too. Also plays the L3 agent's part for floating IPs: status
ACTIVE while associated with a port, DOWN otherwise.
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib.callbacks import events, registry, resources
from neutron_lib import constants
from neutron_lib.plugins import constants as plugin_constants
from neutron_lib.plugins import directory
from neutron_lib.plugins.ml2 import api
from oslo_log import log

LOG = log.getLogger(__name__)


class AioMechanismDriver(api.MechanismDriver):

    def initialize(self):
        for ev in (events.AFTER_CREATE, events.AFTER_UPDATE):
            registry.subscribe(self._floatingip_changed, resources.FLOATING_IP, ev)
        LOG.info("aio mechanism driver: binding all ports without agents")

    @property
    def connectivity(self):
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        status = (constants.PORT_STATUS_ACTIVE if context.current.get("admin_state_up", True)
                  else constants.PORT_STATUS_DOWN)
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OVS,
                                {portbindings.CAP_PORT_FILTER: True,
                                 portbindings.OVS_HYBRID_PLUG: False,
                                 portbindings.VIF_DETAILS_CONNECTIVITY: self.connectivity,
                                 portbindings.VIF_DETAILS_BRIDGE_NAME: "br-int",
                                 portbindings.OVS_DATAPATH_TYPE: "system"},
                                status=status)
            LOG.debug("aio: bound port %s on host %s to segment %s (%s)", context.current["id"],
                      context.host, segment[api.ID], segment[api.NETWORK_TYPE])
            return

    def update_port_postcommit(self, context):
        # admin_state_up toggled on a bound port: follow it, as an agent would
        port, orig = context.current, context.original
        if (context.vif_type == portbindings.VIF_TYPE_OVS and orig
                and port["admin_state_up"] != orig["admin_state_up"]):
            context._plugin.update_port_status(
                context._plugin_context, port["id"],
                constants.PORT_STATUS_ACTIVE if port["admin_state_up"] else constants.PORT_STATUS_DOWN,
                context.host)

    def _floatingip_changed(self, resource, event, trigger, payload):
        fip = payload.latest_state
        want = (constants.FLOATINGIP_STATUS_ACTIVE if fip.get("port_id")
                else constants.FLOATINGIP_STATUS_DOWN)
        if fip.get("status") != want:
            l3 = directory.get_plugin(plugin_constants.L3)
            l3.update_floatingip_status(payload.context.elevated(), fip["id"], want)
PYEOF
printf 'Metadata-Version: 2.1\nName: aio-mech\nVersion: 1.0\nSummary: os-aio agentless ML2 mechanism driver\n' \
  >"$LIB/aio_mech-1.0.dist-info/METADATA"
printf '[neutron.ml2.mechanism_drivers]\naio = aio_mech:AioMechanismDriver\n' \
  >"$LIB/aio_mech-1.0.dist-info/entry_points.txt"
echo aio_mech >"$LIB/aio_mech-1.0.dist-info/top_level.txt"
{
cat <<EOF
[DEFAULT]
host = $HOSTNAME_AIO
bind_host = $IP
bind_port = $NEUTRON_PORT
api_workers = 0
rpc_workers = 0
rpc_state_report_workers = 0
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $RABBIT_URL
api_paste_config = $ETC/neutron/api-paste.ini
state_path = $DATA/neutron
log_file = $LOG/neutron-app.log
notify_nova_on_port_status_changes = false
# network-changed / network-vif-deleted events refresh nova's network info
# cache (server addresses show floating IPs; heal_instance_info_cache is off)
notify_nova_on_port_data_changes = true
dhcp_agent_notification = false
[database]
connection = $(dburl neutron)
[oslo_concurrency]
lock_path = $DATA/neutron/lock
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
[ml2]
type_drivers = local,flat,vlan,vxlan,geneve
tenant_network_types = vxlan
mechanism_drivers = aio
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1:1000:1099
[ml2_type_vxlan]
vni_ranges = 1:1000
[ml2_type_geneve]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
[quotas]
# per-project defaults (neutron's are 10 routers / 10 security groups)
quota_network = 200
quota_subnet = 200
quota_port = 2000
quota_router = 100
quota_floatingip = 200
quota_security_group = 100
quota_security_group_rule = 1000
EOF
authtoken neutron
svcauth nova nova   # [nova]: credentials for the events neutron sends to nova
echo "endpoint_type = public"
} >"$ETC/neutron/neutron.conf"
cat >"$ETC/neutron/api-paste.ini" <<'EOF'
[composite:neutron]
use = egg:Paste#urlmap
/: neutronversions_composite
/v2.0: neutronapi_v2_0
[composite:neutronapi_v2_0]
use = call:neutron.auth:pipeline_factory
noauth = cors http_proxy_to_wsgi request_id catch_errors extensions neutronapiapp_v2_0
keystone = cors http_proxy_to_wsgi request_id catch_errors authtoken keystonecontext extensions neutronapiapp_v2_0
[composite:neutronversions_composite]
use = call:neutron.auth:pipeline_factory
noauth = cors http_proxy_to_wsgi neutronversions
keystone = cors http_proxy_to_wsgi neutronversions
[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory
[filter:catch_errors]
paste.filter_factory = oslo_middleware:CatchErrors.factory
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = neutron
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
[filter:keystonecontext]
paste.filter_factory = neutron.auth:NeutronKeystoneContext.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
[filter:extensions]
paste.filter_factory = neutron.api.extensions:plugin_aware_extension_middleware_factory
[app:neutronversions]
paste.app_factory = neutron.pecan_wsgi.app:versions_factory
[app:neutronapiapp_v2_0]
paste.app_factory = neutron.api.v2.router:APIRouter.factory
EOF

# --- nova (nova.conf for api/conductor/scheduler; nova-cpu.conf, without DB access, for compute)
nova_common() {
cat <<EOF
[DEFAULT]
host = $HOSTNAME_AIO
my_ip = $IP
state_path = $DATA/nova
instances_path = $DATA/nova/instances
transport_url = $RABBIT_URL
compute_driver = fake.FakeDriver
allow_resize_to_same_host = true
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
enabled_apis = osapi_compute
osapi_compute_listen = $IP
metadata_listen = $IP
# per host: 50 in all on RegionOne's two; with 50 each Neutron's DB pool
# timed out (QueuePool limit) and builds failed when 200 were launched at once
max_concurrent_builds = 25
heal_instance_info_cache_interval = -1
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = -1
[filter_scheduler]
track_instance_changes = false
[quota]
instances = 1000
cores = 100000
ram = 102400000
key_pairs = 1000
metadata_items = 1000
[oslo_concurrency]
lock_path = $DATA/nova/lock
[oslo_messaging_notifications]
driver = noop
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
[vnc]
enabled = true
server_listen = $IP
server_proxyclient_address = $IP
novncproxy_base_url = http://$IP:6080/vnc_auto.html
# the fake driver answers every console type; enabling them only makes the API
# hand out (dead: no console proxy runs) URLs for spice, serial, rdp and mks too
[spice]
enabled = true
server_listen = $IP
server_proxyclient_address = $IP
html5proxy_base_url = http://$IP:6082/spice_auto.html
[serial_console]
enabled = true
proxyclient_address = $IP
base_url = ws://$IP:6083/
[rdp]
enabled = true
html5_proxy_base_url = http://$IP:6084/
[mks]
enabled = true
mksproxy_base_url = http://$IP:6090/
[glance]
valid_interfaces = public
region_name = $REGION
[cinder]
os_region_name = $REGION
EOF
authtoken nova
svcauth placement placement
svcauth neutron neutron
echo "default_floating_pool = public"   # [neutron]; for the deprecated os-floating-ips API
}
{ nova_common; printf '[api_database]\nconnection = %s\n[database]\nconnection = %s\n' "$(dburl nova_api)" "$(dburl nova_cell1)"; } >"$ETC/nova/nova.conf"
nova_common >"$ETC/nova/nova-cpu.conf"
# RegionOne's second compute host: the same configuration with its own host
# name, state, instances and lock paths (two fake computes sharing a lock path
# would serialise each other; sharing a host name would be one host).
if [[ -n $HOSTNAME_AIO2 ]]; then
  mkdir -p "$DATA/nova-aio2/instances" "$DATA/nova-aio2/lock"
  nova_common | sed -e "s|^host = $HOSTNAME_AIO\$|host = $HOSTNAME_AIO2|" \
    -e "s|^state_path = .*|state_path = $DATA/nova-aio2|" \
    -e "s|^instances_path = .*|instances_path = $DATA/nova-aio2/instances|" \
    -e "s|^lock_path = $DATA/nova/lock\$|lock_path = $DATA/nova-aio2/lock|" >"$ETC/nova/nova-cpu-aio2.conf"
fi
cat >"$ETC/nova/api-paste.ini" <<'EOF'
[composite:osapi_compute]
use = call:nova.api.openstack.urlmap:urlmap_factory
/: oscomputeversions
/v2: oscomputeversion_legacy_v2
/v2.1: oscomputeversion_v2
/v2/+: openstack_compute_api_v21_legacy_v2_compatible
/v2.1/+: openstack_compute_api_v21
[composite:openstack_compute_api_v21]
use = call:nova.api.auth:pipeline_factory_v21
keystone = cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler authtoken keystonecontext osapi_compute_app_v21
noauth2 = cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler noauth2 osapi_compute_app_v21
[composite:openstack_compute_api_v21_legacy_v2_compatible]
use = call:nova.api.auth:pipeline_factory_v21
keystone = cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler authtoken keystonecontext legacy_v2_compatible osapi_compute_app_v21
noauth2 = cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler noauth2 legacy_v2_compatible osapi_compute_app_v21
[filter:request_log]
paste.filter_factory = nova.api.openstack.requestlog:RequestLog.factory
[filter:compute_req_id]
paste.filter_factory = nova.api.compute_req_id:ComputeReqIdMiddleware.factory
[filter:faultwrap]
paste.filter_factory = nova.api.openstack:FaultWrapper.factory
[filter:noauth2]
paste.filter_factory = nova.api.openstack.auth:NoAuthMiddleware.factory
[filter:osprofiler]
paste.filter_factory = nova.profiler:WsgiMiddleware.factory
[filter:sizelimit]
paste.filter_factory = oslo_middleware:RequestBodySizeLimiter.factory
[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
[filter:legacy_v2_compatible]
paste.filter_factory = nova.api.openstack:LegacyV2CompatibleWrapper.factory
[app:osapi_compute_app_v21]
paste.app_factory = nova.api.openstack.compute:APIRouterV21.factory
[pipeline:oscomputeversions]
pipeline = cors faultwrap request_log http_proxy_to_wsgi oscomputeversionapp
[pipeline:oscomputeversion_v2]
pipeline = cors compute_req_id faultwrap request_log http_proxy_to_wsgi oscomputeversionapp_v2
[pipeline:oscomputeversion_legacy_v2]
pipeline = cors compute_req_id faultwrap request_log http_proxy_to_wsgi legacy_v2_compatible oscomputeversionapp_v2
[app:oscomputeversionapp]
paste.app_factory = nova.api.openstack.compute.versions:Versions.factory
[app:oscomputeversionapp_v2]
paste.app_factory = nova.api.openstack.compute.versions:VersionsV2.factory
[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = nova
[filter:keystonecontext]
paste.filter_factory = nova.api.auth:NovaKeystoneContext.factory
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
EOF
cat >"$ETC/nova/nova-api.wsgi" <<EOF
from nova.api.openstack.compute.wsgi import init_application
application = init_application()
EOF
uwsgi_ini nova-api $NOVA_PORT "$ETC/nova/nova-api.wsgi" "OS_NOVA_CONFIG_DIR=$ETC/nova"

# --- RegionTwo's Nova: the same configuration with its own host, state,
# locks, databases and RabbitMQ vhost (two Novas on one vhost would take each
# other's RPC calls: the queues are named by topic, "conductor", "scheduler").
# Glance, Neutron and Placement are RegionOne's (their endpoints are listed in
# both regions), as many real clouds share them.
if [[ -n $REGION2 ]]; then
  mkdir -p "$ETC/nova2" "$DATA/nova2/instances" "$DATA/nova2/lock"
  nova2_common() {
    nova_common | sed -e "s|^host = $HOSTNAME_AIO\$|host = $HOSTNAME_R2|" \
      -e "s|^state_path = .*|state_path = $DATA/nova2|" \
      -e "s|^instances_path = .*|instances_path = $DATA/nova2/instances|" \
      -e "s|^lock_path = $DATA/nova/lock\$|lock_path = $DATA/nova2/lock|" \
      -e "s|^transport_url = .*|transport_url = $RABBIT_URL$RABBIT_VHOST2|" \
      -e "s|^\\[DEFAULT\\]\$|[DEFAULT]\\nreclaim_instance_interval = $RECLAIM_R2|"
  }
  { nova2_common; printf '[api_database]\nconnection = %s\n[database]\nconnection = %s\n' "$(dburl nova_api_r2)" "$(dburl nova_r2_cell1)"; } >"$ETC/nova2/nova.conf"
  nova2_common >"$ETC/nova2/nova-cpu.conf"
  cp "$ETC/nova/api-paste.ini" "$ETC/nova2/api-paste.ini"   # nova's wsgi app reads both from its config dir
  uwsgi_ini nova-api-r2 $NOVA2_PORT "$ETC/nova/nova-api.wsgi" "OS_NOVA_CONFIG_DIR=$ETC/nova2"
fi
log "configuration written to $ETC"

###############################################################################
# 4. message bus + databases (everything idempotent)
###############################################################################
# rabbitmq boots in the background while the schemas are created
start epmd /usr/bin/epmd -address $IP -port $EPMD_PORT
wait_port $EPMD_PORT epmd 20
start rabbitmq env "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server

DBS=(keystone placement glance neutron nova_api nova_cell0 nova_cell1)
[[ -n $REGION2 ]] && DBS+=(nova_api_r2 nova_r2_cell0 nova_r2_cell1)
{
  if [[ ! -d $DATA/mysql/mysql ]]; then
    rm -rf "$DATA/mysql"
    mariadb-install-db --no-defaults --user=root --datadir="$DATA/mysql" --auth-root-authentication-method=socket \
      --skip-test-db >"$LOG/mariadb-install.log" 2>&1 || { tail -20 "$LOG/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  start mariadb /usr/sbin/mariadbd --no-defaults --user=root --datadir="$DATA/mysql" --socket="$MYSQL_SOCK" \
    --pid-file="$DATA/mysqld.pid" --skip-networking --log-error="$LOG/mariadb.err" --skip-log-bin \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
    --performance-schema=off --max-connections=1000 --character-set-server=utf8 --collation-server=utf8_general_ci
  for ((i = 0; i < 300; i++)); do
    mariadb --no-defaults -S "$MYSQL_SOCK" -u root -e 'select 1' >/dev/null 2>&1 && break
    running mariadb || { tail -20 "$LOG/mariadb.err" >&2; die "mariadb died"; }; sleep 0.2
  done
  { for d in "${DBS[@]}"; do echo "CREATE DATABASE IF NOT EXISTS $d CHARACTER SET utf8;"; done
    echo "CREATE USER IF NOT EXISTS 'openstack'@'localhost' IDENTIFIED BY '$DB_PASSWORD';"
    echo "ALTER USER 'openstack'@'localhost' IDENTIFIED BY '$DB_PASSWORD';"
    for d in "${DBS[@]}"; do echo "GRANT ALL PRIVILEGES ON $d.* TO 'openstack'@'localhost';"; done
  } | mariadb --no-defaults -S "$MYSQL_SOCK" -u root
  log "mariadb up (socket $MYSQL_SOCK, no TCP)"
}

KSM=("$BIN/keystone-manage" --config-file "$ETC/keystone/keystone.conf")
NM=("$BIN/nova-manage" --config-file "$ETC/nova/nova.conf")
dbsync_keystone() {
  "${KSM[@]}" db_sync
  [[ -f $DATA/keystone/fernet-keys/0 ]] || "${KSM[@]}" fernet_setup --keystone-user root --keystone-group root
  [[ -f $DATA/keystone/credential-keys/0 ]] || "${KSM[@]}" credential_setup --keystone-user root --keystone-group root
  "${KSM[@]}" bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-username admin \
    --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-service-name keystone \
    --bootstrap-region-id $REGION --bootstrap-admin-url "$KS_URL/v3" --bootstrap-public-url "$KS_URL/v3" \
    --bootstrap-internal-url "$KS_URL/v3"
}
dbsync_neutron() {
  "$BIN/neutron-db-manage" --config-file "$ETC/neutron/neutron.conf" upgrade heads
}
dbsync_nova() {
  "${NM[@]}" api_db sync
  "${NM[@]}" cell_v2 map_cell0 --database_connection "$(dburl nova_cell0)"
  # create_cell exits 2 when the cell exists (list_cells can fail under load)
  "${NM[@]}" cell_v2 list_cells 2>/dev/null | grep ' cell1 ' >/dev/null || "${NM[@]}" cell_v2 create_cell --name cell1 || [[ $? == 2 ]]
  "${NM[@]}" db sync
}
NM2=("$BIN/nova-manage" --config-file "$ETC/nova2/nova.conf")
dbsync_nova2() {
  "${NM2[@]}" api_db sync
  "${NM2[@]}" cell_v2 map_cell0 --database_connection "$(dburl nova_r2_cell0)"
  "${NM2[@]}" cell_v2 list_cells 2>/dev/null | grep ' cell1 ' >/dev/null || "${NM2[@]}" cell_v2 create_cell --name cell1 || [[ $? == 2 ]]
  "${NM2[@]}" db sync
}
dbsync_other() {
  "$BIN/placement-manage" --config-file "$ETC/placement/placement.conf" db sync
  "$BIN/glance-manage" --config-file "$ETC/glance/glance-api.conf" db_sync
}
# two at a time (2 cores); each writes its own log
jobs_ok=1
sync_jobs=("keystone nova" "neutron other")
[[ -n $REGION2 ]] && sync_jobs=("keystone nova" "neutron nova2" "other")
for pair in "${sync_jobs[@]}"; do
  pids=()
  for j in $pair; do (set -e; "dbsync_$j") >"$LOG/dbsync-$j.log" 2>&1 & pids+=($!); done
  for k in "${!pids[@]}"; do
    wait "${pids[$k]}" || { jobs_ok=0; j=$(echo $pair | cut -d' ' -f$((k + 1))); log "db sync $j failed:"; tail -20 "$LOG/dbsync-$j.log" >&2; }
  done
done
((jobs_ok)) || die "database sync failed"
log "databases synced"

###############################################################################
# 5. services
###############################################################################
start keystone /usr/bin/uwsgi --ini "$ETC/keystone-uwsgi.ini"
wait_http "$KS_URL/v3" keystone 120
log "keystone answers"

cat >"$BIN/aio-setup.py" <<'PYEOF'
"""Idempotent resource setup through the REST APIs (keystoneauth1 session)."""
import os, sys, time
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

E = os.environ
AUTH_URL = E["KS_URL"] + "/v3"
auth = v3.Password(auth_url=AUTH_URL, username="admin", password=E["ADMIN_PASSWORD"],
                   project_name="admin", user_domain_name="Default", project_domain_name="Default")
s = ks_session.Session(auth=auth)
def ks(method, path, **kw):
    return s.request(AUTH_URL + path, method, **kw)
def one(path, key, **params):
    items = ks("GET", path, params=params).json()[key]
    return items[0] if items else None

def keystone_phase():
    region = E["REGION"]
    def project(name):
        p = one("/projects", "projects", name=name, domain_id="default")
        return p or ks("POST", "/projects", json={"project": {"name": name, "domain_id": "default"}}).json()["project"]
    def role(name):
        r = one("/roles", "roles", name=name)
        return r or ks("POST", "/roles", json={"role": {"name": name}}).json()["role"]
    def user(name, pw, project_id):
        u = one("/users", "users", name=name, domain_id="default")
        if u:
            ks("PATCH", "/users/%s" % u["id"], json={"user": {"password": pw, "enabled": True}})
            return u
        return ks("POST", "/users", json={"user": {"name": name, "password": pw, "domain_id": "default",
                                                   "default_project_id": project_id, "enabled": True}}).json()["user"]
    def grant(p, u, r):
        ks("PUT", "/projects/%s/users/%s/roles/%s" % (p["id"], u["id"], r["id"]))
    svc_project, demo_project = project("service"), project("demo")
    p3_project = project("p3")
    admin_role, member_role, service_role = role("admin"), role("member"), role("service")
    role("reader")
    for name in ("nova", "placement", "glance", "neutron"):
        u = user(name, E["SERVICE_PASSWORD"], svc_project["id"])
        grant(svc_project, u, admin_role); grant(svc_project, u, service_role)
    demo = user("demo", E["DEMO_PASSWORD"], demo_project["id"])
    grant(demo_project, demo, member_role)
    grant(p3_project, demo, member_role)  # demo's fleet: demo and p3
    ip = E["IP"]
    regions = [(region, E["NOVA_PORT"])]
    if E.get("REGION2"):
        regions.append((E["REGION2"], E["NOVA2_PORT"]))
        if not [r for r in ks("GET", "/regions").json()["regions"] if r["id"] == E["REGION2"]]:
            ks("POST", "/regions", json={"region": {"id": E["REGION2"], "description": "os-aio: its own Nova"}})
    for reg, nova_port in regions:
        for stype, name, url in (("compute", "nova", "http://%s:%s/v2.1" % (ip, nova_port)),
                                 ("placement", "placement", "http://%s:%s" % (ip, E["PLACEMENT_PORT"])),
                                 ("image", "glance", "http://%s:%s" % (ip, E["GLANCE_PORT"])),
                                 ("network", "neutron", "http://%s:%s" % (ip, E["NEUTRON_PORT"])),
                                 ("identity", "keystone", AUTH_URL)):
            sv = one("/services", "services", type=stype) or \
                ks("POST", "/services", json={"service": {"type": stype, "name": name, "enabled": True}}).json()["service"]
            for itf in ("public", "internal", "admin"):
                ep = one("/endpoints", "endpoints", service_id=sv["id"], interface=itf, region_id=reg)
                if ep and ep["url"] != url:
                    ks("PATCH", "/endpoints/%s" % ep["id"], json={"endpoint": {"url": url}})
                elif not ep:
                    ks("POST", "/endpoints", json={"endpoint": {"service_id": sv["id"], "interface": itf,
                                                                "url": url, "region_id": reg, "enabled": True}})
    print("keystone: projects/users/roles/services/endpoints ok (regions %s)" % ", ".join(r for r, _ in regions))

def wait(what, fn, timeout):
    end = time.time() + timeout
    while True:
        try:
            r = fn()
            if r:
                return r
        except Exception as e:  # service still starting
            last = e
        if time.time() > end:
            sys.exit("timeout waiting for %s" % what)
        time.sleep(0.5)

REGION_ARG = sys.argv[2] if len(sys.argv) > 2 else E["REGION"]
HOST_ARG = sys.argv[3] if len(sys.argv) > 3 else None   # compute-wait: this host's nova-compute

def compute_wait_phase():
    cf = {"service_type": "compute", "interface": "public", "region_name": REGION_ARG}
    mv = {"OpenStack-API-Version": "compute 2.53"}  # forced_down in the listing, PUT by id

    def up():
        svcs = s.get("/os-services", endpoint_filter=cf, headers=mv,
                     params={"binary": "nova-compute"}).json()["services"]
        mine = [x for x in svcs if HOST_ARG in (None, x["host"])]
        for x in mine:
            if x.get("forced_down"):
                # Left forced down (an evacuation test that failed, an
                # operator): this script has just (re)started it, which
                # completes its evacuation records, so Nova lets it up.
                s.put("/os-services/%s" % x["id"], endpoint_filter=cf, headers=mv,
                      json={"forced_down": False}, raise_exc=False)
        return [x for x in mine if x["state"] == "up"]
    wait("nova-compute up", up, 180)
    print("nova-compute %sof %s is up" % (HOST_ARG + " " if HOST_ARG else "", REGION_ARG))

def compute_phase():
    cf = {"service_type": "compute", "interface": "public", "region_name": REGION_ARG}
    pf = {"service_type": "placement", "interface": "public", "region_name": E["REGION"]}
    gf = {"service_type": "image", "interface": "public", "region_name": E["REGION"]}
    wait("resource provider", lambda: s.get("/resource_providers", endpoint_filter=pf,
         headers={"OpenStack-API-Version": "placement 1.14"}).json()["resource_providers"], 120)
    wait("hypervisor", lambda: s.get("/os-hypervisors", endpoint_filter=cf).json()["hypervisors"], 120)
    have = {f["name"] for f in s.get("/flavors/detail", endpoint_filter=cf, params={"is_public": "None"}).json()["flavors"]}
    for fid, name, ram, vcpus, disk in (("1", "m1.tiny", 512, 1, 1), ("2", "m1.small", 2048, 1, 20)):
        if name not in have:
            s.post("/flavors", endpoint_filter=cf, json={"flavor": {"id": fid, "name": name, "ram": ram,
                   "vcpus": vcpus, "disk": disk, "os-flavor-access:is_public": True}})
    name = E.get("IMAGE_NAME", "cirros-dummy")
    imgs = s.get("/v2/images", endpoint_filter=gf, params={"name": name}).json()["images"]
    active = [i for i in imgs if i["status"] == "active"]
    for i in imgs:
        if i["status"] != "active":
            s.delete("/v2/images/%s" % i["id"], endpoint_filter=gf)
    if not active:
        img = s.post("/v2/images", endpoint_filter=gf, json={"name": name, "disk_format": "raw",
                     "container_format": "bare", "visibility": "public", "min_disk": 0, "min_ram": 0}).json()
        s.put("/v2/images/%s/file" % img["id"], endpoint_filter=gf, data=b"os-aio dummy image\n",
              headers={"Content-Type": "application/octet-stream"})
        wait("image active", lambda: s.get("/v2/images/%s" % img["id"], endpoint_filter=gf).json()["status"] == "active", 60)
    print("compute (%s): flavors m1.tiny/m1.small and image %s ok" % (REGION_ARG, name))

def network_phase():
    """public (external, flat), private (shared, owned by demo), router1 (demo's).

    public belongs to the service project, not to admin: then 'private' is the
    only network nova's networks=auto (the CLI default) finds for any project,
    admin included (external networks of one's own project count there)."""
    nf = {"service_type": "network", "interface": "public", "region_name": E["REGION"]}
    def get(kind, **params):
        items = s.get("/v2.0/%s" % kind, endpoint_filter=nf, params=params).json()[kind]
        return items[0] if items else None
    def post(kind, body):
        return s.post("/v2.0/%s" % kind, endpoint_filter=nf, json={kind[:-1]: body}).json()[kind[:-1]]
    wait("neutron API", lambda: s.get("/v2.0/networks", endpoint_filter=nf).json(), 120)
    svc_p = one("/projects", "projects", name="service", domain_id="default")["id"]
    demo_p = one("/projects", "projects", name="demo", domain_id="default")["id"]
    pub = get("networks", name="public") or post("networks", {
        "name": "public", "project_id": svc_p, "router:external": True, "shared": False,
        "provider:network_type": "flat", "provider:physical_network": "public"})
    pub_sn = get("subnets", name="public-subnet", network_id=pub["id"]) or post("subnets", {
        "name": "public-subnet", "network_id": pub["id"], "project_id": svc_p, "ip_version": 4,
        "cidr": "203.0.113.0/24", "gateway_ip": "203.0.113.1", "enable_dhcp": False,
        "allocation_pools": [{"start": "203.0.113.10", "end": "203.0.113.250"}]})
    priv = get("networks", name="private") or post("networks", {
        "name": "private", "project_id": demo_p, "shared": True})
    priv_sn = get("subnets", name="private-subnet", network_id=priv["id"]) or post("subnets", {
        "name": "private-subnet", "network_id": priv["id"], "project_id": demo_p, "ip_version": 4,
        "cidr": "10.20.0.0/22", "gateway_ip": "10.20.0.1", "enable_dhcp": True})
    r = get("routers", name="router1") or post("routers", {
        "name": "router1", "project_id": demo_p, "external_gateway_info": {"network_id": pub["id"]}})
    if not r.get("external_gateway_info"):
        s.put("/v2.0/routers/%s" % r["id"], endpoint_filter=nf,
              json={"router": {"external_gateway_info": {"network_id": pub["id"]}}})
    ifs = s.get("/v2.0/ports", endpoint_filter=nf, params={"device_id": r["id"], "network_id": priv["id"]}).json()["ports"]
    if not any(ip["subnet_id"] == priv_sn["id"] for p in ifs for ip in p["fixed_ips"]):
        s.put("/v2.0/routers/%s/add_router_interface" % r["id"], endpoint_filter=nf, json={"subnet_id": priv_sn["id"]})
    print("network: public %s (%s), private %s (%s), router1 %s ok" % (
        pub["id"], pub_sn["cidr"], priv["id"], priv_sn["cidr"], r["id"]))

{"keystone": keystone_phase, "compute-wait": compute_wait_phase, "compute": compute_phase,
 "network": network_phase}[sys.argv[1]]()
PYEOF
export KS_URL ADMIN_PASSWORD SERVICE_PASSWORD DEMO_PASSWORD REGION REGION2 IP NOVA_PORT NOVA2_PORT PLACEMENT_PORT GLANCE_PORT NEUTRON_PORT
$PY "$BIN/aio-setup.py" keystone >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; die "keystone setup failed"; }
log "keystone users/services/endpoints registered"

wait_port $RABBIT_PORT rabbitmq 120
log "rabbitmq answers"
if [[ -n $REGION2 ]]; then
  RMQCTL=(env "${RABBIT_ENV[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -q -n rabbit@localhost)
  if ! "${RMQCTL[@]}" list_vhosts 2>>"$LOG/rabbitmqctl.log" | grep -qx "$RABBIT_VHOST2"; then
    "${RMQCTL[@]}" add_vhost "$RABBIT_VHOST2" >>"$LOG/rabbitmqctl.log" 2>&1
    "${RMQCTL[@]}" set_permissions -p "$RABBIT_VHOST2" guest '.*' '.*' '.*' >>"$LOG/rabbitmqctl.log" 2>&1
    log "rabbitmq vhost $RABBIT_VHOST2 (RegionTwo's Nova) created"
  fi
fi
start placement /usr/bin/uwsgi --ini "$ETC/placement-uwsgi.ini"
start glance-api "$BIN/glance-api" --config-file "$ETC/glance/glance-api.conf"
start neutron-server "$BIN/neutron-server" --config-file "$ETC/neutron/neutron.conf"
start nova-api /usr/bin/uwsgi --ini "$ETC/nova-api-uwsgi.ini"
start nova-conductor "$BIN/nova-conductor" --config-file "$ETC/nova/nova.conf" --log-file "$LOG/nova-conductor-app.log"
start nova-scheduler "$BIN/nova-scheduler" --config-file "$ETC/nova/nova.conf" --log-file "$LOG/nova-scheduler-app.log"
if [[ -n $REGION2 ]]; then
  start nova-api-r2 /usr/bin/uwsgi --ini "$ETC/nova-api-r2-uwsgi.ini"
  start nova-conductor-r2 "$BIN/nova-conductor" --config-file "$ETC/nova2/nova.conf" --log-file "$LOG/nova-conductor-r2-app.log"
  start nova-scheduler-r2 "$BIN/nova-scheduler" --config-file "$ETC/nova2/nova.conf" --log-file "$LOG/nova-scheduler-r2-app.log"
fi
wait_http "http://$IP:$PLACEMENT_PORT/" placement 120
start nova-compute "$BIN/nova-compute" --config-file "$ETC/nova/nova-cpu.conf" --log-file "$LOG/nova-compute-app.log"
[[ -z $HOSTNAME_AIO2 ]] || start nova-compute-aio2 "$BIN/nova-compute" --config-file "$ETC/nova/nova-cpu-aio2.conf" --log-file "$LOG/nova-compute-aio2-app.log"
[[ -z $REGION2 ]] || start nova-compute-r2 "$BIN/nova-compute" --config-file "$ETC/nova2/nova-cpu.conf" --log-file "$LOG/nova-compute-r2-app.log"
wait_http "http://$IP:$GLANCE_PORT/" glance-api 120
wait_http "http://$IP:$NEUTRON_PORT/" neutron-server 120
$PY "$BIN/aio-setup.py" network >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; die "network setup failed"; }
log "networks public/private and router1 ready"
wait_http "http://$IP:$NOVA_PORT/" nova-api 120
log "compute API answers on http://$IP:$NOVA_PORT/v2.1"

$PY "$BIN/aio-setup.py" compute-wait "$REGION" "$HOSTNAME_AIO" >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; tail -30 "$LOG/nova-compute-app.log" >&2; die "nova-compute did not come up"; }
if [[ -n $HOSTNAME_AIO2 ]]; then
  $PY "$BIN/aio-setup.py" compute-wait "$REGION" "$HOSTNAME_AIO2" >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; tail -30 "$LOG/nova-compute-aio2-app.log" >&2; die "nova-compute-aio2 did not come up"; }
fi
"${NM[@]}" cell_v2 discover_hosts >>"$LOG/bootstrap.log" 2>&1
$PY "$BIN/aio-setup.py" compute >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; die "compute setup failed"; }
log "flavors and image registered"
if [[ -n $REGION2 ]]; then
  wait_http "http://$IP:$NOVA2_PORT/" nova-api-r2 120
  $PY "$BIN/aio-setup.py" compute-wait "$REGION2" >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; tail -30 "$LOG/nova-compute-r2-app.log" >&2; die "nova-compute-r2 did not come up"; }
  "${NM2[@]}" cell_v2 discover_hosts >>"$LOG/bootstrap.log" 2>&1
  $PY "$BIN/aio-setup.py" compute "$REGION2" >>"$LOG/bootstrap.log" 2>&1 || { tail -20 "$LOG/bootstrap.log" >&2; die "$REGION2 compute setup failed"; }
  log "$REGION2: compute API on http://$IP:$NOVA2_PORT/v2.1, host $HOSTNAME_R2, flavors registered"
fi
log "stack ready"

###############################################################################
# 6. client environment
###############################################################################
write_rc() { # file user password project
  cat >"$1" <<EOF
export OS_AUTH_URL=$KS_URL/v3
export OS_USERNAME=$2
export OS_PASSWORD=$3
export OS_PROJECT_NAME=$4
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=$REGION
export OS_IDENTITY_API_VERSION=3
export OS_INTERFACE=public
EOF
}
write_rc "$STATE/openrc" admin "$ADMIN_PASSWORD" admin
write_rc "$STATE/openrc-demo" demo "$DEMO_PASSWORD" demo
log "done; admin env in $STATE/openrc, non-admin in $STATE/openrc-demo; stop with $SELF down $STATE"
cat "$STATE/openrc"

)

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  env) shift; cmd_env "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  *) usage ;;
esac
