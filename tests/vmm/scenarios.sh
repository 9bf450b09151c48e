#!/bin/busybox sh
# /init of the QEMU host (a Debian arm64 kernel at EL2 with KVM): runs
# every s2vmm scenario and frames its output for check-kvm.sh, which does
# all the judging on the build host:
#   === BEGIN name
#   ...output (stdout and stderr)...
#   === END name rc=N left=M     (M: s2vmm processes still alive)
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
export PATH=/bin

S=/s2vmm
HELLO=/guests/hello.bin
FEAT=/guests/feat.bin
IMAGE=/guests/Image
INITRD=/guests/initrd.gz

t0=$(cut -d' ' -f1 /proc/uptime)
echo "S2HOST up: Linux $(uname -r) at ${t0}s, $(grep -c ^processor /proc/cpuinfo) CPUs"

run() {
	name=$1; shift
	echo "=== BEGIN $name"
	a=$(cut -d' ' -f1 /proc/uptime)
	timeout -s KILL 300 "$@" 2>&1 </dev/null
	rc=$?
	b=$(cut -d' ' -f1 /proc/uptime)
	left=$(pidof s2vmm | wc -w)
	echo "=== END $name rc=$rc left=$left secs=$(awk "BEGIN{print $b-$a}")"
}

run caps $S caps
run caps-json $S caps --json
run help $S run --help
limit=$($S caps --json | sed -n 's/.*"ipa_limit": \([0-9]*\).*/\1/p')
echo "S2HOST ipa_limit=$limit"

# Bare metal at each IPA size, RAM and devices at the top of the space.
for n in 32 36 40 44 48 52; do
	run bare-$n $S run --layout high --ipa-bits $n -m 16M --print-layout -k $HELLO
done
# kvmtool's default map, auto IPA.
run bare-low $S run -m 64M -c 2 --print-layout -k $HELLO

# No kernel: print the map, write the DTB, exit 0 without a VM.
run layout-only sh -c "$S run --ipa-bits 52 --layout split -m 1G -c 4 --irqchip gicv3-its \
	--console virtio --virtio-transport mmio --print-layout --dtb-out /tmp/split.dtb && echo dtb bytes \$(wc -c < /tmp/split.dtb)"
run layout-pci $S run --ipa-bits 52 --layout split -m 1G -c 4 --irqchip gicv3-its --console virtio \
	--print-layout

# A legacy virtio device given a queue PFN beyond RAM: a device error,
# the guest carries on.
run bare-legacy-pfn $S run --console virtio --virtio-transport mmio-legacy -m 64M -k $HELLO

# The initrd the guest finds through linux,initrd-start/end: exactly the
# file (5001 bytes ending in 'Z'; and the Linux guest's initrd at the top
# of a 48-bit space).
head -c 5000 /bin/busybox > /tmp/rd5001
printf Z >> /tmp/rd5001
run bare-initrd $S run -m 64M -k $HELLO -i /tmp/rd5001
run bare-initrd-high $S run --layout high --ipa-bits 40 -m 64M -k $HELLO -i $INITRD

# A guest reading one address with no device 1000 times: one warning;
# with --debug-mmio, one per access.
run bare-unhandled $S run -m 64M -k $HELLO -p unhandled-mmio
run bare-unhandled-debug $S run -m 64M -k $HELLO -p unhandled-mmio --debug-mmio

# Bad input: each must be refused before anything runs.
run bad-ipa-31 $S run --ipa-bits 31 -k $HELLO
run bad-ipa-53 $S run --ipa-bits 53 -k $HELLO
run bad-ram-4p $S run -m 4P -k $HELLO
[ "$limit" -lt 50 ] && run bad-ram-512t $S run -m 512T -k $HELLO
[ "$limit" -lt 43 ] && run bad-ram-4t $S run -m 4T -k $HELLO
run bad-overlap $S run -c 2 --irqchip gicv3 -m 64M@0x3c000000 -k $HELLO
run bad-missing $S run -k /nonexistent/Image
run bad-initrd-missing $S run -k $IMAGE -i /nonexistent/initrd
run bad-small-ram $S run -m 44M -k $IMAGE -i $INITRD
run bad-tiny-ram $S run -m 32M -k $IMAGE -i $INITRD
head -c 1048576 $IMAGE > /tmp/Image.trunc
run bad-truncated $S run -k /tmp/Image.trunc
run bad-legacy $S run --console virtio --virtio-transport mmio-legacy --layout high --ipa-bits 48 -m 64M -k $HELLO
run bad-pci-legacy $S run --console virtio --virtio-transport pci-legacy --layout high --ipa-bits 48 -m 64M -k $HELLO
[ "$limit" -lt 52 ] &&
	run bad-split-52 $S run --ipa-bits 52 --layout split -m 256M -m 512M -k $IMAGE -i $INITRD

# vCPU features (kvmtool's defaults and options), checked by the guest.
F="$S run -m 16M --nodefaults -k $FEAT"
run feat-ids $F --print-layout -p "ids pvtime"
run feat-off $F --no-pvtime --disable-mte --irqchip gicv3 --kaslr-seed 0x123456789abcdef0 \
	--print-layout -p "ids pvtime"
run feat-pmu $F --pmu --loglevel debug -p "ids pmu"
run feat-sve $F -p sve
run feat-sve-256 $F --sve-max-vl 256 -p sve
run feat-smp $F -c 2 -p smp
run feat-its $F -p its
# A virtio-pci console driven by the guest: BARs, the PCI configuration
# window, MSI-X masking through the ITS, queues outside RAM refused;
# legacy queue PFNs beyond RAM refused. At 52 bits: the BARs above 2^51.
run feat-pci $F --console virtio -p pci
run feat-pci-legacy $F --console virtio --virtio-transport pci-legacy -p pci-legacy
[ "$limit" -ge 52 ] &&
	run feat-pci-52 $F -m 16M --ipa-bits 52 --layout split --irqchip gicv3-its --console virtio -p pci
# An ITS with no RAM below 2^48 (a 4K-page guest cannot place its
# tables): a warning naming the limit. RAM ending below 2^48: none.
[ "$limit" -ge 52 ] &&
	run its-high52 $S run --ipa-bits 52 --layout high -m 16M --irqchip gicv3-its -k $HELLO
# The default irqchip keeps that ITS, with the same warning.
[ "$limit" -ge 52 ] &&
	run its-high52-default $S run --ipa-bits 52 --layout high -m 16M --print-layout -k $HELLO
[ "$limit" -ge 48 ] &&
	run its-high48 $S run --ipa-bits 48 --layout high -m 16M --irqchip gicv3-its -k $HELLO
run feat-high $F --layout high --ipa-bits 48 --pmu --vcpu-affinity 0 -p "pmu sve smp its pvtime"
run feat-dump-dtb sh -c "$S run -c 3 --pmu --dump-dtb /tmp/d.dtb && $S run -c 3 --dtb-out /tmp/o.dtb &&
	echo dtb bytes \$(wc -c < /tmp/d.dtb) \$(wc -c < /tmp/o.dtb) &&
	grep -c arm,armv8-pmuv3 /tmp/d.dtb /tmp/o.dtb"
run bad-affinity $F --vcpu-affinity 5-7
run bad-sve-vl $F --sve-max-vl 4096

# Without /dev/kvm: bad input is refused all the same (exit 2), a plan for
# a given limit needs no KVM (exit 0), only valid input reaches the open.
mv /dev/kvm /dev/kvm.hidden
mkfifo /tmp/fifo
run nokvm-bad-ram $S run -m 4P -k $HELLO
run nokvm-bad-number $S run -m 512M@0x-80000000 -k $HELLO
run nokvm-bad-fifo $S run -k $HELLO -i /tmp/fifo
run nokvm-plan $S run -c 1 --ipa-limit 48 --ipa-bits 48 --layout high -m 16M --print-layout -k $HELLO -i $INITRD
run nokvm-valid $S run -k $HELLO
mv /dev/kvm.hidden /dev/kvm

# The machine failing, not the input: exit 1, the failing call named.
# Four descriptors: /dev/kvm is the last, KVM_CREATE_VM gets none.
run fail-create-vm sh -c "ulimit -n 4 && exec $S run -k $HELLO"
# Five: the VM is created, the in-kernel GIC is not.
run fail-create-gic sh -c "ulimit -n 5 && exec $S run -k $HELLO"
# 40 MB of address space cannot hold the 42 MiB Image.
run fail-no-memory sh -c "ulimit -v 40000 && exec $S run -k $IMAGE"

if [ "$S2VMM_LINUX" != 0 ] && [ -e $IMAGE ] && [ "$limit" -ge 52 ]; then
	run linux-default $S run -c 2 -m 256M --print-layout -k $IMAGE -i $INITRD -p quiet
	run linux-split52 $S run --ipa-bits 52 --layout split -m 256M -m 512M --print-layout \
		-k $IMAGE -i $INITRD -p quiet
	run its-split52 $S run --ipa-bits 52 --layout split -m 256M -m 512M --irqchip gicv3-its \
		-k $HELLO
	# Without an ITS there are no NUMA nodes, so the guest allocates its
	# queues from the bank above 2^48.
	run linux-split52-virtio $S run --ipa-bits 52 --layout split -m 256M -m 512M --irqchip gicv3 \
		--console virtio --virtio-transport mmio -k $IMAGE -i $INITRD -p quiet
	run linux-virtio $S run --console virtio --virtio-transport mmio --irqchip gicv3-its -m 256M \
		-k $IMAGE -i $INITRD -p quiet
	# virtio-pci (the default transport): MSI-X through the ITS, INTx
	# without one, legacy below 2^44, and modern at the top of 2^52.
	run linux-pci-msix $S run --console virtio --irqchip gicv3-its -m 256M -k $IMAGE -i $INITRD \
		-p quiet
	run linux-pci-intx $S run --console virtio --irqchip gicv3 -m 256M -k $IMAGE -i $INITRD \
		-p quiet
	run linux-pci-legacy $S run --console virtio --virtio-transport pci-legacy --ipa-bits 40 \
		--layout high -m 256M -k $IMAGE -i $INITRD -p quiet
	run linux-pci-split52 $S run --ipa-bits 52 --layout split -m 256M -m 512M --console virtio \
		--print-layout -k $IMAGE -i $INITRD -p quiet
	# A disk the host wrote: the guest checksums it, writes block 1 and
	# reads it back with direct I/O; after s2vmm exits the block is in
	# the file. Modern virtio-pci with MSI-X through the ITS at 52 bits,
	# then read-only over INTx.
	head -c 4194304 /dev/urandom > /tmp/disk.img
	echo "S2HOST disk md5 $(md5sum < /tmp/disk.img | cut -d' ' -f1)"
	run linux-disk-split52 $S run --ipa-bits 52 --layout split -m 256M -m 512M --irqchip gicv3-its \
		--console virtio -d /tmp/disk.img --rng --print-layout -k $IMAGE -i $INITRD -p "quiet s2disk s2rng"
	echo "S2HOST disk block 1 after exit: $(dd if=/tmp/disk.img bs=4096 skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"
	# A disk over legacy virtio-pci in a 40-bit space: its queue PFNs
	# are 32 bits of 4 KiB pages.
	head -c 4194304 /dev/urandom > /tmp/disk40.img
	echo "S2HOST disk40 md5 $(md5sum < /tmp/disk40.img | cut -d' ' -f1)"
	run linux-disk-legacy40 $S run --virtio-transport pci-legacy --ipa-bits 40 --layout high -m 256M \
		--console virtio -d /tmp/disk40.img -k $IMAGE -i $INITRD -p "quiet s2disk"
	echo "S2HOST disk40 block 1 after exit: $(dd if=/tmp/disk40.img bs=4096 skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"
	# The same over INTx (no ITS): a fresh image read, written, read back.
	head -c 4194304 /dev/urandom > /tmp/diskx.img
	echo "S2HOST diskx md5 $(md5sum < /tmp/diskx.img | cut -d' ' -f1)"
	run linux-disk-intx $S run --irqchip gicv3 -m 256M --console virtio -d /tmp/diskx.img \
		-k $IMAGE -i $INITRD -p "quiet s2disk"
	echo "S2HOST diskx block 1 after exit: $(dd if=/tmp/diskx.img bs=4096 skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"
	run linux-disk-ro $S run --irqchip gicv3 -m 256M --console virtio -d /tmp/disk.img,ro \
		-k $IMAGE -i $INITRD -p "quiet s2disk"
	# Two disks on virtio-mmio, the second read-only: each is the image
	# the host wrote, known by its serial; only the first takes a write.
	head -c 4194304 /dev/urandom > /tmp/diskm0.img
	head -c 2097152 /dev/urandom > /tmp/diskm1.img
	echo "S2HOST diskm0 md5 $(md5sum < /tmp/diskm0.img | cut -d' ' -f1)"
	echo "S2HOST diskm1 md5 $(md5sum < /tmp/diskm1.img | cut -d' ' -f1)"
	run linux-disks-mmio $S run --virtio-transport mmio -m 256M --console virtio \
		-d /tmp/diskm0.img -d /tmp/diskm1.img,ro -k $IMAGE -i $INITRD -p "quiet s2disk s2disks=2"
	echo "S2HOST diskm0 block 1 after exit: $(dd if=/tmp/diskm0.img bs=4096 skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"
	echo "S2HOST diskm1 md5 after exit: $(md5sum < /tmp/diskm1.img | cut -d' ' -f1)"
	# A disk on legacy virtio-mmio (QueuePFN in the guest's page size).
	run linux-disk-mmio-legacy $S run --virtio-transport mmio-legacy -m 256M --console virtio \
		-d /tmp/diskm1.img -k $IMAGE -i $INITRD -p "quiet s2disk"
	# virtio-rng alone on virtio-mmio: the guest's hw_random source.
	run linux-rng-mmio $S run --virtio-transport mmio --rng -m 256M -k $IMAGE -i $INITRD -p "quiet s2rng"
	run linux-virtio-legacy $S run --console virtio --virtio-transport mmio-legacy -m 256M \
		-k $IMAGE -i $INITRD -p quiet
fi

echo "S2HOST done after $(cut -d' ' -f1 /proc/uptime)s"
poweroff -f
