# s2hyp: bare-metal EL2 hypervisor under qemu-system-aarch64 (issue 4).
#
#   make check-hyp   build s2hyp and run the whole QEMU suite
#   make demo-hyp    run the guests and print the VM table

HYP_B     := $(B)/hyp
HYP_ELF   := $(HYP_B)/s2hyp.elf
HYP_OBJS  := $(patsubst %.c,$(B)/a64/%.o,$(wildcard hyp/*.c)) \
	     $(patsubst %.S,$(B)/a64/%.o,$(wildcard hyp/*.S))
HYP_QEMU  := qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max \
	     -nographic -m 1G -no-reboot
# One run of the suite takes a few seconds; the timeout only catches hangs
# (a semihosting HLT without semihosting enabled, a guest that never exits).
HYP_TIMEOUT := timeout 300
hyp_run = $(HYP_TIMEOUT) $(HYP_QEMU) \
	  -semihosting-config enable=on,target=native,arg=s2hyp,arg=$(1) -kernel $(HYP_ELF)

$(B)/a64/hyp/%.o: hyp/%.S
	@mkdir -p $(@D)
	$(CROSS)gcc $(A64_CFLAGS) -c $< -o $@

$(HYP_ELF): $(HYP_OBJS) $(LIB_A64) hyp/hyp.ld
	@mkdir -p $(@D)
	$(CROSS)gcc $(A64_CFLAGS) -static -T hyp/hyp.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-o $@ $(HYP_OBJS) $(LIB_A64) -lgcc

.PHONY: check-hyp demo-hyp
# The suite must exit 0; the panic path must exit 2 with its report.
check-hyp: $(HYP_ELF)
	@set -o pipefail; $(call hyp_run,check) | tee $(HYP_B)/check.log; \
	rc=$${PIPESTATUS[0]}; \
	if [ $$rc -ne 0 ]; then echo "check-hyp: QEMU exit status $$rc (log: $(HYP_B)/check.log)"; exit 1; fi
	@$(call hyp_run,panic-test) > $(HYP_B)/panic.log; rc=$$?; \
	if [ $$rc -ne 2 ] || ! grep -q 'PANIC: unexpected exception at EL2: EL2h sync' $(HYP_B)/panic.log \
	   || ! grep -q 'FAR_EL2=0xdead0000' $(HYP_B)/panic.log; then \
		cat $(HYP_B)/panic.log; echo "check-hyp: panic path: exit status $$rc, report missing"; exit 1; fi
	@echo "check-hyp: panic path reported the EL2 fault and exited 2"
	@echo "check-hyp: passed"

demo-hyp: $(HYP_ELF)
	@$(call hyp_run,demo)

CHECK_TARGETS += check-hyp
DEMO_TARGETS  += demo-hyp
ALL_TARGETS   += $(HYP_ELF)
