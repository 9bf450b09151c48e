build/san/lib/diag.o: lib/diag.c include/s2/err.h
include/s2/err.h:
