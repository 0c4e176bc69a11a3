#!/usr/bin/env bash
# Bounded soak test (issue 11): the site (API service + 2 storage nodes, one process each, loopback) under
# SOAK_CLIENTS concurrent AWSSDK.S3 clients running a mixed, verified workload for SOAK_DURATION; every service
# process's RSS, open descriptors, threads and GC heap sampled every SOAK_SAMPLE_SECONDS. Fails (exit 1) on any
# operation error, a wrong final listing, a service exit, or memory/descriptor growth (see bench/README.md).
# Usage: make soak | bash bench/soak.sh
# Env:   SOAK_DURATION (default 10m; 600, 600s, 10m, 1h), SOAK_CLIENTS (32), SOAK_SAMPLE_SECONDS (10), SOAK_SEED,
#        SOAK_TMPDIR (default /tmp; device images and metadata), SOAK_REPORT (default bench/results/soak-<date>.md)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

duration=${SOAK_DURATION:-10m}
case "$duration" in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *) seconds=$duration ;;
esac
[[ $seconds =~ ^[0-9]+$ ]] && (( seconds >= 30 )) || { echo "soak: SOAK_DURATION must be >= 30s (e.g. 60s, 10m), got '$duration'" >&2; exit 2; }
clients=${SOAK_CLIENTS:-32}
sample=${SOAK_SAMPLE_SECONDS:-10}
seed=${SOAK_SEED:-$(( RANDOM * 32768 + RANDOM ))}
report=${SOAK_REPORT:-$ROOT/bench/results/soak-$(date -u +%Y-%m-%d).md}

WORK=$(mktemp -d "${SOAK_TMPDIR:-/tmp}/comio-soak.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

echo "[soak] building bench/ComIO.Bench.Soak (Release)" >&2
dotnet build "$ROOT/bench/ComIO.Bench.Soak" -c Release -v quiet -nologo >&2
echo "[soak] ${seconds} s, ${clients} clients, sample every ${sample} s, seed ${seed}; report $report" >&2
"$ROOT/bench/ComIO.Bench.Soak/bin/Release/net10.0/ComIO.Bench.Soak" run \
  --root "$WORK" --duration "$seconds" --clients "$clients" --sample-seconds "$sample" --seed "$seed" --report "$report"
