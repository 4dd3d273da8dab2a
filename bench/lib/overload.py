#!/usr/bin/env python3
"""The overload row of bench/run: is client B still served while client A floods the proxy?

Client A (source address 127.0.0.2) opens and closes connections as fast as FLOODERS processes
can, for the whole run. Client B (127.0.0.1) runs `wrk` keep-alive through the same proxy and,
beside it, a probe that opens a new connection 50 times a second and times connect -> first
byte of an HTTP answer. Per peer, in turn, round after round (the order rotating):

  alone     B without A, per-client limits on              (B's unloaded figures)
  flood     B while A floods, per-client limits on         (what the limits keep for B)
  nolimits  ambassadord only: B alone with limits off      (the limits' own cost: on against off)
  unlimited ambassadord only: B while A floods, limits off (what B loses without them)
  control   B while A floods a closed port instead, limits on: the same flood's CPU taken from
            the machine (2 cores here: the flooders, wrk and nginx share them with the proxy),
            none of it through the proxy — what is left of B's loss in `flood` is the proxy's

Limits: ambassadord `--max-connections-per-client 200 --connection-rate-per-client 200`;
HAProxy the equivalent stick table (`sc_conn_cur gt 200 || sc_conn_rate gt 200` rejected at
`tcp-request connection`). Goal: under the flood B keeps >= 90 % of its unloaded throughput and
its connect p99 stays within 2x of unloaded, at least as well as HAProxy.

Each proxy is started once per limits setting, warmed up with B alone for 8 s, then measured
through its scenarios in turn (a fresh JVM flooded at once would be measured compiling).

Prints a table of medians and writes OUT_DIR/overload.{json,txt}.

Usage: overload.py AMBASSADORD OUT_DIR BACKEND_PORT [ROUNDS] [SECONDS]
"""
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tls import free_port, wait_listening  # noqa: E402
from discovery import percentile  # noqa: E402

CAP, RATE = 200, 200
FLOODER_SOURCE = "127.0.0.2"
FLOODERS = int(os.environ.get("BENCH_OVERLOAD_FLOODERS", "2"))
PROBE_PER_SECOND = 50
WRK_CONNECTIONS = 50
WARM_UP_SECONDS = 8


def start_proxy(name, ambassadord, work, backend_port, limits):
    port = free_port()
    log = open(f"{work}/{name}-{'limits' if limits else 'open'}.log", "w")
    if name == "ambassadord":
        extra = ["--max-connections-per-client", str(CAP), "--connection-rate-per-client", str(RATE)] if limits else []
        command = [ambassadord, "--log-level", "error", "--port", str(port), *extra, f"127.0.0.1:{backend_port}"]
    else:
        config = f"{work}/haproxy.cfg"
        with open(config, "w") as f:
            f.write("global\n  nbthread 2\n  maxconn 8000\n"
                    "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\n"
                    f"frontend f\n  bind 127.0.0.1:{port}\n"
                    "  stick-table type ip size 16k expire 1m store conn_cur,conn_rate(1s)\n"
                    "  tcp-request connection track-sc0 src\n"
                    f"  tcp-request connection reject if {{ sc_conn_cur(0) gt {CAP} }} || {{ sc_conn_rate(0) gt {RATE} }}\n"
                    f"  default_backend b\nbackend b\n  server s 127.0.0.1:{backend_port}\n")
        command = ["haproxy", "-db", "-f", config]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_listening(port, process, name)
    return process, port


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def flood(port, stop_at, counter):
    """Client A: connect, close, as fast as one process can, from its own source address (to
    the proxy, or to a closed port for the control)."""
    attempts = 0
    while time.monotonic() < stop_at:
        s = socket.socket()
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST: no TIME_WAIT pile-up
            s.bind((FLOODER_SOURCE, 0))
            s.settimeout(1)
            s.connect(("127.0.0.1", port))
        except OSError:
            pass
        finally:
            s.close()
        attempts += 1
    with counter.get_lock():
        counter.value += attempts


class Probe(threading.Thread):
    """Client B's new connections: connect -> first byte of the answer to one GET, PROBE_PER_SECOND a second."""

    def __init__(self, port, seconds):
        super().__init__(daemon=True)
        self.port, self.seconds, self.samples, self.failures = port, seconds, [], 0

    def run(self):
        end = time.monotonic() + self.seconds
        while time.monotonic() < end:
            began = time.monotonic()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n")
                    if not s.recv(1):
                        raise OSError("closed")
                self.samples.append((time.monotonic() - began) * 1000)
            except OSError:
                self.failures += 1
            time.sleep(max(0.0, 1 / PROBE_PER_SECOND - (time.monotonic() - began)))


def closed_port():
    """A port nothing listens on: connecting there is refused by the kernel (RST), proxy untouched."""
    return free_port()


