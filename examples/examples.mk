# The out-of-tree example: make install into build/, then build
# examples/map_translate.c with nothing but pkg-config's flags and run it.

EXAMPLE_PREFIX := $(abspath $(B))/example-prefix

.PHONY: check-example
check-example: $(LIB_HOST)
	$(Q)rm -rf $(EXAMPLE_PREFIX)
	$(Q)$(MAKE) --no-print-directory install PREFIX=$(EXAMPLE_PREFIX) >/dev/null
	$(Q)mkdir -p $(B)/example
	$(Q)flags=$$(PKG_CONFIG_PATH=$(EXAMPLE_PREFIX)/lib/pkgconfig pkg-config --cflags --libs libs2) && \
	cd $(B)/example && $(CC) -std=c11 -Wall -Wextra -Werror \
		$(abspath examples/map_translate.c) $$flags -o map_translate && \
	./map_translate > out.txt && \
	echo "check-example: built with pkg-config ($$flags), ran: $$(tail -1 out.txt)"

CHECK_TARGETS += check-example
