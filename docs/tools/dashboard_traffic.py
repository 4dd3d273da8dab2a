#!/usr/bin/env python3
"""Traffic for the dashboard picture in docs/OPERATIONS.md: a relay in front of an echo
server and a dead endpoint, three phases of new connections (20/s, 80/s, 20/s) carrying
4 KiB each way, plus 10 long-lived connections streaming.

usage: dashboard_traffic.py RELAY_PORT SECONDS_PER_PHASE
"""
import socket
import sys
import threading
import time

PAYLOAD = b"x" * 4096


def one_connection(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(PAYLOAD)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
    except OSError:
        pass


def streamer(port, stop):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            while not stop.is_set():
                s.sendall(PAYLOAD * 4)
                s.recv(65536)
                time.sleep(0.01)
    except OSError:
        pass


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    stop = threading.Event()
    streams = [threading.Thread(target=streamer, args=(port, stop), daemon=True) for _ in range(10)]
    for thread in streams:
        thread.start()
    for rate in (20, 80, 20):
        end = time.time() + seconds
        while time.time() < end:
            tick = time.time()
            for _ in range(rate // 10):
                threading.Thread(target=one_connection, args=(port,), daemon=True).start()
            time.sleep(max(0.0, 0.1 - (time.time() - tick)))
    stop.set()


if __name__ == "__main__":
    main()
