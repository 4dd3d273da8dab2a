#!/usr/bin/env python3
"""Start -> listening time of one peer, once.

  startup.py --port PORT [--log FILE] [--timeout S] -- COMMAND...

Starts COMMAND in its own session, then tries to connect to 127.0.0.1:PORT every millisecond;
prints the milliseconds from just before the fork to the first accepted connect, then ends the
whole session (SIGTERM, then SIGKILL after 5 s). A probe connect is the honest "ready" signal:
the port accepts. Exits 1 with a reason when COMMAND exits first or the deadline passes.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time


def accepts(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        try:
            s.connect(("127.0.0.1", port))
            return True
        except OSError:
            return False


def stop(proc):
    """Ends the session COMMAND leads (launcher scripts, nginx workers, forked children)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", default=os.devnull)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    with open(args.log, "ab") as log:
        start = time.monotonic()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True)
        try:
            while True:
                if accepts(args.port):
                    elapsed = time.monotonic() - start
                    break
                if proc.poll() is not None:
                    sys.exit(f"[{' '.join(command)}] exited with {proc.returncode} before "
                             f"listening on port [{args.port}]; see [{args.log}]")
                if time.monotonic() - start > args.timeout:
                    sys.exit(f"[{' '.join(command)}] not listening on port [{args.port}] "
                             f"after {args.timeout:.0f} s")
                time.sleep(0.001)
        finally:
            stop(proc)
    print(f"{elapsed * 1000:.1f}")


if __name__ == "__main__":
    main()
