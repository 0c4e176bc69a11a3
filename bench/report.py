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
    ("Sequential 1 MiB, QD1", "GET 64 MiB objects (CRC32C verified), 1 reader", ("seq-64m-qd1", "read_mb_s"), ("fio", "seq-read-qd1", "read_mb_s"), MB, None, "engine reads 1 MiB with 1 read-ahead"),
    ("Sequential 1 MiB, QD16", "device layer write, 16 threads", ("device-qd16", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, ("write", "write"), "fio: libaio iodepth 16"),
    ("Sequential 1 MiB, QD16", "PUT 1 MiB objects, 16 writers", ("seq-1m-qd16", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, ("write", "write"), ""),
    ("Sequential 1 MiB, QD16", "PUT 64 MiB objects, 16 writers", ("seq-64m-qd16", "write_mb_s"), ("fio", "seq-write-qd16", "write_mb_s"), MB, None, ""),
    ("Sequential 1 MiB, QD16", "device layer read, 16 threads", ("device-qd16", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, ("read", "read"), ""),
    ("Sequential 1 MiB, QD16", "GET 1 MiB objects, 16 readers", ("seq-1m-qd16", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, ("read", "read"), ""),
    ("Sequential 1 MiB, QD16", "GET 64 MiB objects, 16 readers", ("seq-64m-qd16", "read_mb_s"), ("fio", "seq-read-qd16", "read_mb_s"), MB, None, ""),
    ("4 KiB PUT", "PUT 4 KiB inline, 1 writer", ("put-4k-inline-w1", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "ceiling: fio 4 KiB O_DIRECT write + fdatasync, 1 job; one RocksDB WAL sync per PUT"),
    ("4 KiB PUT", "PUT 4 KiB device path (InlineThreshold=0), 1 writer", ("put-4k-device-w1", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "data write + device fdatasync + WAL sync per PUT"),
    ("4 KiB PUT", "PUT 4 KiB inline, 32 writers", ("put-4k-inline-w32", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "group commit"),
    ("4 KiB PUT", "PUT 4 KiB device path, 32 writers", ("put-4k-device-w32", "puts_s"), ("fio", "write-sync-4k", "write_iops"), "ops/s", ("put", "sync"), "group commit"),
    ("4 KiB PUT", "PUT 4 KiB inline, 32 writers, CommitGatherDelay=0 (diagnostic)", ("put-4k-inline-w32-nodelay", "puts_s"), ("engine", "put-4k-inline-w32", "puts_s"), "ops/s", ("put", "put"), "ceiling column = same load with the default 1 ms gather delay"),
    ("4 KiB PUT", "group-commit speedup inline (32 writers / 1 writer)", ("put-4k-inline-w32", "puts_s"), ("engine", "put-4k-inline-w1", "puts_s"), "ops/s", None, "ceiling column = 1-writer rate"),
    ("4 KiB PUT", "group-commit speedup device path (32 / 1)", ("put-4k-device-w32", "puts_s"), ("engine", "put-4k-device-w1", "puts_s"), "ops/s", None, "ceiling column = 1-writer rate"),
    ("CPU cost (contention-proof)", "PUT 1 MiB objects: process CPU per MiB", ("seq-1m-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "md5_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = MD5 alone; ratio > 1 = CPU spent beyond MD5 (CRC32C, copies, syscalls, RocksDB, GC)"),
    ("CPU cost (contention-proof)", "PUT 64 MiB objects: process CPU per MiB", ("seq-64m-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "md5_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = MD5 alone"),
    ("CPU cost (contention-proof)", "PUT 64 MiB objects vs per-byte floor", ("seq-64m-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "pipeline_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = copy into an aligned buffer + MD5 + CRC32C per 64 KiB, no engine (hash command); add the device-layer pwrite cost below for the full floor"),
    ("CPU cost (contention-proof)", "device layer write: process CPU per MiB", ("device-qd1", "write_cpu_ms_per_mib"), ("engine", "hash", "md5_cpu_ms_per_mib"), "ms/MiB", None, "ceiling column = MD5 alone: what the bare O_DIRECT pwrite costs next to the hash"),
    ("CPU cost (contention-proof)", "PUT 4 KiB inline, 32 writers: CPU per PUT", ("put-4k-inline-w32", "cpu_us_per_put"), ("engine", "put-4k-inline-w1", "cpu_us_per_put"), "µs", None, "ceiling column = 1 writer; 2 vCPUs / this cost bounds the small-PUT rate"),
    ("CPU cost (contention-proof)", "PUT 4 KiB device path, 32 writers: CPU per PUT", ("put-4k-device-w32", "cpu_us_per_put"), ("engine", "put-4k-device-w1", "cpu_us_per_put"), "µs", None, "ceiling column = 1 writer"),
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
            notes.append(f"p50/p99 ComIO {e50:.2f}/{e99:.2f} ms, ceiling {c50:.2f}/{c99:.2f} ms")
        elif rounds and eruns[rounds[0]].get("write_p50_ms") is not None and "64 MiB" in metric and unit == MB:
            field = "read" if "GET" in metric else "write"
            e50 = statistics.median([eruns[r].get(f"{field}_p50_ms", 0) for r in rounds])
            e99 = statistics.median([eruns[r].get(f"{field}_p99_ms", 0) for r in rounds])
            row.update({"comio_p50_ms": e50, "comio_p99_ms": e99})
            notes.append(f"p50/p99 per object {e50:.0f}/{e99:.0f} ms")
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


def machine(loadavg_end):
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
        "commit": run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "rev-parse", "--short", "HEAD"]),
        "storage_dirty": bool(run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "status", "--porcelain", "--", "../ComIO.Storage"])),
    }


def main():
    p = argparse.ArgumentParser()
    for a in ("raw", "loadavg-start", "mode", "device-size", "region", "seq-total", "rss-size", "loadavg", "markdown", "json"):
        p.add_argument(f"--{a}", required=True)
    p.add_argument("--rounds", type=int, required=True)
    a = p.parse_args()
    data = load(a.raw)
    rows = build_rows(data) + rss_rows(data, a.rss_size)
    hash_runs = data.get(("engine", "hash"), {})
    md5 = statistics.median([h["md5_cpu_mb_s"] for h in hash_runs.values()]) if hash_runs else None
    crc = statistics.median([h["crc32c_cpu_mb_s"] for h in hash_runs.values()]) if hash_runs else None
    now = datetime.datetime.now(datetime.timezone.utc)
    loads = [v.get("load1") for runs in data.values() for v in runs.values() if v.get("load1") is not None]
    load_median = f"{statistics.median(loads):.1f}" if loads else "?"
    load_max = f"{max(loads):.1f}" if loads else "?"
    info = machine(a.loadavg)
    doc = {
        "date": now.isoformat(timespec="seconds"), "mode": a.mode, "rounds": a.rounds, "device_size": a.device_size,
        "fio_region": a.region, "seq_total_per_run": a.seq_total, "machine": info,
        "cpu_ceilings_mb_s": {"md5_one_core": md5, "crc32c_one_core": crc}, "rows": rows,
        "raw": [{"source": s, "name": n, "rounds": v} for (s, n), v in sorted(data.items())],
    }
    with open(a.json, "w") as f:
        json.dump(doc, f, indent=1)

    lines = [
        f"# ComIO.Storage vs fio — {now:%Y-%m-%d %H:%M} UTC ({a.mode} run)",
        "",
        f"Machine: {info['cpus']} vCPU, {info['memory_gib']} GiB RAM, kernel {info['kernel']}, {info['fio']}, .NET SDK {info['dotnet']}; engine at commit {info['commit']}"
        f"{' plus uncommitted ComIO.Storage changes' if info['storage_dirty'] else ''}. "
        f"Device: one {a.device_size} file image on ext4 (virtio disk), laid out with real data first; fio uses its first {a.region}, "
        f"the engine formats the same file. {a.rounds} rounds, each ceiling measured next to its engine run; values are medians over rounds, "
        f"ratio = median of per-round ratios. Engine runs move {a.seq_total} per sequential measurement. MB/s = 10^6 bytes/s.",
        "",
        f"CPU contention: other engineers were building and testing on this 2-core VM during the run (load average 1/5/15 min at the start: "
        f"{a.loadavg_start}, at the end: {a.loadavg}, 1-min load during the measurements: median {load_median}, max {load_max}); "
        "absolute numbers move between runs by tens of percent — compare ratios, and see the ratio range.",
        "",
        f"CPU ceilings per CPU-second of one core: MD5 {fmt(md5, MB)}, CRC32C {fmt(crc, MB)}. The engine's PUT path is CPU-bound "
        "(MD5) while fio mostly waits on the device, so CPU contention lowers the PUT ratios far more than the GET and "
        "device-layer ratios; the CPU-cost rows (CPU time per MiB) are not affected by contention.",
        "",
        "| section | metric | ComIO | ceiling | ratio | notes |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        unit = r["unit"]
        ratio = r["ratio"]
        if ratio is None:
            ratio_text = "n/a"
        elif r["section"] == "Memory":
            ratio_text = f"+{r['raw']['write_hwm_mb'] - r['raw']['baseline_rss_mb']:.0f} MiB"
        else:
            ratio_text = f"{ratio:.2f}"
        ceiling = fmt(r["ceiling"], unit) if r["ceiling"] is not None else "—"
        lines.append(f"| {r['section']} | {r['metric']} | {fmt(r['comio'], unit)} | {ceiling} | {ratio_text} | {r['notes']} |")
    lines.append("")
    lines.append("Raw per-round numbers are in the JSON file next to this one. How each row is measured: bench/README.md.")
    text = "\n".join(lines) + "\n"
    with open(a.markdown, "w") as f:
        f.write(text)
    sys.stdout.write(text)
    print(f"\nwritten: {a.markdown}\n         {a.json}")


if __name__ == "__main__":
    main()
