#!/usr/bin/env bash
# A throwaway one-node Ceph (mon + osd on memstore) + radosgw on 127.0.0.1: a real S3 API for the
# S3Storage contract tests. s3rver ignores conditional writes and drops nested CommonPrefixes
# (research/ecosystem.md §3); radosgw gets both right. Adapted from recipes/radosgw-local.sh.
#
#   eval "$(scripts/s3-test-server.sh [PORT] [DIR])"   # start; prints export lines on stdout
#   scripts/s3-test-server.sh stop DIR                  # stop the daemons started in DIR
#
# Progress and errors go to stderr, so only the export lines reach `eval`. Data lives in memory
# (memstore), so stopping the daemons throws everything away. Test credentials only.
set -euo pipefail

log() { echo "s3-test-server: $*" >&2; }
die() { log "error: $*"; exit 1; }

stop_dir() {
  local dir=$1 pidfile pid
  [[ -d $dir/pids ]] || { log "nothing to stop in $dir"; return 0; }
  # Reverse start order: rgw, then osd, then mon, so nothing blocks on a missing peer.
  for pidfile in "$dir"/pids/client.rgw.*.pid "$dir"/pids/osd.*.pid "$dir"/pids/mon.*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(<"$pidfile")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then log "$(basename "$pidfile" .pid) ignored SIGTERM; killing"; kill -9 "$pid"; fi
      log "stopped $(basename "$pidfile" .pid) (pid $pid)"
    fi
    rm -f "$pidfile"
  done
}

if [[ ${1:-} == stop ]]; then
  [[ -n ${2:-} ]] || die "usage: $0 stop DIR"
  stop_dir "$2"
  exit 0
fi

PORT=${1:-7480}
DIR=${2:-$(mktemp -d -t corridor-s3.XXXXXX)}
# The mon port is separate from the S3 port; override it to run two servers side by side.
MON_PORT=${CORRIDOR_TEST_S3_MON_PORT:-6789}
TIMEOUT=${CORRIDOR_TEST_S3_TIMEOUT:-60}
[[ $PORT =~ ^[0-9]+$ ]] || die "port must be a number, got '$PORT' (usage: $0 [PORT] [DIR] | stop DIR)"

# --- install (idempotent; CI runs this as root without stdin) ---------------------------------
if ! command -v radosgw >/dev/null; then
  SUDO=
  if [[ $(id -u) != 0 ]]; then command -v sudo >/dev/null || die "radosgw missing and not root"; SUDO="sudo -n"; fi
  log "installing radosgw ceph-mon ceph-osd curl (apt, ~30 s)"
  export DEBIAN_FRONTEND=noninteractive
  { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd curl; } \
    </dev/null >&2 || die "apt-get install failed"
fi
for bin in ceph ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph-authtool curl; do
  command -v "$bin" >/dev/null || die "$bin not found after install"
done

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$PORT" && die "port $PORT is in use (stop the old server: $0 stop DIR)"
port_busy "$MON_PORT" && die "mon port $MON_PORT is in use (set CORRIDOR_TEST_S3_MON_PORT)"

# The recipe wipes its directory with rm -rf; a caller-supplied DIR may hold anything, so only
# reuse it when it is empty or was made by this script.
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [[ -n $(ls -A "$DIR") ]]; then
  [[ -f $DIR/.corridor-s3-test-server ]] || die "$DIR is not empty and was not made by this script"
  stop_dir "$DIR"
  find "$DIR" -mindepth 1 -delete
fi
touch "$DIR/.corridor-s3-test-server"
mkdir -p "$DIR"/{mon/a,osd/0,run,log,rgw,pids}

# wait_for NAME LOGFILE CMD...: poll CMD until it succeeds or TIMEOUT seconds pass.
wait_for() {
  local name=$1 logfile=$2 start=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - start >= TIMEOUT)); then
      log "$name did not come up within ${TIMEOUT}s; last lines of $logfile:"
      tail -n 40 "$logfile" >&2 2>/dev/null || log "(no log written)"
      stop_dir "$DIR"
      die "$name failed to start (data dir $DIR)"
    fi
    sleep 0.5
  done
  log "$name up after $((SECONDS - start))s"
}

