#!/usr/bin/env python3
"""The TLS rows of bench/run: ambassadord's TLS on either hop beside HAProxy (`ssl`) and stunnel.

Every peer is run the same way in turn, round after round (the order rotating), on loopback:

  handshakes  `openssl s_time` against the peer terminating TLS (backend: the bench's nginx):
              new connections/s with a full handshake, for an ECDSA P-256 and an RSA-2048
              certificate, and resumed handshakes/s (`-reuse`, TLS 1.2 session ids and TLS 1.3
              tickets as OpenSSL's client offers them) — after BENCH_TLS_WARMUP seconds (30) of
              handshakes; the first seconds of a fresh process are shown beside them.
  bulk        iperf3 through the peer terminating TLS (iperf3 -> stunnel client -> peer -> iperf3
              server) and originating it (iperf3 -> peer -> stunnel server -> iperf3 server); the
              stunnel on the other side costs every peer the same.
  idle        resident memory per open TLS connection the peer terminated: N connections opened
              by a Python TLS client and held, the peer's RSS before and after, divided by N.

Prints a table of medians with ratios to HAProxy and writes OUT_DIR/tls.json.

Usage: tls.py AMBASSADORD OUT_DIR BACKEND_PORT [ROUNDS] [SECONDS] [IDLE_CONNECTIONS] [PEERS]
       tls.py --report OUT_DIR/tls.json   (the table again, from stored rounds)
"""
import json
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

