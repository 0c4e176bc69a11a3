#!/usr/bin/env python3
"""Turns bench/run.sh's raw measurements (JSON lines) into the results table (Markdown + JSON) and prints it.

Every ratio is computed per round from an engine measurement and a ceiling measured minutes apart in the same run on
the same device image, then the median over rounds is reported (with the min-max range), so background load on a
shared machine shows up as spread rather than as a biased ratio.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

MB = "MB/s"

# (section, metric, engine (name, field), ceiling (source, name, field), unit, latency fields for notes, note)
ROWS = [
    ("Sequential 1 MiB, QD1", "device layer write (DirectIoBlockDevice, no flush)", ("device-qd1", "write_mb_s"), ("fio", "seq-write-qd1", "write_mb_s"), MB, ("write", "write"), "same work as fio: .NET pwrite cost"),
    ("Sequential 1 MiB, QD1", "PUT 1 MiB objects, 1 writer", ("seq-1m-qd1", "write_mb_s"), ("fio", "seq-write-qd1", "write_mb_s"), MB, ("write", "write"), "latency per object vs per fio write; each PUT = MD5+CRC, write, fdatasync, RocksDB sync"),
    ("Sequential 1 MiB, QD1", "PUT 1 MiB objects vs durable ceiling", ("seq-1m-qd1", "write_mb_s"), ("fio", "seq-write-sync-1m", "write_mb_s"), MB, ("write", "write"), "ceiling: fio 1 MiB write + fdatasync each"),
    ("Sequential 1 MiB, QD1", "PUT 64 MiB objects, 1 writer", ("seq-64m-qd1", "write_mb_s"), ("fio", "seq-write-qd1", "write_mb_s"), MB, None, "latency per 64 MiB object"),
    ("Sequential 1 MiB, QD1", "PUT 64 MiB objects vs MD5 rate (1 core)", ("seq-64m-qd1", "write_mb_s"), ("engine", "hash", "md5_cpu_mb_s"), MB, None, "ceiling: .NET MD5 per CPU-second of one core (the ETag is one sequential MD5 per object)"),
    ("Sequential 1 MiB, QD1", "device layer read", ("device-qd1", "read_mb_s"), ("fio", "seq-read-qd1", "read_mb_s"), MB, ("read", "read"), ""),
    ("Sequential 1 MiB, QD1", "GET 1 MiB objects (CRC32C verified), 1 reader", ("seq-1m-qd1", "read_mb_s"), ("fio", "seq-read-qd1", "read_mb_s"), MB, ("read", "read"), "latency per object vs per fio read"),
    ("Sequential 1 MiB, QD1", "GET 64 MiB objects (CRC32C verified), 1 reader", ("seq-64m-qd1", "read_mb_s"), ("fio", "seq-read-qd1", "read_mb_s"), MB, None, "engine reads 1 MiB at a time, one device read in flight (QD1), up to 2 buffers read ahead while verifying and copying"),
    ("Sequential 1 MiB, QD16", "device layer write, 16 threads", ("device-qd16", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, ("write", "write"), "fio: libaio iodepth 16"),
    ("Sequential 1 MiB, QD16", "PUT 1 MiB objects, 16 writers", ("seq-1m-qd16", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, ("write", "write"), ""),
    ("Sequential 1 MiB, QD16", "PUT 64 MiB objects, 16 writers", ("seq-64m-qd16", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, None, ""),
    ("Sequential 1 MiB, QD16", "device layer read, 16 threads", ("device-qd16", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, ("read", "read"), ""),
    ("Sequential 1 MiB, QD16", "GET 1 MiB objects, 16 readers", ("seq-1m-qd16", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, ("read", "read"), ""),
    ("Sequential 1 MiB, QD16", "GET 64 MiB objects, 16 readers", ("seq-64m-qd16", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, None, ""),
    ("Sequential 1 MiB, 32 streams", "PUT 1 MiB objects, 32 writers", ("seq-1m-s32", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, ("write", "write"), "ceiling: fio at QD16"),
    ("Sequential 1 MiB, 32 streams", "GET 1 MiB objects, 32 readers", ("seq-1m-s32", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, ("read", "read"), "ceiling: fio at QD16"),
    ("Sequential 1 MiB, 32 streams", "PUT 64 MiB objects, 32 writers", ("seq-64m-s32", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, None, "ceiling: fio at QD16"),
    ("Sequential 1 MiB, 32 streams", "GET 64 MiB objects, 32 readers", ("seq-64m-s32", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, None, "ceiling: fio at QD16"),
    ("Random reads", "device layer 4 KiB random read, 1 caller", ("device-4k-random-qd1", "read_iops"), ("fio", "randread-4k-qd1", "read_iops"), "ops/s", ("read", "read"), "fio: psync, one read in flight"),
    ("Random reads", "device layer 4 KiB random read, 32 callers", ("device-4k-random-qd32", "read_iops"), ("fio", "randread-4k-qd32", "read_iops"), "ops/s", ("read", "read"), "fio: libaio iodepth 32; the device layer queues up to 32 small transfers to the kernel with Linux AIO (the first on its caller's thread)"),
    ("Objects of 4 KiB and 64 KiB", "GET 4 KiB inline objects, 1 reader", ("seq-4k-inline-s1", "read_objects_s"), ("fio", "randread-4k-qd1", "read_iops"), "ops/s", ("read", "read"), "inline (the default below 16 KiB): the data is read from the metadata store (RocksDB, page cache), not the device; ceiling: fio 4 KiB random read QD1"),
    ("Objects of 4 KiB and 64 KiB", "GET 4 KiB inline objects, 32 readers", ("seq-4k-inline-s32", "read_objects_s"), ("fio", "randread-4k-qd32", "read_iops"), "ops/s", ("read", "read"), "ceiling: fio 4 KiB random read QD32"),
    ("Objects of 4 KiB and 64 KiB", "GET 4 KiB objects on the device (InlineThreshold=0), 1 reader", ("seq-4k-device-s1", "read_objects_s"), ("fio", "randread-4k-qd1", "read_iops"), "ops/s", ("read", "read"), "record lookup + one 4 KiB device read + CRC32C per GET"),
    ("Objects of 4 KiB and 64 KiB", "GET 4 KiB objects on the device, 32 readers", ("seq-4k-device-s32", "read_objects_s"), ("fio", "randread-4k-qd32", "read_iops"), "ops/s", ("read", "read"), ""),
    ("Objects of 4 KiB and 64 KiB", "PUT 64 KiB objects, 1 writer", ("seq-64k-s1", "write_objects_s"), ("fio", "write-sync-64k", "write_iops"), "ops/s", ("write", "sync"), "ceiling: fio 64 KiB O_DIRECT write + fdatasync, 1 job; each PUT = MD5+CRC, write, device fdatasync, RocksDB sync"),
    ("Objects of 4 KiB and 64 KiB", "PUT 64 KiB objects, 32 writers", ("seq-64k-s32", "write_objects_s"), ("fio", "write-sync-64k", "write_iops"), "ops/s", ("write", "sync"), "group commit"),
    ("Objects of 4 KiB and 64 KiB", "GET 64 KiB objects, 1 reader", ("seq-64k-s1", "read_objects_s"), ("fio", "randread-64k-qd1", "read_iops"), "ops/s", ("read", "read"), "ceiling: fio 64 KiB random read QD1"),
    ("Objects of 4 KiB and 64 KiB", "GET 64 KiB objects, 32 readers", ("seq-64k-s32", "read_objects_s"), ("fio", "randread-64k-qd32", "read_iops"), "ops/s", ("read", "read"), "ceiling: fio 64 KiB random read QD32"),
    ("4 KiB PUT", "device layer 4 KiB write + fdatasync, 1 caller", ("device-4k-sync", "write_iops"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("write", "sync"), "the same work as fio's 4 KiB write + fdatasync job (the ceiling of the rows below)"),
    ("4 KiB PUT", "PUT 4 KiB inline, 1 writer", ("put-4k-inline-w1", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "ceiling: fio 4 KiB O_DIRECT write + fdatasync, 1 job; one RocksDB WAL sync per PUT"),
    ("4 KiB PUT", "PUT 4 KiB device path (InlineThreshold=0), 1 writer", ("put-4k-device-w1", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "data write + device fdatasync + WAL sync per PUT"),
    ("4 KiB PUT", "PUT 4 KiB inline, 32 writers", ("put-4k-inline-w32", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "group commit"),
    ("4 KiB PUT", "PUT 4 KiB device path, 32 writers", ("put-4k-device-w32", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "group commit"),
    ("4 KiB PUT", "PUT 4 KiB device path, 32 writers, CommitGatherDelay=0 (diagnostic)", ("put-4k-device-w32-nodelay", "puts_s"), ("engine", "put-4k-device-w32", "puts_s"), "ops/s", ("put", "put"), "ceiling column = same load with the default 1 ms gather delay"),
    ("4 KiB PUT", "group-commit speedup inline (32 writers / 1 writer)", ("put-4k-inline-w32", "puts_s"), ("engine", "put-4k-inline-w1", "puts_s"), "ops/s", None, "ceiling column = 1-writer rate"),
    ("4 KiB PUT", "group-commit speedup device path (32 / 1)", ("put-4k-device-w32", "puts_s"), ("engine", "put-4k-device-w1", "puts_s"), "ops/s", None, "ceiling column = 1-writer rate"),
    ("CPU cost (contention-proof)", "PUT 1 MiB objects: process CPU per MiB", ("seq-1m-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "md5_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = MD5 alone; ratio > 1 = CPU spent beyond MD5 (CRC32C, copies, syscalls, RocksDB, GC)"),
    ("CPU cost (contention-proof)", "PUT 64 MiB objects: process CPU per MiB", ("seq-64m-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "md5_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = MD5 alone"),
    ("CPU cost (contention-proof)", "PUT 64 MiB objects vs per-byte floor", ("seq-64m-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "pipeline_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = copy into an aligned buffer + MD5 + CRC32C per 64 KiB, no engine (hash command); add the device-layer pwrite cost below for the full floor"),
    ("CPU cost (contention-proof)", "device layer write: process CPU per MiB", ("device-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "md5_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = MD5 alone: what the bare O_DIRECT pwrite costs next to the hash"),
    ("CPU cost (contention-proof)", "PUT 4 KiB inline, 32 writers: CPU per PUT", ("put-4k-inline-w32", "cpu_us_per_put"), ("engine", "put-4k-inline-w1", "cpu_us_per_put"), "µs", None, "ceiling column = 1 writer; 2 vCPUs / this cost bounds the small-PUT rate"),
    ("CPU cost (contention-proof)", "PUT 4 KiB device path, 32 writers: CPU per PUT", ("put-4k-device-w32", "cpu_us_per_put"), ("engine", "put-4k-device-w1", "cpu_us_per_put"), "µs", None, "ceiling column = 1 writer"),
    ("CPU cost (contention-proof)", "GET 4 KiB inline objects, 32 readers: CPU per GET", ("seq-4k-inline-s32", "read_cpu_us_per_object"), ("engine", "seq-4k-inline-s1", "read_cpu_us_per_object"), "µs", None, "ceiling column = 1 reader"),
    ("CPU cost (contention-proof)", "GET 64 KiB objects, 32 readers: CPU per GET", ("seq-64k-s32", "read_cpu_us_per_object"), ("engine", "seq-64k-s1", "read_cpu_us_per_object"), "µs", None, "ceiling column = 1 reader"),
    ("CPU cost (contention-proof)", "GET 64 MiB objects: process CPU per MiB", ("seq-64m-qd1", "read_cpu_ms_per_mib"), ("engine", "hash", "crc32c_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = CRC32C alone; the rest is pread (kernel), copy-out, read-ahead tasks"),
]


def load(path):
    data = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                r["data"]["load1"] = r.get("load1")
                data.setdefault((r["source"], r["name"]), {})[r["round"]] = r["data"]
    return data


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if abs(v) < 1:
        return f"{v:.3f} {unit}".strip()
    if abs(v) >= 100:
        s = f"{v:,.0f}"
    elif abs(v) >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return f"{s} {unit}".strip()


def group_size_note(data, name):
    runs = data.get(("engine", name), {})
    sizes = [r.get("mean_group_size") for r in runs.values() if r.get("mean_group_size")]
    return f"mean commit group {statistics.median(sizes):.1f}" if sizes else ""


def build_rows(data):
    rows = []
    for section, metric, (ename, efield), (csrc, cname, cfield), unit, lat, note in ROWS:
        eruns = data.get(("engine", ename), {})
        cruns = data.get((csrc, cname), {})
        rounds = sorted(set(eruns) & set(cruns))
        if not rounds:
            continue  # not measured in this run (the quick run skips some cells)
        evals = [eruns[r].get(efield) for r in rounds]
        cvals = [cruns[r].get(cfield) for r in rounds]
        ratios = [e / c for e, c in zip(evals, cvals) if e is not None and c]
        row = {
            "section": section, "metric": metric, "unit": unit,
            "comio": statistics.median([v for v in evals if v is not None]) if any(v is not None for v in evals) else None,
            "ceiling": statistics.median([v for v in cvals if v is not None]) if any(v is not None for v in cvals) else None,
            "ratio": statistics.median(ratios) if ratios else None,
            "ratio_min": min(ratios) if ratios else None, "ratio_max": max(ratios) if ratios else None,
            "per_round": [{"round": r, "comio": e, "ceiling": c} for r, e, c in zip(rounds, evals, cvals)],
        }
        notes = []
        if lat:
            ep, cp = lat
            e50 = statistics.median([eruns[r].get(f"{ep}_p50_ms", 0) for r in rounds]) if rounds else 0
            e99 = statistics.median([eruns[r].get(f"{ep}_p99_ms", 0) for r in rounds]) if rounds else 0
            if csrc == "fio" and cp == "sync":
                # A write+fdatasync pair: write completion plus sync latency.
                c50 = statistics.median([cruns[r].get("write_p50_ms", 0) + cruns[r].get("sync_p50_ms", 0) for r in rounds])
                c99 = statistics.median([cruns[r].get("write_p99_ms", 0) + cruns[r].get("sync_p99_ms", 0) for r in rounds])
            else:
                c50 = statistics.median([cruns[r].get(f"{cp}_p50_ms", 0) for r in rounds])
                c99 = statistics.median([cruns[r].get(f"{cp}_p99_ms", 0) for r in rounds])
            row.update({"comio_p50_ms": e50, "comio_p99_ms": e99, "ceiling_p50_ms": c50, "ceiling_p99_ms": c99})
        elif rounds and eruns[rounds[0]].get("write_p50_ms") is not None and "64 MiB" in metric and unit == MB:
            field = "read" if "GET" in metric else "write"
            e50 = statistics.median([eruns[r].get(f"{field}_p50_ms", 0) for r in rounds])
            e99 = statistics.median([eruns[r].get(f"{field}_p99_ms", 0) for r in rounds])
            row.update({"comio_p50_ms": e50, "comio_p99_ms": e99})
        if "inline" in ename or "device-w" in ename:
            g = group_size_note(data, ename)
            if g:
                notes.append(g)
        if note:
            notes.append(note)
        if len(ratios) > 1:
            notes.append(f"ratio range {min(ratios):.2f}-{max(ratios):.2f} over {len(ratios)} rounds")
        row["notes"] = "; ".join(notes)
        rows.append(row)
    return rows


def rss_rows(data, rss_size):
    runs = data.get(("engine", "rss"), {})
    if not runs:
        return []
    r = runs[min(runs)]
    size_mb = r["size"] / 1048576
    return [{
        "section": "Memory", "metric": f"peak RSS writing one {rss_size}iB object", "unit": "MiB",
        "comio": r["write_hwm_mb"], "ceiling": r["baseline_rss_mb"], "ratio": r["write_hwm_mb"] / size_mb,
        "notes": (f"peak RSS (VmHWM) after the PUT; ceiling column = RSS after engine start-up and a 4 MiB warm-up PUT "
                  f"(peak reset before the large PUT: {'yes' if r.get('hwm_reset') else 'no'}); ratio column = growth during the PUT; "
                  f"peak / object size = {r['write_hwm_mb'] / size_mb:.3f}; "
                  f"PUT {r['write_mb_s']:.0f} MB/s, GET {r['read_mb_s']:.0f} MB/s, peak after GET {r['read_hwm_mb']:.0f} MiB"),
        "raw": r,
    }]


def machine(loadavg_end, code_commit="", code_dirty=""):
    """code_commit / code_dirty ("yes"/"no"): what run.sh saw when it built the benchmarks (the tree may change during a run)."""
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:  # noqa: BLE001 - best effort description
            return "?"
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(), "memory_gib": round(mem_gib, 1), "kernel": platform.release(),
        "fio": run(["fio", "--version"]), "dotnet": run(["dotnet", "--version"]),
        "loadavg_end": loadavg_end,
        "commit": code_commit or "?",
        "code_dirty": code_dirty == "yes",
    }


# ---------------------------------------------------------------- layers 3-4 and the hot paths (ComIO.Bench.S3)

KIB, MIB = 1024, 1024 * 1024
OPS = ("PUT", "GET", "HEAD", "LIST", "LISTV", "DELETE")


def size_label(size):
    size = int(size)
    return f"{size // MIB} MiB" if size >= MIB else f"{size // KIB} KiB"


def load_s3(path):
    out = []
    if path and os.path.exists(path):
        with open(path) as f:
            out = [json.loads(line) for line in f if line.strip()]
    return out


def lat(r):
    return (r.get("p50_ms"), r.get("p99_ms")) if r else (None, None)


def two_hop_text(two_hop, ceiling, comio, unit):
    """The two-hop ceiling's figure, its ratio to the ceiling (the bound for a front end + storage tier), and ComIO's ratio to it."""
    text = f"two-hop ceiling {fmt(two_hop, unit)} = {two_hop / ceiling:.2f} of the ceiling (the most a front end + storage tier design reaches here)"
    return text + (f"; ComIO = {comio / two_hop:.2f} of it" if comio is not None and two_hop else "")


def s3_rows(records):
    cells = {(r["target"], r["op"], int(r["size"]), int(r["concurrency"])): r for r in records if r.get("command") == "s3"}
    keys = sorted({(op, size, c) for (_, op, size, c) in cells}, key=lambda k: (int(k[1]), OPS.index(k[0]), k[2]))
    rows = []
    for op, size, c in keys:
        e, c_, t = cells.get(("comio", op, size, c)), cells.get(("ceiling", op, size, c)), cells.get(("two-hop", op, size, c))
        bulk = op in ("PUT", "GET") and size >= MIB
        field, unit = ("mb_s", MB) if bulk else ("ops_s", "ops/s")
        ev, cv, tv = (e or {}).get(field), (c_ or {}).get(field), (t or {}).get(field)
        what = {"LIST": f"ListObjectsV2 page of {int((e or c_).get('page_keys', 100))} keys (bucket holds the {size_label(size)} objects)",
                "LISTV": f"ListObjectVersions page of {int((e or c_).get('page_keys', 100))} versions (same bucket)",
                "HEAD": f"HEAD {size_label(size)} objects", "DELETE": f"DELETE {size_label(size)} objects"}.get(op, f"{op} {size_label(size)} objects")
        notes = []
        if e and c_:
            notes.append(f"CPU per request (generator + server, whole process) ComIO {e['cpu_us_per_op']:,.0f} µs vs ceiling {c_['cpu_us_per_op']:,.0f} µs")
            if "alloc_bytes_per_op" in e and "alloc_bytes_per_op" in c_:
                notes.append(f"managed heap allocated per request (same process) ComIO {e['alloc_bytes_per_op'] / 1024:,.1f} KiB vs ceiling {c_['alloc_bytes_per_op'] / 1024:,.1f} KiB")
        if tv is not None and cv:
            notes.append(two_hop_text(tv, cv, ev, unit))
        if e and t and "pool_items_per_op" in e and "pool_items_per_op" in t:
            notes.append(f"thread-pool hand-offs per request (same process) ComIO {e['pool_items_per_op']:.1f} vs two-hop ceiling {t['pool_items_per_op']:.1f}")
        if e and "node_requests_per_op" in e:
            notes.append(f"{e['node_requests_per_op']:.2f} storage-node calls per request")
        if e and "mean_commit_group" in e and op in ("PUT", "DELETE"):
            notes.append(f"mean commit group {e['mean_commit_group']:.1f}")
        if e and c_ and not bulk and size >= MIB:
            pass
        if e and bulk:
            notes.append(f"{e['ops_s']:,.1f} ops/s")
        rows.append({
            "section": "S3 over HTTP", "metric": f"{what}, {c} client{'s' if c > 1 else ''}", "unit": unit,
            "op": op, "size": size, "concurrency": c,
            "comio": ev, "ceiling": cv, "ratio": ev / cv if ev is not None and cv else None,
            "two_hop": tv, "two_hop_bound": tv / cv if tv is not None and cv else None,
            "comio_p50_ms": lat(e)[0], "comio_p99_ms": lat(e)[1], "ceiling_p50_ms": lat(c_)[0], "ceiling_p99_ms": lat(c_)[1],
            "notes": "; ".join(notes), "raw": {"comio": e, "ceiling": c_, "two-hop": t},
        })
    # Group commit seen through HTTP: the most concurrent 4 KiB PUT rate over the single-client rate.
    small = min((k[1] for k in keys), default=None)
    puts = sorted(c for (t, op, size, c) in cells if t == "comio" and op == "PUT" and size == small)
    if len(puts) > 1 and puts[0] == 1:
        hi, lo = cells[("comio", "PUT", small, puts[-1])], cells[("comio", "PUT", small, 1)]
        hop = cells.get(("two-hop", "PUT", small, puts[-1]))
        rows.append({
            "section": "S3 over HTTP", "metric": f"group-commit speedup over HTTP: PUT {size_label(small)} {puts[-1]} clients / 1 client",
            "unit": "ops/s", "comio": hi["ops_s"], "ceiling": lo["ops_s"], "ratio": hi["ops_s"] / lo["ops_s"], "kind": "put-speedup",
            "concurrency": puts[-1],
            "notes": "ceiling column = 1-client ComIO rate" + (
                f"; the two-hop ceiling's {puts[-1]}-client PUT rate ({hop['ops_s']:,.0f}/s) is {hop['ops_s'] / lo['ops_s']:.1f}× that rate"
                + (": HTTP alone does not bound this target" if hop["ops_s"] / lo["ops_s"] >= 10
                   else ": below 10×, so HTTP alone (a front end + storage tier doing no S3 work) bounds this target on this machine")
                if hop else ""),
        })
    for r in records:
        if r.get("command") == "warmup" and r.get("layer", "http") == "http":
            rows.append(warmup_row(r, "S3 over HTTP", "warm-up before the first cell: the request mix until the JIT settled"))
        if r.get("command") == "signer":
            rows.append({"section": "S3 over HTTP", "metric": "load generator: SigV4 signing of one request (one thread)", "unit": "µs",
                         "comio": r["us_per_sign"], "ceiling": None, "ratio": None,
                         "notes": f"CPU {r['cpu_us_per_sign']:.1f} µs per request, the same for both targets; UNSIGNED-PAYLOAD, signing key cached per day"})
    return rows


def warmup_row(r, section, metric):
    """A JitSettling warm-up: how long, how much it compiled, and whether it settled."""
    return {"section": section, "metric": metric, "unit": "s", "comio": r["seconds"], "ceiling": None, "ratio": None,
            "notes": f"{r['methods_compiled']:,.0f} methods compiled ({r['jit_ms'] / 1000:.1f} s of JIT time) in {r['rounds']:.0f} rounds; "
                     + (f"settled: the last {r['quiet_rounds']:.0f} rounds compiled at most {r['quiet_methods']:.0f} methods each" if r["settled"]
                        else "NOT settled within the time limit: the first measurements may include JIT work")}


def sse_rows(records):
    """Encryption at rest: SSE-S3 vs unencrypted, same size and concurrency; ratio = median of per-round ratios."""
    cells = {}
    for r in records:
        if r.get("command") == "sse":
            cells.setdefault((r["op"], int(r["size"]), int(r["concurrency"])), {}).setdefault(int(r["round"]), {})[r["target"]] = r
    rows = []
    for (op, size, c), rounds in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0] != "PUT", kv[0][2])):
        pairs = [(v["sse"], v["plain"]) for v in rounds.values() if "sse" in v and "plain" in v]
        if not pairs:
            continue
        ratios = [e["mb_s"] / p["mb_s"] for e, p in pairs if p["mb_s"]]
        enc = statistics.median(e["mb_s"] for e, _ in pairs)
        plain = statistics.median(p["mb_s"] for _, p in pairs)
        notes = [f"{len(pairs)} round(s), per-round ratios {min(ratios):.2f}-{max(ratios):.2f}" if ratios else "",
                 f"CPU per request SSE {statistics.median(e['cpu_us_per_op'] for e, _ in pairs):,.0f} µs vs plain {statistics.median(p['cpu_us_per_op'] for _, p in pairs):,.0f} µs"]
        rows.append({
            "section": "Encryption at rest", "metric": f"SSE-S3 {op} {size_label(size)} objects, {c} client{'s' if c > 1 else ''} (ceiling = unencrypted, same site)",
            "unit": MB, "op": op, "size": size, "concurrency": c, "kind": "sse",
            "comio": enc, "ceiling": plain, "ratio": statistics.median(ratios) if ratios else None,
            "comio_p50_ms": statistics.median(e["p50_ms"] for e, _ in pairs), "comio_p99_ms": statistics.median(e["p99_ms"] for e, _ in pairs),
            "ceiling_p50_ms": statistics.median(p["p50_ms"] for _, p in pairs), "ceiling_p99_ms": statistics.median(p["p99_ms"] for _, p in pairs),
            "notes": "; ".join(n for n in notes if n),
        })
    return rows


def scale_rows(records):
    rows = []
    lists = sorted((r for r in records if r.get("command") == "scale-list"), key=lambda r: r["bucket_keys"])
    layers = {r["bucket_keys"]: r for r in records if r.get("command") == "scale-list-layers"}
    if len(lists) >= 2:
        lo, hi = lists[0], lists[-1]
        rows.append({
            "section": "Scale", "metric": f"ListObjectsV2 page of {int(hi['page_keys']):,} keys, p50: {int(hi['bucket_keys']):,}-key bucket vs {int(lo['bucket_keys']):,}-key bucket",
            "unit": "ms", "comio": hi["p50_ms"], "ceiling": lo["p50_ms"], "ratio": hi["p50_ms"] / lo["p50_ms"] if lo["p50_ms"] else None, "kind": "list-scale",
            "comio_p50_ms": hi["p50_ms"], "comio_p99_ms": hi["p99_ms"], "ceiling_p50_ms": lo["p50_ms"], "ceiling_p99_ms": lo["p99_ms"],
            "notes": (f"ceiling column = the small bucket; one client, random start-after; {int(hi['ops'])} vs {int(lo['ops'])} pages; "
                      f"{hi['page_bytes'] / 1024:.0f} KiB per page; CPU per page {hi['cpu_us_per_op'] / 1000:.1f} vs {lo['cpu_us_per_op'] / 1000:.1f} ms; "
                      "pages alternate between the two buckets"),
        })
        for r in lists:
            l = layers.get(r["bucket_keys"])
            if not l:
                continue
            rows.append({
                "section": "Scale", "metric": f"where a 1,000-key page goes, {int(r['bucket_keys']):,}-key bucket: engines alone / node API (HTTP + page decode) / S3 page",
                "unit": "ms", "comio": r["p50_ms"], "ceiling": l["engine_p50_ms"], "ratio": r["p50_ms"] / l["engine_p50_ms"] if l["engine_p50_ms"] else None,
                "comio_p50_ms": r["p50_ms"], "comio_p99_ms": r["p99_ms"], "ceiling_p50_ms": l["engine_p50_ms"], "ceiling_p99_ms": l["engine_p99_ms"],
                "notes": (f"ceiling column = StorageEngine.ListObjects on both nodes' engines (2 × 1,001 keys, in process); "
                          f"the API's node client alone (both nodes over HTTP, binary page decoded): p50 {l['node_p50_ms']:.1f} ms; "
                          f"CPU per page: engines {l['engine_cpu_us_per_page'] / 1000:.1f} ms, node client {l['node_cpu_us_per_page'] / 1000:.1f} ms, S3 page {r['cpu_us_per_op'] / 1000:.1f} ms"),
            })
    puts = sorted((r for r in records if r.get("command") == "scale-put"), key=lambda r: r["bucket_keys"])
    if puts:
        base = puts[0]
        for r in puts:
            rows.append({
                "section": "Scale", "metric": f"PUT 4 KiB over HTTP, {int(r['concurrency'])} clients, bucket at {int(r['bucket_keys']):,} keys",
                "unit": "ops/s", "comio": r["ops_s"], "ceiling": base["ops_s"], "ratio": r["ops_s"] / base["ops_s"] if base["ops_s"] else None,
                "comio_p50_ms": r["p50_ms"], "comio_p99_ms": r["p99_ms"],
                "notes": f"ceiling column = the same load on the empty bucket; CPU per PUT {r['cpu_us_per_op']:,.0f} µs",
            })
    for r in (r for r in records if r.get("command") == "scale-fill"):
        rows.append({
            "section": "Scale", "metric": f"bucket fill through the nodes' engines ({r.get('bucket', '')}), {int(r['from_keys']):,} → {int(r['to_keys']):,} keys ({int(r['writers'])} writers, 0-byte objects)",
            "unit": "ops/s", "comio": r["puts_s"], "ceiling": None, "ratio": None,
            "notes": f"durable engine PUTs (group commit), CPU {r['cpu_us_per_put']:.0f} µs per PUT; how the bucket was filled",
        })
    for r in (r for r in records if r.get("command") == "warmup" and r.get("layer") == "scale"):
        rows.append(warmup_row(r, "Scale", "warm-up before the first PUT cell: the same PUTs into another bucket until the JIT settled"))
    return rows


def process_rss_rows(records, rss_size):
    rows = []
    for r in records:
        if r.get("command") != "rss":
            continue
        name = r["process"]
        role = {"api": "API service", "client": "load generator (client)"}.get(name, f"storage node {name}")
        rows.append({
            "section": "Memory", "metric": f"peak RSS during one {rss_size}iB PUT over HTTP: {role} process", "unit": "MiB",
            "comio": r["put_hwm_mb"], "ceiling": r["baseline_rss_mb"], "ratio": None, "process": name, "kind": "rss",
            "growth": r["put_hwm_mb"] - r["baseline_rss_mb"],
            "notes": (f"ceiling column = RSS before the PUT (after a 4 MiB warm-up; peak reset: {'yes' if r['hwm_reset'] else 'no'}); "
                      f"peak after the GET {r['get_hwm_mb']:.0f} MiB; PUT {r['put_mb_s']:.0f} MB/s, GET {r['get_mb_s']:.0f} MB/s (sparse node images)"),
        })
    return rows


def micro_rows(records):
    rows = [r for r in records if r.get("command") == "micro"]
    baselines = {}
    for r in rows:
        cls = r["benchmark"].split(".")[0]
        baselines.setdefault(cls, r)  # the first benchmark of each class is its baseline
    for r in rows:
        base = baselines[r["benchmark"].split(".")[0]]
        r["ratio"] = r["mean_ns"] / base["mean_ns"] if base["mean_ns"] > 0 else None
    return rows


def replication_rows(records):
    """Layer 5 (issue 7): replication throughput next to the client's own GET+PUT copy, and lag under a fixed write rate."""
    rows = []
    for r in (r for r in records if r.get("command") == "warmup" and r.get("layer") == "replication"):
        rows.append(warmup_row(r, "Replication", "warm-up before the measurements: rounds of writes, replication and client copies until the JIT settled"))
    for r in (r for r in records if r.get("command") == "replication-throughput"):
        size, n = int(r["size"]), int(r["objects"])
        bulk = size >= MIB
        field, cfield, unit = ("replicated_mb_s", "copy_mb_s", MB) if bulk else ("replicated_ops_s", "copy_ops_s", "ops/s")
        rows.append({
            "section": "Replication", "kind": "replication-throughput", "size": size, "unit": unit,
            "metric": (f"replicate {n:,} × {size_label(size)} objects east → west: the worker ({int(r['worker_concurrency'])} entries at a time) "
                       f"drains the backlog vs the client's own GET + PUT copy ({int(r['copy_concurrency'])} at a time)"),
            "comio": r[field], "ceiling": r[cfield], "ratio": r[field] / r[cfield] if r[cfield] else None,
            "ceiling_p50_ms": r["copy_p50_ms"], "ceiling_p99_ms": r["copy_p99_ms"],
            "notes": (f"{r['replicated_ops_s']:,.1f} objects/s ({r['replicated_mb_s']:,.1f} MB/s) vs copy {r['copy_ops_s']:,.1f} objects/s ({r['copy_mb_s']:,.1f} MB/s); "
                      f"stream empty after {r['stream_empty_seconds']:.2f} s, west lists all after {r['replicated_seconds']:.2f} s; "
                      f"whole-process CPU per object: replication {r['replicated_cpu_us_per_op'] / 1000:,.2f} ms vs copy {r['copy_cpu_us_per_op'] / 1000:,.2f} ms; "
                      + (f"requests per object at the API services (both sites) {r['replicated_api_requests_per_op']:.2f} vs copy {r['copy_api_requests_per_op']:.2f}, "
                         f"at the storage nodes {r['replicated_node_requests_per_op']:.2f} vs {r['copy_node_requests_per_op']:.2f}, "
                         f"PUTs with a chunk-signed body (STREAMING-…: SHA-256 per chunk at both ends) {r['replicated_streaming_signed_per_op']:.2f} vs {r['copy_streaming_signed_per_op']:.2f}; "
                         if "replicated_api_requests_per_op" in r else "") +
                      f"the writes before: {r['write_ops_s']:,.1f} PUT/s ({r['write_mb_s']:,.1f} MB/s), {int(r['write_concurrency'])} clients, p50/p99 {ms(r['write_p50_ms'])}/{ms(r['write_p99_ms'])} ms; "
                      f"dead letters {int(r['dead_letters'])}; load {r['load1']:.1f}"),
            "raw": r,
        })
    for r in (r for r in records if r.get("command") == "replication-lag"):
        rate = r["target_rate"]
        bounded = bool(r["all_replicated"]) and r["backlog_mean_second_half"] <= max(2 * r["backlog_mean_first_half"], rate)
        r["bounded"] = bounded
        missing = "" if r["all_replicated"] else f" — **{int(r['missing'])} objects never seen on west**"
        rows.append({
            "section": "Replication", "kind": "replication-lag", "unit": "ms",
            "metric": (f"replication lag (first seen on west − PUT acknowledged on east), {int(r['objects']):,} × {size_label(r['size'])} PUTs "
                       f"at {rate:,.1f}/s ({r['rate_fraction']:.2f} × the replicated rate above) for {r['write_seconds']:.1f} s: p50"),
            "comio": r["lag_p50_ms"], "ceiling": r["copy_p50_ms"], "ratio": r["lag_p50_ms"] / r["copy_p50_ms"] if r["copy_p50_ms"] else None,
            "comio_p50_ms": r["lag_p50_ms"], "comio_p99_ms": r["lag_p99_ms"], "bounded": bounded,
            "notes": (f"ceiling column = p50 of one client-side GET + PUT copy of a 4 KiB object (the copy run above); "
                      f"lag p95 {ms(r['lag_p95_ms'])} ms, p99 {ms(r['lag_p99_ms'])} ms, max {ms(r['lag_max_ms'])} ms (west sampled every {int(r['sample_ms'])} ms: "
                      f"up to that much plus one list round is sampling delay; lower bound from the previous round, which did not list the key yet: "
                      f"p50 {ms(r.get('lag_lower_p50_ms'))} ms, p99 {ms(r.get('lag_lower_p99_ms'))} ms); achieved {r['achieved_rate']:,.1f} PUT/s, {int(r['writes_behind_schedule'])} PUTs waited for one of the in-flight slots, "
                      f"PUT p50/p99 {ms(r['put_p50_ms'])}/{ms(r['put_p99_ms'])} ms; backlog (stream length, every 1 s): max {int(r['backlog_max'])}, "
                      f"mean {r['backlog_mean_first_half']:,.1f} in the first half vs {r['backlog_mean_second_half']:,.1f} in the second, {int(r['backlog_end'])} when the writes ended "
                      f"→ {'bounded' if bounded else '**growing**'}; all on west {r['drain_seconds_after_writes']:.2f} s after the last PUT"
                      f"{missing}; "
                      f"dead letters {int(r['dead_letters'])}; load {r['load1']:.1f}"),
            "raw": r,
        })
    return rows


