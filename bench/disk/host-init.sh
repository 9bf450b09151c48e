#!/bin/busybox sh
# /init of the QEMU host (Debian's 6.12 arm64 kernel at EL2 with KVM) for
# the disk benchmark. The limit first: diskio on a disk image in this
# kernel's page cache (tmpfs); then an s2vmm guest whose init runs the
# same diskio on that image as its virtio-blk disk over virtio-pci with
# MSI-X through the ITS; then the limit again, so that a change of load
# on the shared machine shows. run.sh judges and reports on the build host.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
export PATH=/bin

arg() { tr " " "\n" < /proc/cmdline | sed -n "s/^$1=//p"; }
mib=$(arg s2disk_mib) secs=$(arg s2disk_secs) reps=$(arg s2disk_reps)
D=/tmp/disk.img
echo "S2BENCH host: Linux $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, image $mib MiB on tmpfs"
dd if=/dev/zero of=$D bs=1M count="$mib" 2>/dev/null
limit() {
	/diskio --direct --size "${mib}M" --secs "$secs" --reps "$reps" --label limit $D read randread write
}
limit
echo "=== BEGIN guest"
timeout -s KILL 900 /s2vmm run -c 1 -m 256M --irqchip gicv3-its --virtio-transport pci -d $D \
	-k /guests/Image -i /guests/initrd.gz -p "quiet s2disk_secs=$secs s2disk_reps=$reps" 2>&1 </dev/null
echo "=== END guest rc=$?"
limit
echo "S2BENCH done after $(cut -d' ' -f1 /proc/uptime)s"
poweroff -f
