#!/usr/bin/env bash
# The aarch64 core library runs at EL2 with no libc: every symbol it
# references must be defined inside the archive itself, except the three
# memory primitives the compiler may emit calls to on its own (GCC requires
# the environment to provide memset/memcpy/memmove even with
# -ffreestanding), which the hypervisor supplies.
#
#   check-freestanding.sh CROSS_PREFIX LIBRARY.a
set -euo pipefail
cross=$1 lib=$2
nm=${cross}nm objdump=${cross}objdump
allowed='memset|memcpy|memmove'

command -v "$nm" >/dev/null || { echo "check-freestanding: $nm not found (install binutils-aarch64-linux-gnu)"; exit 1; }

# A vacuous pass on an empty or foreign archive would prove nothing.
fmt=$("$objdump" -a "$lib" | awk '/file format/ {print $NF}' | sort -u)
if [ "$fmt" != "elf64-littleaarch64" ]; then
	echo "check-freestanding: $lib holds '${fmt:-no objects}', expected elf64-littleaarch64 objects"
	exit 1
fi
defined=$("$nm" -g --defined-only "$lib" | awk 'NF == 3 {print $3}' | sort -u)
if ! grep -qx 's2_geometry_init' <<<"$defined"; then
	echo "check-freestanding: $lib does not define s2_geometry_init: not the core library?"
	exit 1
fi
undefined=$("$nm" -u "$lib" | awk '$1 == "U" {print $2}' | sort -u)
external=$(comm -23 <(printf '%s\n' "$undefined") <(printf '%s\n' "$defined") | grep -vxE "$allowed|" || true)
if [ -n "$external" ]; then
	echo "check-freestanding: $lib references symbols it does not define (only $allowed may come from outside):"
	printf '  %s\n' $external
	for s in $external; do
		"$nm" -A -u "$lib" | awk -v s="$s" '$NF == s {sub(/:$/, "", $1); print "    used by " $1}'
	done
	exit 1
fi
members=$("$nm" -A -g --defined-only "$lib" | awk -F: '{print $2}' | sort -u | wc -l)
echo "check-freestanding: $lib: $members objects, no external symbols besides ($allowed)"
