#!/usr/bin/env python3
"""Reduces fio's --output-format=json (stdin) to the few numbers bench/report.py uses (stdout, one JSON object)."""
import json
import sys


def pct(clat, p):
    values = (clat or {}).get("percentile") or {}
    return values.get(f"{p:.6f}", 0) / 1e6  # ns -> ms


def main():
    text = sys.stdin.read()
    # fio may print warnings before the JSON document.
    doc = json.loads(text[text.index("{"):])
    job = doc["jobs"][0]
    out = {}
    for direction in ("read", "write"):
        d = job.get(direction) or {}
        if d.get("io_bytes", 0) <= 0:
            continue
        out[f"{direction}_mb_s"] = d["bw_bytes"] / 1e6
        out[f"{direction}_iops"] = d["iops"]
        out[f"{direction}_p50_ms"] = pct(d.get("clat_ns"), 50)
        out[f"{direction}_p99_ms"] = pct(d.get("clat_ns"), 99)
    sync = (job.get("sync") or {}).get("lat_ns")
    if sync and sync.get("N", 0) > 0:
        out["sync_p50_ms"] = pct(sync, 50)
        out["sync_p99_ms"] = pct(sync, 99)
        out["sync_mean_ms"] = sync.get("mean", 0) / 1e6
    print(json.dumps(out))


if __name__ == "__main__":
    main()
