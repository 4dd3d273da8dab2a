#!/usr/bin/env bash
# Usage: aot-training.sh IMAGE_DIR
# Trains the image's AOT cache (JEP 483/514/515): runs bin/ambassadord with -XX:AOTCacheOutput
# (on a JDK 17 image, bench/run's comparison build: a CDS archive, -XX:ArchiveClassesAtExit,
# lib/server/ambassadord.jsa) on an srv:// spec, so that the run defines a plugin layer as every plugin scheme does; lets it
# listen, relays one connection (a line out and back) to a real backend that a real DNS answer
# names, stops it with SIGTERM; the JVM writes lib/server/ambassadord.aot as it exits. Run at
# image build (distribution/pom.xml), with python3 for the backend and the DNS server.
set -euo pipefail
image=$1
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$image/release")
if [ "${major:-0}" -ge 25 ]; then
  cache=$image/lib/server/ambassadord.aot
  training="-XX:AOTCacheOutput=$cache -Xlog:aot=error,cds=error"
else
  cache=$image/lib/server/ambassadord.jsa
  training="-XX:ArchiveClassesAtExit=$cache -Xlog:cds=error"
fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
rm -f "$cache"
command -v python3 >/dev/null || { echo "aot training: python3 not found (Debian package python3)"; exit 1; }

await_port() { # FILE -> the first line once written
  for _ in $(seq 100); do [ -s "$1" ] && { head -1 "$1"; return; }; sleep 0.05; done
  echo "aot training: no port in $1" >&2; exit 1
}

# The backend: each connection gets its first read back.
python3 -u -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    with c:
        c.sendall(c.recv(4096))
' >"$work/backend.port" 2>"$work/backend.log" &
pids+=($!)
backend=$(await_port "$work/backend.port")
python3 -u "$here/training-dns.py" _train._tcp.aot.test backend.aot.test "$backend" >"$work/dns.port" 2>"$work/dns.log" &
pids+=($!)
dns=$(await_port "$work/dns.port")

JAVA_OPTS="$training" \
  "$image/bin/ambassadord" --log-level info --port 0 "srv://_train._tcp.aot.test?dns=127.0.0.1:$dns" >"$work/relay.log" 2>&1 &
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

# The first connection waits for the first DNS answer, then is relayed.
answer=$(python3 -c '
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as c:
    c.settimeout(10); c.sendall(b"aot training\n"); print(c.recv(4096).decode().strip())
' "$port" || true)
[ "$answer" = "aot training" ] || { echo "aot training: the relayed connection answered [$answer]:"; cat "$work/relay.log" "$work/dns.log"; exit 1; }

kill -TERM "$relay"
wait "$relay" || true
test -s "$cache" || { echo "aot training: no cache at $cache:"; cat "$work/relay.log"; exit 1; }
echo "aot training: $(du -h "$cache" | cut -f1) cache from a run that relayed one connection"
