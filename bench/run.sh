#!/usr/bin/env bash
# Layered benchmarks (DESIGN.md 9.10), every layer next to its ceiling in the same run; reports ratios.
#   1-2. device and engine: fio (the ceiling) and ComIO.Storage on the SAME device image
#   3.   S3 over HTTP: the ComIO site (API + 2 storage nodes) vs a bare Kestrel endpoint, same SigV4 generator
#   4.   scale: ListObjectsV2 page latency and PUT rate as a bucket grows; peak RSS of each process on one large PUT
#   +    BenchmarkDotNet [MemoryDiagnoser] on hot paths (SigV4 verification, aws-chunked decoding)
#   5.   replication east -> west (redis-server child, the real worker): objects/s and MB/s vs the client's own
#        GET+PUT copy; lag under a fixed write rate
# Usage: bash bench/run.sh [--quick]      (make bench / make bench QUICK=1)
# Env:   BENCH_TMPDIR (default /tmp) where the device image and metadata live; ROUNDS to override the repeat count;
#        BENCH_LAYERS=replication runs layer 5 alone (results/<date>-replication[-quick].*).
#        BENCH_SUFFIX is appended to the report name (results/<date><suffix>.*), e.g. to keep an earlier report of the day.
set -euo pipefail

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
  esac
done

LAYERS=${BENCH_LAYERS:-all}
case "$LAYERS" in
  all|replication) ;;
  *) echo "bench: BENCH_LAYERS must be 'all' or 'replication'" >&2; exit 2 ;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
for tool in fio dotnet python3 redis-server; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is required (make setup installs fio and redis-server)" >&2; exit 1; }
done
PYTHON=python3
[[ -x /usr/bin/python3 ]] && PYTHON=/usr/bin/python3

if [[ $QUICK == 1 ]]; then
  MODE=quick; DEVICE_SIZE=2G; REGION=2G; ROUNDS=${ROUNDS:-1}; FIO_SECONDS=2; DEVICE_SECONDS=2
  SEQ_TOTAL=512M; SMALL_SECONDS=2; RSS_SIZE=1G
  # CELL_SET=quick: random reads and objects of 4 KiB and 64 KiB at 32 streams only, 4 KiB objects inline only, no
  # 32-stream 1 MiB / 64 MiB cells, no device-path 4 KiB PUT rows.
  TOTAL_4K=16M; TOTAL_64K=128M; CELL_SET=quick
  # S3 layer: 0.5 s per cell, no ListObjectVersions cells; concurrency 1 and 16 (64 MiB objects: 1 stream only);
  # node devices 2 GiB each.
  S3_SIZES=4K,1M,64M; S3_CONC=1,16; S3_SECONDS=0.5; S3_LARGE_CAP=1; S3_DEVICE=2G; S3_KEY_BYTES=256M; S3_OPS=PUT,GET,HEAD,LIST,DELETE
  SCALE_SMALL=10000; SCALE_LARGE=100000; SCALE_SECONDS=2; SCALE_LIST_SECONDS=2; MICRO_ITERATIONS=1
  # Replication: 300 x 4 KiB, 2 x 64 MiB, 6 s of writes at half the replicated 4 KiB rate (~1 min in all).
  REPL_SMALL=300; REPL_LARGE=2; REPL_LAG_SECONDS=6; REPL_DEVICE=1G
else
  MODE=full; DEVICE_SIZE=8G; REGION=4G; ROUNDS=${ROUNDS:-3}; FIO_SECONDS=10; DEVICE_SECONDS=5
  SEQ_TOTAL=4G; SMALL_SECONDS=8; RSS_SIZE=5G
  TOTAL_4K=64M; TOTAL_64K=512M; CELL_SET=all
  S3_SIZES=4K,64K,1M,64M; S3_CONC=1,32; S3_SECONDS=5; S3_LARGE_CAP=32; S3_DEVICE=6G; S3_KEY_BYTES=512M; S3_OPS=PUT,GET,HEAD,LIST,LISTV,DELETE
  SCALE_SMALL=10000; SCALE_LARGE=1000000; SCALE_SECONDS=5; SCALE_LIST_SECONDS=8; MICRO_ITERATIONS=15
  REPL_SMALL=2000; REPL_LARGE=8; REPL_LAG_SECONDS=30; REPL_DEVICE=2G
