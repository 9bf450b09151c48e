#!/usr/bin/env bash
# mkcpio.sh OUT [gz] DEST=SRC...: a newc initramfs holding busybox and the
# given files (DEST is the path inside, SRC a file on the build host).
# Owned by root and with fixed mtimes so the same inputs give the same
# archive.
set -euo pipefail
out=$1; shift
gz=0; [ "${1:-}" = gz ] && { gz=1; shift; }
: "${BUSYBOX:?BUSYBOX must name an arm64 busybox-static binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,tmp}
install -m 0755 "$BUSYBOX" "$tmp/bin/busybox"
for spec in "$@"; do
	dest=${spec%%=*} src=${spec#*=}
	mkdir -p "$tmp/$(dirname "$dest")"
	install -m "$( [ -x "$src" ] && echo 0755 || echo 0644 )" "$src" "$tmp/$dest"
done
find "$tmp" -exec touch -h -d @0 {} +
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
if [ $gz = 1 ]; then gzip -9n < "$out.tmp" > "$out"; rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
