#!/usr/bin/env python3
"""The discovery row of bench/run: how fast new connections follow a Consul service that changes.

A dev Consul agent holds a service of INSTANCES instances with TTL checks, each on its own loopback
address (127.0.x.y; one backend process answers them all, with the index of the instance the
connection reached). ambassadord follows the service with `consul-service://` and
`--balance random`. The first MARKERS instances are markers of weight 65535, the others weigh 1;
one marker at a time is passing, so about 98 % of new connections reach the current marker.

After a steady phase (a probe opens one connection a millisecond, nothing changes: the
follower's idle cost) the service changes CHANGES_PER_SECOND times a second for SECONDS. Every
fifth change moves the marker on: the next marker's check passes, then the previous one's fails;
the other changes flip a random light instance. For each move, the time from the PUT that made the
new marker pass to the first connection that reached it or a later marker (a follower that
batches changes may skip a marker: counted as overtaken). CPU: the ambassadord process's
user+system time in each phase, and its follower thread's own.

consul-template's `service` is the peer the issue names; the report says whether one is on the
PATH (Debian packages none).

Usage: discovery.py AMBASSADORD CONSUL OUT_JSON [SECONDS] [INSTANCES] [CHANGES_PER_SECOND]
       discovery.py --register CONSUL_HTTP_PORT SERVICE PORT WEIGHT...   (bench/run's Consul peers:
       instance k of SERVICE at 127.0.0.(k+1):PORT with the k-th weight, passing)
"""
import http.client
import json
import os
import bisect
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

MARKER_WEIGHT = 65535
MARKER_PERIOD = 5          # one change in five moves the marker: 2 a second at 10 changes/s
PROBE_INTERVAL = 0.001     # one probe connection per millisecond
STEADY_SECONDS = 15


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def instance_address(i):
    """127.0.1.0 ... : distinct loopback addresses, so every instance is its own endpoint."""
    return "127.0.%d.%d" % (1 + i // 250, 1 + i % 250)


def instance_index(address):
    _, _, high, low = (int(part) for part in address.split("."))
    return (high - 1) * 250 + low - 1


def serve(port):
    """The backends: one listener on every loopback address, answering with the instance's index."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", port))
    listener.listen(4096)
    while True:
        conn, _ = listener.accept()
        try:
            conn.sendall(instance_index(conn.getsockname()[0]).to_bytes(2, "big"))
        except OSError:
            pass
        conn.close()


class Consul:
    def __init__(self, binary, work):
        self.http, lan, wan, server = free_ports(4)
        self.log = open(os.path.join(work, "consul.log"), "w")
        self.process = subprocess.Popen(
            [binary, "agent", "-dev", "-bind=127.0.0.1", "-client=127.0.0.1", "-http-port=%d" % self.http,
             "-dns-port=-1", "-grpc-port=-1", "-serf-lan-port=%d" % lan, "-serf-wan-port=%d" % wan,
             "-server-port=%d" % server, "-log-level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.request("GET", "/v1/status/leader")[1].strip(b'"'):
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit("discovery: Consul did not start; see %s" % self.log.name)
            time.sleep(0.2)

    def request(self, method, path, body=None, connection=None):
        own = connection is None
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.http, timeout=30)
        try:
            connection.request(method, path, body=None if body is None else json.dumps(body))
            answer = connection.getresponse()
            data = answer.read()
            if answer.status != 200:
                raise SystemExit("discovery: Consul %s %s: HTTP %d %s" % (method, path, answer.status, data[:200]))
            return answer.status, data
        finally:
            if own:
                connection.close()

    def close(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def register(consul, instances, markers, backend_port):
    """Instances 0 .. markers-1 are markers (only the first passing), the rest light and passing."""
    connection = http.client.HTTPConnection("127.0.0.1", consul.http, timeout=30)
    for i in range(instances):
        consul.request("PUT", "/v1/agent/service/register", {
            "ID": "bench-%04d" % i, "Name": "bench", "Address": instance_address(i), "Port": backend_port,
            "Tags": ["bench"], "Weights": {"Passing": MARKER_WEIGHT if i < markers else 1, "Warning": 1},
            "Check": {"CheckID": "bench-%04d" % i, "TTL": "30m",
                      "Status": "passing" if i == 0 or i >= markers else "critical"}}, connection)
    connection.close()


def pid_listening(port):
    out = subprocess.run(["ss", "-Hltnp", "sport = :%d" % port], capture_output=True, text=True).stdout
    marker = "pid="
    at = out.find(marker)
    return int(out[at + len(marker):].split(",")[0]) if at >= 0 else None


def cpu_seconds(pid, thread_prefix=None):
    """User+system seconds of the process, or of its threads whose name starts with the prefix."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    paths = ["/proc/%d/stat" % pid] if thread_prefix is None else [
        "/proc/%d/task/%s/stat" % (pid, t) for t in os.listdir("/proc/%d/task" % pid)]
    for path in paths:
        try:
            with open(path) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if thread_prefix is not None and not name.startswith(thread_prefix):
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


class Probe(threading.Thread):
    """Opens one connection a millisecond through the ambassador and notes when and where it landed."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.samples = []
        self.failures = 0
        self.stopped = False

    def run(self):
        next_at = time.monotonic()
        while not self.stopped:
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", self.port))
                answer = b""
                while len(answer) < 2:
                    chunk = s.recv(2 - len(answer))
                    if not chunk:
                        raise OSError("closed after %d bytes" % len(answer))
                    answer += chunk
                self.samples.append((time.monotonic(), int.from_bytes(answer, "big")))
            except OSError:
                self.failures += 1
            finally:
                s.close()
            next_at += PROBE_INTERVAL
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                next_at = time.monotonic()


def follow_latencies(samples, moves, markers):
    """For each move (time, marker): milliseconds to the first connection that reached that
    marker or a later one, and whether it was that marker (False: overtaken); None when never."""
    times = [t for t, _ in samples]
    result = []
    for t0, marker in moves:
        seen = None
        for t, index in samples[bisect.bisect_left(times, t0):]:
            if marker <= index < markers:
                seen = ((t - t0) * 1000, index == marker)
                break
        result.append(seen)
    return result


def summary(r):
    def ms(key):
        return "-" if r[key] is None else "%.0f ms" % r[key]
    return "\n".join([
        "discovery: %d instances, %g changes/s for %d s (%d changes, %d marker moves); probe %d connections, %d failed"
        % (r["instances"], r["changes_per_second"], r["seconds"], r["changes"], r["marker_moves"],
           r["probe_connections"], r["probe_failures"]),
        "  check change -> new connections follow: p50 %s, p99 %s, max %s (%d followed, %d overtaken, %d never)"
        % (ms("follow_p50_ms"), ms("follow_p99_ms"), ms("follow_max_ms"), r["followed"], r["overtaken"],
           r["never_followed"]),
        "  ambassadord CPU, %% of one core: %.1f steady (the probe's connections only), %.1f while changing;"
        " its follower thread %.2f / %.2f" % (r["cpu_steady_pct"], r["cpu_changing_pct"],
                                            r["follower_thread_steady_pct"], r["follower_thread_changing_pct"]),
        "  consul-template service watch: %s" % r["consul_template"]])


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    ambassadord, consul_binary, out = sys.argv[1:4]
    seconds = int(sys.argv[4]) if len(sys.argv) > 4 else 60
    instances = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    rate = float(sys.argv[6]) if len(sys.argv) > 6 else 10
    work = tempfile.mkdtemp(prefix="ambassadord-discovery.")
    backend_port, listen_port = free_ports(2)
    markers = int(seconds * rate / MARKER_PERIOD) + 2
    if markers >= instances:
        sys.exit("discovery: %d instances leave no light ones beside %d markers" % (instances, markers))
    backend = subprocess.Popen([sys.executable, __file__, "--serve", str(backend_port)],
                               start_new_session=True)
    consul = relay = None
    try:
        consul = Consul(consul_binary, work)
        started = time.monotonic()
        register(consul, instances, markers, backend_port)
        print("  registered %d instances in %.1f s" % (instances, time.monotonic() - started), file=sys.stderr)
        relay_log = open(os.path.join(work, "ambassadord.log"), "w")
        relay = subprocess.Popen(
            [ambassadord, "--port", str(listen_port), "--balance", "random", "--log-level", os.environ.get("DISCOVERY_LOG_LEVEL", "warn"),
             "consul-service://127.0.0.1:%d/bench" % consul.http],
            stdout=relay_log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        pid = None
        while pid is None:
            if time.monotonic() > deadline or relay.poll() is not None:
                raise SystemExit("discovery: ambassadord did not listen; see %s" % relay_log.name)
            time.sleep(0.1)
            pid = pid_listening(listen_port)
        probe = Probe(listen_port)
        probe.start()
        time.sleep(3)  # the first answer, the JIT's first pass
        steady_from = (time.monotonic(), cpu_seconds(pid), cpu_seconds(pid, "consul-service"))
        time.sleep(STEADY_SECONDS)
        steady_to = (time.monotonic(), cpu_seconds(pid), cpu_seconds(pid, "consul-service"))

        connection = http.client.HTTPConnection("127.0.0.1", consul.http, timeout=30)
        passing = [i == 0 or i >= markers for i in range(instances)]
        moves = []
        marker = 0
        tick = 0
        next_at = time.monotonic()
        change_from = (next_at, cpu_seconds(pid), cpu_seconds(pid, "consul-service"))

        def check(i, now_passing):
            passing[i] = now_passing
            consul.request("PUT", "/v1/agent/check/%s/bench-%04d" % ("pass" if now_passing else "fail", i),
                           None, connection)

        while time.monotonic() < change_from[0] + seconds:
            if tick % MARKER_PERIOD == 0 and marker + 1 < markers:
                t0 = time.monotonic()
                check(marker + 1, True)
                check(marker, False)
                marker += 1
                moves.append((t0, marker))
            else:
                i = random.randrange(markers, instances)
                check(i, not passing[i])
            tick += 1
            next_at += 1 / rate
            time.sleep(max(0, next_at - time.monotonic()))
        change_to = (time.monotonic(), cpu_seconds(pid), cpu_seconds(pid, "consul-service"))
        time.sleep(1)
        probe.stopped = True
        probe.join()

        follows = follow_latencies(probe.samples, moves, markers)
        followed = [ms for ms, _ in filter(None, follows)]

        def share(a, b, index):
            return (b[index] - a[index]) / (b[0] - a[0]) * 100

        result = {
            "instances": instances, "changes_per_second": rate, "seconds": seconds,
            "changes": tick, "marker_moves": len(moves), "followed": len(followed),
            "overtaken": sum(1 for f in follows if f is not None and not f[1]),
            "never_followed": sum(1 for f in follows if f is None),
            "follow_p50_ms": round(percentile(followed, 50), 1) if followed else None,
            "follow_p99_ms": round(percentile(followed, 99), 1) if followed else None,
            "follow_max_ms": round(max(followed), 1) if followed else None,
            "probe_connections": len(probe.samples), "probe_failures": probe.failures,
            "cpu_steady_pct": round(share(steady_from, steady_to, 1), 1),
            "cpu_changing_pct": round(share(change_from, change_to, 1), 1),
            "follower_thread_steady_pct": round(share(steady_from, steady_to, 2), 2),
            "follower_thread_changing_pct": round(share(change_from, change_to, 2), 2),
            "consul_template": ("found at %s but not driven by this row" % shutil.which("consul-template"))
            if shutil.which("consul-template")
            else "not installed (no consul-template on the PATH; Debian bookworm, bullseye and sid package none)",
        }
        with open(out, "w") as f:
            json.dump(result, f, indent=1)
        print(summary(result))
    finally:
        for process in (relay, backend):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        if consul is not None:
            consul.close()
        if not os.environ.get("BENCH_KEEP_WORK") and sys.exc_info()[0] is None:
            shutil.rmtree(work, ignore_errors=True)


def register_weighted(http_port, service, port, weights):
    connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
    for k, weight in enumerate(weights):
        connection.request("PUT", "/v1/agent/service/register", json.dumps({
            "ID": "%s-%d" % (service, k), "Name": service, "Address": "127.0.0.%d" % (k + 1), "Port": port,
            "Weights": {"Passing": weight, "Warning": 1}}))
        answer = connection.getresponse()
        if answer.status != 200:
            sys.exit("discovery: registering %s: HTTP %d %s" % (service, answer.status, answer.read()[:200]))
        answer.read()
    connection.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]))
    elif sys.argv[1:2] == ["--register"]:
        register_weighted(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), [int(w) for w in sys.argv[5:]])
    else:
        main()
