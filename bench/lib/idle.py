#!/usr/bin/env python3
"""Resident memory a peer holds per idle relayed connection.

  idle.py --listen-port L --backend-port B --connections N --pgid G [--settle S]

Plays both ends: it is the backend on B (the peer relays L -> B) and the clients that connect
to L. Every connection carries one small message each way first (so the relay has touched
whatever it allocates for traffic), then stays open and silent. Memory is the sum of the
proportional set size (Pss, from /proc/PID/smaps_rollup) over every process of the peer's
process group G; Pss rather than RSS so that a forking relay (socat) is not charged N times
for its shared pages. For a single process the two deltas are the same. Resident memory only:
kernel socket buffers are not counted, for any peer.

Prints one JSON object: connections, alive (still open at the end), base_kib, after_kib,
per_conn_bytes, plus the same from VmRSS for reference.
"""
import argparse
import json
import os
import resource
import select
import socket
import sys
import time

BATCH = 200
WARMUP = 100


def group_pids(pgid):
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp.
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(name))
    return pids


def field_kib(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_kib(pgid):
    """(Pss, RSS) in KiB summed over the process group."""
    pids = group_pids(pgid)
    if not pids:
        sys.exit(f"no live process in group [{pgid}]: the peer died")
    pss = sum(field_kib(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
    rss = sum(field_kib(f"/proc/{p}/status", "VmRSS") for p in pids)
    return pss, rss


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed by peer")
        data += chunk
    return data


class Harness:
    def __init__(self, listen_port, backend_port, timeout):
        self.listen_port = listen_port
        self.timeout = timeout
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", backend_port))
        self.server.listen(4096)
        self.server.settimeout(timeout)

    def open_batch(self, count):
        """Opens COUNT relayed connections, exchanges a message on each: (clients, backends)."""
        clients = []
        for _ in range(count):
            c = socket.create_connection(("127.0.0.1", self.listen_port), timeout=self.timeout)
            c.sendall(b"ping")
            clients.append(c)
        backends = []
        for _ in range(count):
            # The peer connects to us only once it has accepted and resolved: this is also
            # how we know every relayed connection really reached the backend.
            b, _ = self.server.accept()
            b.settimeout(self.timeout)
            if recv_exact(b, 4) != b"ping":
                raise ConnectionError("backend got wrong bytes")
            b.sendall(b"pong")
            backends.append(b)
        for c in clients:
            if recv_exact(c, 4) != b"pong":
                raise ConnectionError("client got wrong bytes")
        return clients, backends


def alive(socks):
    """How many client sockets are still open and silent (no EOF, no stray bytes)."""
    poller = select.poll()
    for s in socks:
        poller.register(s, select.POLLIN | select.POLLHUP | select.POLLERR)
    broken = len(poller.poll(0))
    return len(socks) - broken


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--backend-port", type=int, required=True)
    parser.add_argument("--connections", type=int, required=True)
    parser.add_argument("--pgid", type=int, required=True)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if 2 * args.connections + 50 > hard:
        sys.exit(f"[{args.connections}] connections need {2 * args.connections + 50} files; "
                 f"the limit is [{hard}]")

    h = Harness(args.listen_port, args.backend_port, args.timeout)
    # Warm up the peer's code paths and pools, then take the baseline.
    clients, backends = h.open_batch(min(WARMUP, args.connections))
    for s in clients + backends:
        s.close()
    time.sleep(args.settle)
    base_pss, base_rss = memory_kib(args.pgid)

    clients, backends = [], []
    started = time.monotonic()
    while len(clients) < args.connections:
        c, b = h.open_batch(min(BATCH, args.connections - len(clients)))
        clients += c
        backends += b
    opened_s = time.monotonic() - started
    time.sleep(args.settle)
    after_pss, after_rss = memory_kib(args.pgid)
    n = args.connections
    result = {
        "connections": n,
        "alive": alive(clients),
        "open_seconds": round(opened_s, 2),
        "base_kib": base_pss,
        "after_kib": after_pss,
        "per_conn_bytes": round((after_pss - base_pss) * 1024 / n),
        "rss_base_kib": base_rss,
        "rss_after_kib": after_rss,
        "rss_per_conn_bytes": round((after_rss - base_rss) * 1024 / n),
    }
    for s in clients + backends:
        s.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
