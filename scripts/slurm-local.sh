#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for tests and CI: controller and node on
# localhost, munge authentication, no accounting, no cgroups, no systemd needed.
#
#   scripts/slurm-local.sh install   apt packages (slurm-wlm, munge), idempotent
#   scripts/slurm-local.sh start     munge key, munged, slurm.conf, slurmctld, slurmd; waits until usable
#   scripts/slurm-local.sh stop      cancels every job, stops the daemons, removes Slurm's state
#   scripts/slurm-local.sh status    sinfo/squeue summary; exit 0 iff the cluster is usable
#
# Several actions may follow each other: `scripts/slurm-local.sh install start`.
# Must run as root. Docs and observed behaviour: docs/slurm.md.
#
# Environment:
#   ELBO_SLURM_DIR         state, spool, pid and log files     [/var/tmp/elbo-slurm]
#   ELBO_SLURM_CONF        slurm.conf path; clients read /etc/slurm/slurm.conf unless
#                          SLURM_CONF says otherwise, so keep the default  [/etc/slurm/slurm.conf]
#   ELBO_SLURM_START_TIMEOUT seconds to wait for the node to become usable  [60]
set -euo pipefail

STATE_DIR=${ELBO_SLURM_DIR:-/var/tmp/elbo-slurm}
CONF=${ELBO_SLURM_CONF:-/etc/slurm/slurm.conf}
START_TIMEOUT=${ELBO_SLURM_START_TIMEOUT:-60}
MARK='# Written by elbo-repro scripts/slurm-local.sh'
PACKAGES=(slurm-wlm munge)
# Daemon binaries and the plugins the conf below names; slurm-wlm pulls slurmctld, slurmd, slurm-client.
NEEDED_DEBS=(slurmctld slurmd slurm-client slurm-wlm-basic-plugins munge)
MUNGE_KEY=/etc/munge/munge.key
MUNGE_RUN=/run/munge
MUNGE_PID=$MUNGE_RUN/munged.pid
MUNGE_LOG=/var/log/munge/munged.log
# munged is shared with anything else on the host: stop it only if this script started it.
MUNGE_OURS=$STATE_DIR/run/munged.started-by-us

export SLURM_CONF=$CONF
NODE=$(hostname -s)

say() { printf 'slurm-local: %s\n' "$*"; }
die() { printf 'slurm-local: ERROR: %s\n' "$*" >&2; exit 1; }

need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root (daemons run as root; the munge key is root-owned)"; }

