/* SPDX-License-Identifier: MIT */
/*
 * The four routines GCC may call even with -ffreestanding (GCC manual,
 * "Standards": memcpy, memmove, memset, memcmp). Byte loops: this code
 * also runs with the MMU off (Device memory, no unaligned accesses) and
 * in guests, so it must not assume anything about alignment.
 * GCC turns such loops back into calls to these very functions unless
 * loop-pattern distribution is off for them.
 */
#include <stddef.h>

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALL void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	/* Whole aligned words where possible: table pages are 4K-64K. */
	while (n && ((size_t)p & 7)) {
		*p++ = (unsigned char)c;
		n--;
	}
	if (n >= 8) {
		unsigned long long w = (unsigned char)c * 0x0101010101010101ULL;
		for (; n >= 8; n -= 8, p += 8)
			*(unsigned long long *)p = w;
	}
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

NO_LIBCALL void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((size_t)d | (size_t)s) & 7) == 0)
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(unsigned long long *)d = *(const unsigned long long *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}
