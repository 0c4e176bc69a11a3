#!/usr/bin/env bash
# Storage-engine benchmark: fio (the ceiling) and ComIO.Storage on the SAME device image in one run; reports ratios.
# Usage: bash bench/run.sh [--quick]      (make bench / make bench QUICK=1)
# Env:   BENCH_TMPDIR (default /tmp) where the device image and metadata live; ROUNDS to override the repeat count.
set -euo pipefail

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
for tool in fio dotnet python3; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is required (make setup installs fio)" >&2; exit 1; }
done
PYTHON=python3
[[ -x /usr/bin/python3 ]] && PYTHON=/usr/bin/python3

if [[ $QUICK == 1 ]]; then
  MODE=quick; DEVICE_SIZE=2G; REGION=2G; ROUNDS=${ROUNDS:-2}; FIO_SECONDS=3; DEVICE_SECONDS=2
  SEQ_TOTAL=512M; SMALL_SECONDS=3; RSS_SIZE=1G
else
  MODE=full; DEVICE_SIZE=8G; REGION=4G; ROUNDS=${ROUNDS:-3}; FIO_SECONDS=10; DEVICE_SECONDS=5
  SEQ_TOTAL=4G; SMALL_SECONDS=8; RSS_SIZE=5G
fi

WORK=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/comio-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
DEV="$WORK/device.img"
META="$WORK/metadata"
RAW="$WORK/raw.jsonl"
: >"$RAW"

need_kb=$(( $(numfmt --from=iec "$DEVICE_SIZE") / 1024 + 1048576 ))
avail_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
if (( avail_kb < need_kb )); then
  echo "bench: $WORK has $((avail_kb / 1024)) MiB free, needs $((need_kb / 1024)) MiB" >&2; exit 1
fi

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "mode=$MODE rounds=$ROUNDS device=$DEV ($DEVICE_SIZE) load: $(cut -d' ' -f1-3 /proc/loadavg)"
log "building bench/ComIO.Bench (Release)"
dotnet build "$BENCH/ComIO.Bench/ComIO.Bench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
APP="$BENCH/ComIO.Bench/bin/Release/net10.0/ComIO.Bench"

# Lay the image out once with real data (untimed): every later write, fio's or the engine's, overwrites allocated
# blocks, so neither pays ext4's first-write extent conversion and both see the same device.
truncate -s "$DEVICE_SIZE" "$DEV"
log "laying out the device image with fio (untimed)"
fio --name=layout --filename="$DEV" --rw=write --bs=1M --direct=1 --ioengine=psync --size="$DEVICE_SIZE" \
  --output-format=terse >/dev/null

# record <round> <source> <name> <json>
record() {
  "$PYTHON" -c 'import json,sys; print(json.dumps({"round": int(sys.argv[1]), "source": sys.argv[2], "name": sys.argv[3], "load1": float(sys.argv[5]), "data": json.loads(sys.argv[4])}))' \
    "$1" "$2" "$3" "$4" "$(cut -d' ' -f1 /proc/loadavg)" >>"$RAW"
}

# fio_job <round> <name> <fio args...>: one job on the device image, JSON output reduced to the fields the report uses.
fio_job() {
  local round=$1 name=$2; shift 2
  local out
  out=$(fio --name="$name" --filename="$DEV" --direct=1 --size="$REGION" --time_based --runtime="$FIO_SECONDS" \
        --ramp_time=1 --output-format=json "$@")
  record "$round" fio "$name" "$("$PYTHON" "$BENCH/fio_summary.py" <<<"$out")"
  log "fio $name: $(tail -n1 "$RAW" | cut -c1-220)"
}

# engine <round> <name> <command> <args...>
engine() {
  local round=$1 name=$2 command=$3; shift 3
  local out
  out=$("$APP" "$command" --device "$DEV" --metadata "$META" "$@" 2>>"$WORK/engine.log")
  record "$round" engine "$name" "$out"
  log "engine $name: $(cut -c1-220 <<<"$out")"
}

for round in $(seq 1 "$ROUNDS"); do
  log "round $round/$ROUNDS load: $(cut -d' ' -f1-3 /proc/loadavg)"
  engine "$round" hash hash --seconds 1
  # 1. Sequential 1 MiB direct I/O at QD1: fio, the engine's device layer alone, the engine.
  fio_job "$round" seq-write-qd1 --rw=write --bs=1M --ioengine=psync
  fio_job "$round" seq-read-qd1 --rw=read --bs=1M --ioengine=psync
  engine "$round" device-qd1 device --block 1M --queue-depth 1 --seconds "$DEVICE_SECONDS" --region "$REGION"
  engine "$round" seq-1m-qd1 seq --object-size 1M --total "$SEQ_TOTAL" --writers 1
  engine "$round" seq-64m-qd1 seq --object-size 64M --total "$SEQ_TOTAL" --writers 1
  # The durable-per-object ceiling for 1 MiB PUTs: each 1 MiB write followed by fdatasync.
  fio_job "$round" seq-write-sync-1m --rw=write --bs=1M --ioengine=psync --fdatasync=1
  # QD16: fio libaio iodepth 16; the engine with 16 concurrent writers/readers.
  fio_job "$round" seq-write-qd16 --rw=write --bs=1M --ioengine=libaio --iodepth=16
  fio_job "$round" seq-read-qd16 --rw=read --bs=1M --ioengine=libaio --iodepth=16
  engine "$round" device-qd16 device --block 1M --queue-depth 16 --seconds "$DEVICE_SECONDS" --region "$REGION"
  engine "$round" seq-1m-qd16 seq --object-size 1M --total "$SEQ_TOTAL" --writers 16
  engine "$round" seq-64m-qd16 seq --object-size 64M --total "$SEQ_TOTAL" --writers 16
  # 2. 4 KiB durable writes: fio write+fdatasync (one writer) vs engine PUTs, inline and device path, 1 and 32 writers.
  fio_job "$round" write-sync-4k --rw=write --bs=4k --ioengine=psync --fdatasync=1
  for writers in 1 32; do
    engine "$round" "put-4k-inline-w$writers" small-put --size 4K --writers "$writers" --seconds "$SMALL_SECONDS" --inline-threshold 16384
    engine "$round" "put-4k-device-w$writers" small-put --size 4K --writers "$writers" --seconds "$SMALL_SECONDS" --inline-threshold 0
  done
  # Diagnostic: the same 32-writer inline PUTs without the commit loop's gather wait (StorageEngineOptions.CommitGatherDelay).
  engine "$round" put-4k-inline-w32-nodelay small-put --size 4K --writers 32 --seconds "$SMALL_SECONDS" --inline-threshold 16384 --gather-delay-ms 0
done

# 3. Peak RSS while writing (then reading) one large object, in a process of its own.
log "large object: $RSS_SIZE"
engine 1 rss rss --size "$RSS_SIZE"

DATE=$(date -u +%Y-%m-%d)
SUFFIX=""
if [[ $QUICK == 1 ]]; then SUFFIX="-quick"; fi
mkdir -p "$BENCH/results"
"$PYTHON" "$BENCH/report.py" --raw "$RAW" --mode "$MODE" --rounds "$ROUNDS" --device-size "$DEVICE_SIZE" \
  --region "$REGION" --seq-total "$SEQ_TOTAL" --rss-size "$RSS_SIZE" \
  --loadavg-start "$LOAD_START" --loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --markdown "$BENCH/results/$DATE-storage$SUFFIX.md" \
  --json "$BENCH/results/$DATE-storage$SUFFIX.json"
