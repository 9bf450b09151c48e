/* SPDX-License-Identifier: MIT */
/*
 * The guest's own memset and memcpy, the two of the routines GCC may call
 * even with -ffreestanding (GCC manual, "Standards") that it emits for
 * this code (struct initialisation and copies): the guest image links
 * nothing of the hypervisor's. Byte at a time: the guest runs with its MMU off,
 * where every access is Device memory and must be aligned; GCC is kept
 * from turning the loops back into calls to these very functions.
 */
#include <stddef.h>

#define GUEST_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

GUEST_NO_LIBCALL void *memset(void *s, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((volatile unsigned char *)s)[i] = (unsigned char)c;
	return s;
}

GUEST_NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((volatile unsigned char *)dst)[i] = ((const unsigned char *)src)[i];
	return dst;
}
