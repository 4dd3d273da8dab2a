#!/usr/bin/env python3
"""Pulls the figures bench/run records out of raw tool output.

  extract.py iperf FILE   -> "<Gbit/s>"              (iperf3 -J output, receiver side)
  extract.py wrk FILE     -> "<req/s>\t<p99 ms>\t<note>"  (wrk output with lib/wrk-report.lua)

Exits 1 with a one-line reason on stderr when the run failed or its output is unusable.
"""
import json
import re
import sys


def iperf(path):
    with open(path) as f:
        text = f.read()
    try:
        data = json.loads(text)
    except ValueError:
        fail(f"iperf3 output [{path}] is not JSON: [{text[:200].strip()}]")
    if data.get("error"):
        fail(f"iperf3 failed: [{data['error']}]")
    bps = data["end"]["sum_received"]["bits_per_second"]
    print(f"{bps / 1e9:.3f}")


def wrk(path):
    with open(path) as f:
        lines = [line for line in f if line.startswith("WRK_JSON ")]
    if not lines:
        fail(f"no WRK_JSON line in [{path}]: wrk did not finish")
    data = json.loads(lines[-1][len("WRK_JSON "):])
    if data["requests"] == 0:
        fail(f"wrk completed no request (errors: {errors(data) or 'none'})")
    rps = data["requests"] / (data["duration_us"] / 1e6)
    p99_ms = data["p99_us"] / 1000
    print(f"{rps:.0f}\t{p99_ms:.3f}\t{errors(data)}")


def redis(path):
    """redis-benchmark --csv: prints "<SET req/s>\t<GET req/s>"."""
    rates = {}
    with open(path) as f:
        for line in f:
            cells = [cell.strip('"') for cell in line.strip().split(",")]
            if len(cells) >= 2 and cells[0] in ("SET", "GET"):
                try:
                    rates[cells[0]] = float(cells[1])
                except ValueError:
                    pass
    if "SET" not in rates or "GET" not in rates:
        fail(f"no SET and GET rates in [{path}]: redis-benchmark did not finish")
    print(f"{rates['SET']:.0f}\t{rates['GET']:.0f}")


def pgbench(path):
    """pgbench output: prints the tps without the initial connection time."""
    with open(path) as f:
        for line in f:
            m = re.search(r"tps = ([0-9.]+) \((without initial connection time|excluding connections establishing)\)", line)
            if m:
                print(f"{float(m.group(1)):.0f}")
                return
    fail(f"no tps line in [{path}]: pgbench did not finish")


def errors(data):
    """wrk's socket errors as a short note; an empty string when there were none."""
    parts = [f"{k} {data[k]}" for k in ("connect", "read", "write", "status", "timeout") if data[k]]
    return f"wrk errors: {', '.join(parts)} of {data['requests']} requests" if parts else ""


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    kinds = {"iperf": iperf, "wrk": wrk, "redis": redis, "pgbench": pgbench}
    if len(sys.argv) != 3 or sys.argv[1] not in kinds:
        fail("usage: extract.py iperf|wrk|redis|pgbench FILE")
    kinds[sys.argv[1]](sys.argv[2])
