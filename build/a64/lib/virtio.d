build/a64/lib/virtio.o: lib/virtio.c include/s2/virtio.h include/s2/err.h \
 include/s2/types.h
include/s2/virtio.h:
include/s2/err.h:
include/s2/types.h:
