#!/bin/sh
# Makes the base image of the ambassadord container image without any registry: a minimal
# Debian root file system with iptables, made by debootstrap and imported into the local
# Docker engine. The Dockerfile then builds on it with --build-arg BASE_IMAGE=<image>.
#
# usage: make-base-image.sh [image [suite]]     (run as root; needs debootstrap and docker)
#   image   default ambassadord-base:bookworm
#   suite   default bookworm
# DEBIAN_MIRROR overrides the mirror; by default the first Debian (not security) mirror of
# this machine's apt sources, else http://deb.debian.org/debian.
set -eu

image=${1:-ambassadord-base:bookworm}
suite=${2:-bookworm}

fail() {
  echo "make-base-image: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "debootstrap needs root; run as root"
command -v debootstrap >/dev/null 2>&1 || fail "debootstrap not found: install Debian package debootstrap"
command -v docker >/dev/null 2>&1 || fail "docker not found: install Debian package docker.io"

mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  # Both formats: "deb http://host/debian suite main" (.list) and "URIs: http://host/debian"
  # (deb822 .sources). The security archive has no base system.
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -E '^[[:space:]]*(deb[[:space:]]|URIs:)' \
    | grep -oE 'https?://[^[:space:]]+' \
    | grep -E '/debian/?$' \
    | head -n 1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /tmp/ambassadord-base.XXXXXX)
cleanup() {
  # A failed debootstrap can leave proc/sys mounted inside the tree: unmount before deleting.
  grep -o " $root/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r mount; do
    umount -l "$mount" || true
  done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

echo "make-base-image: debootstrap $suite from $mirror into $root"
# minbase: dpkg, apt and the Essential set (coreutils, util-linux for setpriv, passwd for
# useradd); iptables for --setup-iptables.
debootstrap --variant=minbase --include=iptables "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; fail "debootstrap failed (full log above)"; }
rm -f "$root.log"

# What a container never reads: package caches and lists (apt update refills them),
# documentation, translations.
rm -rf "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
  "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/var/cache/debconf/*-old
echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"

tar --numeric-owner -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  - "$image" >/dev/null
echo "make-base-image: imported $image ($(docker image inspect --format '{{.Size}}' "$image") bytes)"
