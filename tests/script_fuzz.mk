# A libFuzzer target over `s2ctl run` scripts (tests/fuzz/fuzz_run.c),
# built like the page-table fuzzer (tests/pgtable.mk: PGT_FUZZ_*), with the
# tool's parser and executor instrumented too. A bounded run is part of
# make check; `make script-fuzz` runs it for SCRIPT_FUZZ_TIME seconds.

RUN_FUZZ_SRCS := $(LIB_SRCS) $(HOSTENV_SRCS) tests/fuzz/fuzz_run.c \
		 $(filter-out tools/s2ctl/main.c,$(wildcard tools/s2ctl/*.c))
RUN_FUZZ_OBJS := $(patsubst %.c,$(B)/runfuzz/%.o,$(RUN_FUZZ_SRCS))
RUN_FUZZ_BIN  := $(B)/runfuzz/fuzz_run
RUN_FUZZ_RUNS ?= 20000
RUN_FUZZ_SECONDS ?= 45

$(B)/runfuzz/lib/%.o: PRIV := $(LIB_PRIV_FAKE)
$(B)/runfuzz/%.o: %.c
	@mkdir -p $(@D)
	$(call msg,CC,$@)$(PGT_FUZZ_CC) $(PGT_FUZZ_FLAGS) $(PRIV) -Itools/s2ctl -MMD -MP -c $< -o $@
$(RUN_FUZZ_BIN): $(RUN_FUZZ_OBJS)
	$(call msg,LD,$@)$(PGT_FUZZ_CC) -fsanitize=fuzzer,address,undefined $^ -o $@

.PHONY: check-script-fuzz script-fuzz
ifeq ($(PGT_FUZZ_OK),yes)
check-script-fuzz: $(RUN_FUZZ_BIN)
	@mkdir -p $(B)/runfuzz/corpus
	$(Q)cp -n tests/fuzz/corpus/* $(B)/runfuzz/corpus/ 2>/dev/null; \
	$(RUN_FUZZ_BIN) -seed=1 -runs=$(RUN_FUZZ_RUNS) -max_total_time=$(RUN_FUZZ_SECONDS) -max_len=1024 -artifact_prefix=$(B)/runfuzz/ \
		$(B)/runfuzz/corpus > $(B)/runfuzz/fuzz.log 2>&1; rc=$$?; \
	if [ $$rc -ne 0 ]; then tail -40 $(B)/runfuzz/fuzz.log; echo "check-script-fuzz: FAILED"; exit 1; fi; \
	grep -E '^Done' $(B)/runfuzz/fuzz.log | sed 's|^|fuzz_run: |'
script-fuzz: $(RUN_FUZZ_BIN)
	@mkdir -p $(B)/runfuzz/corpus
	$(Q)$(RUN_FUZZ_BIN) -max_total_time=$(or $(SCRIPT_FUZZ_TIME),300) -max_len=2048 \
		-artifact_prefix=$(B)/runfuzz/ $(B)/runfuzz/corpus
else
check-script-fuzz script-fuzz:
	@echo "check-script-fuzz: SKIPPED: $(PGT_FUZZ_CC) cannot link -fsanitize=fuzzer (.ci/install.d/pgtable-fuzz installs it)"
endif
CHECK_TARGETS += check-script-fuzz
