#!/usr/bin/env bash
# The README's "Many images on a cluster" recipes, run exactly as written, against one
# `kernelscope analyze` process over the same images (ctest slurm_recipe, parallel_recipe):
#   recipe_test.sh slurm|parallel KERNELSCOPE SAME_RESULTS README FIXTURES IMAGES
# slurm: as root, a single-node Slurm of its own (munged, slurmctld, slurmd on free ports,
# everything in a temporary folder), the recipe submitted to it, its jobs waited for.
# parallel: the GNU parallel lines on this machine. Either way the merged pass-1 and
# pass-2 folders must hold what the one-process run wrote (tests/cluster/same_results.cpp).
# Exit 77 (ctest SKIP) only when not root or a binary is missing; every daemon it started
# is stopped and the temporary folder removed, whatever happens.
set -Eeuo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND exited with $?." >&2' ERR  # never a silent stop
[ $# -eq 6 ] || { echo "usage: $0 slurm|parallel KERNELSCOPE SAME_RESULTS README FIXTURES IMAGES" >&2; exit 2; }
mode=$1
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

case $mode in
  slurm)
    [ "$EUID" -eq 0 ] || skip "the Slurm test runs its own munged, slurmctld and slurmd, as root."
    for b in munged slurmctld slurmd sbatch sinfo squeue scontrol scancel; do
      command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || skip "$b is not installed (scripts/bootstrap.sh installs it)."
    done
    export PATH="$PATH:/usr/sbin"
    # Nothing of a Slurm the test may itself run under (a CI job): its own cluster only.
    for v in $(compgen -v | grep -E '^(SLURM|SBATCH|SQUEUE|SINFO|SCANCEL|SCONTROL)_' || true); do unset "$v"; done ;;
  parallel) command -v parallel >/dev/null || skip "GNU parallel is not installed (scripts/bootstrap.sh installs it)." ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

ks=$(realpath "$2") same=$(realpath "$3") readme=$4 fixtures=$(realpath "$5") images=$(realpath "$6")

