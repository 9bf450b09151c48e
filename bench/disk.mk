# The disk benchmark (bench/disk/): a guest's sequential read and write
# (MB/s) and 4 KiB random reads (IOPS) over virtio-blk on virtio-pci,
# beside the same through the QEMU host's page cache, in one boot of
# Debian's 6.12 kernel with KVM in QEMU (bench/disk/run.sh). It needs the
# same Debian packages as check-vmm-kvm (.ci/install.d/s2vmm, which
# make bench runs first). check-bench-disk-smoke runs the measuring tool
# on the build host (no timing judged).
#
# The s2vmm build and its Debian inputs are defined in vmm/vmm.mk, read
# after this file: the prerequisites naming them are expanded a second
# time, when make reaches them.
.SECONDEXPANSION:

DISK_B       := $(B)/bench/disk
DISKIO       := $(DISK_B)/diskio
DISKIO_HOST  := $(DISK_B)/diskio-host
DISK_GUEST_RD := $(DISK_B)/guest-initrd.gz
DISK_HOST_RD  := $(DISK_B)/host-initrd.cpio

$(DISKIO): bench/disk/diskio.c
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CROSS)gcc $(HOST_CFLAGS) -static -o $@ $<
$(DISKIO_HOST): bench/disk/diskio.c
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(SAN_CFLAGS) -o $@ $<
$(DISK_GUEST_RD): vmm/initramfs/mkcpio.sh bench/disk/guest-init.sh $(DISKIO) $$(VMM_BUSYBOX) \
		$$(VMM_BLK_KO)
	$(call msg,GEN,$@)BUSYBOX=$(VMM_BUSYBOX) vmm/initramfs/mkcpio.sh $@ gz init=bench/disk/guest-init.sh \
		diskio=$(DISKIO) virtio_blk.ko=$(VMM_BLK_KO)
$(DISK_HOST_RD): vmm/initramfs/mkcpio.sh bench/disk/host-init.sh $$(S2VMM) $(DISKIO) $(DISK_GUEST_RD) \
		$$(VMM_K612) $$(VMM_BUSYBOX)
	$(call msg,GEN,$@)BUSYBOX=$(VMM_BUSYBOX) vmm/initramfs/mkcpio.sh $@ init=bench/disk/host-init.sh \
		s2vmm=$(S2VMM) diskio=$(DISKIO) guests/Image=$(VMM_K612) guests/initrd.gz=$(DISK_GUEST_RD)

.PHONY: bench-disk check-bench-disk-smoke
bench-disk: $(DISK_HOST_RD) $$(VMM_K612)
# Never beside the page-table benchmarks, even under make -j: each would
# measure the other's load.
ifneq ($(filter bench-all,$(MAKECMDGOALS)),)
bench-disk: bench-pgtable
endif
	$(Q)bench/disk/run.sh $(DISK_B) $(DISK_HOST_RD) $(VMM_K612)

check-bench-disk-smoke: $(DISKIO_HOST)
	$(Q)f=$$(mktemp) && trap 'rm -f "$$f"' EXIT && \
		$(DISKIO_HOST) --size 4M --secs 1 --reps 1 --label smoke "$$f" write read randread >/dev/null && \
		echo "check-bench-disk-smoke: diskio ran"

ALL_TARGETS   += $(DISKIO) $(DISKIO_HOST)
BENCH_TARGETS += bench-disk
CHECK_TARGETS += check-bench-disk-smoke