def measure_b(port, seconds, flood_target):
    """B's wrk requests/s and its probe's p99 (ms), with A flooding flood_target (a port) beside them, or not (None)."""
    flooders, counter = [], multiprocessing.Value("l", 0)
    with_flood = flood_target is not None
    if with_flood:
        stop_at = time.monotonic() + seconds + 2
        flooders = [multiprocessing.Process(target=flood, args=(flood_target, stop_at, counter)) for _ in range(FLOODERS)]
        for f in flooders:
            f.start()
        time.sleep(1)  # the flood is on before B starts
    probe = Probe(port, seconds)
    probe.start()
    wrk = subprocess.run(["wrk", "-t", "2", "-c", str(WRK_CONNECTIONS), "-d", f"{seconds}s", f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True)
    probe.join()
    for f in flooders:
        f.join()
    match = re.search(r"Requests/sec:\s+([\d.]+)", wrk.stdout)
    if not match:
        raise RuntimeError("wrk gave no figure:\n" + wrk.stdout + wrk.stderr)
    errors = re.search(r"Socket errors: (.*)", wrk.stdout)
    return {"rps": float(match.group(1)), "p99_ms": percentile(probe.samples, 99) if probe.samples else None,
            "probe_failures": probe.failures, "wrk_errors": errors.group(1) if errors else "",
            "flood_attempts_per_s": counter.value / (seconds + 1) if with_flood else 0}


# (scenario, per-client limits on, whom A floods: None, "proxy" or "closed")
SCENARIOS = {"ambassadord": [("alone", True, None), ("control", True, "closed"), ("flood", True, "proxy"),
                             ("nolimits", False, None), ("unlimited", False, "proxy")],
             "haproxy": [("alone", True, None), ("control", True, "closed"), ("flood", True, "proxy")]}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    ambassadord, out_dir, backend_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    seconds = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    for tool in ("wrk", "haproxy", "ss"):
        if not shutil.which(tool):
            sys.exit(f"overload bench: {tool} is missing (apt-get install wrk haproxy iproute2)")
    work = tempfile.mkdtemp(prefix="ambassadord-overload-bench.")
    results = {peer: {name: [] for name, _, _ in scenarios} for peer, scenarios in SCENARIOS.items()}
    try:
        peers = list(SCENARIOS)
        for r in range(rounds):
            for peer in peers[r % len(peers):] + peers[:r % len(peers)]:
                # One proxy per limits setting, warmed up with B alone and then measured through
                # its scenarios in turn, as a proxy that has been up a while: a fresh JVM under a
                # flood on two oversubscribed cores would be measured compiling, not relaying.
                for limits in (True, False):
                    scenarios = [(name, target) for name, on, target in SCENARIOS[peer] if on == limits]
                    if not scenarios:
                        continue
                    process, port = start_proxy(peer, ambassadord, work, backend_port, limits)
                    try:
                        measure_b(port, WARM_UP_SECONDS, None)
                        for name, target in scenarios:
                            figure = measure_b(port, seconds, {None: None, "proxy": port, "closed": closed_port()}[target])
                            print(f"overload: round {r + 1} {peer} {name}: {figure}", file=sys.stderr)
                            results[peer][name].append(figure)
                    finally:
                        stop(process)
        text, summary = report(results)
        print(text)
        with open(os.path.join(out_dir, "overload.json"), "w") as f:
            json.dump({"rounds": results, "summary": summary}, f, indent=1)
        with open(os.path.join(out_dir, "overload.txt"), "w") as f:
            f.write(text + "\n")
    finally:
        if not os.environ.get("BENCH_KEEP_WORK"):
            shutil.rmtree(work, ignore_errors=True)


def report(results):
    lines = [f"Overload: client B (wrk -c {WRK_CONNECTIONS} keep-alive + a new-connection probe) while client A floods"
             f" from {FLOODER_SOURCE}; limits {CAP} open / {RATE} per s per client. Medians over rounds.",
             f"{'peer':12} {'scenario':10} {'B req/s':>10} {'p99 ms':>8} {'A conn/s':>9} {'req/s vs alone':>15} {'p99 vs alone':>13}"]
    summary = {}
    for peer, scenarios in results.items():
        alone = scenarios["alone"]
        base_rps = statistics.median(f["rps"] for f in alone)
        base_p99 = statistics.median(f["p99_ms"] for f in alone if f["p99_ms"] is not None)
        for name, figures in scenarios.items():
            rps = statistics.median(f["rps"] for f in figures)
            p99s = [f["p99_ms"] for f in figures if f["p99_ms"] is not None]
            p99 = statistics.median(p99s) if p99s else float("nan")
            flood_rate = statistics.median(f["flood_attempts_per_s"] for f in figures)
            summary[f"{peer}/{name}"] = {"rps": rps, "p99_ms": p99, "rps_ratio": rps / base_rps, "p99_ratio": p99 / base_p99,
                                         "flood_attempts_per_s": flood_rate}
            lines.append(f"{peer:12} {name:10} {rps:10.0f} {p99:8.2f} {flood_rate:9.0f} {rps / base_rps:15.2f} {p99 / base_p99:13.2f}")
    a, h = summary.get("ambassadord/flood"), summary.get("haproxy/flood")
    if a and h:
        lines.append(f"goal: B keeps >= 0.90 of its throughput (ambassadord {a['rps_ratio']:.2f}, HAProxy {h['rps_ratio']:.2f}),"
                     f" p99 within 2x (ambassadord {a['p99_ratio']:.2f}, HAProxy {h['p99_ratio']:.2f})")
        for peer in ("ambassadord", "haproxy"):
            flood, control = summary[f"{peer}/flood"], summary[f"{peer}/control"]
            lines.append(f"{peer}: against the control (the flood's CPU without its connections reaching the proxy):"
                         f" req/s {flood['rps'] / control['rps']:.2f}, p99 {flood['p99_ms'] / control['p99_ms']:.2f}x")
    if "ambassadord/nolimits" in summary:
        lines.append(f"cost of the limits, B alone, on against off: {summary['ambassadord/alone']['rps'] / summary['ambassadord/nolimits']['rps']:.3f}"
                     " of the requests/s")
    return "\n".join(lines), summary


if __name__ == "__main__":
    main()
