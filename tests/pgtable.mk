# Stage-2 page-table tests: descriptor-level unit tests,
# a differential test against a reference model, allocation failure,
# TLB/cache maintenance accounting, and a libFuzzer target.
#
#   make check-pgtable      all of them (ASan+UBSan), a bounded fuzz run
#   make pgtable-soak       the differential test at -O2, longer:
#                           PGT_DIFF_OPS=N PGT_DIFF_SEED=S (default 20M, seed 2)
#   make pgtable-fuzz       the fuzzer for PGT_FUZZ_TIME seconds (default 300)

PGT_DIR      := tests/pgtable
PGT_SUPPORT  := renv model twalk engine engine_op engine_fx engine_check configs gen
PGT_UT       := ut
PGT_TESTS    := $(patsubst $(PGT_DIR)/%.c,%,$(sort $(wildcard $(PGT_DIR)/test_*.c)))
PGT_SAN_SUP  := $(patsubst %,$(B)/pgtable/san/%.o,$(PGT_SUPPORT) $(PGT_UT))
PGT_HOST_SUP := $(patsubst %,$(B)/pgtable/host/%.o,$(PGT_SUPPORT) $(PGT_UT))
PGT_SAN_BIN  := $(patsubst %,$(B)/pgtable/san/%,$(PGT_TESTS))

