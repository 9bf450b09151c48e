/* SPDX-License-Identifier: MIT */
/*
 * kvmtool's -m syntax: a plain number is MiB, suffixes scale by 2^10 per
 * step. Overflow is an error rather than a wrapped address: a wrapped
 * 2^64 would quietly become RAM at 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "size.h"

static int shift_of(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	case 't': case 'T': return 40;
	case 'p': case 'P': return 50;
	}
	return -1;
}

int vmm_parse_size(const char *s, uint64_t *out, char *err, size_t errlen)
{
	char *end;
	unsigned long long v;
	int shift = 20;

	if (!*s || *s == '-' || *s == '+' || *s == ' ') {
		snprintf(err, errlen, "'%s' is not a size (expected e.g. 512M, 4G, 0x80000000)", s);
		return -1;
	}
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		v = strtoull(s + 2, &end, 16);
		shift = 0;
		if (end == s + 2)
			end = (char *)s;
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno || end == s) {
		snprintf(err, errlen, "'%s' is not a size (expected e.g. 512M, 4G, 0x80000000)", s);
		return -1;
	}
	if (*end && shift) {
		shift = shift_of(*end);
		if (shift < 0 || end[1]) {
			snprintf(err, errlen, "'%s': unknown size suffix '%s' (use K, M, G, T or P)", s, end);
			return -1;
		}
	} else if (*end) {
		snprintf(err, errlen, "'%s': trailing '%s' after a hex address", s, end);
		return -1;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		snprintf(err, errlen, "'%s' does not fit in 64 bits", s);
		return -1;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

int vmm_parse_bank(const char *s, struct vmm_bank_arg *b, char *err, size_t errlen)
{
	char buf[128];
	const char *at = strchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);

	if (n >= sizeof(buf)) {
		snprintf(err, errlen, "memory option '%.40s...' is too long", s);
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	memset(b, 0, sizeof(*b));
	if (vmm_parse_size(buf, &b->size, err, errlen))
		return -1;
	if (!b->size) {
		snprintf(err, errlen, "memory size '%s' is zero", buf);
		return -1;
	}
	if (at) {
		if (vmm_parse_size(at + 1, &b->addr, err, errlen))
			return -1;
		b->has_addr = true;
	}
	return 0;
}

const char *vmm_fmt_size(uint64_t v, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;

	/* RAM is thought of in GiB: "4096 GiB", not "4 TiB"; TiB and up
	   only once GiB would need five digits. */
	while (u < 6 && v >= (1ULL << (10 * (u + 1))) &&
	       (u + 1 <= 3 || v >= 10000ULL << (10 * u)))
		u++;
	if (!u) {
		snprintf(buf, len, "%" PRIu64 " bytes", v);
		return buf;
	}
	uint64_t whole = v >> (10 * u);
	uint64_t rem = v & ((1ULL << (10 * u)) - 1);
	unsigned tenth = (unsigned)((rem >> (10 * u - 10)) * 10 / 1024);

	if (tenth)
		snprintf(buf, len, "%" PRIu64 ".%u %s", whole, tenth, unit[u]);
	else
		snprintf(buf, len, "%" PRIu64 " %s", whole, unit[u]);
	return buf;
}
