#!/usr/bin/env bash
# check-kvm.sh OUTDIR INITRD KERNEL_6_12 KERNEL_6_1
#
# Boots each Debian arm64 kernel at EL2 in QEMU with the initramfs whose
# /init is scenarios.sh, then judges the console log here: every scenario
# is a framed block with its exit status, and each is checked for the
# exact lines that prove what it is about (the guest's PC and UART at the
# top of the IPA space, RAM above 2^48 in the Linux guest's /proc/iomem,
# each refusal's message). QEMU exits 0 whatever happened inside, so the
# log is the only verdict.
set -uo pipefail
out=$1 initrd=$2 k612=$3 k61=$4
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

boot() { # kernel log cpu [machine-options] -> boots QEMU, prints wall time
	local t0 t1
	t0=$(date +%s.%N)
	# A guard against a hang, not a time limit: under TCG on a busy
	# machine the 6.12 run alone has taken 10 minutes.
	timeout -s KILL 1800 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3${4:+,$4} \
		-cpu "$3" -smp 2 -m 2G -nographic -nic none -no-reboot \
		-kernel "$1" -initrd "$initrd" \
		-append 'console=ttyAMA0 panic=-1 rdinit=/init quiet' </dev/null 2>&1 |
		tr -d '\r' > "$2"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

block() { awk -v n="$2" '$0 == "=== BEGIN " n { f = 1; next }
			index($0, "=== END " n " ") == 1 { f = 0 } f' "$1"; }

# expect LOG NAME RC FIXED-STRING...: the block ran to its end with RC,
# left no s2vmm behind, and prints every string.
expect() {
	local log=$1 name=$2 rc=$3 end body s
	shift 3
	end=$(grep -m1 "^=== END $name " "$log")
	if [ -z "$end" ]; then
		bad "$name: did not run to its end (see $log)"
		return
	fi
	case "$end" in
	*" rc=$rc left=0 "*) ok ;;
	*) bad "$name: expected rc=$rc left=0, got: $end" ;;
	esac
	body=$(block "$log" "$name")
	for s in "$@"; do
		if grep -qF -- "$s" <<<"$body"; then ok; else bad "$name: no line with '$s'"; fi
	done
}

# expect_not LOG NAME FIXED-STRING...: the block prints none of them.
expect_not() {
	local log=$1 name=$2 body s
	shift 2
	body=$(block "$log" "$name")
	for s in "$@"; do
		if grep -qF -- "$s" <<<"$body"; then bad "$name: unexpected line with '$s'"; else ok; fi
	done
}

# guest_ok LOG NAME RC CHECK...: the feature guest ran every CHECK and
# passed it, and reported no failure.
guest_ok() {
	local log=$1 name=$2 rc=$3 c args=()
	shift 3
	for c in "$@"; do args+=("s2vmm-guest: $c ok"); done
	expect "$log" "$name" "$rc" "${args[@]}" "s2vmm-guest: feature checks done, 0 failed"
	expect_not "$log" "$name" " FAIL" "where there is no device"
}

hex() { printf '0x%016x' "$1"; }

PMU_CHECKS=("pmu: device tree node arm,armv8-pmuv3 with PPI 23 (interrupts <1 7 4>)"
	"pmu: ID_AA64DFR0_EL1.PMUVer is set" "pmu: at least two event counters"
	"pmu: cycle counter counts" "pmu: event counter 1 counts CPU_CYCLES"
	"pmu: SW_INCR to 0xffffffff, no overflow yet" "pmu: SW_INCR overflow raises PPI 23"
	"pmu: CPU_CYCLES overflow raises PPI 23")
SVE_CHECKS=("sve: z0-z31, p0-p15 and FFR survive 3000 exits to the VMM")
SMP_CHECKS=("psci: version 1.0 or later" "psci: vCPU 1 starts OFF (AFFINITY_INFO 1)"
	"psci: CPU_ON vCPU 1 returns SUCCESS" "smp: vCPU 1 entered with its context id and MPIDR"
	"psci: vCPU 1 OFF again after its CPU_OFF" "psci: CPU_ON of the running vCPU is ALREADY_ON"
	"psci: CPU_ON of a vCPU that does not exist is INVALID_PARAMETERS")
ITS_CHECKS=("its: LPIs and ITS tables enabled" "its: MAPD, MAPC, MAPTI, SYNC consumed"
	"its: nothing pending before INT" "its: INT consumed" "its: LPI 8197 (device 1, event 3) arrives")

PCI_CHECKS=("pci: a modern virtio device (ID 0x1040 + n, revision 1)"
	"pci: BARs sized, placed in the window, read back"
	"virtio-pci: common, notify, ISR, device and PCI config capabilities, each inside its BAR"
	"pci: BAR 0 is 64-bit prefetchable, BAR 2 64-bit"
	"virtio-pci: PCI config window reads num_queues (2 bytes) as the BAR does"
	"virtio-pci: PCI config window reads device_feature (4 bytes, VERSION_1) as the BAR does"
	"virtio-pci: PCI config window writes queue_select (2 bytes) and device_status (1 byte)"
	"virtio-pci: PCI config window works with memory decoding off"
	"msix: ITS mapped, vectors programmed, nothing pending"
	"msix: driver ready, transmit queue on vector 1, configuration on vector 0"
	"msix: unmasked vector 1 delivers its LPI exactly once (the line was used)"
	"msix: vector 1 masked (its Mask bit): no LPI, PBA bit 1 set"
	"msix: unmasking vector 1 delivers the LPI exactly once and clears PBA bit 1"
	"msix: Function Mask: no LPI, PBA bit 1 set"
	"msix: clearing Function Mask delivers the LPI exactly once and clears PBA bit 1"
	"virtio-pci: descriptors at 0xfff0000000000000 (beyond any IPA): queue refused, DEVICE_NEEDS_RESET, one configuration LPI"
	"virtio-pci: available ring at 2^52: queue refused, DEVICE_NEEDS_RESET, one configuration LPI"
	"virtio-pci: used ring across the end of RAM: queue refused, DEVICE_NEEDS_RESET, one configuration LPI"
	"virtio-pci: the RAM below the refused used ring is untouched"
	"virtio-pci: reset clears DEVICE_NEEDS_RESET"
	"virtio-pci: s2vmm still answers (PSCI VERSION) after the device errors")
# What s2vmm says of each queue the modern guest gets wrong (16 MiB of
# RAM at 2 GiB: the used ring from 64 bytes below its end).
PCI_HOST_LINES=("s2vmm: error: virtio-pci 00:00.0 (modern): queue 0: descriptor table at 0xfff0000000000000 (128 bytes for size 8) is outside guest RAM"
	"s2vmm: error: virtio-pci 00:00.0 (modern): queue 0: available ring at 0x10000000000000 (22 bytes for size 8) is outside guest RAM"
	"s2vmm: error: virtio-pci 00:00.0 (modern): queue 0: used ring at 0x80ffffc0 (70 bytes for size 8) is outside guest RAM"
	"s2vmm-guest: virtio console line 2" "guest powered off (PSCI SYSTEM_OFF from vCPU 0)")
PCI_LEGACY_CHECKS=("pci: a transitional virtio device (ID 0x1000..0x103f, revision 0), no vendor capabilities"
	"pci: BARs sized, placed in the window, read back"
	"msix: ITS mapped, vectors programmed, nothing pending"
	"virtio-pci legacy: queue 0 has 256 entries"
	"virtio-pci legacy: QueuePFN 0xffffffff (the top of the 2^44 reach, no RAM): refused, DEVICE_NEEDS_RESET, one configuration LPI"
	"virtio-pci legacy: QueuePFN of RAM's last page (the queue runs past RAM): refused, DEVICE_NEEDS_RESET, one configuration LPI"
	"virtio-pci legacy: RAM's last page is untouched"
	"virtio-pci legacy: s2vmm still answers (PSCI VERSION) after the device errors"
	"virtio-pci legacy: reset clears DEVICE_NEEDS_RESET"
	"virtio-pci legacy: a QueuePFN inside RAM is taken and reads back"
	"virtio-pci legacy: a line on that queue is used and vector 1 delivers its LPI once")

# The virtio-pci guests in kvmtool's map (ECAM at 256 MiB, the window at
# 512 MiB, 16 MiB of RAM at 2 GiB), on any host with an ITS.
vpci() { # log
	local log=$1
	guest_ok "$log" feat-pci 0 "${PCI_CHECKS[@]}"
	expect "$log" feat-pci 0 "${PCI_HOST_LINES[@]}" \
		"s2vmm-guest: pci: 00:00.0 BAR 0: 64-bit prefetchable, 16 KiB at 0x0000000020000000" \
		"s2vmm-guest: pci: 00:00.0 BAR 2: 64-bit, 4 KiB at 0x0000000020004000"
	guest_ok "$log" feat-pci-legacy 0 "${PCI_LEGACY_CHECKS[@]}"
	expect "$log" feat-pci-legacy 0 "virtio console (hvc0) on virtio-pci 00:00.0 (legacy)" \
		"s2vmm-guest: pci: 00:00.0 BAR 0: 64-bit, 256 bytes at 0x0000000020000000" \
		"s2vmm: error: virtio-pci 00:00.0 (legacy): queue 0: QueuePFN 0xffffffff x 4096 puts the queue at 0xffffffff000..0x100000001805, outside guest RAM (a legacy PFN cannot reach above 0xfffffffffff)" \
		"s2vmm: error: virtio-pci 00:00.0 (legacy): queue 0: QueuePFN 0x80fff x 4096 puts the queue at 0x80fff000..0x81001805, outside guest RAM" \
		"s2vmm: virtio-pci 00:00.0 (legacy): queue 1 at PFN 0x" "s2vmm-guest: virtio console line 0" \
		"guest powered off (PSCI SYSTEM_OFF from vCPU 0)"
}

# An ITS where no RAM lies below 2^48: the warning names the limit and
# the address that crosses it. RAM ending below 2^48: no warning.
its_warning() { # log limit
	local log=$1 l=$2
	if [ "$l" -ge 52 ]; then
		expect "$log" its-high52 0 \
			"s2vmm: warning: gicv3-its: no RAM bank lies below 2^48 (0x1000000000000), where a 4K-page guest's ITS tables must be (RAM 0xfffffbf000000..0xfffffbfffffff): GITS_BASER address 0xfffffbfff0000 needs more than 48 bits; only 64K ITS pages (Page_Size=2) hold PA[51:48]" \
			"(--layout split keeps a boot bank below 2^48; --irqchip gicv3 leaves the ITS out)" \
			"guest powered off"
		expect "$log" its-high52-default 0 "the GIC ITS" \
			"s2vmm: warning: gicv3-its: no RAM bank lies below 2^48 (0x1000000000000), where a 4K-page guest's ITS tables must be (RAM 0xfffffbf000000..0xfffffbfffffff)" \
			"--irqchip gicv3 leaves the ITS out" "guest powered off"
	fi
	expect "$log" its-high48 0 "VM created: 48-bit IPA" "guest powered off"
	expect_not "$log" its-high48 "s2vmm: warning"
}

# A KVM that offers SVE, pointer authentication, PMUv3, stolen time and
# an ITS (QEMU's max CPU), and MTE when the board has it (MTE is the
# ID_AA64PFR1_EL1.MTE the guest should see: 0 without).
features() { # log mte
	local log=$1 mte=$2 d on=off
	[ "$mte" != 0 ] && on=on
	guest_ok "$log" feat-ids 0
	expect "$log" feat-ids 0 \
		"s2vmm-guest: ids SVE=1 PAuth=address+generic MTE=$mte PMUv3=no kaslr-seed=0x0000000000000000 pmu-nodes=0" \
		"vCPU features: SVE on, pointer authentication on, MTE $on, PMUv3 off, stolen time on" \
		"VM created: 32-bit IPA (KVM_CREATE_VM type 0x20), 2 vCPUs" \
		"  0x0000000001020000-0x000000000102ffff     64 KiB  stolen-time structures" \
		"  0x000000003ff90000-0x000000003ffaffff    128 KiB  the GIC ITS" \
		"s2vmm-guest: pvtime: structure at 0x0000000001020000 revision 0 stolen "
	guest_ok "$log" feat-off 0
	expect "$log" feat-off 0 "stolen time off" "s2vmm-guest: pvtime: PV_TIME_ST not offered" \
		"s2vmm-guest: ids SVE=1 PAuth=address+generic MTE=0 PMUv3=no kaslr-seed=0x123456789abcdef0 pmu-nodes=0"
	expect_not "$log" feat-off "the GIC ITS" "stolen-time structures"
	guest_ok "$log" feat-pmu 0 "${PMU_CHECKS[@]}"
	expect "$log" feat-pmu 0 "PMUv3 on" "PMUv3=yes" "pmu-nodes=1" "s2vmm: --pmu: host PMU " \
		"covers the vCPUs' CPUs"
	guest_ok "$log" feat-sve 0 "${SVE_CHECKS[@]}"
	guest_ok "$log" feat-sve-256 0 "${SVE_CHECKS[@]}"
	expect "$log" feat-sve-256 0 "SVE on (vector length up to 256 bits)" \
		"s2vmm-guest: sve: vector length 256 bits"
	guest_ok "$log" feat-smp 0 "${SMP_CHECKS[@]}"
	guest_ok "$log" feat-its 0 "${ITS_CHECKS[@]}"
	d=$(((1 << 48) - (1 << 30)))
	guest_ok "$log" feat-high 0 "${PMU_CHECKS[@]}" "${SVE_CHECKS[@]}" "${SMP_CHECKS[@]}" \
		"${ITS_CHECKS[@]}"
	expect "$log" feat-high 0 "s2vmm-guest: pvtime: structure at $(hex $((d + 0x1020000))) revision 0"
	expect "$log" feat-dump-dtb 0 "dtb bytes " "/tmp/d.dtb:1" "/tmp/o.dtb:0"
	expect "$log" bad-affinity 2 "s2vmm: error: --vcpu-affinity 5-7: CPU 5-7 not available to s2vmm (it may run on 0-1)"
	expect "$log" bad-sve-vl 2 \
		"s2vmm: error: --sve-max-vl '4096': give a vector length in bits, a multiple of 128 from 128 to 2048"
}

# A bare-metal guest in the last GiB of a 2^n space: RAM is the 16 MiB
# right below the device block, so its PC lies there and its UART is at
# device block + 16 MiB.
bare() { # log n limit
	local log=$1 n=$2 top dev pc name=bare-$2
	if [ "$n" -gt "$3" ]; then
		expect "$log" "$name" 2 "s2vmm: error: --ipa-bits $n: KVM allows 32..$3 here"
		return
	fi
	top=$((1 << n)) dev=$(((1 << n) - (1 << 30)))
	expect "$log" "$name" 0 "VM created: $n-bit IPA (KVM_CREATE_VM type $(printf '%#x' "$n"))" \
		"UART=$(hex $((dev + 0x1000000)))" "last word ok" \
		"RAM $(hex $((dev - 0x1000000)))..$(hex $((dev - 1)))" \
		"guest powered off (PSCI SYSTEM_OFF from vCPU 0)"
	pc=$(block "$log" "$name" | sed -n 's/.*hello from PC=\(0x[0-9a-f]*\).*/\1/p')
	if [ -n "$pc" ] && [ $((pc)) -ge $((dev - 0x1000000)) ] && [ $((pc)) -lt "$dev" ]; then
		ok
	else
		bad "$name: guest PC '$pc' is not in the 16 MiB below $(hex "$dev") (space ends $(hex "$top"))"
	fi
}

common() { # log limit
	local log=$1 l=$2
	expect "$log" caps 0 "IPA limit:            $l bits (KVM_CAP_ARM_VM_IPA_SIZE)" \
		"VM at the limit:      created"
	expect "$log" caps-json 0 "\"ipa_limit\": $l," "\"vm_at_limit\": true" \
		"\"vm_above_limit_refused\": true"
	expect "$log" help 0 "--ipa-bits auto|N" "--layout low|high|split" "-m, --mem SIZE[@ADDR]"
	for n in 32 36 40 44 48 52; do bare "$log" $n "$l"; done
	expect "$log" bare-low 0 "32-bit IPA (auto: smallest that fits), layout low, 2 vCPUs" \
		"UART=0x0000000001000000" "RAM 0x0000000080000000..0x0000000083ffffff last word ok" \
		"guest powered off"
	if [ "$l" -ge 52 ]; then
		expect "$log" layout-only 0 "s2vmm layout: 52-bit IPA (--ipa-bits), layout split, 4 vCPUs, 1 GiB of RAM" \
			"  0x0000000080000000-0x000000008fffffff    256 MiB  RAM bank 0 (boot: kernel, DTB, initrd)" \
			"  0x0001000000000000-0x000100002fffffff    768 MiB  RAM bank 1" \
			"  0x000fffffc1000000-0x000fffffc1000fff      4 KiB  the 8250 UART" \
			"  0x000fffffc3000000-0x000fffffc30001ff  512 bytes  virtio-mmio device 0 (virtio console)" \
			"  0x000ffffffff50000-0x000ffffffff6ffff    128 KiB  the GIC ITS" \
			"  0x000ffffffff70000-0x000ffffffffeffff    512 KiB  the GIC redistributors" \
			"  0x000fffffffff0000-0x000fffffffffffff     64 KiB  the GIC distributor" "dtb bytes "
		# virtio-pci by default: ECAM and the 64-bit window in the last
		# GiB of 2^52 with the other devices.
		expect "$log" layout-pci 0 \
			"  0x000fffffd0000000-0x000fffffd00fffff      1 MiB  PCI ECAM (bus 0)" \
			"  0x000fffffe0000000-0x000fffffefffffff    256 MiB  PCI 64-bit MMIO window" \
			"PCI 00:00.0 (virtio console): virtio-pci, BARs in the window, INTx on SPI 32"
		expect_not "$log" layout-pci "virtio-mmio device"
	else
		expect "$log" layout-only 2 "s2vmm: error: --ipa-bits 52: KVM allows 32..$l here"
	fi
	expect "$log" bare-legacy-pfn 0 "virtio console (hvc0) on virtio-mmio v1 (legacy) at 0x3000000" \
		"s2vmm: error: virtio-mmio device at 0x3000000 (legacy v1): queue 0: QueuePFN 0x84010 x GuestPageSize 4096 puts the queue at 0x84010000..0x84011085, outside guest RAM" \
		"s2vmm-guest: legacy virtio QueuePFN 0x0000000000084010 -> status 0x0000000000000043 QueuePFN reads 0x0000000000000000" \
		"guest powered off"
	expect "$log" bare-initrd 0 "s2vmm-guest: initrd 0x" \
		" size 0x0000000000001389 last byte 0x000000000000005a" "guest powered off"
	expect "$log" bare-initrd-high 0 "s2vmm-guest: initrd 0x000000ff" \
		" size $(hex "$rd_size") last byte $(hex "$rd_last")" "guest powered off"
	expect "$log" bare-unhandled 0 \
		"s2vmm-guest: 1000 reads at 0x000000000a000008 where there is no device, OR of all 0x0000000000000000" \
		"s2vmm: warning: vCPU 0: 4-byte read at 0xa000008, where there is no device (reported once per address; --debug-mmio shows every access)" \
		"guest powered off"
	n=$(block "$log" bare-unhandled | grep -c "where there is no device (")
	if [ "$n" = 1 ]; then ok; else bad "bare-unhandled: $n warning lines for 1000 reads of one address, expected 1"; fi
	expect "$log" bare-unhandled-debug 0 "s2vmm-guest: 1000 reads at 0x000000000a000008" "guest powered off"
	n=$(block "$log" bare-unhandled-debug | grep -c "^s2vmm: warning: vCPU 0: 4-byte read at 0xa000008, where there is no device$")
	if [ "$n" = 1000 ]; then ok; else bad "bare-unhandled-debug: $n lines for 1000 reads with --debug-mmio, expected 1000"; fi
	expect "$log" bad-ipa-31 2 "s2vmm: error: --ipa-bits '31': give auto or 32..52 bits"
	expect "$log" bad-ipa-53 2 "s2vmm: error: --ipa-bits '53': give auto or 32..52 bits"
	# Too large for any arm64 IPA space: refused before KVM is asked.
	expect "$log" bad-ram-4p 2 \
		"s2vmm: error: RAM bank 0 (4096 TiB at 0x80000000) ends at 0x10000080000000, beyond the 52-bit IPA space"
	expect "$log" bad-overlap 2 \
		"s2vmm: error: RAM bank 0 (0x3c000000..0x3fffffff) overlaps the GIC redistributors at 0x3ffb0000..0x3ffeffff"
	expect "$log" bad-missing 2 "s2vmm: error: kernel '/nonexistent/Image': No such file or directory"
	expect "$log" bad-initrd-missing 2 "s2vmm: error: initrd '/nonexistent/initrd': No such file or directory"
	# The Image's footprint (image_size, 45.2 MiB for 6.12) does not fit
	# 44 MiB; the file itself (42.1 MiB) is refused by its size before
	# it is read when the window is 32 MiB.
	expect "$log" bad-small-ram 2 "s2vmm: error: kernel (" \
		"at 0x80000000), initrd (" ") and the DTB do not fit in the first 44 MiB of the boot bank at 0x80000000: they need "
	expect "$log" bad-tiny-ram 2 "s2vmm: error: kernel '/guests/Image' is " "; the boot window holds 32 MiB"
	expect "$log" bad-truncated 2 \
		"s2vmm: error: kernel '/tmp/Image.trunc' is truncated: 1048576 bytes, but its PE header describes data up to byte"
	# Wrong on any host: refused before KVM says what it allows.
	expect "$log" bad-legacy 2 \
		"s2vmm: error: --virtio-transport mmio-legacy: legacy virtio-mmio cannot use RAM above 0x100000000000"
	expect "$log" bad-pci-legacy 2 \
		"s2vmm: error: --virtio-transport pci-legacy: legacy virtio-pci cannot use RAM above 0x100000000000 (16384 GiB: 32-bit queue PFN in 4 KiB units); RAM ends at 0xffffc0000000; use pci"
	expect "$log" fail-create-vm 1 "s2vmm: error: KVM_CREATE_VM with a 32-bit IPA (type 0x20): Too many open files"
	expect "$log" fail-create-gic 1 "s2vmm: VM created: 32-bit IPA" \
		"s2vmm: error: KVM_CREATE_DEVICE GICv3: Too many open files"
	expect "$log" fail-no-memory 1 "s2vmm: error: kernel '/guests/Image': no memory for "
	if block "$log" fail-create-vm | grep -q "cannot open /dev/kvm"; then
		bad "fail-create-vm: an ioctl failure reported as the open failing"
	else
		ok
	fi
	expect "$log" nokvm-bad-ram 2 "s2vmm: error: RAM bank 0 (4096 TiB at 0x80000000) ends at 0x10000080000000, beyond the 52-bit IPA space"
	expect "$log" nokvm-bad-number 2 "s2vmm: error: -m: '0x-80000000' is not a size"
	expect "$log" nokvm-bad-fifo 2 "s2vmm: error: initrd '/tmp/fifo' is a FIFO, not a regular file"
	expect "$log" nokvm-plan 0 "s2vmm layout: 48-bit IPA (--ipa-bits), layout high, 1 vCPU, 16 MiB of RAM" \
		"  0x0000ffffbf000000-0x0000ffffbfffffff     16 MiB  RAM bank 0 (boot: kernel, DTB, initrd)"
	expect "$log" nokvm-valid 1 "s2vmm: error: cannot open /dev/kvm: No such file or directory"
	if block "$log" nokvm-bad-ram | grep -q "/dev/kvm"; then bad "nokvm-bad-ram: reached /dev/kvm"; else ok; fi
	if grep -q "VM created" <(for b in bad-ipa-31 bad-ipa-53 bad-ram-4p bad-overlap bad-missing \
			bad-initrd-missing bad-small-ram bad-tiny-ram bad-truncated bad-legacy bad-pci-legacy bad-ram-512t bad-split-52; do block "$log" $b; done); then
		bad "a refused configuration still created a VM"
	else
		ok
	fi
}

mkdir -p "$out"
# The Linux guest's initrd, as the bare-metal guest must see it.
rd_size=$(stat -c %s "$out/guest-initrd.gz")
rd_last=$((0x$(tail -c 1 "$out/guest-initrd.gz" | od -An -tx1 | tr -d ' ')))
log612=$out/kvm-6.12.log log61=$out/kvm-6.1.log log40=$out/kvm-6.1-pa40.log

t=$(boot "$k612" "$log612" max,pauth-impdef=on)
echo "check-vmm: 6.12 host run took ${t}s (log: $log612)"
grep -E "^S2HOST (up|done)|^=== END linux" "$log612"
if grep -q "^S2HOST up: Linux 6.12" "$log612"; then ok; else bad "6.12 host did not reach its init"; fi
common "$log612" 52
features "$log612" 0
vpci "$log612"
its_warning "$log612" 52
# The modern guest at 52 bits: the window, and the BARs placed in it,
# above 2^51; its ITS tables in the boot bank below 2^48.
guest_ok "$log612" feat-pci-52 0 "${PCI_CHECKS[@]}"
expect "$log612" feat-pci-52 0 "${PCI_HOST_LINES[@]}" "VM created: 52-bit IPA" \
	"s2vmm-guest: pci: ECAM 0x000fffffd0000000 window 0x000fffffe0000000..0x000fffffefffffff" \
	"s2vmm-guest: pci: 00:00.0 BAR 0: 64-bit prefetchable, 16 KiB at 0x000fffffe0000000" \
	"s2vmm-guest: msix: 3 vectors to GITS_TRANSLATER 0x000ffffffffa0040, ITS device 0"
expect "$log612" caps 0 "vCPU features:        SVE yes, pointer authentication yes, MTE no, PMUv3 yes, stolen time yes" \
	"GIC ITS:              yes"
expect "$log612" caps-json 0 \
	'"features": {"sve": true, "ptrauth": true, "mte": false, "pmu": true, "pvtime": true, "its": true}' 
expect "$log612" linux-default 0 "VM created: 32-bit IPA (KVM_CREATE_VM type 0x20), 2 vCPUs" \
	"S2GUEST init reached: Linux 6.12" ", 2 CPUs" "S2GUEST cmdline: console=ttyS0 earlycon quiet" \
	"S2GUEST iomem: 01000000-01000007 : serial" "S2GUEST iomem: 80000000-8fffffff : System RAM" \
	"S2GUEST iomem: 3fff0000-3fffffff : GICD" "S2GUEST poweroff" \
	"s2vmm: guest powered off (PSCI SYSTEM_OFF from vCPU 0)"
# Split, 52 bits: boot bank at 2 GiB, 512 MiB from 2^48, UART and GIC in
# the last GiB of 2^52 (above 2^51): every S2GUEST line crossed it. The
# default irqchip keeps the ITS, on the boot bank's NUMA node.
expect "$log612" linux-split52 0 "VM created: 52-bit IPA (KVM_CREATE_VM type 0x34), 2 vCPUs" \
	"the banks below it are the ITS's NUMA node 0" \
	"0x0001000000000000-0x000100001fffffff    512 MiB  RAM bank 1" \
	"0x0000000080000000-0x000000008fffffff    256 MiB  RAM bank 0 (boot: kernel, DTB, initrd)" \
	"S2GUEST init reached: Linux 6.12" "S2GUEST iomem: 80000000-8fffffff : System RAM" \
	"S2GUEST iomem: 1000000000000-100001fffffff : System RAM" \
	"S2GUEST iomem: fffffc1000000-fffffc1000007 : serial" \
	"S2GUEST iomem: fffffffff0000-fffffffffffff : GICD" "S2GUEST poweroff" \
	"s2vmm: guest powered off (PSCI SYSTEM_OFF from vCPU 0)"
expect "$log612" linux-virtio 0 "virtio console (hvc0) on virtio-mmio v2 at 0x3000000" \
	"virtio-mmio device at 0x3000000 (v2): queue 1 ready, descriptors at 0x" "S2GUEST console: hvc0 via virtio0" \
	"S2GUEST cmdline: console=hvc0 quiet" "S2GUEST iomem: 03000000-030001ff : 3000000.virtio" \
	"S2GUEST dmesg: " "ITS [mem 0x3ff90000-0x3ffaffff]" "S2GUEST poweroff" "guest powered off"
expect "$log612" linux-virtio-legacy 0 "virtio console (hvc0) on virtio-mmio v1 (legacy) at 0x3000000" \
	"virtio-mmio device at 0x3000000 (legacy v1): queue 1 at PFN 0x" "S2GUEST console: hvc0 via virtio0" \
	"S2GUEST poweroff" "guest powered off"
# An ITS with RAM above 2^48 and a boot bank below it: the NUMA nodes
# that keep the guest's ITS tables low are announced, no warning.
expect "$log612" its-split52 0 "s2vmm: RAM reaches above 2^48: the banks below it are the ITS's NUMA node 0, those above node 1" \
	"UART=0x000fffffc1000000" "guest powered off"
expect_not "$log612" its-split52 "needs more than 48 bits"
# Virtio v2 at the top of 2^52 with the guest's queues in its RAM above
# 2^48 (the kernel allocates them from ZONE_NORMAL, which is the high
# bank): only the 64-bit queue registers can say where they are. This
# run has no ITS: with one, the boot bank is the CPUs' NUMA node and the
# guest allocates its queues there first.
expect "$log612" linux-split52-virtio 0 "virtio console (hvc0) on virtio-mmio v2 at 0xfffffc3000000" \
	"S2GUEST console: hvc0 via virtio0" "S2GUEST iomem: fffffc3000000-fffffc30001ff : fffffc3000000.virtio" \
	"S2GUEST iomem: 1000000000000-100001fffffff : System RAM" "S2GUEST poweroff" "guest powered off"
q=$(block "$log612" linux-split52-virtio | sed -n 's/.*queue 1 ready, descriptors at \(0x[0-9a-f]*\).*/\1/p')
if [ -n "$q" ] && [ $((q)) -ge $((1 << 48)) ]; then ok; else bad "linux-split52-virtio: transmit queue at '$q', not above 2^48"; fi
# virtio-pci: MSI-X through the ITS (the vectors count in the guest's
# /proc/interrupts), INTx on SPI 32 (GIC INTID 64) without an ITS,
# legacy (transitional device ID, revision 0) with RAM below 2^44.
expect "$log612" linux-pci-msix 0 "virtio console (hvc0) on virtio-pci 00:00.0 (modern)" \
	"virtio-pci 00:00.0 (modern): queue 1 ready, descriptors at 0x" "S2GUEST console: hvc0 via virtio0" \
	"S2GUEST pci: 0000:00:00.0 0x1af4:0x1043 rev 0x01 msi-irqs 3" \
	"S2GUEST iomem: 10000000-100fffff : PCI ECAM" "S2GUEST iomem: 20000000-2fffffff : pci@10000000" \
	"ITS-PCI-MSIX-0000:00:00.0 2 Edge virtio0-output" "S2GUEST poweroff" "guest powered off"
msix=$(block "$log612" linux-pci-msix | sed -n 's/^S2GUEST interrupts: *[0-9]*: \([0-9]*\) \([0-9]*\) ITS-PCI-MSIX-0000:00:00.0 2 Edge virtio0-output/\1 \2/p')
if [ -n "$msix" ] && [ $(( ${msix% *} + ${msix#* } )) -gt 0 ]; then ok; else bad "linux-pci-msix: no MSI-X interrupts counted for virtio0-output ('$msix')"; fi
expect "$log612" linux-pci-intx 0 "virtio console (hvc0) on virtio-pci 00:00.0 (modern)" \
	"S2GUEST console: hvc0 via virtio0" "S2GUEST pci: 0000:00:00.0 0x1af4:0x1043 rev 0x01 msi-irqs 0" \
	"GICv3 64 Level virtio0" "S2GUEST poweroff" "guest powered off"
expect "$log612" linux-pci-legacy 0 "virtio console (hvc0) on virtio-pci 00:00.0 (legacy)" \
	"virtio-pci 00:00.0 (legacy): queue 1 at PFN 0x" "S2GUEST console: hvc0 via virtio0" \
	"S2GUEST pci: 0000:00:00.0 0x1af4:0x1003 rev 0x00 msi-irqs 3" "ITS-PCI-MSIX-0000:00:00.0 2 Edge virtio0-output" \
	"S2GUEST poweroff" "guest powered off"
# Modern virtio-pci at the top of 2^52 with the default irqchip: ECAM,
# the window and the BARs the guest placed in it above 2^51. The ITS is
# there by default, the boot bank is its NUMA node, so the 4K-page
# guest's ITS tables stay below 2^48 (where GITS_BASER's 4K form
# reaches) and its MSI-X vectors arrive.
expect "$log612" linux-pci-split52 0 "virtio console (hvc0) on virtio-pci 00:00.0 (modern)" \
	"  0x000fffffd0000000-0x000fffffd00fffff      1 MiB  PCI ECAM (bus 0)" \
	"the banks below it are the ITS's NUMA node 0" "S2GUEST console: hvc0 via virtio0" \
	"S2GUEST iomem: fffffd0000000-fffffd00fffff : PCI ECAM" \
	"S2GUEST iomem: fffffe0000000-fffffefffffff : pci@fffffd0000000" \
	"S2GUEST iomem:     fffffe0000000-fffffe0003fff : virtio-pci-modern" \
	"S2GUEST pci: 0000:00:00.0 0x1af4:0x1043 rev 0x01 msi-irqs 3" "S2GUEST poweroff" "guest powered off"
expect_not "$log612" linux-pci-split52 "needs more than 48 bits"
its_below() { # name
	local its
	its=$(block "$log612" "$1" | sed -n 's/.*allocated 8192 Devices @\([0-9a-f]*\) .*/\1/p')
	if [ -n "$its" ] && [ $((0x$its)) -lt $((1 << 48)) ]; then ok; else bad "$1: ITS device table at '$its', not below 2^48"; fi
}
msix_count() { # name device-interrupt-name
	local n
	n=$(block "$log612" "$1" | sed -n "s/^S2GUEST interrupts: *[0-9]*: \([0-9]*\) \([0-9]*\) ITS-PCI-MSIX-.* Edge $2\$/\1 \2/p")
	if [ -n "$n" ] && [ $(( ${n% *} + ${n#* } )) -gt 0 ]; then ok; else bad "$1: no MSI-X interrupts counted for $2 ('$n')"; fi
}
its_below linux-pci-split52
msix_count linux-pci-split52 virtio0-output
# The disk the host wrote, at 52 bits over MSI-X: same checksum in the
# guest, block 1 written and read back with direct I/O, and in the file
# after s2vmm exits. Then read-only over INTx: writes refused.
host_md5=$(sed -n 's/^S2HOST disk md5 //p' "$log612")
after=$(sed -n 's/^S2HOST disk block 1 after exit: //p' "$log612")
expect "$log612" linux-disk-split52 0 "  0x000fffffe0000000-0x000fffffefffffff    256 MiB  PCI 64-bit MMIO window" \
	"PCI 00:00.0 (virtio-blk disk): virtio-pci" "disk '/tmp/disk.img' (4194304 bytes) on virtio-pci 00:00.0 (modern)" \
	"virtio-rng on virtio-pci 00:02.0 (modern)" \
	"S2GUEST disk: 8192 sectors, ro=0, md5 $host_md5" "S2GUEST disk write: ok" \
	"S2GUEST iomem: 1000000000000-100001fffffff : System RAM" "S2GUEST poweroff" "guest powered off"
its_below linux-disk-split52
msix_count linux-disk-split52 'virtio0-req.0'
back=$(block "$log612" linux-disk-split52 | sed -n 's/^S2GUEST disk block 1 read back: \([0-9a-f]*\) (wrote \([0-9a-f]*\))/\1 \2/p')
if [ -n "$back" ] && [ "${back% *}" = "${back#* }" ]; then ok; else bad "linux-disk-split52: block 1 read back differs from what was written ('$back')"; fi
if [ -n "$back" ] && [ "$after" = "${back#* }" ]; then ok; else bad "linux-disk-split52: the file's block 1 after exit ($after) is not what the guest wrote ('$back')"; fi
# The same over legacy virtio-pci in a 40-bit space (transitional ID
# 0x1001, revision 0): queue PFNs of 4 KiB pages below 2^40.
md5_40=$(sed -n 's/^S2HOST disk40 md5 //p' "$log612")
after40=$(sed -n 's/^S2HOST disk40 block 1 after exit: //p' "$log612")
expect "$log612" linux-disk-legacy40 0 "VM created: 40-bit IPA (KVM_CREATE_VM type 0x28)" \
	"disk '/tmp/disk40.img' (4194304 bytes) on virtio-pci 00:00.0 (legacy)" \
	"virtio-pci 00:00.0 (legacy): queue 0 at PFN 0x" \
	"S2GUEST pci: 0000:00:00.0 0x1af4:0x1001 rev 0x00 msi-irqs " \
	"S2GUEST disk: 8192 sectors, ro=0, md5 $md5_40" "S2GUEST disk write: ok" "S2GUEST poweroff" \
	"guest powered off"
msix_count linux-disk-legacy40 'virtio0-req.0'
back=$(block "$log612" linux-disk-legacy40 | sed -n 's/^S2GUEST disk block 1 read back: \([0-9a-f]*\) (wrote \([0-9a-f]*\))/\1 \2/p')
if [ -n "$back" ] && [ "${back% *}" = "${back#* }" ] && [ "$after40" = "${back#* }" ]; then ok; else
	bad "linux-disk-legacy40: block 1 read back ('$back') or in the file after exit ($after40) differs from what was written"
fi
pfn=$(block "$log612" linux-disk-legacy40 |
	sed -n 's/.*virtio-pci 00:00.0 (legacy): queue 0 at PFN 0x[0-9a-f]* (4096-byte units, IPA \(0x[0-9a-f]*\)).*/\1/p' | head -1)
if [ -n "$pfn" ] && [ $((pfn)) -lt $((1 << 40)) ] && [ $((pfn)) -ge $(((1 << 40) - (1 << 30) - (256 << 20))) ]; then ok; else
	bad "linux-disk-legacy40: queue 0 at IPA '$pfn', not in the 256 MiB of RAM below the device block of 2^40"
fi
# virtio-rng bound by the guest's driver and its hw_random source: two
# 64-byte reads of /dev/hwrng that differ. On virtio-pci (with the disk,
# MSI-X at 52 bits) and alone on virtio-mmio.
rng_ok() { # name
	local r
	r=$(block "$log612" "$1" | sed -n 's/^S2GUEST rng read: 64 bytes \([0-9a-f]\{128\}\)$/\1/p' | sort -u | wc -l)
	if [ "$r" = 2 ]; then ok; else bad "$1: not two different 64-byte reads of /dev/hwrng ($r distinct)"; fi
}
expect "$log612" linux-disk-split52 0 "S2GUEST rng current: virtio_rng.0 via virtio"
rng_ok linux-disk-split52
expect "$log612" linux-rng-mmio 0 "virtio-rng on virtio-mmio device at 0x3000000 (v2)" \
	"S2GUEST rng current: virtio_rng.0 via virtio0" "S2GUEST iomem: 03000000-030001ff : 3000000.virtio" \
	"S2GUEST poweroff" "guest powered off"
rng_ok linux-rng-mmio
expect "$log612" linux-disk-ro 0 "disk '/tmp/disk.img' (4194304 bytes, read-only) on virtio-pci 00:00.0 (modern)" \
	"S2GUEST disk: 8192 sectors, ro=1, md5 " "S2GUEST disk write: refused" "GICv3 64 Level virtio0" \
	"S2GUEST poweroff" "guest powered off"
# The disk over INTx: the same checksum, write and read-back, the block in
# the file after exit, and the request interrupts on a GIC SPI, no MSI-X.
mx=$(sed -n 's/^S2HOST diskx md5 //p' "$log612")
expect "$log612" linux-disk-intx 0 "disk '/tmp/diskx.img' (4194304 bytes) on virtio-pci 00:00.0 (modern)" \
	"S2GUEST disk: 8192 sectors, ro=0, md5 $mx" "S2GUEST disk write: ok" "S2GUEST poweroff" "guest powered off"
expect_not "$log612" linux-disk-intx "ITS-PCI-MSIX"
back=$(block "$log612" linux-disk-intx | sed -n 's/^S2GUEST disk block 1 read back: \([0-9a-f]*\) (wrote \([0-9a-f]*\))/\1 \2/p')
after=$(sed -n 's/^S2HOST diskx block 1 after exit: //p' "$log612")
if [ -n "$back" ] && [ "${back% *}" = "${back#* }" ] && [ "$after" = "${back#* }" ]; then ok; else
	bad "linux-disk-intx: block 1 read back ('$back') or in the file after exit ($after) differs from what was written"
fi
n=$(block "$log612" linux-disk-intx | sed -n 's/^S2GUEST interrupts: *[0-9]*: \([0-9]*\) [0-9]* GICv3 [0-9]* Level virtio0$/\1/p')
if [ -n "$n" ] && [ "$n" -gt 0 ]; then ok; else bad "linux-disk-intx: no INTx interrupts counted for the disk (virtio0): '$n'"; fi
# Several disks: -d twice on virtio-mmio; the guest tells them apart by
# their GET_ID serials, the read-only one refuses the write and is
# unchanged after exit, the other holds the guest's block.
m0=$(sed -n 's/^S2HOST diskm0 md5 //p' "$log612")
m1=$(sed -n 's/^S2HOST diskm1 md5 //p' "$log612")
expect "$log612" linux-disks-mmio 0 "disk '/tmp/diskm0.img' (4194304 bytes) on virtio-mmio" \
	"disk '/tmp/diskm1.img' (2097152 bytes, read-only) on virtio-mmio" \
	"S2GUEST disk: 8192 sectors, ro=0, md5 $m0" "S2GUEST disk write: ok" "S2GUEST disk vda: serial s2vmm-disk0" \
	"S2GUEST disk vdb: serial s2vmm-disk1, 4096 sectors, ro=1, write refused, md5 $m1" \
	"S2GUEST poweroff" "guest powered off"
back=$(block "$log612" linux-disks-mmio | sed -n 's/^S2GUEST disk block 1 read back: \([0-9a-f]*\) (wrote \([0-9a-f]*\))/\1 \2/p')
after=$(sed -n 's/^S2HOST diskm0 block 1 after exit: //p' "$log612")
if [ -n "$back" ] && [ "${back% *}" = "${back#* }" ] && [ "$after" = "${back#* }" ]; then ok; else
	bad "linux-disks-mmio: block 1 read back ('$back') or in the file after exit ($after) differs from what was written"
fi
if [ -n "$m1" ] && grep -qx "S2HOST diskm1 md5 after exit: $m1" "$log612"; then ok; else
	bad "linux-disks-mmio: the read-only disk changed"
fi
expect "$log612" linux-disk-mmio-legacy 0 "disk '/tmp/diskm1.img' (2097152 bytes) on virtio-mmio" \
	"S2GUEST disk: 4096 sectors, ro=0, md5 $m1" "S2GUEST disk write: ok" "S2GUEST poweroff" "guest powered off"
for g in linux-default linux-split52 linux-split52-virtio linux-virtio linux-virtio-legacy linux-pci-msix \
	linux-pci-intx linux-pci-legacy linux-pci-split52 linux-disk-split52 linux-disk-legacy40 linux-disk-ro \
	linux-rng-mmio linux-disks-mmio linux-disk-mmio-legacy linux-disk-intx; do
	if block "$log612" $g | grep -qE "where there is no device|s2vmm: (error|warning)"; then
		bad "$g: s2vmm reported an error or an access to no device"
	else
		ok
	fi
done
mem=$(block "$log612" linux-split52 | sed -n 's/^S2GUEST MemTotal: *\([0-9]*\) kB/\1/p')
# More than the 256 MiB boot bank: the guest uses the bank above 2^48.
if [ -n "$mem" ] && [ "$mem" -gt 524288 ]; then ok; else bad "linux-split52: MemTotal '$mem' kB does not include the bank above 2^48"; fi

# With MTE on the board, so that KVM offers it and the guest sees it
# (and --disable-mte hides it). Not for the 6.12 run: KVM clears the tags
# of every page a guest faults in, which makes the Linux guests slow
# under TCG.
t=$(boot "$k61" "$log61" max,pauth-impdef=on mte=on)
echo "check-vmm: 6.1 host run took ${t}s (log: $log61)"
grep -E "^S2HOST (up|done)" "$log61"
if grep -q "^S2HOST up: Linux 6.1\." "$log61"; then ok; else bad "6.1 host did not reach its init"; fi
common "$log61" 48
features "$log61" 3
vpci "$log61"
its_warning "$log61" 48
expect "$log61" caps 0 "vCPU features:        SVE yes, pointer authentication yes, MTE yes, PMUv3 yes, stolen time yes"
expect "$log61" caps 0 "VM one bit above:     refused"
expect "$log61" bad-ram-512t 2 \
	"s2vmm: error: 512 TiB of RAM at 0x80000000 needs a 50-bit IPA; this host allows 48 bits"
expect "$log61" bad-split-52 2 "s2vmm: error: --ipa-bits 52: KVM allows 32..48 here"

# A CPU with 40 bits of PA (QEMU's cortex-a76, here without its PMU):
# KVM's limit is 40, and it offers no SVE, pointer authentication or PMU.
t=$(boot "$k61" "$log40" cortex-a76,pmu=off)
echo "check-vmm: 6.1 host on a 40-bit PA CPU took ${t}s (log: $log40)"
grep -E "^S2HOST (up|done)" "$log40"
common "$log40" 40
expect "$log40" caps 0 "VM one bit above:     refused" "largest RAM, --layout low   1022 GiB"
expect "$log40" caps 0 "vCPU features:        SVE no, pointer authentication no, MTE no, PMUv3 no, stolen time yes"
expect "$log40" caps-json 0 \
	'"features": {"sve": false, "ptrauth": false, "mte": false, "pmu": false, "pvtime": true, "its": true}'
guest_ok "$log40" feat-ids 0
expect "$log40" feat-ids 0 "vCPU features: SVE off, pointer authentication off, MTE off, PMUv3 off, stolen time on" \
	"s2vmm-guest: ids SVE=0 PAuth=none MTE=0 PMUv3=no kaslr-seed=0x0000000000000000 pmu-nodes=0"
expect "$log40" feat-pmu 2 "s2vmm: error: --pmu: this KVM offers no PMUv3 to guests (no KVM_CAP_ARM_PMU_V3)"
expect "$log40" feat-sve 0 "s2vmm-guest: sve: ID_AA64PFR0_EL1.SVE is set FAIL"
expect "$log40" feat-sve-256 2 \
	"s2vmm: error: --sve-max-vl 256: this KVM offers no SVE to guests (no KVM_CAP_ARM_SVE)"
guest_ok "$log40" feat-smp 0 "${SMP_CHECKS[@]}"
guest_ok "$log40" feat-its 0 "${ITS_CHECKS[@]}"
vpci "$log40"
expect "$log40" feat-dump-dtb 2 "s2vmm: error: --pmu: this KVM offers no PMUv3 to guests (no KVM_CAP_ARM_PMU_V3)"
if block "$log40" feat-pmu | grep -q "VM created"; then bad "feat-pmu: a refused --pmu still created a VM"; else ok; fi
expect "$log40" bad-ram-4t 2 \
	"s2vmm: error: 4096 GiB of RAM at 0x80000000 needs a 43-bit IPA; this host allows 40 bits"
expect "$log40" bad-ram-512t 2 \
	"s2vmm: error: 512 TiB of RAM at 0x80000000 needs a 50-bit IPA; this host allows 40 bits"

echo "check-vmm-kvm: $pass passed, $fail failed"
[ "$fail" = 0 ]