def find(rows, pred):
    return [r for r in rows if pred(r)]


def targets(all_rows, scale_large, quick):
    out = []

    def add(name, row, required, measured=None, ceiling=None, ratio=None, unit=None, note=""):
        if row is None and measured is None:
            out.append({"target": name, "measured": None, "ceiling": None, "ratio": None, "required": required, "met": None, "note": note or "not measured"})
            return
        measured = row["comio"] if measured is None else measured
        ceiling = row.get("ceiling") if ceiling is None and row else ceiling
        ratio = row.get("ratio") if ratio is None and row else ratio
        unit = unit or (row or {}).get("unit", "")
        op, bound = required.split(" ", 1)
        bound = float(bound.rstrip("×MiB").strip())
        value = ratio if "MiB" not in required else measured
        met = None if value is None else (value >= bound if op == "≥" else value <= bound)
        out.append({"target": name, "measured": measured, "ceiling": ceiling, "ratio": ratio, "unit": unit, "required": required, "met": met, "note": note})

    for r in find(all_rows, lambda x: x["metric"].startswith("device layer") and not x.get("section", "").startswith("CPU") and x.get("comio") is not None):
        add(f"Device: {r['metric']} vs fio", r, "≥ 0.95")

    def fio_read(concurrency):
        r = find(all_rows, lambda x: x.get("section", "").startswith("Sequential") and x["metric"] == ("device layer read" if concurrency == 1 else "device layer read, 16 threads"))
        return r[0]["ceiling"] if r and r[0].get("ceiling") else None

    def bound_note(r):
        notes = []
        disk = fio_read(r["concurrency"]) if r.get("op") == "GET" and r.get("size", 0) >= MIB else None
        if disk and r.get("ceiling"):
            notes.append(f"reads from the disk: fio {'QD1' if r['concurrency'] == 1 else 'QD16'} {fmt(disk, MB)} = {disk / r['ceiling']:.2f} of the ceiling (it serves from memory)")
        if r.get("two_hop") is not None and r.get("ceiling"):
            notes.append(two_hop_text(r["two_hop"], r["ceiling"], r.get("comio"), r.get("unit", "")))
        return "; ".join(notes)

    for op, bound in (("GET", "≥ 0.80"), ("PUT", "≥ 0.70")):
        for size in (MIB, 64 * MIB):
            for r in find(all_rows, lambda x: x.get("section") == "S3 over HTTP" and x.get("op") == op and x.get("size") == size):
                add(f"S3 {op} {size_label(size)}, {r['concurrency']} client(s) vs bare Kestrel (MB/s)", r, bound, note=bound_note(r))
    for r in find(all_rows, lambda x: x.get("section") == "S3 over HTTP" and x.get("op") == "GET" and x.get("size") == 4 * KIB):
        add(f"S3 GET 4 KiB, {r['concurrency']} client(s) vs bare Kestrel (req/s)", r, "≥ 0.50", note=bound_note(r))
    for r in find(all_rows, lambda x: x.get("kind") == "sse"):
        add(f"SSE-S3 {r['op']} {size_label(r['size'])}, {r['concurrency']} client(s) vs unencrypted (MB/s, issue 12)", r, "≥ 0.85")
    r = find(all_rows, lambda x: x.get("kind") == "put-speedup")
    add(f"S3 PUT 4 KiB: {r[0]['concurrency'] if r else '32'} clients vs 1 client (group commit; the target says 32)", r[0] if r else None, "≥ 10×",
        note=f"this run's most concurrent cell has {r[0]['concurrency']} clients, so the speedup cannot exceed {r[0]['concurrency']}" if r and r[0]["concurrency"] < 32 else "")
    r = find(all_rows, lambda x: x["metric"].startswith("group-commit speedup inline"))
    add("Engine PUT 4 KiB: 32 writers vs 1 writer (same target, engine layer)", r[0] if r else None, "≥ 10×")
    r = find(all_rows, lambda x: x.get("kind") == "list-scale")
    add(f"ListObjectsV2 1,000-key page at {scale_large:,} keys vs 10,000 keys (p50; the target says 1 M)", r[0] if r else None, "≤ 1.5×",
        note="quick mode grows the bucket to 100 K keys, not 1 M" if quick else "")
    budget = 256.0
    for r in find(all_rows, lambda x: x.get("kind") == "rss" and x.get("process") != "client"):
        add(f"Peak RSS during the PUT, {r['metric'].split(': ', 1)[1]}", r, "≤ 256 MiB", ceiling=budget, ratio=r["comio"] / budget, unit="MiB",
            note=f"ceiling column = the 256 MiB budget; RSS before the PUT {r['ceiling']:.0f} MiB")
    r = find(all_rows, lambda x: x.get("section") == "Memory" and x["metric"].startswith("peak RSS writing"))
    if r:
        add("Peak RSS during the PUT, engine alone in its own process (layer 2)", r[0], "≤ 256 MiB", ceiling=budget, ratio=r[0]["comio"] / budget, unit="MiB",
            note="ceiling column = the 256 MiB budget")
    return out