# Liveness of one process id. A zombie counts as dead: where PID 1 is not an init (containers,
# gVisor) orphaned daemons stay <defunct> for a while after they exit.
# Reads /proc rather than ps: minimal Debian images lack procps.
proc_state() { local st; st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; st=${st##*) }; printf '%s' "${st%% *}"; }
proc_alive() { local st; st=$(proc_state "$1") && [[ -n $st && $st != Z ]]; }
# Liveness from a pid file; processes are never matched by name.
pid_alive() { local f=$1; [[ -s $f ]] && proc_alive "$(cat "$f")"; }

log_tails() {
  local f
  for f in "$STATE_DIR/log/slurmctld.log" "$STATE_DIR/log/slurmd.log" "$MUNGE_LOG"; do
    if [[ -s $f ]]; then printf '\n----- last lines of %s -----\n' "$f" >&2; tail -n 25 "$f" >&2; fi
  done
  if command -v sinfo >/dev/null; then
    printf '\n----- sinfo -N -l -----\n' >&2; timeout 10 sinfo -N -l >&2 2>&1 || true
    printf '\n----- scontrol show node %s -----\n' "$NODE" >&2
    timeout 10 scontrol show node "$NODE" >&2 2>&1 || true
  fi
}
fail() { printf 'slurm-local: ERROR: %s\n' "$*" >&2; log_tails; exit 1; }

debs_installed() {
  local p
  for p in "${NEEDED_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || return 1
  done
}

cmd_install() {
  need_root
  if debs_installed; then say "packages already installed: $(slurmctld -V)"; return 0; fi
  export DEBIAN_FRONTEND=noninteractive
  # Only refresh the package lists when apt does not know the packages (fresh images ship none).
  if ! apt-cache show slurmctld munge >/dev/null 2>&1; then
    say "apt-get update"; apt-get update -qq
  fi
  say "apt-get install ${PACKAGES[*]}"
  # No recommends: slurm-wlm recommends ~35 plugin packages (hdf5, rrd, ipmi, ...) none of us use.
  if ! apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"; then
    say "install failed; refreshing package lists once and retrying"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
  fi
  debs_installed || die "packages ${NEEDED_DEBS[*]} still not installed"
  say "installed: $(slurmctld -V)"
}

ensure_hostname_resolves() {
  # slurmctld checks SlurmctldHost against `hostname -s`; srun and slurmd look names up.
  if ! getent hosts "$NODE" >/dev/null; then
    say "'$NODE' (hostname -s) does not resolve; adding '127.0.0.1 $NODE' to /etc/hosts"
    printf '127.0.0.1 %s\n' "$NODE" >>/etc/hosts
  fi
}

start_munge() {
  id munge >/dev/null 2>&1 || die "no 'munge' user: is the munge package installed? run: $0 install"
  if [[ ! -s $MUNGE_KEY ]]; then
    say "creating munge key $MUNGE_KEY"
    install -d -o munge -g munge -m 0700 "$(dirname "$MUNGE_KEY")"
    mungekey --create --keyfile="$MUNGE_KEY"
  fi
  # munged refuses a key readable by others or owned by someone else.
  chown munge:munge "$MUNGE_KEY"; chmod 0400 "$MUNGE_KEY"
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged already running"
    return 0
  fi
  install -d -o munge -g munge -m 0755 "$MUNGE_RUN"
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  # munged forks and writes its pid file itself; it must not run as root.
  runuser -u munge -- /usr/sbin/munged --force || fail "munged did not start"
  touch "$MUNGE_OURS"
  local i
  for i in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && { say "munged started (pid $(cat "$MUNGE_PID"))"; return 0; }
    sleep 0.1
  done
  fail "munged is running but munge -n | unmunge fails"
}

write_conf() {
  if [[ -e $CONF ]] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; refusing to overwrite a real cluster's config"
  fi
  # slurmd -C reports what slurmd will register with; a configured node larger than that is drained.
  local hw cpus mem
  hw=$(slurmd -C | head -n 1)
  cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
  mem=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
  [[ -n $cpus && -n $mem ]] || die "could not read CPUs/RealMemory from 'slurmd -C': $hw"
  install -d -m 0755 "$(dirname "$CONF")" "$STATE_DIR"/{state,spool,log,run}
  local tmp="$CONF.tmp.$$"
  cat >"$tmp" <<EOF
$MARK — a single-node test cluster.
# Rewritten on every start; see docs/slurm.md. Not for a real cluster.
ClusterName=elbo-local
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# Containers have no usable cgroups: track processes through /proc, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Cores are the consumable resource, so one-CPU jobs run side by side.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# No slurmdbd: sacct has nothing to read (the executor must not rely on it).
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
# Schedule a batch job as soon as it is submitted or a CPU frees up (default: up to 3 s later).
SchedulerParameters=batch_sched_delay=0
# No mail on this machine (the default /bin/mail is absent and logs an error).
MailProg=/bin/true
# Finished jobs stay visible to squeue/scontrol this many seconds (default 300).
MinJobAge=600
# Seconds between SIGTERM and SIGKILL on timeout/scancel (default 30): faster tests.
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/run/slurmctld.pid
SlurmdPidFile=$STATE_DIR/run/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  mv -f "$tmp" "$CONF"
  say "wrote $CONF (node $NODE: CPUs=$cpus RealMemory=${mem}MB)"
}

# Polls a predicate every 0.2 s for at most $1 seconds.
wait_until() {
  local limit=$1; shift
  local t0=$SECONDS
  until "$@"; do (( SECONDS - t0 < limit )) || return 1; sleep 0.2; done
}
# sinfo marks a node that misses its heartbeats with '*' (idle*, down*).
node_responding() { local s; s=$(node_state) && [[ -n $s && $s != *'*' ]]; }
no_active_jobs() { [[ -z $(timeout 10 squeue -h -t PENDING,RUNNING,SUSPENDED,COMPLETING,CONFIGURING -o '%i' 2>/dev/null) ]]; }
node_state() { timeout 10 sinfo -h -n "$NODE" -o '%t' 2>/dev/null | head -n 1; }
# One field of `scontrol show job -o` (one line of Key=Value pairs).
job_field() { timeout 10 scontrol show job -o "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
job_ended() { [[ $(job_field "$1" JobState) =~ ^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$ ]]; }
# idle, mixed, allocated, completing: the node accepts or runs work (no down/drain/unknown/fail).
usable_state() { [[ $1 =~ ^(idle|mix|alloc|comp)$ ]]; }

cmd_start() {
  need_root
  command -v slurmctld >/dev/null && command -v munged >/dev/null || die "Slurm/munge not installed; run: $0 install start"
  local t0=$SECONDS
  if pid_alive "$STATE_DIR/run/slurmctld.pid" && pid_alive "$STATE_DIR/run/slurmd.pid" \
     && usable_state "$(node_state)"; then
    say "already running"; cmd_status; return 0
  fi
  install -d -m 0755 "$STATE_DIR"/{state,spool,log,run}
  ensure_hostname_resolves
  start_munge
  if ! pid_alive "$STATE_DIR/run/slurmctld.pid"; then
    write_conf
    : >"$STATE_DIR/log/slurmctld.log"; : >"$STATE_DIR/log/slurmd.log"
    # -c: start from clean state (no jobs or node states from an earlier run).
    slurmctld -c || fail "slurmctld did not start"
  fi
  if ! pid_alive "$STATE_DIR/run/slurmd.pid"; then
    slurmd || fail "slurmd did not start"
  fi
  local state=""
  while (( SECONDS - t0 < START_TIMEOUT )); do
    state=$(node_state || true)
    usable_state "$state" && break
    sleep 0.5
  done
  usable_state "$state" || fail "node $NODE is '${state:-not reported}' after ${START_TIMEOUT}s (want idle)"
  # A scheduled step and a batch job both run end to end: auth, credentials, spool, stepd.
  timeout 30 srun -N1 -n1 -t 1 true || fail "'srun -N1 true' failed"
  local out="$STATE_DIR/run/start-check.out" job
  rm -f "$out"
  job=$(timeout 10 sbatch --parsable --no-requeue -N1 -n1 -t 1 -o "$out" --wrap 'echo ok') \
    || fail "'sbatch --wrap' was refused"
  wait_until 60 job_ended "$job" || fail "batch job $job did not finish within 60s"
  [[ $(job_field "$job" JobState) == COMPLETED ]] \
    || fail "batch job $job ended $(job_field "$job" JobState) (want COMPLETED)"
  [[ $(cat "$out" 2>/dev/null) == ok ]] || fail "batch job $job ran but its output $out is not 'ok'"
  say "started in $((SECONDS - t0))s"
  cmd_status
}

cmd_stop() {
  need_root
  if command -v squeue >/dev/null && pid_alive "$STATE_DIR/run/slurmctld.pid"; then
    # A dead slurmd leaves its job steps running; a fresh one registers, and the controller has it
    # kill every step of a job that is no longer running (cancelled, NODE_FAIL, timed out).
    if ! pid_alive "$STATE_DIR/run/slurmd.pid"; then
      say "slurmd is not running; starting it so that it reaps leftover job steps"
      slurmd || true
      wait_until 15 node_responding || say "node $NODE still not responding"
    fi
    local jobs; jobs=$(timeout 10 squeue -h -o '%i' 2>/dev/null || true)
    if [[ -n $jobs ]]; then
      say "cancelling jobs: $(tr '\n' ' ' <<<"$jobs")"
      scancel $jobs || true
      # KillWait (5 s) between SIGTERM and SIGKILL, then the epilog: allow three times that.
      wait_until 15 no_active_jobs || say "jobs still active: $(squeue -h -o '%i:%T' | tr '\n' ' ')"
    fi
  fi
  # The daemons remove their pid files as they begin to shut down: remember the pids first.
  local name pid i pids=()
  for name in slurmd slurmctld; do
    [[ -s $STATE_DIR/run/$name.pid ]] && pids+=("$name:$(cat "$STATE_DIR/run/$name.pid")")
  done
  if command -v scontrol >/dev/null && pid_alive "$STATE_DIR/run/slurmctld.pid"; then
    # Stops slurmctld and every registered slurmd.
    timeout 20 scontrol shutdown >/dev/null 2>&1 || true
  fi
  for name in "${pids[@]}"; do
    pid=${name#*:}; name=${name%%:*}
    for i in $(seq 150); do
      proc_alive "$pid" || break
      if [[ $i -eq 50 ]]; then kill "$pid" 2>/dev/null || true; fi
      sleep 0.1
    done
    if proc_alive "$pid"; then say "$name (pid $pid) did not stop on SIGTERM; SIGKILL"; kill -9 "$pid" || true; fi
    rm -f "$STATE_DIR/run/$name.pid"
  done
  if [[ -e $MUNGE_OURS ]]; then
    if pid_alive "$MUNGE_PID"; then
      kill "$(cat "$MUNGE_PID")"
      for i in $(seq 50); do pid_alive "$MUNGE_PID" || break; sleep 0.1; done
    fi
    rm -f "$MUNGE_OURS"
  elif pid_alive "$MUNGE_PID"; then
    say "munged was not started by this script; leaving it running"
  fi
  local left="" c
  for c in /proc/[0-9]*/comm; do
    [[ $(cat "$c" 2>/dev/null) == slurmstepd ]] || continue
    pid=${c#/proc/}; pid=${pid%/comm}
    if proc_alive "$pid"; then left+=" $pid"; fi
  done
  [[ -z ${left// /} ]] || say "WARNING: slurmstepd processes remain (pids:$left); they belong to jobs of a slurmd that died"
  rm -rf "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/run"
  say "stopped (logs kept in $STATE_DIR/log)"
}

cmd_status() {
  command -v sinfo >/dev/null || { say "not installed (no sinfo on PATH); run: $0 install start"; return 1; }
  [[ -s $CONF ]] || { say "no $CONF; run: $0 start"; return 1; }
  if ! timeout 10 scontrol ping >/dev/null 2>&1; then
    say "controller not responding; run: $0 start"; return 1
  fi
  timeout 10 sinfo -N -o '%N %P %t %c %m' || true
  timeout 10 squeue -o '%i %j %T %M %l %R' || true
  local state; state=$(node_state || true)
  if usable_state "$state"; then say "usable (node $NODE $state)"; return 0; fi
  say "not usable: node $NODE is '${state:-not reported}'"; return 1
}

[[ $# -gt 0 ]] || die "usage: $0 {install|start|stop|status}..."
for action in "$@"; do
  case $action in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) die "unknown action '$action'; usage: $0 {install|start|stop|status}..." ;;
  esac
done
