/* SPDX-License-Identifier: MIT */
/*
 * kvmtool's -m syntax: a plain number is MiB, suffixes scale by 2^10 per
 * step. Parsing is strict, as s2ctl's is: digits only (strtoull would
 * take leading blanks, a sign, and a '-' after "0x" that wraps to a huge
 * number), and overflow is an error rather than a wrapped address: a
 * wrapped 2^64 would quietly become RAM at 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
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

static int digit(char ch, unsigned base)
{
	int v = ch >= '0' && ch <= '9' ? ch - '0' :
		ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
		ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : 99;

	return v < (int)base ? v : -1;
}

/* Digits of @base from @s up to the first non-digit; *@end points there. */
static int digits(const char *s, unsigned base, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	for (int dv; (dv = digit(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (uint64_t)dv) / base)
			return -ERANGE;
		v = v * base + (uint64_t)dv;
	}
	*end = p;
	if (p == s)
		return -EINVAL;
	*out = v;
	return 0;
}

int vmm_parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	const char *end;
	int rc;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	rc = digits(s, base, out, &end);
	return rc ? rc : *end ? -EINVAL : 0;
}

int vmm_parse_size(const char *s, uint64_t *out, char *err, size_t errlen)
{
	const char *end;
	uint64_t v;
	int shift = 0, rc;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		rc = digits(s + 2, 16, &v, &end);
		if (!rc && *end) {
			snprintf(err, errlen, "'%s': trailing '%s' after a hex number", s, end);
			return -1;
		}
	} else {
		rc = digits(s, 10, &v, &end);
		if (!rc) {
			shift = *end ? shift_of(*end) : 20;
			if (shift < 0 || (*end && end[1])) {
				snprintf(err, errlen, "'%s': unknown size suffix '%s' (use K, M, G, T or P)",
					 s, end);
				return -1;
			}
		}
	}
	if (rc == -EINVAL) {
		snprintf(err, errlen, "'%s' is not a size (expected e.g. 512M, 4G, 0x80000000)", s);
		return -1;
	}
	if (rc || v > (UINT64_MAX >> shift)) {
		snprintf(err, errlen, "'%s' does not fit in 64 bits", s);
		return -1;
	}
	*out = v << shift;
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
