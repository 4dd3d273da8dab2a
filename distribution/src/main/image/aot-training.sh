#!/usr/bin/env bash
# Usage: aot-training.sh IMAGE_DIR
# Trains the image's AOT cache: runs bin/ambassadord with -XX:AOTCacheOutput, lets it listen,
# relays one connection (a line out and back) to a real backend, stops it with SIGTERM; the
# JVM writes lib/server/ambassadord.aot as it exits. Run at image build (distribution/pom.xml).
set -euo pipefail
image=$1
cache=$image/lib/server/ambassadord.aot
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
rm -f "$cache"

# The backend: one line back for each connection, on a port of the kernel's choosing.
python3 -u -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    with c:
        data = c.recv(4096)
        c.sendall(data)
' >"$work/backend.port" 2>"$work/backend.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/backend.port" ] && break; sleep 0.05; done
backend=$(head -1 "$work/backend.port")
[ -n "$backend" ] || { echo "aot training: the backend did not start"; cat "$work/backend.log"; exit 1; }

JAVA_OPTS="-XX:AOTCacheOutput=$cache -Xlog:aot=error,cds=error" \
  "$image/bin/ambassadord" --log-level info --port 0 "127.0.0.1:$backend" >"$work/relay.log" 2>&1 &
relay=$!
pids+=($relay)
port=
for _ in $(seq 600); do
  port=$(sed -n 's/.*listening on \[[^]]*:\([0-9]*\)\].*/\1/p' "$work/relay.log")
  [ -n "$port" ] && break
  kill -0 "$relay" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "aot training: the image did not listen:"; cat "$work/relay.log"; exit 1; }

answer=$(python3 -c '
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as c:
    c.sendall(b"aot training\n"); print(c.recv(4096).decode().strip())
' "$port")
[ "$answer" = "aot training" ] || { echo "aot training: the relayed connection answered [$answer]"; cat "$work/relay.log"; exit 1; }

kill -TERM "$relay"
wait "$relay" || true
test -s "$cache" || { echo "aot training: no cache at $cache:"; cat "$work/relay.log"; exit 1; }
echo "aot training: $(du -h "$cache" | cut -f1) cache from a run that relayed one connection"