fi
START_SECONDS=$SECONDS

WORK=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/comio-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
DEV="$WORK/device.img"
META="$WORK/metadata"
RAW="$WORK/raw.jsonl"
S3RAW="$WORK/s3.jsonl"
: >"$RAW"
: >"$S3RAW"

need_kb=$(( ($(numfmt --from=iec "$DEVICE_SIZE") + 2 * $(numfmt --from=iec "$S3_DEVICE") + 2 * $(numfmt --from=iec "$RSS_SIZE")) / 1024 + 2097152 ))
avail_kb=$(df -Pk "$WORK" | awk 'NR==2 {print $4}')
if (( avail_kb < need_kb )); then
  echo "bench: $WORK has $((avail_kb / 1024)) MiB free, needs $((need_kb / 1024)) MiB" >&2; exit 1
fi

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_START=$(uptime)
log "mode=$MODE rounds=$ROUNDS device=$DEV ($DEVICE_SIZE) load: $(cut -d' ' -f1-3 /proc/loadavg)"
log "building bench/ComIO.Bench and bench/ComIO.Bench.S3 (Release)"
[[ $LAYERS == all ]] && dotnet build "$BENCH/ComIO.Bench/ComIO.Bench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet build "$BENCH/ComIO.Bench.S3/ComIO.Bench.S3.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
APP="$BENCH/ComIO.Bench/bin/Release/net10.0/ComIO.Bench"
S3APP="$BENCH/ComIO.Bench.S3/bin/Release/net10.0/ComIO.Bench.S3"
# What was built, recorded now: the report is written at the end, and the tree may have changed meanwhile.
CODE_COMMIT=$(git -C "$BENCH" rev-parse --short HEAD 2>/dev/null || echo "?")
CODE_DIRTY=$([[ -n $(git -C "$BENCH/.." status --porcelain -- 'ComIO.*' ':(exclude)*.md' 2>/dev/null) ]] && echo yes || echo no)

# s3 <command> <args...>: one ComIO.Bench.S3 command; it appends its JSON lines to $S3RAW.
s3() {
  local command=$1; shift
  log "s3 $command (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$S3APP" "$command" --out "$S3RAW" "$@" 2>>"$WORK/s3.log" || { tail -n 30 "$WORK/s3.log" >&2; exit 1; }
}

