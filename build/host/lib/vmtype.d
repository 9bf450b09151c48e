build/host/lib/vmtype.o: lib/vmtype.c include/s2/host.h include/s2/err.h \
 include/s2/types.h include/s2/vmtype.h
include/s2/host.h:
include/s2/err.h:
include/s2/types.h:
include/s2/vmtype.h:
