# s2kit: per-VM IPA sizing and 52-bit stage-2 translation for arm64.
#
#   make            build the library (host, sanitized host, freestanding
#                   aarch64) and the tools
#   make check      every test (unit, CLI, QEMU, KVM)
#   make demo       the main demonstration
#   make bench      benchmarks
#
# Sub-projects add their own rules in */*.mk and register their test,
# demo and bench targets in CHECK_TARGETS, DEMO_TARGETS, BENCH_TARGETS.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
SHELL := /bin/bash

CC      ?= cc
CROSS   ?= aarch64-linux-gnu-
B       := build

WARN        := -Wall -Wextra -Werror
COMMON      := -std=gnu11 -g $(WARN) -Iinclude -Ilib -MMD -MP
HOST_CFLAGS := $(COMMON) -O2 -Ilib/arch/fake
SAN_FLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_CFLAGS  := $(COMMON) -O1 -Ilib/arch/fake $(SAN_FLAGS)
# Freestanding aarch64: no libc, no FP/SIMD (EL2 code may run with them
# trapped), strict alignment (safe with the MMU off: Device memory).
A64_CFLAGS  := $(COMMON) -O2 -Ilib/arch/aarch64 -ffreestanding -nostdlib \
	       -fno-stack-protector -mgeneral-regs-only -mstrict-align -fno-pic

# The core library: freestanding, no dependencies.
LIB_SRCS     := $(wildcard lib/*.c)
# Host-only environment (allocator, recording TLB fake) for tools and tests.
HOSTENV_SRCS := $(wildcard lib/hostenv/*.c)
A64ARCH_SRCS := $(wildcard lib/arch/aarch64/*.c)

LIB_HOST := $(B)/host/libs2.a
LIB_SAN  := $(B)/san/libs2.a
LIB_A64  := $(B)/a64/libs2.a

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@
$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c $< -o $@
$(B)/a64/%.o: %.c
	@mkdir -p $(@D)
	$(CROSS)gcc $(A64_CFLAGS) -c $< -o $@

$(LIB_HOST): $(patsubst %.c,$(B)/host/%.o,$(LIB_SRCS) $(HOSTENV_SRCS))
	@rm -f $@; ar rcs $@ $^
$(LIB_SAN): $(patsubst %.c,$(B)/san/%.o,$(LIB_SRCS) $(HOSTENV_SRCS))
	@rm -f $@; ar rcs $@ $^
$(LIB_A64): $(patsubst %.c,$(B)/a64/%.o,$(LIB_SRCS) $(A64ARCH_SRCS))
	@rm -f $@; $(CROSS)ar rcs $@ $^

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
	@bash .ci/install-deps
check: deps
	@$(MAKE) --no-print-directory check-all
check-all: $(CHECK_TARGETS)
	@echo "make check: all test groups passed ($(CHECK_TARGETS))"
demo: deps
	@$(MAKE) --no-print-directory demo-all
demo-all: $(DEMO_TARGETS)
bench: deps
	@$(MAKE) --no-print-directory bench-all
bench-all: $(BENCH_TARGETS)
clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