if [[ $LAYERS == all ]]; then # layers 1-4 and the hot paths (the replication layer follows at the end)

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
  # 32 streams of 1 MiB and 64 MiB objects (the device's ceiling stays fio at QD16).
  if [[ $CELL_SET == all ]]; then
    engine "$round" seq-1m-s32 seq --object-size 1M --total "$SEQ_TOTAL" --writers 32
    engine "$round" seq-64m-s32 seq --object-size 64M --total "$SEQ_TOTAL" --writers 32
  fi
  # Random reads, 4 KiB and 64 KiB: fio at QD1 (psync) and QD32 (libaio); the device layer with 1 and 32 callers (4 KiB).
  for qd in 1 32; do
    if [[ $CELL_SET == quick && $qd == 1 ]]; then continue; fi
    fio_engine=psync
    if [[ $qd == 32 ]]; then fio_engine=libaio; fi
    fio_job "$round" "randread-4k-qd$qd" --rw=randread --bs=4k --ioengine="$fio_engine" --iodepth="$qd"
    fio_job "$round" "randread-64k-qd$qd" --rw=randread --bs=64k --ioengine="$fio_engine" --iodepth="$qd"
    engine "$round" "device-4k-random-qd$qd" device --block 4K --queue-depth "$qd" --pattern random --ops read --seconds "$DEVICE_SECONDS" --region "$REGION"
  done
  # Objects of 4 KiB (inline, the default, and on the device) and 64 KiB (on the device), 1 and 32 streams: each
  # PUT durable, then every object read back (CRC32C verified) with the same concurrency.
  for streams in 1 32; do
    if [[ $CELL_SET == quick && $streams == 1 ]]; then continue; fi
    engine "$round" "seq-4k-inline-s$streams" seq --object-size 4K --total "$TOTAL_4K" --writers "$streams" --inline-threshold 16384
    if [[ $CELL_SET == all ]]; then
      engine "$round" "seq-4k-device-s$streams" seq --object-size 4K --total "$TOTAL_4K" --writers "$streams" --inline-threshold 0
    fi
    engine "$round" "seq-64k-s$streams" seq --object-size 64K --total "$TOTAL_64K" --writers "$streams"
  done
  # 2. 4 KiB durable writes: fio write+fdatasync (one writer) vs engine PUTs, inline and device path, 1 and 32 writers.
  fio_job "$round" write-sync-4k --rw=write --bs=4k --ioengine=psync --fdatasync=1
  engine "$round" device-4k-sync device --block 4K --queue-depth 1 --ops write --sync true --seconds "$DEVICE_SECONDS" --region "$REGION"
  fio_job "$round" write-sync-64k --rw=write --bs=64k --ioengine=psync --fdatasync=1
  for writers in 1 32; do
    engine "$round" "put-4k-inline-w$writers" small-put --size 4K --writers "$writers" --seconds "$SMALL_SECONDS" --inline-threshold 16384
    if [[ $CELL_SET == all ]]; then
      engine "$round" "put-4k-device-w$writers" small-put --size 4K --writers "$writers" --seconds "$SMALL_SECONDS" --inline-threshold 0
    fi
  done
  # Diagnostic: the same 32-writer device-path PUTs without the commit loop's gather wait (StorageEngineOptions.CommitGatherDelay;
  # only groups with data on the device wait, so inline PUTs never do).
  if [[ $CELL_SET == all ]]; then
    engine "$round" put-4k-device-w32-nodelay small-put --size 4K --writers 32 --seconds "$SMALL_SECONDS" --inline-threshold 0 --gather-delay-ms 0
  fi
done

# Peak RSS while writing (then reading) one large object through the engine, in a process of its own.
log "large object (engine): $RSS_SIZE"
engine 1 rss rss --size "$RSS_SIZE"
rm -rf "$DEV" "$META"

# 3. S3 over HTTP vs bare Kestrel. The nodes' images are laid out with real data first, like the fio image above.
S3ROOT="$WORK/s3"
for node in node1 node2; do
  mkdir -p "$S3ROOT/$node"
  truncate -s "$S3_DEVICE" "$S3ROOT/$node/device.img"
  fio --name=layout --filename="$S3ROOT/$node/device.img" --rw=write --bs=1M --direct=1 --ioengine=psync \
    --size="$S3_DEVICE" --output-format=terse >/dev/null
done
# A fixed server-GC heap count (no DATAS) for this process only: under DATAS, .NET 10's GC.GetTotalAllocatedBytes sums
# only the heaps active at the moment, so a cell's allocation count is wrong whenever the heap count changed during it
# (fixed in dotnet/runtime#131069, not in .NET 10). The services themselves, and the rss, sse, scale and replication
# commands, keep the default.
DOTNET_GCDynamicAdaptationMode=0 s3 http --root "$S3ROOT" --sizes "$S3_SIZES" --concurrency "$S3_CONC" --seconds "$S3_SECONDS" --ops "$S3_OPS" \
  --large-concurrency-cap "$S3_LARGE_CAP" --device-size "$S3_DEVICE" --key-bytes "$S3_KEY_BYTES"
