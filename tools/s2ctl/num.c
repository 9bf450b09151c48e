/* SPDX-License-Identifier: MIT */
/*
 * Strict number parsing for options: strtoull accepts leading blanks,
 * signs and trailing garbage ("40x"), all of which must be errors here.
 */
#include <limits.h>
#include <string.h>

#include "s2ctl.h"

static int digit(char ch, unsigned base)
{
	int v = ch >= '0' && ch <= '9' ? ch - '0' :
		ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
		ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : 99;
	return v < (int)base ? v : -1;
}

int num_parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (!s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		int dv = digit(*s, base);
		if (dv < 0 || v > (UINT64_MAX - (uint64_t)dv) / base)
			return -1;
		v = v * base + (uint64_t)dv;
	}
	*out = v;
	return 0;
}

int num_parse_size(const char *s, uint64_t *v)
{
	static const char suffixes[] = "KMGTP";
	char buf[64];
	size_t n = strlen(s);
	unsigned shift = 0;

	/* None of K M G T P is a hex digit: the suffix is never ambiguous. */
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	char up = buf[n - 1] >= 'a' && buf[n - 1] <= 'z' ? (char)(buf[n - 1] - 32) : buf[n - 1];
	const char *sfx = up ? strchr(suffixes, up) : NULL;
	if (sfx) {
		shift = 10 * (unsigned)(sfx - suffixes + 1);
		buf[n - 1] = '\0';
	}
	if (num_parse_u64(buf, v) != 0 || (shift && *v > (UINT64_MAX >> shift)))
		return -1;
	*v <<= shift;
	return 0;
}

int num_opt_size(const struct cmd *c, const char *what, const char *s, uint64_t *v)
{
	if (num_parse_size(s, v) == 0)
		return 0;
	return usage_error(c, "%s '%s' is not a size: decimal or 0x-hex with an optional "
			   "K/M/G/T/P suffix (powers of 1024), at most 64 bits", what, s);
}

int num_opt_u64(const struct cmd *c, const char *what, const char *s, uint64_t *v)
{
	if (num_parse_u64(s, v) == 0)
		return 0;
	return usage_error(c, "%s '%s' is not a number: give decimal (e.g. 40) or hex "
			   "(e.g. 0x28), at most 64 bits", what, s);
}

int num_opt_range(const struct cmd *c, const char *what, const char *s,
		  long lo, long hi, long *v)
{
	bool neg = s && s[0] == '-';
	uint64_t u;

	/* Only start levels go negative; one leading '-' is all we take. */
	if (num_parse_u64(neg ? s + 1 : s, &u) != 0 || (neg && lo >= 0))
		return usage_error(c, "%s '%s' is not a number: give a decimal or 0x-hex "
				   "value in %ld..%ld", what, s, lo, hi);
	long x = u > (uint64_t)LONG_MAX ? LONG_MAX : (long)u;

	if (neg)
		x = -x;
	if (x < lo || x > hi)
		return usage_error(c, "%s %s is outside %ld..%ld", what, s, lo, hi);
	*v = x;
	return 0;
}

int num_opt_ipa_bits(const struct cmd *c, const char *what, const char *s, unsigned *v)
{
	long x;
	int rc = num_opt_range(c, what, s, S2_IPA_MIN, 52, &x);

	if (!rc)
		*v = (unsigned)x;
	return rc;
}

int num_opt_pa_bits(const struct cmd *c, const char *what, const char *s, unsigned *v)
{
	uint64_t x;

	if (num_parse_u64(s, &x) != 0 || x > 64 || s2_parange_enc((unsigned)x) < 0)
		return usage_error(c, "%s '%s' is not a PARange size: accepted 32, 36, 40, "
				   "42, 44, 48, 52", what, s);
	*v = (unsigned)x;
	return 0;
}

int num_opt_granule(const struct cmd *c, const char *s, enum s2_granule *g)
{
	struct s2_diag d;

	if (s2_granule_parse(s, g, &d) == 0)
		return 0;
	return usage_error(c, "--granule: %s (or 4096, 16384, 65536)", d.msg);
}

const char *fmt_size(uint64_t bytes, char *buf)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;

	while (u < 6 && bytes >= 1024 && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, 32, "%llu %s", (unsigned long long)bytes, unit[u]);
	return buf;
}
