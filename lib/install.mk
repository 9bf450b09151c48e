# make install PREFIX=... [DESTDIR=...]: the public headers (include/s2),
# the host static library (the core and its host environment: an mmap
# arena, for tools and tests) and libs2.pc for pkg-config. The freestanding
# aarch64 library (build/a64/libs2.a) is for hypervisors built with this
# tree and is not installed.

PREFIX       ?= /usr/local
INCLUDEDIR   ?= $(PREFIX)/include
LIBDIR       ?= $(PREFIX)/lib
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
LIBS2_VERSION := 0.1.0

.PHONY: install uninstall
install: $(LIB_HOST) lib/libs2.pc.in
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))install -d $(DESTDIR)$(INCLUDEDIR)/s2 $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(Q)install -m 644 include/s2/*.h $(DESTDIR)$(INCLUDEDIR)/s2/
	$(Q)install -m 644 $(LIB_HOST) $(DESTDIR)$(LIBDIR)/libs2.a
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(LIBS2_VERSION)|' \
	    lib/libs2.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libs2.pc

uninstall:
	$(call msg,RM,$(DESTDIR)$(PREFIX))rm -rf $(DESTDIR)$(INCLUDEDIR)/s2
	$(Q)rm -f $(DESTDIR)$(LIBDIR)/libs2.a $(DESTDIR)$(PKGCONFIGDIR)/libs2.pc
