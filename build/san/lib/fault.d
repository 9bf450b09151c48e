build/san/lib/fault.o: lib/fault.c include/s2/fault.h include/s2/err.h \
 include/s2/types.h
include/s2/fault.h:
include/s2/err.h:
include/s2/types.h:
