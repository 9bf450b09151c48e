# Stage-2 page-table benchmarks (bench/): make bench runs them all and
# writes build/bench/results.json; check-bench-smoke (in make check) only
# proves the binary builds and runs, with tiny sizes and no timing checks.

BENCH_SRCS := $(wildcard bench/*.c)
S2BENCH    := $(B)/bench/s2bench

$(S2BENCH): $(patsubst %.c,$(B)/host/%.o,$(BENCH_SRCS)) $(LIB_HOST)
	@mkdir -p $(@D)
	$(call msg,LD,$@)$(CC) $(HOST_CFLAGS) -o $@ $^ -lm -pthread

.PHONY: bench-pgtable check-bench-smoke
bench-pgtable: $(S2BENCH)
	$(Q)$(S2BENCH) --json $(B)/bench/results.json

check-bench-smoke: $(S2BENCH)
	$(Q)$(S2BENCH) --quick --json $(B)/bench/smoke.json >/dev/null && \
		echo "check-bench-smoke: s2bench --quick ran"

BENCH_TARGETS += bench-pgtable
CHECK_TARGETS += check-bench-smoke
