#!/bin/busybox sh
# /init of the s2vmm guest of the disk benchmark: diskio on /dev/vda (the
# host's image over virtio-blk), reads with O_DIRECT so that each reaches
# the device; then how its interrupts arrived, and power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
arg() { tr " " "\n" < /proc/cmdline | sed -n "s/^$1=//p"; }
insmod /virtio_blk.ko
i=0; while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
echo "S2BENCH guest: Linux $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU, vda $(cat /sys/block/vda/size) sectors, max_segments $(cat /sys/block/vda/queue/max_segments)"
/diskio --direct --secs "$(arg s2disk_secs)" --reps "$(arg s2disk_reps)" --label guest /dev/vda \
	read randread write
grep -E 'virtio' /proc/interrupts | sed 's/  */ /g; s/^/S2BENCH guest interrupts: /'
poweroff -f