# ambassadord-jdk-x25519: the image with the JDK's X25519 (-Dambassadord.tls.x25519=jdk), the
# key exchange's cost on against off.
PEERS = ["ambassadord", "ambassadord-jdk-x25519", "haproxy", "stunnel"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(*command, **kwargs):
    return subprocess.run(list(command), check=True, capture_output=True, text=True, **kwargs)


def certificates(work):
    """A CA, an ECDSA P-256 and an RSA-2048 server certificate for 127.0.0.1 / localhost."""
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=bench CA", "-keyout", f"{work}/ca-key.pem", "-out", f"{work}/ca.pem")
    with open(f"{work}/san.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    kinds = {"ecdsa": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "rsa": ["-newkey", "rsa:2048"]}
    for kind, key_args in kinds.items():
        run("openssl", "req", *key_args, "-nodes", "-subj", "/CN=localhost", "-keyout", f"{work}/{kind}-key.pem",
            "-out", f"{work}/{kind}.csr")
        run("openssl", "x509", "-req", "-in", f"{work}/{kind}.csr", "-CA", f"{work}/ca.pem", "-CAkey",
            f"{work}/ca-key.pem", "-CAcreateserial", "-days", "2", "-extfile", f"{work}/san.ext",
            "-out", f"{work}/{kind}.pem")
        with open(f"{work}/{kind}-combined.pem", "w") as f:
            f.write(open(f"{work}/{kind}.pem").read() + open(f"{work}/{kind}-key.pem").read())


def wait_listening(port, process, name, timeout=30):
    """Until the port has a listener — asked of ss, never by connecting: a probe connection would
    go through a proxy to an iperf3 server and use up its one test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        if subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout.strip():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on {port}")


class Peer:
    """One proxy, terminating (client TLS -> plain backend) or originating (plain -> TLS backend)."""

    def __init__(self, name, ambassadord, work, mode, kind, backend_port):
        self.name = name
        self.port = free_port()
        self.log = open(f"{work}/{name}-{mode}-{kind}.log", "w")
        cert, key, combined, ca = (f"{work}/{kind}.pem", f"{work}/{kind}-key.pem", f"{work}/{kind}-combined.pem",
                                   f"{work}/ca.pem")
        environment = dict(os.environ)
        if name.startswith("ambassadord"):
            # "ambassadord-jdk-x25519": the same image with the JDK's own X25519 instead of
            # BouncyCastle's, so the key exchange's cost shows on against off in one run.
            if name == "ambassadord-jdk-x25519":
                environment["JAVA_OPTS"] = (environment.get("JAVA_OPTS", "") + " -Dambassadord.tls.x25519=jdk").strip()
            tls = (["--tls-cert", cert, "--tls-key", key] if mode == "terminate"
                   else ["--upstream-tls", "--upstream-ca", ca])
            command = [ambassadord, "--log-level", "warn", "--port", str(self.port), *tls, f"127.0.0.1:{backend_port}"]
        elif name == "haproxy":
            config = f"{work}/haproxy-{mode}-{kind}.cfg"
            bind = f"bind 127.0.0.1:{self.port}" + (f" ssl crt {combined}" if mode == "terminate" else "")
            server = f"server s 127.0.0.1:{backend_port}" + (
                "" if mode == "terminate" else f" ssl verify required ca-file {ca}")
            with open(config, "w") as f:
                f.write("global\n  nbthread 2\n  maxconn 8000\n  tune.ssl.default-dh-param 2048\n"
                        "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\n"
                        f"frontend f\n  {bind}\n  default_backend b\nbackend b\n  {server}\n")
            command = ["haproxy", "-db", "-f", config]
        else:
            config = stunnel_config(f"{work}/stunnel-{mode}-{kind}.conf", self.port, backend_port,
                                    f"cert = {cert}\nkey = {key}\n" if mode == "terminate"
                                    else f"client = yes\nCAfile = {ca}\nverifyChain = yes\n")
            command = ["stunnel4", config]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env=environment)
        wait_listening(self.port, self.process, name)

    def group_pids(self):
        """The peer's process group (stunnel and HAProxy: one process; a JVM behind a launcher)."""
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    if os.getpgid(int(pid)) == self.process.pid:
                        yield pid
                except ProcessLookupError:
                    continue

    def rss_kib(self):
        """Resident memory of the peer's process group."""
        total = 0
        for pid in self.group_pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    total += int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
            except (OSError, AttributeError):
                continue
        return total

    def cpu_seconds(self):
        """User + system CPU the peer's process group has used: per handshake, the measure that
        the machine's load and s_time's own latency move least."""
        ticks = 0
        for pid in self.group_pids():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
            except (OSError, IndexError, ValueError):
                continue
        return ticks / os.sysconf("SC_CLK_TCK")

    def close(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def s_time(port, seconds, reuse, ca, peer=None):
    """Handshakes per second of wall-clock time. Not s_time's first figure: that divides by the
    client's own user CPU seconds, which grow with the connections it makes whoever serves
    them, so it hardly tells peers apart. With a peer, also its CPU microseconds per handshake."""
    cpu_before = peer.cpu_seconds() if peer else 0
    start = time.monotonic()
    out = run("openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-CAfile", ca, "-reuse" if reuse else "-new",
              "-time", str(seconds)).stdout
    elapsed = time.monotonic() - start
    match = re.search(r"(\d+) connections in [\d.]+ real seconds", out)
    if not match:
        raise RuntimeError("s_time printed no figure: " + out[-300:])
    count = int(match.group(1))
    if peer:
        return count / elapsed, (peer.cpu_seconds() - cpu_before) * 1e6 / max(count, 1)
    return count / elapsed


def iperf(port, seconds):
    answer = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-t", str(seconds), "-O", "1", "-J"],
                            capture_output=True, text=True)
    result = json.loads(answer.stdout or "{}")
    if "error" in result or "end" not in result:
        raise RuntimeError("iperf3: " + result.get("error", answer.stderr[-300:]))
    return result["end"]["sum_received"]["bits_per_second"] / 1e9


def idle_kib(peer, count, ca):
    context = ssl.create_default_context(cafile=ca)
    before = peer.rss_kib()
    held = []
    try:
        for _ in range(count):
            raw = socket.create_connection(("127.0.0.1", peer.port), timeout=10)
            held.append(context.wrap_socket(raw, server_hostname="localhost"))
        time.sleep(2)
        after = peer.rss_kib()
    finally:
        for s in held:
            s.close()
    return (after - before) / count


def stunnel_config(path, listen_port, target_port, service):
    """A one-service stunnel configuration in the foreground; returns its path."""
    with open(path, "w") as f:
        f.write("foreground = yes\npid =\ndebug = 3\n[s]\n"
                f"accept = 127.0.0.1:{listen_port}\nconnect = 127.0.0.1:{target_port}\n" + service)
    return path


def stunnel_helper(work, mode, listen_port, target_port):
    """The other side of the bulk test: a TLS client before a terminating peer, or a TLS server after an originating one."""
    config = stunnel_config(f"{work}/helper-{mode}-{listen_port}.conf", listen_port, target_port,
                            f"client = yes\nCAfile = {work}/ca.pem\nverifyChain = yes\n" if mode == "terminate"
                            else f"cert = {work}/ecdsa.pem\nkey = {work}/ecdsa-key.pem\n")
    process = subprocess.Popen(["stunnel4", config], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    wait_listening(listen_port, process, "stunnel helper")
    return process


def measure(peers, ambassadord, work, backend_port, rounds, seconds, idle_count, warmup):
    results = {}

    def record(peer, metric, value):
        results.setdefault(metric, {}).setdefault(peer, []).append(value)
        print(f"  {peer:16} {metric:26} {value:,.2f}", file=sys.stderr)

    for r in range(rounds):
        order = peers[r % len(peers):] + peers[:r % len(peers)]
        print(f"tls bench: round {r + 1} of {rounds}: {' '.join(order)}", file=sys.stderr)
        for kind in ("ecdsa", "rsa"):
            for name in order:
                peer = Peer(name, ambassadord, work, "terminate", kind, backend_port)
                try:
                    # The first seconds of a fresh process, then its steady state: a JVM's
                    # handshakes run interpreted at first and take ~30 s of them to be compiled,
                    # which a proxy that runs for days pays once. Both are shown; the goal is
                    # judged on the steady state, every peer warmed the same way.
                    cold = s_time(peer.port, seconds, False, f"{work}/ca.pem")
                    if kind == "ecdsa":
                        record(name, "cold_handshakes_ecdsa", cold)
                    s_time(peer.port, warmup, False, f"{work}/ca.pem")
                    rate, cpu_us = s_time(peer.port, seconds, False, f"{work}/ca.pem", peer)
                    record(name, f"full_handshakes_{kind}", rate)
                    record(name, f"cpu_us_per_full_handshake_{kind}", cpu_us)
                    if kind == "ecdsa":
                        rate, cpu_us = s_time(peer.port, seconds, True, f"{work}/ca.pem", peer)
                        record(name, "resumed_handshakes", rate)
                        record(name, "cpu_us_per_resumed_handshake", cpu_us)
                        record(name, "idle_kib_per_tls_conn", idle_kib(peer, idle_count, f"{work}/ca.pem"))
                finally:
                    peer.close()
        for mode in ("terminate", "originate"):
            for name in order:
                # A fresh one-test iperf3 server each time: one left busy by a test whose
                # peer was stopped would refuse the next.
                iperf_port = free_port()
                iperf_server = subprocess.Popen(["iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", str(iperf_port)],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                start_new_session=True)
                wait_listening(iperf_port, iperf_server, "iperf3 server")
                if mode == "terminate":
                    peer = Peer(name, ambassadord, work, mode, "ecdsa", iperf_port)
                    helper_port = free_port()
                    helper = stunnel_helper(work, mode, helper_port, peer.port)
                    client_port = helper_port
                else:
                    helper_port = free_port()
                    helper = stunnel_helper(work, mode, helper_port, iperf_port)
                    peer = Peer(name, ambassadord, work, mode, "ecdsa", helper_port)
                    client_port = peer.port
                try:
                    record(name, f"bulk_{mode}_gbps", iperf(client_port, seconds))
                finally:
                    peer.close()
                    os.killpg(helper.pid, signal.SIGTERM)
                    helper.wait(timeout=10)
                    if iperf_server.poll() is None:
                        os.killpg(iperf_server.pid, signal.SIGTERM)
                        iperf_server.wait(timeout=10)
    return results


LABELS = {
    "cold_handshakes_ecdsa": ("first seconds: handshakes/s, ECDSA", "higher", None),
    "full_handshakes_ecdsa": ("full handshakes/s, ECDSA P-256", "higher", 0.8),
    "full_handshakes_rsa": ("full handshakes/s, RSA-2048", "higher", 0.8),
    "resumed_handshakes": ("resumed handshakes/s", "higher", 1.0),
    "cpu_us_per_full_handshake_ecdsa": ("server CPU µs per full handshake, ECDSA", "lower", None),
    "cpu_us_per_full_handshake_rsa": ("server CPU µs per full handshake, RSA", "lower", None),
    "cpu_us_per_resumed_handshake": ("server CPU µs per resumed handshake", "lower", None),
    "bulk_terminate_gbps": ("bulk through termination, Gbit/s", "higher", 1.0),
    "bulk_originate_gbps": ("bulk through origination, Gbit/s", "higher", 1.0),
    "idle_kib_per_tls_conn": ("idle TLS connection, KiB", "lower", 1.0),
}


def report(results, peers):
    """Medians per peer, and ambassadord / HAProxy paired round by round (min / median / max):
    the machine's drift between rounds then favours neither."""
    lines = [f"{'':42}" + "".join(f"{p:>{max(16, len(p) + 2)}}" for p in peers) + "   ambassadord/HAProxy by round   goal"]
    summary = {}
    for metric, (label, better, goal) in LABELS.items():
        rounds = results.get(metric, {})
        medians = {p: statistics.median(rounds[p]) for p in peers if p in rounds}
        row = f"{label:42}" + "".join(f"{medians.get(p, float('nan')):>{max(16, len(p) + 2)},.2f}" for p in peers)
        paired = [a / h for a, h in zip(rounds.get("ambassadord", []), rounds.get("haproxy", [])) if h]
        ratio = statistics.median(paired) if paired else None
        if ratio is not None and goal is None:
            row += f"   {min(paired):.2f} / {ratio:.2f} / {max(paired):.2f}     (shown, no goal)"
        elif ratio is not None:
            met = ratio >= goal if better == "higher" else ratio <= goal
            row += (f"   {min(paired):.2f} / {ratio:.2f} / {max(paired):.2f}"
                    f"     {'≥' if better == 'higher' else '≤'} {goal:g}× {'met' if met else 'MISSED'}")
        lines.append(row)
        summary[metric] = {"medians": medians, "paired_ratios_to_haproxy": paired, "ratio_to_haproxy": ratio,
                           "rounds": rounds}
    return "\n".join(lines), summary


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--report":
        # The table again, from a tls.json this script wrote.
        stored = json.load(open(sys.argv[2]))
        rounds = {m: v["rounds"] for m, v in stored.items()}
        present = [p for p in PEERS if any(p in by_peer for by_peer in rounds.values())]
        print(report(rounds, present)[0])
        return
    if len(sys.argv) < 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    ambassadord, out_dir, backend_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    seconds = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    idle_count = int(sys.argv[6]) if len(sys.argv) > 6 else 2000
    peers = sys.argv[7].split() if len(sys.argv) > 7 else PEERS
    warmup = int(os.environ.get("BENCH_TLS_WARMUP", "30"))
    for tool in ("openssl", "iperf3", "stunnel4", "haproxy"):
        if not shutil.which(tool):
            sys.exit(f"tls bench: {tool} is missing (apt-get install openssl iperf3 stunnel4 haproxy)")
    work = tempfile.mkdtemp(prefix="ambassadord-tls-bench.")
    try:
        certificates(work)
        results = measure(peers, ambassadord, work, backend_port, rounds, seconds, idle_count, warmup)
        text, summary = report(results, peers)
        print(text)
        with open(os.path.join(out_dir, "tls.json"), "w") as f:
            json.dump(summary, f, indent=1)
        with open(os.path.join(out_dir, "tls.txt"), "w") as f:
            f.write(text + "\n")
    finally:
        if not os.environ.get("BENCH_KEEP_WORK"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
