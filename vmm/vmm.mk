# s2vmm: a kvmtool-class VMM for Linux KVM on arm64.
#
#   build/vmm/s2vmm            static aarch64 Linux binary (libs2 + libfdt)
#   check-vmm-unit             layout and option tests on the build host
#   check-vmm                  the above, then Debian arm64 kernels at EL2
#                              in QEMU running s2vmm on their KVM

VMM_B      := $(B)/vmm
VMM_CC     := $(CROSS)gcc
# libs2 is freestanding, so the same sources build for Linux userspace.
VMM_CFLAGS := $(COMMON) -O2 -Ivmm -D_GNU_SOURCE -pthread
VMM_SRCS   := $(wildcard vmm/*.c)
VMM_OBJS   := $(patsubst %.c,$(VMM_B)/a64/%.o,$(VMM_SRCS))
VMM_LIBS2  := $(VMM_B)/libs2-linux.a
S2VMM      := $(VMM_B)/s2vmm

$(VMM_B)/a64/lib/%.o: PRIV := $(LIB_PRIV_A64)
$(VMM_B)/a64/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(VMM_CC) $(VMM_CFLAGS) $(PRIV) -c $< -o $@
$(VMM_LIBS2): $(patsubst %.c,$(VMM_B)/a64/%.o,$(LIB_SRCS))
	$(call msg,AR,$@)rm -f $@; $(CROSS)ar rcs $@ $^
$(S2VMM): $(VMM_OBJS) $(VMM_LIBS2)
	$(call msg,LD,$@)$(VMM_CC) -static -pthread -o $@ $(VMM_OBJS) $(VMM_LIBS2) -lfdt

# Host unit tests: the pure modules, sanitized, against the host libs2.
# libfdt: the host's runtime library (see S2VMM_HOST below). The device
# files (device.h) run against a VM without KVM (fake_vm.c); the layout
# places what they register.
VMM_DEV_SRCS  := vmm/device.c vmm/fdt_node.c vmm/uart.c vmm/virtio_console.c vmm/virtio.c \
	vmm/virtio_mmio.c vmm/virtio_pci.c vmm/pci.c vmm/pci_host.c vmm/msix.c vmm/virtio_blk.c \
	vmm/virtio_rng.c vmm/vm_bus.c vmm/gic_device.c vmm/pvtime_device.c vmm/timer_device.c \
	vmm/pmu_device.c tests/vmm/fake_vm.c tests/vmm/no_kvm_platform.c
VMM_UNIT_OBJS := $(patsubst %.c,$(B)/san/%.o,vmm/layout.c vmm/size.c vmm/opts.c vmm/log.c \
	vmm/cpulist.c vmm/unhandled.c vmm/loader.c vmm/devtree.c $(VMM_DEV_SRCS))
VMM_UNIT      := $(patsubst tests/vmm/%.c,$(VMM_B)/%,$(sort $(wildcard tests/vmm/test_*.c)))
.SECONDARY: $(VMM_UNIT_OBJS)
# cpu_set_t (--vcpu-affinity) is a GNU extension, as in the s2vmm build.
$(VMM_UNIT_OBJS): SAN_CFLAGS += -D_GNU_SOURCE -Ivmm -pthread
$(VMM_B)/test_%: tests/vmm/test_%.c $(VMM_UNIT_OBJS) $(UNIT_COMMON_SAN) $(LIB_SAN)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(SAN_CFLAGS) -D_GNU_SOURCE $(TEST_INC) -Ivmm -pthread -o $@ $(filter %.c %.o %.a,$^) -lcmocka -l:libfdt.so.1

# The unhandled-MMIO reports are taken from every vCPU thread: their test
# also runs under ThreadSanitizer.
VMM_UNHANDLED_TSAN := $(VMM_B)/test_unhandled-tsan
$(VMM_UNHANDLED_TSAN): tests/vmm/test_unhandled.c vmm/unhandled.c vmm/unhandled.h $(B)/tsan/tests/common/unit.o
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(COMMON) -O1 -fsanitize=thread -D_GNU_SOURCE $(TEST_INC) -Ivmm -o $@ $(filter %.c %.o,$^) -lcmocka

# The same s2vmm on the build host, sanitized, with KVM replaced by a
# machine that has none (tests/vmm/no_kvm.c): everything s2vmm does
# before it opens /dev/kvm runs here, for the bad-input tests. libfdt
# comes from the host's runtime library (qemu-system-arm depends on it;
# the development package is the arm64 one).
VMM_HOST_SRCS := vmm/main.c vmm/opts.c vmm/size.c vmm/layout.c vmm/log.c vmm/loader.c \
		 vmm/devtree.c vmm/plan.c vmm/cpulist.c tests/vmm/no_kvm.c $(VMM_DEV_SRCS)
S2VMM_HOST    := $(VMM_B)/s2vmm-host
$(VMM_B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SAN_CFLAGS) -Ivmm -D_GNU_SOURCE -c $< -o $@
$(S2VMM_HOST): $(patsubst %.c,$(VMM_B)/san/%.o,$(VMM_HOST_SRCS)) $(LIB_SAN)
	$(call msg,LD,$@)$(CC) $(SAN_CFLAGS) -pthread -o $@ $^ -l:libfdt.so.1

# Random command lines and files against the host build: bounded by a
# case count; VMM_BADINPUT_SEED picks another sequence.
VMM_BADGEN          := $(VMM_B)/badinput-gen
VMM_BADINPUT_CASES  ?= 150
VMM_BADINPUT_SEED   ?= 1
$(VMM_BADGEN): tests/vmm/badinput_gen.c
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(HOST_CFLAGS) -o $@ $<

.PHONY: check-vmm-unit check-vmm
check-vmm-unit: $(VMM_UNIT) $(VMM_UNHANDLED_TSAN) $(S2VMM_HOST) $(VMM_BADGEN)
	$(Q)$(call run_tests,check-vmm-unit,$(VMM_UNIT) $(VMM_UNHANDLED_TSAN))
	$(Q)tests/vmm/bad-input.sh $(S2VMM_HOST)
	$(Q)$(VMM_BADGEN) $(S2VMM_HOST) $(VMM_BADINPUT_CASES) $(VMM_BADINPUT_SEED)

ALL_TARGETS   += $(S2VMM) $(VMM_UNIT) $(VMM_UNHANDLED_TSAN) $(S2VMM_HOST) $(VMM_BADGEN)
CHECK_TARGETS += check-vmm
check-vmm: check-vmm-unit

# Bare-metal test guests: flat binaries, position independent. hello
# reports where it runs; feat checks the vCPU features (PMU, SVE, PSCI,
# ITS) and the virtio-pci device (MSI-X, PCI config window, bad queues)
# named on its command line.
VMM_GUEST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-fno-stack-protector -mgeneral-regs-only -mstrict-align -fno-pic -fno-pie
VMM_GUEST_COMMON := vmm/guests/start.S vmm/guests/gio.c
VMM_GUEST_hello  := vmm/guests/hello.c
VMM_GUEST_feat   := vmm/guests/feat.c vmm/guests/gicv3.c vmm/guests/sve.S vmm/guests/pci.c \
	vmm/guests/vpci.c
VMM_GUEST      := $(VMM_B)/guests/hello.bin
VMM_GUEST_FEAT := $(VMM_B)/guests/feat.bin
VMM_GUEST_DEPS := $(VMM_GUEST_COMMON) $(wildcard vmm/guests/*.h) vmm/guests/guest.lds
$(VMM_B)/guests/hello.elf: $(VMM_GUEST_hello) $(VMM_GUEST_DEPS)
$(VMM_B)/guests/feat.elf: $(VMM_GUEST_feat) $(VMM_GUEST_DEPS)
$(VMM_B)/guests/%.elf:
	@mkdir -p $(@D)
	$(call msg,LD,$@)$(VMM_CC) $(VMM_GUEST_CFLAGS) -static -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T vmm/guests/guest.lds \
		-o $@ $(VMM_GUEST_COMMON) $(VMM_GUEST_$*)
	$(Q)! $(CROSS)readelf -r $@ | grep -q R_AARCH64 || { echo "$@: absolute relocations"; exit 1; }
.PRECIOUS: $(VMM_B)/guests/%.elf
$(VMM_B)/guests/%.bin: $(VMM_B)/guests/%.elf
	$(call msg,GEN,$@)$(CROSS)objcopy -O binary $< $@
ALL_TARGETS += $(VMM_GUEST) $(VMM_GUEST_FEAT)

# Initramfs images for the KVM tests. The Debian packages come from
# .ci/install.d/s2vmm (cached in VMM_DEPS).
# The same cache .ci/install.d/s2vmm fills: S2VMM_DEPS when set.
VMM_DEPS     ?= $(or $(S2VMM_DEPS),$(B)/vmm-deps)
VMM_BUSYBOX  := $(VMM_DEPS)/busybox
VMM_K612     := $(VMM_DEPS)/vmlinuz-6.12
VMM_K61      := $(VMM_DEPS)/vmlinuz-6.1
VMM_GUEST_RD := $(VMM_B)/guest-initrd.gz
VMM_HOST_RD  := $(VMM_B)/host-initrd.cpio

$(VMM_DEPS)/%:
	@echo "missing $@: run .ci/install.d/s2vmm (Debian arm64 kernels and busybox)"; exit 1

VMM_VIRTIO_KO := $(VMM_DEPS)/virtio_mmio-6.12.ko
# virtio-blk and virtio-rng are modules too (neither needs another):
# taken from the same kernel package, which .ci/install.d/s2vmm keeps in
# $(VMM_DEPS)/debs.
VMM_BLK_KO := $(VMM_B)/virtio_blk-6.12.ko
VMM_RNG_KO := $(VMM_B)/virtio-rng-6.12.ko
VMM_KO_virtio_blk := drivers/block/virtio_blk.ko
VMM_KO_virtio-rng := drivers/char/hw_random/virtio-rng.ko
$(VMM_B)/%-6.12.ko: $(VMM_K612)
	@mkdir -p $(@D)
	$(call msg,GEN,$@)deb=$$(ls $(VMM_DEPS)/debs/$$(cat $(VMM_K612).pkg)_*_arm64.deb | head -1) && \
	dpkg-deb --fsys-tarfile "$$deb" | tar -xO --wildcards '*/$(VMM_KO_$*)*' | \
		xz -dc > $@.tmp && [ -s $@.tmp ] && mv $@.tmp $@
$(VMM_GUEST_RD): vmm/initramfs/mkcpio.sh vmm/initramfs/guest-init $(VMM_BUSYBOX) $(VMM_VIRTIO_KO) \
		$(VMM_BLK_KO) $(VMM_RNG_KO)
	$(call msg,GEN,$@)BUSYBOX=$(VMM_BUSYBOX) vmm/initramfs/mkcpio.sh $@ gz init=vmm/initramfs/guest-init \
		virtio_mmio.ko=$(VMM_VIRTIO_KO) virtio_blk.ko=$(VMM_BLK_KO) virtio-rng.ko=$(VMM_RNG_KO)
# Uncompressed: the QEMU host unpacks it at boot, and inflating 40 MiB
# under TCG costs seconds.
$(VMM_HOST_RD): vmm/initramfs/mkcpio.sh tests/vmm/scenarios.sh $(S2VMM) $(VMM_GUEST) \
		$(VMM_GUEST_FEAT) $(VMM_GUEST_RD) $(VMM_K612) $(VMM_BUSYBOX)
	$(call msg,GEN,$@)BUSYBOX=$(VMM_BUSYBOX) vmm/initramfs/mkcpio.sh $@ init=tests/vmm/scenarios.sh \
		s2vmm=$(S2VMM) guests/hello.bin=$(VMM_GUEST) guests/feat.bin=$(VMM_GUEST_FEAT) \
		guests/Image=$(VMM_K612) \
		guests/initrd.gz=$(VMM_GUEST_RD)

.PHONY: check-vmm-kvm
check-vmm-kvm: $(VMM_HOST_RD) $(VMM_K612) $(VMM_K61)
	$(Q)tests/vmm/check-kvm.sh $(VMM_B) $(VMM_HOST_RD) $(VMM_K612) $(VMM_K61)
check-vmm: check-vmm-kvm