def ms(v):
    return "—" if v is None else (f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 100 else f"{v:,.0f}")


def main():
    p = argparse.ArgumentParser()
    for a in ("raw", "loadavg-start", "mode", "device-size", "region", "seq-total", "rss-size", "loadavg", "markdown", "json"):
        p.add_argument(f"--{a}", required=True)
    for a in ("s3-raw", "s3-settings", "scale-settings", "replication-settings", "uptime-start", "uptime", "elapsed-seconds", "code-commit", "code-dirty"):
        p.add_argument(f"--{a}", default="")
    p.add_argument("--rounds", type=int, required=True)
    p.add_argument("--layers", choices=("all", "replication"), default="all", help="replication: only layer 5 was run (BENCH_LAYERS=replication)")
    a = p.parse_args()
    only_replication = a.layers == "replication"
    data = load(a.raw)
    s3 = load_s3(a.s3_raw)
    storage = [] if only_replication else build_rows(data) + rss_rows(data, a.rss_size)
    layer3 = [] if only_replication else s3_rows(s3) + sse_rows(s3)
    layer4 = [] if only_replication else scale_rows(s3) + process_rss_rows(s3, a.rss_size)
    layer5 = replication_rows(s3)
    micro = micro_rows(s3)
    rows = storage + layer3 + layer4 + layer5
    large = max((r["bucket_keys"] for r in s3 if r.get("command") == "scale-list"), default=0)
    goals = [] if only_replication else targets(rows, int(large), a.mode == "quick")
    hash_runs = data.get(("engine", "hash"), {})
    md5 = statistics.median([h["md5_cpu_mb_s"] for h in hash_runs.values()]) if hash_runs else None
    crc = statistics.median([h["crc32c_cpu_mb_s"] for h in hash_runs.values()]) if hash_runs else None
    now = datetime.datetime.now(datetime.timezone.utc)
    loads = [v.get("load1") for runs in data.values() for v in runs.values() if v.get("load1") is not None]
    load_median = f"{statistics.median(loads):.1f}" if loads else "?"
    load_max = f"{max(loads):.1f}" if loads else "?"
    info = machine(a.loadavg, a.code_commit, a.code_dirty)
    doc = {
        "date": now.isoformat(timespec="seconds"), "mode": a.mode, "rounds": a.rounds, "device_size": a.device_size,
        "fio_region": a.region, "seq_total_per_run": a.seq_total, "machine": info, "uptime_start": a.uptime_start, "uptime_end": a.uptime,
        "elapsed_seconds": int(a.elapsed_seconds) if a.elapsed_seconds else None, "s3_settings": a.s3_settings, "scale_settings": a.scale_settings,
        "replication_settings": a.replication_settings, "layers": a.layers,
        "cpu_ceilings_mb_s": {"md5_one_core": md5, "crc32c_one_core": crc}, "targets": goals, "rows": rows, "micro": micro,
        "raw": [{"source": s, "name": n, "rounds": v} for (s, n), v in sorted(data.items())], "raw_s3": s3,
    }
    with open(a.json, "w") as f:
        json.dump(doc, f, indent=1)

    elapsed = f"{int(a.elapsed_seconds) // 60} min {int(a.elapsed_seconds) % 60} s" if a.elapsed_seconds else "?"
    replication_text = (f"Layer 5 (replication, east → west, in one process with a redis-server child and the real worker): {a.replication_settings}. "
                        if layer5 else "")
    if only_replication:
        setup = (f"Machine: {info['cpus']} vCPU, {info['memory_gib']} GiB RAM, kernel {info['kernel']}, .NET SDK {info['dotnet']}; code at commit {info['commit']}. "
                 f"Only layer 5 was run (BENCH_LAYERS=replication). {replication_text}MB/s = 10^6 bytes/s.")
        load_text = ""
    else:
        setup = (f"Machine: {info['cpus']} vCPU, {info['memory_gib']} GiB RAM, kernel {info['kernel']}, {info['fio']}, .NET SDK {info['dotnet']}; code at commit {info['commit']}"
                 f"{' plus uncommitted product code changes' if info['code_dirty'] else ''}. "
                 f"Layers 1-2: one {a.device_size} file image on ext4 (virtio disk), laid out with real data first; fio uses its first {a.region}, "
                 f"the engine formats the same file; {a.rounds} round(s), each ceiling measured next to its engine run; values are medians over rounds, "
                 f"ratio = median of per-round ratios; engine runs move {a.seq_total} per sequential measurement. "
                 f"Layer 3 (S3 over HTTP): {a.s3_settings}; every ComIO cell is immediately followed by the same cell on the bare Kestrel ceiling and on the two-hop ceiling (a bare Kestrel front end forwarding to the bare ceiling). "
                 f"Layer 4 (scale): {a.scale_settings}. {replication_text}MB/s = 10^6 bytes/s.")
        load_text = f" (1-min load during the layer 1-2 measurements: median {load_median}, max {load_max})"
    lines = [
        f"# ComIO {'replication benchmark' if only_replication else 'layered benchmarks'} — {now:%Y-%m-%d %H:%M} UTC ({a.mode} run, {elapsed})",
        "",
        setup,
        "",
        f"Machine load: `uptime` at the start: `{a.uptime_start.strip()}`; at the end: `{a.uptime.strip()}`. "
        f"Other engineers were building and testing on this 2-core VM{load_text}; "
        "the load generator, the services and the ceiling share those 2 cores, so absolute numbers move between runs by tens of percent — compare ratios, "
        "and the CPU-per-request figures, which contention does not change.",
        "",
    ]
    if not only_replication:
        lines += [
            f"CPU ceilings per CPU-second of one core: MD5 {fmt(md5, MB)}, CRC32C {fmt(crc, MB)}.",
            "",
            "## Targets (issues 10 and 12)",
            "",
            "| target | ComIO | ceiling | ratio | required | met | notes |",
            "|---|---:|---:|---:|---|---|---|",
        ]
    for g in goals:
        met = "n/a" if g["met"] is None else ("yes" if g["met"] else "**no**")
        ratio = "—" if g["ratio"] is None else f"{g['ratio']:.2f}"
        lines.append(f"| {g['target']} | {fmt(g['measured'], g.get('unit', ''))} | {fmt(g['ceiling'], g.get('unit', '')) if g['ceiling'] is not None else '—'} | {ratio} | {g['required']} | {met} | {g['note']} |")
    if layer5:
        lines += ["", "## Replication (issue 7)", ""]
        for r in (r for r in layer5 if "raw" in r):  # the throughput and lag rows (the warm-up row is in "All rows")
            raw = r["raw"]
            if r["kind"] == "replication-throughput":
                per = "objects/s" if r["size"] < MIB else MB
                lines.append(f"- **{size_label(r['size'])} objects**: replicated {fmt(r['comio'], per)} vs the client's own GET + PUT copy {fmt(r['ceiling'], per)} "
                             f"→ ratio **{r['ratio']:.2f}** ({int(raw['objects']):,} objects, worker concurrency {int(raw['worker_concurrency'])}).")
            else:
                lines.append(f"- **Lag** at {raw['target_rate']:,.1f} PUT/s of 4 KiB for {raw['write_seconds']:.0f} s: p50 {ms(raw['lag_p50_ms'])} ms, p95 {ms(raw['lag_p95_ms'])} ms, "
                             f"p99 {ms(raw['lag_p99_ms'])} ms, max {ms(raw['lag_max_ms'])} ms (sampling every {int(raw['sample_ms'])} ms; lower bound p50 {ms(raw.get('lag_lower_p50_ms'))} ms); backlog max {int(raw['backlog_max'])}, "
                             f"{int(raw['backlog_end'])} at the end of the writes → {'bounded' if r['bounded'] else '**growing**'}; "
                             f"p50 is {r['ratio']:.1f}× one client-side 4 KiB copy ({ms(r['ceiling'])} ms).")
    lines += ["", "## All rows", "",
              "| section | metric | ComIO | ceiling | ratio | p50 / p99 ms ComIO | p50 / p99 ms ceiling | notes |",
              "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        unit = r["unit"]
        ratio = r["ratio"]
        if r.get("section") == "Memory":
            growth = r.get("growth")
            if growth is None and r.get("raw"):
                growth = r["raw"]["write_hwm_mb"] - r["raw"]["baseline_rss_mb"]
            ratio_text = f"{round(growth):+d} MiB" if growth is not None else "n/a"
        elif ratio is None:
            ratio_text = "—"
        else:
            ratio_text = f"{ratio:.2f}"
        ceiling = fmt(r["ceiling"], unit) if r["ceiling"] is not None else "—"
        el = f"{ms(r.get('comio_p50_ms'))} / {ms(r.get('comio_p99_ms'))}" if r.get("comio_p50_ms") is not None else ""
        cl = f"{ms(r.get('ceiling_p50_ms'))} / {ms(r.get('ceiling_p99_ms'))}" if r.get("ceiling_p50_ms") is not None else ""
        lines.append(f"| {r['section']} | {r['metric']} | {fmt(r['comio'], unit)} | {ceiling} | {ratio_text} | {el} | {cl} | {r['notes']} |")
    if micro:
        lines += ["", "## Hot paths (BenchmarkDotNet, in-process toolchain, [MemoryDiagnoser])", "",
                  "| benchmark | mean | allocated / op | ratio to the class's first (baseline) row |", "|---|---:|---:|---:|"]
        for m in micro:
            mean = m["mean_ns"]
            mean_text = f"{mean / 1000:,.2f} µs" if mean >= 1000 else f"{mean:,.0f} ns"
            lines.append(f"| {m['benchmark']} | {mean_text} | {m['allocated_bytes']:,.0f} B | {m['ratio']:.2f} |")
    lines.append("")
    lines.append("Raw numbers are in the JSON file next to this one. How each row is measured: bench/README.md.")
    text = "\n".join(lines) + "\n"
    with open(a.markdown, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    print(f"\nwritten: {a.markdown}\n         {a.json}")


if __name__ == "__main__":
    main()
