build/host/lib/gic.o: lib/gic.c include/s2/gic.h include/s2/err.h \
 include/s2/types.h
include/s2/gic.h:
include/s2/err.h:
include/s2/types.h:
