#!/usr/bin/env bash
# gnocchi-aio.sh -- OpenStack's telemetry store, Gnocchi (API + metricd), on
# 127.0.0.1:8041 beside the stack of scripts/openstack-aio.sh: the MariaDB of
# that stack as its indexer, files for storage, Keystone auth, the `metric`
# service in the catalog and the `instance` resource type Ceilometer would
# make. No Ceilometer runs (the fake hypervisor has nothing to poll): whoever
# needs figures pushes measures, as the integration tests do.
#
#   sudo scripts/gnocchi-aio.sh up [STATE_DIR]    # default /tmp/os-aio; idempotent
#   scripts/gnocchi-aio.sh status [STATE_DIR]
#
# `scripts/openstack-aio.sh down` stops it with the rest of the stack (its
# processes are recorded in the same pid directory). Facts it follows:
# Debian's gnocchi 4.4 packages; the api-paste.ini copy pointing the
# auth filter at this config (Debian's reads /etc/gnocchi/gnocchi.conf).
set -Eeuo pipefail
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

STATE=${2:-${OS_AIO_STATE:-/tmp/os-aio}}
IP=127.0.0.1 PORT=8041 REGION=RegionOne
KS_URL=http://$IP:5000
SERVICE_PASSWORD="${OS_AIO_SERVICE_PASSWORD:-service-secret}"
ADMIN_PASSWORD="${OS_AIO_ADMIN_PASSWORD:-admin-secret}"
DB_PASSWORD="${OS_AIO_DB_PASSWORD:-db-secret}"
ETC=$STATE/etc/gnocchi LOG=$STATE/log PIDS=$STATE/pids DATA=$STATE/data/gnocchi
MYSQL_SOCK=$STATE/data/mysqld.sock
T0=$(date +%s.%N)
log() { printf '[gnocchi-aio %6.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{print a-b}')" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
running() {
  local f=$PIDS/$1.pid pid st
  [[ -f $f ]] || return 1
  read -r pid st <"$f" || return 1
  [[ -n ${pid:-} && -d /proc/$pid && "$(starttime "$pid")" == "${st:-x}" ]]
}
start() { # name cmd...: own session, pid recorded where openstack-aio.sh down finds it
  local name=$1; shift
  if running "$name"; then log "$name already running"; return 0; fi
  setsid "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  local pid=$! st=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do st=$(starttime "$pid"); [[ -n $st ]] && break; sleep 0.05; done
  echo "$pid $st" >"$PIDS/$name.pid"
  echo "$name" >>"$PIDS/order"
  log "started $name (pid $pid)"
}
answers() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$IP:$PORT/" | grep -qE '^(2|3|401)'; }

cmd_status() {
  running gnocchi-api && running gnocchi-metricd && answers && { echo "gnocchi: running on http://$IP:$PORT"; return 0; }
  echo "gnocchi: not running" >&2
  return 1
}

cmd_up() {
  [[ $(id -u) == 0 ]] || die "must run as root"
  [[ -S $MYSQL_SOCK ]] || die "no MariaDB at $MYSQL_SOCK: start the stack first (scripts/openstack-aio.sh up $STATE)"
  mkdir -p "$ETC" "$LOG" "$PIDS" "$DATA/storage/tmp" "$DATA/locks"

  local pkgs=(gnocchi-api gnocchi-metricd python3-gnocchiclient) missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    # policy-rc.d: the packages' scripts must start nothing.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG/gnocchi-apt.log" 2>&1 ||
      { tail -20 "$LOG/gnocchi-apt.log" >&2; die "apt-get install failed"; }
    rm -f /usr/sbin/policy-rc.d
  fi

  mariadb --no-defaults -S "$MYSQL_SOCK" -u root -e "CREATE DATABASE IF NOT EXISTS gnocchi CHARACTER SET utf8;
    GRANT ALL PRIVILEGES ON gnocchi.* TO 'openstack'@'localhost';"

  cat >"$ETC/gnocchi.conf" <<EOF
[DEFAULT]
coordination_url = file://$DATA/locks
[api]
auth_mode = keystone
paste_config = $ETC/api-paste.ini
[indexer]
url = mysql+pymysql://openstack:$DB_PASSWORD@localhost/gnocchi?unix_socket=$MYSQL_SOCK&charset=utf8
[storage]
driver = file
file_basepath = $DATA/storage
[incoming]
driver = file
file_basepath = $DATA/storage
[metricd]
workers = 1
metric_processing_delay = 2
[keystone_authtoken]
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = gnocchi
password = $SERVICE_PASSWORD
region_name = $REGION
EOF
  # Debian's paste file makes the auth filter read /etc/gnocchi/gnocchi.conf.
  sed -e "/^\[filter:keystone_authtoken\]/a oslo_config_file = $ETC/gnocchi.conf" \
      /etc/gnocchi/api-paste.ini >"$ETC/api-paste.ini"
  cat >"$ETC/gnocchi-api-uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
http-socket = $IP:$PORT
wsgi-file = /usr/lib/python3/dist-packages/gnocchi/rest/wsgi.py
pyargv = --config-file $ETC/gnocchi.conf
master = true
processes = 1
threads = 2
die-on-term = true
need-app = true
add-header = Connection: close
procname-prefix-spaced = os-aio:gnocchi-api
EOF

  timeout 120 gnocchi-upgrade --config-file "$ETC/gnocchi.conf" >>"$LOG/gnocchi-upgrade.log" 2>&1 ||
    { tail -20 "$LOG/gnocchi-upgrade.log" >&2; die "gnocchi-upgrade failed"; }
  log "indexer and storage ready"

  KS_URL=$KS_URL ADMIN_PASSWORD=$ADMIN_PASSWORD SERVICE_PASSWORD=$SERVICE_PASSWORD REGION=$REGION \
    URL="http://$IP:$PORT" /usr/bin/python3 - >>"$LOG/gnocchi-keystone.log" 2>&1 <<'PYEOF' || { tail -20 "$LOG/gnocchi-keystone.log" >&2; die "keystone registration failed"; }
import os
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
E = os.environ
AUTH = E["KS_URL"] + "/v3"
s = ks_session.Session(auth=v3.Password(auth_url=AUTH, username="admin", password=E["ADMIN_PASSWORD"],
    project_name="admin", user_domain_name="Default", project_domain_name="Default"))
def ks(method, path, **kw):
    return s.request(AUTH + path, method, **kw)
def one(path, key, **params):
    items = ks("GET", path, params=params).json()[key]
    return items[0] if items else None
svc = one("/projects", "projects", name="service", domain_id="default")
admin = one("/roles", "roles", name="admin")
u = one("/users", "users", name="gnocchi", domain_id="default")
if u:
    ks("PATCH", "/users/%s" % u["id"], json={"user": {"password": E["SERVICE_PASSWORD"], "enabled": True}})
else:
    u = ks("POST", "/users", json={"user": {"name": "gnocchi", "password": E["SERVICE_PASSWORD"],
        "domain_id": "default", "default_project_id": svc["id"], "enabled": True}}).json()["user"]
ks("PUT", "/projects/%s/users/%s/roles/%s" % (svc["id"], u["id"], admin["id"]))
sv = one("/services", "services", type="metric") or ks("POST", "/services",
    json={"service": {"type": "metric", "name": "gnocchi", "enabled": True}}).json()["service"]
for itf in ("public", "internal", "admin"):
    ep = one("/endpoints", "endpoints", service_id=sv["id"], interface=itf)
    if ep and ep["url"] != E["URL"]:
        ks("PATCH", "/endpoints/%s" % ep["id"], json={"endpoint": {"url": E["URL"]}})
    elif not ep:
        ks("POST", "/endpoints", json={"endpoint": {"service_id": sv["id"], "interface": itf,
            "url": E["URL"], "region_id": E["REGION"], "enabled": True}})
print("keystone: gnocchi user, metric service and endpoints ok")
PYEOF
  log "metric service registered in Keystone"

  start gnocchi-api /usr/bin/uwsgi --ini "$ETC/gnocchi-api-uwsgi.ini"
  start gnocchi-metricd /usr/bin/gnocchi-metricd --config-file "$ETC/gnocchi.conf"
  local i; for ((i = 0; i < 240; i++)); do answers && break; running gnocchi-api || { tail -30 "$LOG/gnocchi-api.log" >&2; die "gnocchi-api died"; }; sleep 0.25; done
  answers || { tail -30 "$LOG/gnocchi-api.log" >&2; die "gnocchi-api does not answer on $PORT"; }
  log "gnocchi-api answers on http://$IP:$PORT"

  # The resource type Ceilometer would create, as admin.
  (
    set -a; source "$STATE/openrc"; set +a
    if ! gnocchi resource-type show instance >/dev/null 2>&1; then
      gnocchi resource-type create instance -a display_name:string:true -a host:string:false \
        -a flavor_id:string:false -a image_ref:string:false -a server_group:string:false >>"$LOG/gnocchi-keystone.log" 2>&1
    fi
  ) || die "resource type instance"
  log "resource type instance ready; gnocchi up"
}

case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  *) sed -n '2,13p' "$SELF" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
