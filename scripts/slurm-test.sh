#!/usr/bin/env bash
# End-to-end test of the Snakemake workflow on SLURM (issue 8): installs
# Debian's slurm-wlm, munge and snakemake when missing, starts munged and a
# single-node SLURM (slurmctld + slurmd) on this machine from a private
# slurm.conf (SLURM_CONF; /etc/slurm is not touched), writes the workflow for
# three simulated demo samples with `zonula workflow init`, runs it with
# `snakemake --profile profiles/slurm`, checks that every job went through
# sbatch and that the outputs equal `zonula batch`'s, and stops the daemons
# it started. Needs root (or sudo) and a machine where nothing else runs
# SLURM on ports 6817/6818. Usage: scripts/slurm-test.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=${1:-$(mktemp -d /tmp/zonula-slurm.XXXXXX)}
work=$(cd "$(mkdir -p "$work" && echo "$work")" && pwd)
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
start=$(date +%s)

need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || need+=(munge)
command -v snakemake >/dev/null 2>&1 || need+=(snakemake)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# munge: the key the package made, a daemon as user munge unless one runs.
started_munge=""
if ! munge -n </dev/null >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || $sudo -u munge /usr/sbin/mungekey --create 2>/dev/null || $sudo /usr/sbin/create-munge-key -f
  $sudo install -d -o munge -g munge -m 0755 /run/munge
  $sudo runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/zonula-test-munged.pid
  started_munge=1
  for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
fi
munge -n </dev/null | unmunge >/dev/null

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/{printf "%d", $2/1024*0.8}' /proc/meminfo)
state="$work/slurm"
mkdir -p "$state/ctld" "$state/d"
export SLURM_CONF="$state/slurm.conf"
cat > "$SLURM_CONF" <<EOF
# Single-node SLURM for scripts/slurm-test.sh (no cgroups: works in containers).
ClusterName=zonulatest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# stop ends the daemons this script started (by their pid files) and waits
# for them to exit.
stop() {
  local pids=()
  for f in "$state/slurmd.pid" "$state/slurmctld.pid"; do
    [ -s "$f" ] && pids+=("$(cat "$f")")
  done
  for p in "${pids[@]}"; do $sudo kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do $sudo kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  done
  [ -n "$started_munge" ] && [ -s /run/munge/zonula-test-munged.pid ] && $sudo kill "$(cat /run/munge/zonula-test-munged.pid)" 2>/dev/null || true
}
trap stop EXIT
$sudo env SLURM_CONF="$SLURM_CONF" slurmctld
$sudo env SLURM_CONF="$SLURM_CONF" slurmd -N "$host"
for i in $(seq 60); do
  sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)' && break
  [ "$i" -eq 60 ] && { echo "SLURM did not come up; logs in $state" >&2; sinfo >&2 || true; tail -20 "$state"/*.log >&2; exit 1; }
  sleep 1
done
echo "slurm: $(sinfo -h -o '%P %D %T %c cpus')" >&2

# The workflow on three simulated demo samples.
go build -trimpath -o "$work/zonula" ./cmd/zonula
z="$work/zonula"
mkdir -p "$work/reads"
printf 'sample,reads,group,age\n' > "$work/sheet.csv"
for i in 1 2 3; do
  "$z" simulate --composition "$repo/testdata/demo/composition.tsv" --reads 300 --seed "$i" -o "$work/reads/S$i.fastq.gz"
  printf 'S%s,reads/S%s.fastq.gz,g%s,%s\n' "$i" "$i" $((i % 2)) $((30 + i)) >> "$work/sheet.csv"
done
rm -rf "$work/wf" "$work/batch"
"$z" workflow init -q "$work/wf" --sheet "$work/sheet.csv" --zonula "$z" --threads 1 --mem-mb 1000 --runtime 10 --format html
(cd "$work/wf" && snakemake --profile profiles/slurm) > "$work/snakemake.log" 2>&1 || {
  echo "snakemake failed; log: $work/snakemake.log" >&2; tail -30 "$work/snakemake.log" >&2; exit 1; }

# Every sample job went through SLURM, and the outputs equal zonula batch's.
fail=0
jobs=$(grep -c "Submitted job .* with external jobid" "$work/snakemake.log" || true)
[ "$jobs" -eq 3 ] || { echo "FAIL: $jobs jobs submitted to SLURM, want 3 (combine runs locally)" >&2; fail=1; }
[ "$(ls "$work/wf/logs/slurm" | wc -l)" -eq 3 ] || { echo "FAIL: want 3 SLURM job logs in logs/slurm" >&2; fail=1; }
"$z" batch -q --format html "$work/sheet.csv" -o "$work/batch"
for f in abundance-genus.tsv abundance-genus.biom zonula_qc_mqc.tsv S1/abundance.tsv S2/qc.json S3/reads.tsv.gz S1/metrics.json S2/profile.biom \
  cohort/distances.tsv cohort/alpha.tsv cohort/permanova.tsv; do
  cmp -s "$work/wf/results/$f" "$work/batch/$f" || { echo "FAIL: $f differs between the SLURM workflow and zonula batch" >&2; fail=1; }
done
for i in 1 2 3; do
  [ -s "$work/wf/results/S$i/report.html" ] || { echo "FAIL: no report for S$i" >&2; fail=1; }
done
[ $fail -eq 0 ] || exit 1
echo "ok: workflow ran 3 samples through SLURM ($jobs sbatch jobs), combined them and made the cohort report; outputs equal zonula batch's; $(($(date +%s) - start)) s" >&2
