#!/usr/bin/env bash
# local-slurm.sh start|stop|status — a one-machine Slurm on 127.0.0.1 for trying
# `pilecurate slurm` and for its integration test, without systemd or cgroups.
#
#   start   install munge and Slurm from Debian's packages if missing (apt-get), start
#           munged, slurmctld and slurmd, wait until the node takes jobs; print the
#           SLURM_CONF line to export. Running it again changes nothing.
#   stop    kill exactly the daemons `start` started (their pids are in $DIR/started),
#           never another machine-wide munged or slurmd.
#   status  the daemons and sinfo.
#
# Must run as root (the daemons do). Knobs: LOCAL_SLURM_DIR (default /tmp/pilecurate-slurm),
# LOCAL_SLURM_CPUS (CPUs to advertise, default: what slurmd detects).
set -euo pipefail

DIR="${LOCAL_SLURM_DIR:-/tmp/pilecurate-slurm}"
CONF="$DIR/slurm.conf"
STARTED="$DIR/started"            # lines "name pid" of the daemons this script started
MUNGE_SOCKET_DIR=/run/munge

say() { echo "local-slurm: $*" >&2; }
fail() { say "error: $*"; exit 1; }

# alive NAME PID: PID is a live, non-zombie process whose command is NAME.
alive() {
  [ -n "$2" ] && [ -r "/proc/$2/stat" ] || return 1
  [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$1" ] || return 1
  [ "$(awk '{print $3}' "/proc/$2/stat" 2>/dev/null)" != Z ]
}

# recorded NAME: the pid recorded for NAME, if that process is still alive.
recorded() {
  local pid
  [ -f "$STARTED" ] || return 1
  pid="$(awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$STARTED")"
  alive "$1" "$pid" && echo "$pid"
}

record() { echo "$1 $2" >> "$STARTED"; }

# poll SECONDS COMMAND...: retry once a second until the command succeeds.
poll() {
  local n="$1" i
  shift
  for ((i = 0; i < n; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

install_if_missing() {
  local b
  for b in munged munge unmunge slurmctld slurmd sbatch sinfo squeue scontrol; do
    command -v "$b" >/dev/null 2>&1 && continue
    say "installing munge and Slurm (apt-get: munge slurmctld slurmd slurm-client)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      munge slurmctld slurmd slurm-client >/dev/null
    return 0
  done
}

start_munge() {
  # munged refuses a key others can read, and must run as its own user.
  if [ ! -s /etc/munge/munge.key ]; then
    install -d -o munge -g munge -m 0700 /etc/munge
    mungekey --create --keyfile=/etc/munge/munge.key
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0600 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 "$MUNGE_SOCKET_DIR"
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    return 0 # a munged answers already (ours from before, or the machine's)
  fi
  say "starting munged"
  runuser -u munge -- munged
  poll 10 sh -c 'munge -n | unmunge' || fail "munged does not answer; see /var/log/munge/munged.log"
  record munged "$(tr -dc 0-9 < "$MUNGE_SOCKET_DIR/munged.pid")"
}

write_conf() {
  local found cpus memory
  found="$(slurmd -C 2>/dev/null | head -1)"
  cpus="${LOCAL_SLURM_CPUS:-$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$found")}"
  memory="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$found")"
  cpus="${cpus:-$(nproc)}"
  # Without RealMemory a node has 1 MB and any --mem is refused; keep a margin.
  memory=$(( ${memory:-2048} * 9 / 10 ))
  cat > "$CONF" <<CONF
# Written by pilecurate's scripts/local-slurm.sh: one node, loopback, no cgroups.
ClusterName=pilecurate-local
SlurmctldHost=localhost
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
KillWait=5
$( [ -n "${LOCAL_SLURM_CPUS:-}" ] && echo SlurmdParameters=config_overrides )
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

node_ready() {
  SLURM_CONF="$CONF" sinfo -h -n localhost -o %T | grep -Eq '^(idle|mixed|allocated|completing)'
}

start() {
  [ "$(id -u)" = 0 ] || fail "run as root (sudo $0 start): the Slurm daemons and munged need it"
  install_if_missing
  install -d -m 0755 "$DIR" "$DIR/state" "$DIR/spool"
  start_munge
  export SLURM_CONF="$CONF"
  if ! recorded slurmctld >/dev/null; then
    write_conf
    say "starting slurmctld on 127.0.0.1:6817"
    slurmctld -f "$CONF" || fail "slurmctld did not start; see $DIR/slurmctld.log"
    poll 30 sh -c 'scontrol ping | grep -q UP' || fail "slurmctld does not answer; see $DIR/slurmctld.log"
    record slurmctld "$(tr -dc 0-9 < "$DIR/slurmctld.pid")"
  fi
  if ! recorded slurmd >/dev/null; then
    say "starting slurmd (node localhost)"
    slurmd -f "$CONF" -N localhost || fail "slurmd did not start; see $DIR/slurmd.log"
    poll 10 test -s "$DIR/slurmd.pid" || fail "slurmd wrote no pid file; see $DIR/slurmd.log"
    record slurmd "$(tr -dc 0-9 < "$DIR/slurmd.pid")"
  fi
  if ! poll 30 node_ready; then
    # A node left DOWN by an earlier unclean stop: bring it back once.
    scontrol update nodename=localhost state=resume >/dev/null 2>&1 || true
    poll 15 node_ready || fail "the node does not take jobs: $(sinfo -R 2>&1 | tail -1); see $DIR/slurmd.log"
  fi
  say "ready (pids: $(tr '\n' ' ' < "$STARTED"))"
  echo "export SLURM_CONF=$CONF"
}

stop() {
  local name pid i
  [ -f "$STARTED" ] || { say "nothing to stop: $STARTED lists no daemon"; return 0; }
  # slurmd first, munged last: the others talk through it while they stop.
  for name in slurmd slurmctld munged; do
    pid="$(recorded "$name")" || continue
    say "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      alive "$name" "$pid" || break
      sleep 0.5
    done
    alive "$name" "$pid" && kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$STARTED"
  say "stopped; state and logs stay in $DIR"
}

status() {
  local name pid
  for name in munged slurmctld slurmd; do
    if pid="$(recorded "$name")"; then echo "$name: running (pid $pid, started here)"
    else echo "$name: not started by this script"; fi
  done
  [ -f "$CONF" ] && command -v sinfo >/dev/null && SLURM_CONF="$CONF" sinfo || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
