#!/usr/bin/env bash
# run.sh OUTDIR INITRD KERNEL: the disk benchmark. Boots Debian's 6.12
# arm64 kernel at EL2 in QEMU with the initramfs whose /init is
# host-init.sh, then reports from the console log: each guest figure
# (sequential read and write in MB/s, 4 KiB random reads at queue depth 1
# in IOPS, over virtio-blk on virtio-pci with MSI-X through the ITS)
# beside the same operation on the same image through the QEMU host's
# page cache, measured in the same boot before and after the guest: the
# limit a guest's disk reaches at best. Writes OUTDIR/disk.json.
#
# DISK_MIB (image size, 256), DISK_SECS (seconds per operation and
# repetition, 2) and DISK_REPS (repetitions, 3) change the run.
set -uo pipefail
out=$1 initrd=$2 kernel=$3
mib=${DISK_MIB:-256} secs=${DISK_SECS:-2} reps=${DISK_REPS:-3}
log=$out/disk.log json=$out/disk.json
mkdir -p "$out"

t0=$(date +%s.%N)
# A guard against a hang, not a time limit.
timeout -s KILL 1800 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
	-cpu max,pauth-impdef=on -smp 2 -m 2G -nographic -nic none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 rdinit=/init quiet s2disk_mib=$mib s2disk_secs=$secs s2disk_reps=$reps" \
	</dev/null 2>&1 | tr -d '\r' > "$log"
t1=$(date +%s.%N)

fail() { echo "bench-disk: $*; see $log" >&2; exit 1; }
grep -q '^S2BENCH done' "$log" || fail "the QEMU host did not finish"
grep -q '^=== END guest rc=0$' "$log" || fail "s2vmm did not exit 0 ($(grep '^=== END guest' "$log"))"
# The guest's disk must be the virtio-pci function with its request
# queue's MSI-X vector taking the interrupts.
grep -q "disk '/tmp/disk.img' (.* bytes) on virtio-pci .* (modern)" "$log" ||
	fail "the disk is not on modern virtio-pci"
msix=$(sed -n 's/^S2BENCH guest interrupts: *[0-9]*: \([0-9]*\) ITS-PCI-MSIX-.* Edge virtio0-req.0$/\1/p' "$log")
[ -n "$msix" ] && [ "$msix" -gt 0 ] || fail "no MSI-X interrupts counted for the request queue"

# One row per operation: the guest's samples and the limit's, median and
# quartiles with linear interpolation, the ratio of the medians.
awk -v json="$json" -v mib="$mib" -v secs="$secs" -v reps="$reps" -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
	-v msix="$msix" -v cpus="$(nproc)" '
function q(arr, n, p,   i, j, t, s, h, lo) {
	for (i = 1; i <= n; i++) s[i] = arr[i]
	for (i = 2; i <= n; i++) { t = s[i]; for (j = i - 1; j >= 1 && s[j] > t; j--) s[j + 1] = s[j]; s[j + 1] = t }
	h = (n - 1) * p + 1; lo = int(h)
	return lo >= n ? s[n] : s[lo] + (h - lo) * (s[lo + 1] - s[lo])
}
function num(v) { return v < 10 ? sprintf("%.3f", v) : v < 1000 ? sprintf("%.1f", v) : sprintf("%.0f", v) }
$1 == "S2DISK" {
	who = $2; op = $3
	for (i = 4; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	v = op == "randread" ? f["IOPS"] : f["MBps"]
	n[who, op]++; val[who, op, n[who, op]] = v
}
END {
	ops[1] = "read"; ops[2] = "write"; ops[3] = "randread"
	name["read"] = "disk sequential read"; name["write"] = "disk sequential write+fsync"
	name["randread"] = "disk 4K random read QD1"
	unit["read"] = "MB/s"; unit["write"] = "MB/s"; unit["randread"] = "IOPS"
	printf "bench-disk: s2vmm guest (1 vCPU, 256 MiB) on Debian 6.12 KVM in QEMU/TCG, %d MiB image on tmpfs;\n", mib
	printf "median of %d repetitions of %d s per operation (limit: %d before and %d after the guest), %.0f s in all, %d host CPUs shared\n\n", reps, secs, reps, reps, wall, cpus
	printf "%-28s %-16s %5s %-5s %9s %9s %-10s %8s %6s %-6s %s\n", "operation", "configuration", "size", "unit", "value", "limit", "(limit)", "ratio", "iqr", "target", "met"
	printf "{\"what\":\"disk\",\"image_mib\":%d,\"secs\":%d,\"reps\":%d,\"msix_interrupts\":%d,\"rows\":[\n", mib, secs, reps, msix > json
	bad = 0
	for (k = 1; k <= 3; k++) {
		op = ops[k]; ng = n["guest", op]; nl = n["limit", op]
		if (!ng || !nl) { printf "no figures for %s (guest %d, limit %d)\n", op, ng, nl; bad = 1; continue }
		for (i = 1; i <= ng; i++) g[i] = val["guest", op, i]
		for (i = 1; i <= nl; i++) l[i] = val["limit", op, i]
		gm = q(g, ng, 0.5); lm = q(l, nl, 0.5); r = lm ? gm / lm : 0
		iqr = gm ? 100 * (q(g, ng, 0.75) - q(g, ng, 0.25)) / gm : 0
		printf "%-28s %-16s %4dM %-5s %9s %9s %-10s %8.4f %5.0f%% %-6s %s\n", name[op], "virtio-pci msix", mib, unit[op], num(gm), num(lm), "page-cache", r, iqr, "-", "-"
		printf " {\"op\":\"%s\",\"config\":\"virtio-pci msix\",\"unit\":\"%s\",\"value\":%.6g,\"min\":%.6g,\"max\":%.6g,\"p25\":%.6g,\"p75\":%.6g,\"samples\":%d,\"limit_kind\":\"page-cache\",\"limit\":%.6g,\"limit_samples\":%d,\"ratio\":%.6g}%s\n", name[op], unit[op], gm, q(g, ng, 0), q(g, ng, 1), q(g, ng, 0.25), q(g, ng, 0.75), ng, lm, nl, r, k < 3 ? "," : "" > json
	}
	printf "]}\n" > json
	printf "\nwritten: %s\n", json
	exit bad
}' "$log"
