build/a64/lib/geometry.o: lib/geometry.c include/s2/geometry.h \
 include/s2/err.h include/s2/types.h include/s2/host.h
include/s2/geometry.h:
include/s2/err.h:
include/s2/types.h:
include/s2/host.h:
