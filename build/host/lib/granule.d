build/host/lib/granule.o: lib/granule.c include/s2/err.h \
 include/s2/types.h
include/s2/err.h:
include/s2/types.h:
