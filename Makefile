# s2kit: per-VM IPA sizing and 52-bit stage-2 translation for arm64.
#
#   make            build the library (host, sanitized host, freestanding
#                   aarch64) and the tools
#   make check      every test (unit, CLI, QEMU, KVM)
#   make demo       the main demonstration
#   make bench      benchmarks
#   make V=1 ...    show the commands (the default prints one short line
#                   per step: "CC file", "LD file", "TEST group")
#
# Sub-projects add their own rules in */*.mk and register their test,
# demo and bench targets in CHECK_TARGETS, DEMO_TARGETS, BENCH_TARGETS.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
SHELL := /bin/bash

CC      ?= cc
CROSS   ?= aarch64-linux-gnu-
B       := build

# Quiet by default: each step prints one short line ($(call msg,CC,$@)
# at the start of a recipe line); V=1 prints the commands instead.
ifeq ($(V),1)
Q   :=
msg  =
else
Q   := @
msg  = @printf '  %-5s %s\n' '$(1)' '$(2)';
endif

# run_tests,GROUP,BINARIES: run each test binary (cmocka) in turn. A
# passing binary shows only its summary lines (cmocka's PASSED line and
# any "N checks" / "test_...:" line it prints), prefixed with its name; a
# failing one shows its whole output. Every binary runs; the group fails
# if any did.
run_tests = fail=0; \
	for t in $(2); do \
		out=$$($$t 2>&1); rc=$$?; \
		if [ $$rc -ne 0 ]; then \
			printf '%s\n' "$$out"; echo "$(1): $$t FAILED (exit $$rc)"; fail=1; \
		else \
			printf '%s\n' "$$out" | grep -E '^\[  PASSED  \]|^test_|checks$$' | sed "s|^|$$t: |"; \
		fi; \
	done; \
	exit $$fail

# Every cmocka test includes the shared checking helpers of
# tests/common/unit.h and links their object.
TEST_INC         := -Itests/common
UNIT_COMMON_SAN  := $(B)/san/tests/common/unit.o
UNIT_COMMON_HOST := $(B)/host/tests/common/unit.o
# Test programs are tests/DIR/test_*.c (fuzz targets fuzz_*.c): the
# groups find them by that name, so another would be left out unseen.
STRAY_TESTS := $(wildcard tests/*/*_test.c)
$(if $(STRAY_TESTS),$(error test programs are named tests/DIR/test_*.c, not $(STRAY_TESTS)))

WARN        := -Wall -Wextra -Werror
COMMON      := -std=gnu11 -g $(WARN) -Iinclude -MMD -MP
HOST_CFLAGS := $(COMMON) -O2
SAN_FLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_CFLAGS  := $(COMMON) -O1 $(SAN_FLAGS)
# Freestanding aarch64: no libc, no FP/SIMD (EL2 code may run with them
# trapped), strict alignment (safe with the MMU off: Device memory).
A64_CFLAGS  := $(COMMON) -O2 -ffreestanding -nostdlib \
	       -fno-stack-protector -mgeneral-regs-only -mstrict-align -fno-pic

# The library's private headers (lib/) and its architecture hooks
# (lib/arch/*/s2_arch.h) are for the library and its own tests only:
# tools, hypervisor, VMM and benchmarks use the public include/s2/.
LIB_PRIV_FAKE := -Ilib -Ilib/arch/fake
LIB_PRIV_A64  := -Ilib -Ilib/arch/aarch64
$(B)/host/lib/%.o $(B)/san/lib/%.o: PRIV := $(LIB_PRIV_FAKE)
$(B)/a64/lib/%.o: PRIV := $(LIB_PRIV_A64)

# The core library: freestanding, no dependencies.
LIB_SRCS     := $(wildcard lib/*.c)
# Host-only environment (allocator, recording TLB fake) for tools and tests.
HOSTENV_SRCS := $(wildcard lib/hostenv/*.c)

LIB_HOST := $(B)/host/libs2.a
LIB_SAN  := $(B)/san/libs2.a
LIB_A64  := $(B)/a64/libs2.a

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(HOST_CFLAGS) $(PRIV) -c $< -o $@
$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SAN_CFLAGS) $(PRIV) -c $< -o $@
$(B)/a64/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CROSS)gcc $(A64_CFLAGS) $(PRIV) -c $< -o $@

$(LIB_HOST): $(patsubst %.c,$(B)/host/%.o,$(LIB_SRCS) $(HOSTENV_SRCS))
	$(call msg,AR,$@)rm -f $@; ar rcs $@ $^
$(LIB_SAN): $(patsubst %.c,$(B)/san/%.o,$(LIB_SRCS) $(HOSTENV_SRCS))
	$(call msg,AR,$@)rm -f $@; ar rcs $@ $^
$(LIB_A64): $(patsubst %.c,$(B)/a64/%.o,$(LIB_SRCS))
	$(call msg,AR,$@)rm -f $@; $(CROSS)ar rcs $@ $^

ALL_TARGETS   := $(LIB_HOST) $(LIB_SAN) $(LIB_A64)
CHECK_TARGETS :=
DEMO_TARGETS  :=
BENCH_TARGETS :=

include $(sort $(wildcard */*.mk))

# check, demo and bench first make sure the machine has what they need
# (.ci/install-deps is idempotent and quick once everything is there), so
# the README's two commands work on a fresh Debian machine.
.PHONY: all check demo bench clean deps check-all demo-all bench-all
all: $(ALL_TARGETS)
deps:
	$(Q)bash .ci/install-deps
check: deps
	$(Q)$(MAKE) --no-print-directory check-all
check-all: $(CHECK_TARGETS)
	@echo "make check: all test groups passed ($(CHECK_TARGETS))"
demo: deps
	$(Q)$(MAKE) --no-print-directory demo-all
demo-all: $(DEMO_TARGETS)
bench: deps
	$(Q)$(MAKE) --no-print-directory bench-all
bench-all: $(BENCH_TARGETS)
clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
