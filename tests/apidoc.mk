# The public headers' API documentation (tests/apidoc/apidoc.awk): every
# function and ops member of include/s2/ names its arguments, errors and
# TLB side effects; output buffers carry a length; addresses are typed.
#
#   make check-apidoc    the headers, and the checker on a broken fixture

.PHONY: check-apidoc
check-apidoc:
	$(Q)sh tests/apidoc/check-apidoc.sh

CHECK_TARGETS += check-apidoc

# Whoever changes the library runs check-unit: it checks the headers
# first (order-only, so the group's list of test binaries is unchanged).
check-unit: | check-apidoc
