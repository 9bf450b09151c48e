build/san/lib/host.o: lib/host.c include/s2/host.h include/s2/err.h \
 include/s2/types.h
include/s2/host.h:
include/s2/err.h:
include/s2/types.h:
