# s2ctl, the command-line tool over libs2 (tools/s2ctl), its CLI tests
# (tests/cli) and the demo shown until the EL2 hypervisor exists.

S2CTL_SRCS := $(wildcard tools/s2ctl/*.c)
S2CTL      := $(B)/s2ctl
S2CTL_SAN  := $(B)/san/s2ctl

$(S2CTL): $(patsubst %.c,$(B)/host/%.o,$(S2CTL_SRCS)) $(LIB_HOST)
	$(call msg,LD,$@)$(CC) $(HOST_CFLAGS) -o $@ $^
$(S2CTL_SAN): $(patsubst %.c,$(B)/san/%.o,$(S2CTL_SRCS)) $(LIB_SAN)
	$(call msg,LD,$@)$(CC) $(SAN_CFLAGS) -o $@ $^

ALL_TARGETS += $(S2CTL) $(S2CTL_SAN)

.PHONY: check-cli demo-s2ctl
# The tests run the sanitized build: a crash or UB on bad input fails them.
check-cli: $(S2CTL_SAN)
	$(Q)S2CTL=$(S2CTL_SAN) bash tests/cli/run.sh
CHECK_TARGETS += check-cli

demo-s2ctl: $(S2CTL)
	$(Q)S2CTL=$(S2CTL) bash tools/demo-s2ctl.sh
DEMO_TARGETS += demo-s2ctl