# 3b. Encryption at rest: 1 MiB PUT/GET into an SSE-S3 bucket vs an unencrypted one, same site, cells alternating
#     per round (reuses the laid-out node images; the site reformats them in place).
s3 sse --root "$S3ROOT" --size 1M --concurrency "$S3_CONC" --seconds "$S3_SECONDS" --rounds "$ROUNDS" --device-size "$S3_DEVICE"
rm -rf "$S3ROOT"

# 4. Scale: a bucket filled through the nodes' engines; list pages and PUT rate at each size.
s3 scale --root "$WORK/scale" --keys-small "$SCALE_SMALL" --keys-large "$SCALE_LARGE" --seconds "$SCALE_SECONDS" \
  --list-seconds "$SCALE_LIST_SECONDS" --fill-writers 64 --put-concurrency 16 --device-size 1G
rm -rf "$WORK/scale"
# 4. Memory: API service and two nodes as separate processes, one $RSS_SIZE object PUT then GET.
s3 rss --root "$WORK/rss" --size "$RSS_SIZE"
rm -rf "$WORK/rss"

# Hot paths under BenchmarkDotNet (in-process toolchain, [MemoryDiagnoser]).
s3 micro --iterations "$MICRO_ITERATIONS" --artifacts "$WORK/bdn"
fi # layers 1-4

# 5. Replication east -> west: two sites, a redis-server child and east's replication worker in one process (sparse
#    node images under $WORK/replication). 4 KiB objects/s and 64 MiB MB/s vs the client's own GET+PUT copy, then lag
#    under 4 KiB PUTs at half the replicated 4 KiB rate.
s3 replication --root "$WORK/replication" --small-count "$REPL_SMALL" --large-count "$REPL_LARGE" --large-size 64M \
  --lag-seconds "$REPL_LAG_SECONDS" --lag-fraction 0.5 --concurrency 16 --worker-concurrency 16 --device-size "$REPL_DEVICE"
rm -rf "$WORK/replication"

DATE=$(date -u +%Y-%m-%d)
SUFFIX="${BENCH_SUFFIX:-}" # e.g. BENCH_SUFFIX=-2 keeps an earlier report of the same day
if [[ $LAYERS == replication ]]; then SUFFIX="-replication"; fi
if [[ $QUICK == 1 ]]; then SUFFIX="$SUFFIX-quick"; fi
mkdir -p "$BENCH/results"
"$PYTHON" "$BENCH/report.py" --raw "$RAW" --s3-raw "$S3RAW" --mode "$MODE" --rounds "$ROUNDS" --device-size "$DEVICE_SIZE" \
  --region "$REGION" --seq-total "$SEQ_TOTAL" --rss-size "$RSS_SIZE" \
  --s3-settings "sizes $S3_SIZES, concurrency $S3_CONC (objects >= 64 MiB: at most $S3_LARGE_CAP streams), $S3_SECONDS s per cell, node devices $S3_DEVICE" \
  --scale-settings "$SCALE_SMALL vs $SCALE_LARGE keys, $SCALE_LIST_SECONDS s of list pages, $SCALE_SECONDS s of PUTs at each size" \
  --replication-settings "$REPL_SMALL x 4 KiB and $REPL_LARGE x 64 MiB objects (16 clients write, the worker and the client copy 16 at a time), $REPL_LAG_SECONDS s of 4 KiB PUTs at half the replicated rate, west listed every 200 ms" \
  --layers "$LAYERS" \
  --loadavg-start "$LOAD_START" --loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" --uptime-start "$UPTIME_START" --uptime "$(uptime)" \
  --elapsed-seconds "$((SECONDS - START_SECONDS))" --code-commit "$CODE_COMMIT" --code-dirty "$CODE_DIRTY" \
  --markdown "$BENCH/results/$DATE$SUFFIX.md" \
  --json "$BENCH/results/$DATE$SUFFIX.json"