FSID=$(cat /proc/sys/kernel/random/uuid)
CONF=$DIR/ceph.conf
# auth none: nothing but 127.0.0.1 can reach the cluster, and it saves the keyring dance for the
# osd and rgw. memstore keeps objects in RAM (capped at 2 GiB), so no disks or cleanup.
# The mon address is pinned to msgr v1: with a bare host:port other than 6789, clients try v2 on
# that port, which the v1-only mon refuses (radosgw then hangs in auth for rgw_init_timeout, 300 s).
MON_ADDR="[v1:127.0.0.1:$MON_PORT]"
cat >"$CONF" <<CONF
[global]
fsid = $FSID
mon host = $MON_ADDR
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
mon_max_pg_per_osd = 1000
osd objectstore = memstore
memstore device bytes = 2147483648
osd crush chooseleaf type = 0
# The osd is placed in the crush map below; on start it would otherwise send set-device-class
# itself, and that command sometimes races the monmap and fails with 'wrong fsid'.
osd crush update on start = false
osd class update on start = false
run dir = $DIR/run
log file = $DIR/log/\$name.log
admin socket = $DIR/run/\$name.asok
mon data = $DIR/mon/\$id
osd data = $DIR/osd/\$id
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
CONF

# Every client call gets a short connect timeout so a dead mon fails the wait loop, not the script.
ceph_cli() { ceph -c "$CONF" --connect-timeout 5 "$@"; }
# Daemons run in the foreground (-f) as our own background jobs rather than self-daemonizing:
# a self-daemonizing ceph daemon blocks its caller until it has initialised (radosgw for up to
# 300 s), which would defeat the timeout below. setsid keeps them alive when the caller's process
# group ends (a CI step); stdio goes to files so `eval "$(...)"` does not wait on them.
daemon() {
  local name=$1
  shift
  setsid "$@" -f </dev/null >>"$DIR/log/$name.out" 2>&1 &
  echo $! >"$DIR/pids/$name.pid"
}

log "starting ceph in $DIR (S3 port $PORT, mon port $MON_PORT)"
cd "$DIR"
monmaptool --create --addv a "$MON_ADDR" --fsid "$FSID" monmap >/dev/null
ceph-authtool --create-keyring mon.keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap monmap --keyring mon.keyring >>log/mon.a.out 2>&1 \
  || { tail -n 20 log/mon.a.out >&2; die "ceph-mon --mkfs failed"; }
daemon mon.a ceph-mon -c "$CONF" -i a
wait_for mon "$DIR/log/mon.a.log" ceph_cli mon stat

OSD=$(ceph_cli osd create 2>/dev/null) || die "ceph osd create failed"
ceph-osd -c "$CONF" -i "$OSD" --mkfs >>"log/osd.$OSD.out" 2>&1 \
  || { tail -n 20 "log/osd.$OSD.out" >&2; die "ceph-osd --mkfs failed"; }
ceph_cli osd crush add "osd.$OSD" 1.0 host=localhost root=default >/dev/null 2>&1
daemon "osd.$OSD" ceph-osd -c "$CONF" -i "$OSD"
osd_up() { [[ $(ceph_cli osd stat -f json) == *'"num_up_osds":1'* ]]; }
wait_for "osd.$OSD" "$DIR/log/osd.$OSD.log" osd_up

daemon client.rgw.a radosgw -c "$CONF" -n client.rgw.a
rgw_ok() { [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/") == 200 ]]; }
wait_for radosgw "$DIR/log/client.rgw.a.log" rgw_ok

# Fresh random keys per server, so a leaked test endpoint never shares credentials.
ACCESS_KEY=corridor$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
SECRET_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
timeout 30 radosgw-admin -c "$CONF" user create --uid=corridor-test --display-name=corridor-test \
  --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >"log/user-create.out" 2>&1 \
  || { tail -n 20 log/user-create.out >&2; stop_dir "$DIR"; die "radosgw-admin user create failed"; }

log "ready; stop with: $0 stop $DIR"
cat <<OUT
export CORRIDOR_TEST_S3_ENDPOINT=http://127.0.0.1:$PORT
export CORRIDOR_TEST_S3_ACCESS_KEY=$ACCESS_KEY
export CORRIDOR_TEST_S3_SECRET_KEY=$SECRET_KEY
export CORRIDOR_TEST_S3_DIR=$DIR
OUT
