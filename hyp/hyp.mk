# s2hyp: bare-metal EL2 hypervisor under qemu-system-aarch64.
#
#   make check-hyp   build s2hyp and run the whole QEMU suite
#   make demo-hyp    run the guests and print the VM table

HYP_B     := $(B)/hyp
HYP_ELF   := $(HYP_B)/s2hyp.elf
# The hypervisor (hyp/core) and the test harness that runs on it
# (hyp/test). The core is compiled without the harness's include paths,
# so it cannot name a test; the harness sees the core's headers and the
# guest's protocol (guest/proto.h).
HYP_CORE_OBJS := $(patsubst %.c,$(B)/a64/%.o,$(wildcard hyp/core/*.c)) \
		 $(patsubst %.S,$(B)/a64/%.o,$(wildcard hyp/core/*.S))
HYP_TEST_OBJS := $(patsubst %.c,$(B)/a64/%.o,$(wildcard hyp/test/*.c)) \
		 $(patsubst %.S,$(B)/a64/%.o,$(wildcard hyp/test/*.S))
HYP_OBJS  := $(HYP_CORE_OBJS) $(HYP_TEST_OBJS)
# Four CPUs, each a host thread (MTTCG), so the vCPUs of the SMP test
# fault at the same time; the others stay off until PSCI CPU_ON.
HYP_QEMU  := qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max \
	     -smp 4 -accel tcg,thread=multi -nographic -nic none -m 1G -no-reboot
# One run of the suite takes a few seconds; the timeout only catches hangs
# (a semihosting HLT without semihosting enabled, a guest that never exits).
HYP_TIMEOUT := timeout 300
hyp_run = $(HYP_TIMEOUT) $(HYP_QEMU) \
	  -semihosting-config enable=on,target=native,arg=s2hyp,arg=$(1) -kernel $(HYP_ELF)

$(B)/a64/hyp/%.o: hyp/%.S
	@mkdir -p $(@D)
	$(call msg,AS,$@)$(CROSS)gcc $(A64_CFLAGS) -c $< -o $@

$(HYP_TEST_OBJS): private A64_CFLAGS += -Ihyp/core -Ihyp

# The guest image runs at whatever IPA its VM's RAM has, so it must be
# position independent. It is linked at two bases and the two binaries
# must be identical: proof that no absolute address was baked in.
GUEST_OBJS := $(patsubst %.c,$(B)/a64/%.o,$(wildcard hyp/guest/*.c)) \
	      $(patsubst %.S,$(B)/a64/%.o,$(wildcard hyp/guest/*.S))
guest_link = $(CROSS)gcc $(A64_CFLAGS) -static -T hyp/guest/guest.ld -Wl,--build-id=none \
	     -Wl,--no-warn-rwx-segments -Wl,--defsym=GUEST_BASE=$(1) -o $(2) $(GUEST_OBJS) -lgcc

$(HYP_B)/guest.bin: $(GUEST_OBJS) hyp/guest/guest.ld
	@mkdir -p $(@D)
	$(call msg,LD,$(HYP_B)/guest-lo.elf)$(call guest_link,0,$(HYP_B)/guest-lo.elf)
	$(call msg,LD,$(HYP_B)/guest-hi.elf)$(call guest_link,0xfffffff800000,$(HYP_B)/guest-hi.elf)
	$(Q)$(CROSS)objcopy -O binary $(HYP_B)/guest-lo.elf $(HYP_B)/guest-lo.bin
	$(Q)$(CROSS)objcopy -O binary $(HYP_B)/guest-hi.elf $(HYP_B)/guest-hi.bin
	$(Q)cmp $(HYP_B)/guest-lo.bin $(HYP_B)/guest-hi.bin || \
		{ echo "guest image is not position independent"; exit 1; }
	$(Q)test $$(stat -c %s $(HYP_B)/guest-lo.bin) -le 65536 || \
		{ echo "guest image larger than GUEST_IMAGE_MAX"; exit 1; }
	$(call msg,GEN,$@)cp $(HYP_B)/guest-lo.bin $@

$(B)/a64/hyp/test/guest_image.o: hyp/test/guest_image.S $(HYP_B)/guest.bin
	@mkdir -p $(@D)
	$(call msg,AS,$@)$(CROSS)gcc $(A64_CFLAGS) -DGUEST_BIN='"$(HYP_B)/guest.bin"' -c $< -o $@

$(HYP_ELF): $(HYP_OBJS) $(LIB_A64) hyp/core/hyp.ld
	@mkdir -p $(@D)
	$(call msg,LD,$@)$(CROSS)gcc $(A64_CFLAGS) -static -T hyp/core/hyp.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-o $@ $(HYP_OBJS) $(LIB_A64) -lgcc

.PHONY: check-hyp demo-hyp
# The suite must exit 0; the panic path must exit 2 with its report.
check-hyp: $(HYP_ELF)
	$(Q)set -o pipefail; $(call hyp_run,check) | tee $(HYP_B)/check.log; \
	rc=$${PIPESTATUS[0]}; \
	if [ $$rc -ne 0 ]; then echo "check-hyp: QEMU exit status $$rc (log: $(HYP_B)/check.log)"; exit 1; fi
	$(Q)$(call hyp_run,panic-test) > $(HYP_B)/panic.log; rc=$$?; \
	if [ $$rc -ne 2 ] || ! grep -q 'PANIC: unexpected exception at EL2: EL2h sync' $(HYP_B)/panic.log \
	   || ! grep -q 'FAR_EL2=0xdead0000' $(HYP_B)/panic.log; then \
		cat $(HYP_B)/panic.log; echo "check-hyp: panic path: exit status $$rc, report missing"; exit 1; fi
	@echo "check-hyp: panic path reported the EL2 fault and exited 2"
	@echo "check-hyp: passed"

# The demo shows the host, the walker probes and the VM table; the whole
# log (guest consoles, probes, dirty rounds) stays in build/hyp/demo.log.
demo-hyp: $(HYP_ELF)
	$(Q)$(call hyp_run,demo) > $(HYP_B)/demo.log; rc=$$?; \
	awk '/^host:|^quirk probe/ { print } /^VM / { t = 1 } t' $(HYP_B)/demo.log; \
	echo "demo-hyp: full log in $(HYP_B)/demo.log; QEMU exit status $$rc"; exit $$rc

CHECK_TARGETS += check-hyp
DEMO_TARGETS  += demo-hyp
ALL_TARGETS   += $(HYP_ELF)
