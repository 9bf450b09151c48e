# Unit tests (cmocka) for the libs2 foundation, and the freestanding check.
#
#   make check-unit          every tests/unit/test_*.c, built twice: against
#                            the ASan+UBSan library and the -O2 host library
#   make check-freestanding  the aarch64 core library needs nothing from libc
#
# On success each test binary prints cmocka's PASSED line and how many
# checks it made; on failure its whole output.

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_SAN  := $(patsubst tests/unit/%.c,$(B)/unit/san/%,$(UNIT_SRCS))
UNIT_HOST := $(patsubst tests/unit/%.c,$(B)/unit/host/%,$(UNIT_SRCS))

# The library's own tests may see its private headers.
$(B)/unit/san/%: tests/unit/%.c $(UNIT_COMMON_SAN) $(LIB_SAN)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(SAN_CFLAGS) $(LIB_PRIV_FAKE) $(TEST_INC) -Itests/unit $< $(UNIT_COMMON_SAN) $(LIB_SAN) $(SAN_FLAGS) -lcmocka -o $@

$(B)/unit/host/%: tests/unit/%.c $(UNIT_COMMON_HOST) $(LIB_HOST)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(HOST_CFLAGS) $(LIB_PRIV_FAKE) $(TEST_INC) -Itests/unit $< $(UNIT_COMMON_HOST) $(LIB_HOST) -lcmocka -o $@

.PHONY: check-unit check-freestanding
check-unit: $(UNIT_SAN) $(UNIT_HOST)
	$(Q)$(call run_tests,check-unit,$^)

check-freestanding: $(LIB_A64)
	$(Q)bash tests/unit/check-freestanding.sh $(CROSS) $(LIB_A64)

CHECK_TARGETS += check-unit check-freestanding

# The emulated ITS is hypervisor code with a host build: its tests
# (test_vits*.c) link it, and it must also build freestanding for EL2.
VITS_SRC   := $(wildcard hyp/core/vits*.c)
VITS_UNIT  := $(patsubst tests/unit/%.c,%,$(filter tests/unit/test_vits%,$(UNIT_SRCS)))
$(patsubst %,$(B)/unit/san/%,$(VITS_UNIT)): $(B)/unit/san/%: tests/unit/%.c $(VITS_SRC) $(UNIT_COMMON_SAN) $(LIB_SAN)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(SAN_CFLAGS) $(TEST_INC) -Itests/unit -Ihyp/core -Ihyp/guest $< $(VITS_SRC) $(VITS_EXTRA) $(UNIT_COMMON_SAN) $(LIB_SAN) $(SAN_FLAGS) -lcmocka -o $@
$(patsubst %,$(B)/unit/host/%,$(VITS_UNIT)): $(B)/unit/host/%: tests/unit/%.c $(VITS_SRC) $(UNIT_COMMON_HOST) $(LIB_HOST)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(HOST_CFLAGS) $(TEST_INC) -Itests/unit -Ihyp/core -Ihyp/guest $< $(VITS_SRC) $(VITS_EXTRA) $(UNIT_COMMON_HOST) $(LIB_HOST) -lcmocka -o $@
ALL_TARGETS += $(patsubst %.c,$(B)/a64/%.o,$(VITS_SRC))

# The guest's ITS driver, built for the host against the MMIO fake, runs
# against the emulated ITS in test_vits_guest.
GUEST_ITS_SRC := hyp/guest/its.c
$(B)/unit/san/guest_its.o: $(GUEST_ITS_SRC) tests/unit/guest_mmio_fake.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SAN_CFLAGS) -include tests/unit/guest_mmio_fake.h -c $< -o $@
$(B)/unit/host/guest_its.o: $(GUEST_ITS_SRC) tests/unit/guest_mmio_fake.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(HOST_CFLAGS) -include tests/unit/guest_mmio_fake.h -c $< -o $@
$(B)/unit/san/test_vits_guest: $(B)/unit/san/guest_its.o
$(B)/unit/host/test_vits_guest: $(B)/unit/host/guest_its.o
$(B)/unit/san/test_vits_guest: private VITS_EXTRA = $(B)/unit/san/guest_its.o
$(B)/unit/host/test_vits_guest: private VITS_EXTRA = $(B)/unit/host/guest_its.o

# s2hyp's emulated distributor/redistributor and its MMIO path are
# hypervisor code with a host build too: test_vgic_mmio links them.
VGIC_MMIO_SRC := hyp/core/vgic_mmio.c hyp/core/mmio.c
$(B)/unit/san/test_vgic_mmio: tests/unit/test_vgic_mmio.c $(VGIC_MMIO_SRC) $(UNIT_COMMON_SAN) $(LIB_SAN)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(SAN_CFLAGS) $(TEST_INC) -Itests/unit -Ihyp/core $< $(VGIC_MMIO_SRC) $(UNIT_COMMON_SAN) $(LIB_SAN) $(SAN_FLAGS) -lcmocka -o $@
$(B)/unit/host/test_vgic_mmio: tests/unit/test_vgic_mmio.c $(VGIC_MMIO_SRC) $(UNIT_COMMON_HOST) $(LIB_HOST)
	@mkdir -p $(@D)
	$(call msg,CCLD,$@)$(CC) $(HOST_CFLAGS) $(TEST_INC) -Itests/unit -Ihyp/core $< $(VGIC_MMIO_SRC) $(UNIT_COMMON_HOST) $(LIB_HOST) -lcmocka -o $@