# The library's own tests may see its private headers.
$(B)/pgtable/san/%.o: $(PGT_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(SAN_CFLAGS) $(LIB_PRIV_FAKE) $(TEST_INC) -I$(PGT_DIR) -c $< -o $@
$(B)/pgtable/host/%.o: $(PGT_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(HOST_CFLAGS) $(LIB_PRIV_FAKE) $(TEST_INC) -I$(PGT_DIR) -c $< -o $@

$(B)/pgtable/san/test_%: $(B)/pgtable/san/test_%.o $(PGT_SAN_SUP) $(UNIT_COMMON_SAN) $(LIB_SAN)
	$(call msg,LD,$@)$(CC) $^ $(SAN_FLAGS) -pthread -lcmocka -o $@
$(B)/pgtable/host/test_%: $(B)/pgtable/host/test_%.o $(PGT_HOST_SUP) $(UNIT_COMMON_HOST) $(LIB_HOST)
	$(call msg,LD,$@)$(CC) $^ -pthread -lcmocka -o $@

# The shared fault path's stress test again under ThreadSanitizer, with
# the library built for it.
TSAN_FLAGS    := -fsanitize=thread -fno-omit-frame-pointer
TSAN_CFLAGS   := $(COMMON) -O1 $(TSAN_FLAGS)
LIB_TSAN      := $(B)/tsan/libs2.a
PGT_TSAN_SUP  := $(patsubst %,$(B)/pgtable/tsan/%.o,$(PGT_SUPPORT) $(PGT_UT))
PGT_TSAN_BIN  := $(B)/pgtable/tsan/test_shared

$(B)/tsan/lib/%.o: PRIV := $(LIB_PRIV_FAKE)
$(B)/tsan/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(TSAN_CFLAGS) $(PRIV) -c $< -o $@
$(LIB_TSAN): $(patsubst %.c,$(B)/tsan/%.o,$(LIB_SRCS) $(HOSTENV_SRCS))
	$(call msg,AR,$@)rm -f $@; ar rcs $@ $^
$(B)/pgtable/tsan/%.o: $(PGT_DIR)/%.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(CC) $(TSAN_CFLAGS) $(LIB_PRIV_FAKE) $(TEST_INC) -I$(PGT_DIR) -DSHARED_ROUNDS=2 -c $< -o $@
$(PGT_TSAN_BIN): $(B)/pgtable/tsan/test_shared.o $(PGT_TSAN_SUP) $(B)/tsan/tests/common/unit.o $(LIB_TSAN)
	$(call msg,LD,$@)$(CC) $^ $(TSAN_FLAGS) -pthread -lcmocka -o $@

# libFuzzer: clang instruments the library too, so coverage guides it.
PGT_FUZZ_CC   := clang
PGT_FUZZ_OK   := $(shell echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;return (int)n*0;}' | \
		   $(PGT_FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null && echo yes)
PGT_FUZZ_FLAGS := -std=gnu11 -g -O1 $(WARN) -Iinclude \
		  -fsanitize=fuzzer-no-link,address,undefined \
		  -fno-sanitize-recover=all -fno-omit-frame-pointer
PGT_FUZZ_SRCS := $(LIB_SRCS) $(HOSTENV_SRCS) $(patsubst %,$(PGT_DIR)/%.c,$(PGT_SUPPORT)) \
		 $(PGT_DIR)/fuzz_ops.c
PGT_FUZZ_OBJS := $(patsubst %.c,$(B)/pgtable/fuzz/%.o,$(PGT_FUZZ_SRCS))
PGT_FUZZ_BIN  := $(B)/pgtable/fuzz_ops
PGT_FUZZ_RUNS ?= 20000

# The library and its own tests: private headers allowed.
$(B)/pgtable/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(PGT_FUZZ_CC) $(PGT_FUZZ_FLAGS) $(LIB_PRIV_FAKE) -I$(PGT_DIR) -MMD -MP -c $< -o $@
$(PGT_FUZZ_BIN): $(PGT_FUZZ_OBJS)
	$(call msg,LD,$@)$(PGT_FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@

.PHONY: check-pgtable check-pgtable-unit check-pgtable-fuzz check-pgtable-tsan pgtable-soak pgtable-fuzz
check-pgtable: check-pgtable-unit check-pgtable-tsan check-pgtable-fuzz

check-pgtable-tsan: $(PGT_TSAN_BIN)
	$(Q)export TSAN_OPTIONS=halt_on_error=1:exitcode=66; $(call run_tests,check-pgtable-tsan,$<)

check-pgtable-unit: $(PGT_SAN_BIN)
	$(Q)$(call run_tests,check-pgtable,$^)

ifeq ($(PGT_FUZZ_OK),yes)
check-pgtable-fuzz: $(PGT_FUZZ_BIN)
	@mkdir -p $(B)/pgtable/corpus
	$(Q)cp -n $(PGT_DIR)/corpus/* $(B)/pgtable/corpus/ 2>/dev/null; \
	$(PGT_FUZZ_BIN) -seed=1 -runs=$(PGT_FUZZ_RUNS) -max_len=512 -artifact_prefix=$(B)/pgtable/ \
		$(B)/pgtable/corpus \
		> $(B)/pgtable/fuzz.log 2>&1; rc=$$?; \
	if [ $$rc -ne 0 ]; then tail -50 $(B)/pgtable/fuzz.log; echo "check-pgtable-fuzz: FAILED"; exit 1; fi; \
	grep -E '^Done|#[0-9]+ *DONE' $(B)/pgtable/fuzz.log | sed 's|^|fuzz_ops: |'
pgtable-fuzz: $(PGT_FUZZ_BIN)
	@mkdir -p $(B)/pgtable/corpus
	$(Q)$(PGT_FUZZ_BIN) -max_total_time=$(or $(PGT_FUZZ_TIME),300) -max_len=1024 \
		-artifact_prefix=$(B)/pgtable/ $(B)/pgtable/corpus
else
check-pgtable-fuzz pgtable-fuzz:
	@echo "check-pgtable-fuzz: SKIPPED: $(PGT_FUZZ_CC) cannot link -fsanitize=fuzzer (install clang and libclang-rt-dev: .ci/install.d/pgtable-fuzz)"
endif

pgtable-soak: $(B)/pgtable/host/test_diff
	$(Q)PGT_DIFF_OPS=$(or $(PGT_DIFF_OPS),20000000) PGT_DIFF_SEED=$(or $(PGT_DIFF_SEED),2) $<

CHECK_TARGETS += check-pgtable

# Keep the objects (they are intermediate for make's pattern chains).
.SECONDARY: $(PGT_SAN_SUP) $(PGT_HOST_SUP) $(PGT_TSAN_SUP) $(patsubst %,$(B)/pgtable/san/%.o,$(PGT_TESTS)) \
	    $(patsubst %,$(B)/pgtable/host/%.o,$(PGT_TESTS))