# The recipe: the fenced block between the README's markers, as written.
recipe=$(awk -v m="$mode-recipe" '
  $0 ~ "<!-- " m ":begin -->" { on = 1; next }
  $0 ~ "<!-- " m ":end -->" { on = 0 }
  on && /^```/ { fence = !fence; next }
  on && fence { print }' "$readme")
[ -n "$recipe" ] || fail "README.md has no fenced block between <!-- $mode-recipe:begin --> and <!-- $mode-recipe:end -->."

# Temporary folder: 0755 on the way to munged's socket (munged refuses a socket others
# cannot reach). Spaces in the recipe's paths check its quoting.
tmp=$(mktemp -d /tmp/ks_recipe.XXXXXX)
chmod 755 "$tmp"
daemons=()
cleanup() {
  local status=$?
  if [ "${SLURM_CONF:-}" = "$tmp/slurm.conf" ]; then  # this cluster's jobs only, never another's
    scancel --quiet --full --user=root >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

dump_logs() {
  for f in "$tmp"/*.log "$tmp/work dir/logs"/*; do
    [ -f "$f" ] && { echo "---- ${f#"$tmp"/}"; tail -n 30 "$f"; }
  done
  return 0
}

# Six images: the fixture's and the sample photos, in a folder with a space in its name.
img="$tmp/my images"
mkdir -p "$img"
cp "$fixtures/vit/p16_h2/image.png" "$img/fixture.png"
cp "$images"/*.png "$images"/*.jpg "$img/"
weights="$fixtures/vit/p16_h2/timm/model.safetensors"

# A port nothing listens on: connecting to it is refused.
free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 200); do
    [ "$p" = "${1:-}" ] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  fail "no free TCP port found."
}

wait_for() {  # wait_for SECONDS WHAT COMMAND...: until COMMAND succeeds
  local limit=$1 what=$2 start=$SECONDS
  shift 2
  until "$@"; do
    [ $((SECONDS - start)) -lt "$limit" ] || { dump_logs; fail "$what after ${limit} s."; }
    sleep 0.2
  done
}

start_cluster() {
  local node conf=$tmp/slurm.conf
  node=$(hostname -s)
  mkdir -m 755 "$tmp/munge"
  head -c 1024 /dev/urandom >"$tmp/munge/munge.key"
  chmod 400 "$tmp/munge/munge.key"
  munged -F --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/socket" --pid-file="$tmp/munge/munged.pid" \
    --seed-file="$tmp/munge/seed" --log-file="$tmp/munged.log" >>"$tmp/munged.log" 2>&1 &
  daemons+=($!)
  wait_for 10 "munged did not create its socket" test -S "$tmp/munge/socket"
  local ctld_port slurmd_port
  ctld_port=$(free_port)
  slurmd_port=$(free_port "$ctld_port")
  mkdir "$tmp/state" "$tmp/spool"
  # Jobs start as soon as their dependency is met: sched/builtin with no scheduling delay
  # ran the recipe's 8 jobs as trivial ones in 10 s, against 18-20 s with the default
  # batch_sched_delay (2 cores at load 13).
  cat >"$conf" <<EOF
ClusterName=kstest
SlurmctldHost=$node
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/builtin
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
NodeName=$node CPUs=$(nproc) RealMemory=100 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$conf
  slurmctld -D -c >"$tmp/slurmctld.out" 2>&1 &
  daemons+=($!)
  slurmd -D >"$tmp/slurmd.out" 2>&1 &
  daemons+=($!)
  wait_for 30 "the node was not idle" node_idle "$node"
}
node_idle() { [ "$(sinfo -h -n "$1" -o %T 2>/dev/null)" = idle ]; }

# Until the queue is empty; a job whose dependency can never be met fails the test at once.
queue_empty() {
  local q
  q=$(squeue -h -o '%i %T %r')
  if grep -q DependencyNeverSatisfied <<<"$q"; then
    echo "$q"; dump_logs; fail "a job of the recipe failed, so the ones after it can never start."
  fi
  [ -z "$q" ]
}

start=$SECONDS
[ "$mode" = slurm ] && start_cluster
echo "$mode: ready after $((SECONDS - start)) s"

work="$tmp/work dir"
status=0
(cd "$tmp" && KS=$ks WEIGHTS=$weights IMAGES=$img WORK=$work SHARDS=3 PARALLEL_HOME="$tmp/parallel_home" \
   bash -euo pipefail -c "$recipe") || status=$?
[ $status -eq 0 ] || { dump_logs; fail "the README's $mode recipe exited with $status."; }
if [ "$mode" = slurm ]; then
  wait_for 90 "the recipe's jobs were still queued" queue_empty
  # Every job of the recipe ran and succeeded (finished jobs stay in the controller's
  # memory): 2 arrays of 3 tasks and 2 merges.
  jobs=$(scontrol -o show job | awk '{ s = ""; for (i = 1; i <= NF; i++)
            if ($i ~ /^(JobId|ArrayJobId|ArrayTaskId|JobState|ExitCode)=/) s = s " " $i; print substr(s, 2) }')
  if grep -v 'JobState=COMPLETED' <<<"$jobs" | grep -q .; then
    echo "$jobs"; dump_logs; fail "a job of the recipe did not complete."
  fi
  [ "$(grep -c JobState=COMPLETED <<<"$jobs")" -eq 8 ] || { echo "$jobs"; fail "the recipe ran other than 8 jobs."; }
fi
echo "$mode: recipe done after $((SECONDS - start)) s"

# The same analysis in one process, both passes, with the threads the recipe's runs have:
# the forward pass's float32 sums depend on how many threads share them (1e-7 relative),
# which is no part of what the recipe is tested for.
threads=$(grep -o 'OMP_NUM_THREADS=[0-9]*' <<<"$recipe" | head -n 1 | cut -d= -f2 || true)
[ -z "$threads" ] || export OMP_NUM_THREADS=$threads
"$ks" analyze --weights "$weights" --images "$img" --out "$tmp/one" 2>"$tmp/one.log" || { cat "$tmp/one.log"; fail "the one-process run failed."; }
for f in data_specificity.csv mean_kernel.npy; do
  [ -f "$tmp/one/$f" ] || fail "the one-process run wrote no $f."
done
# Every table and array of the one-process run is in the merged pass-1 or pass-2 folder,
# and every copy of it there equals it.
shopt -s nullglob
for ref in "$tmp/one"/*.csv "$tmp/one"/*.npy; do
  f=$(basename "$ref")
  found=0
  for dir in "$work/pass1" "$work/pass2"; do
    [ -f "$dir/$f" ] || continue
    found=1
    "$same" "$ref" "$dir/$f" || fail "$mode: ${dir#"$work"/}/$f differs from the one-process run."
  done
  [ $found -eq 1 ] || fail "$mode: neither pass1/ nor pass2/ has $f."
done
[ -f "$work/pass2/data_specificity.csv" ] || fail "$mode: pass2/ has no data_specificity.csv."
[ -f "$work/pass1/mean_kernel.npy" ] || fail "$mode: pass1/ has no mean_kernel.npy."
echo "$mode: $(cd "$tmp/one" && echo *.csv *.npy) equal the one-process run's; $((SECONDS - start)) s in all"
