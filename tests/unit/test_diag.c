/* SPDX-License-Identifier: MIT */
/*
 * The freestanding diagnostic formatter (s2_snprintf, s2_diag_set) and
 * s2_errname. s2/err.h calls it printf-like for %s %c %d %u %x with l/ll,
 * '#' and zero-padded widths, so the host C library's snprintf is the
 * oracle for every conversion; truncation follows err.h (the return value
 * counts what was written, not what would have been).
 */
#include "unit.h"
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <s2/err.h>

enum len { L_INT, L_LONG, L_LLONG };

static const char *const len_mod[] = { "", "l", "ll" };

static const long long svals[] = {
	0, 1, -1, 7, -7, 42, -42, 1000000, -1000000, INT_MAX, INT_MIN, LONG_MAX, LONG_MIN,
	LLONG_MAX, LLONG_MIN, 0x7fffffffffLL, -0x123456789aLL,
};
static const unsigned long long uvals[] = {
	0, 1, 9, 10, 15, 16, 0xff, 0x100, 0xdeadbeef, UINT_MAX, 0x100000000ULL,
	0x000fedcba9876543ULL, ULONG_MAX, ULLONG_MAX, 0x8000000000000000ULL,
};

/* Format one value with both formatters and compare. */
static void compare(const char *fmt, char conv, enum len l, long long sv, unsigned long long uv)
{
	char want[160], got[160];
	int wn, gn;

	char arg[48];

	memset(got, 'Z', sizeof(got));
	if (conv == 'd') {
		switch (l) {
		case L_INT:
			snprintf(arg, sizeof(arg), "(int)%d", (int)sv);
			wn = snprintf(want, sizeof(want), fmt, (int)sv);
			gn = s2_snprintf(got, sizeof(got), fmt, (int)sv);
			break;
		case L_LONG:
			snprintf(arg, sizeof(arg), "(long)%ld", (long)sv);
			wn = snprintf(want, sizeof(want), fmt, (long)sv);
			gn = s2_snprintf(got, sizeof(got), fmt, (long)sv);
			break;
		default:
			snprintf(arg, sizeof(arg), "(long long)%lld", sv);
			wn = snprintf(want, sizeof(want), fmt, sv);
			gn = s2_snprintf(got, sizeof(got), fmt, sv);
		}
	} else {
		switch (l) {
		case L_INT:
			snprintf(arg, sizeof(arg), "(unsigned)%#x", (unsigned)uv);
			wn = snprintf(want, sizeof(want), fmt, (unsigned)uv);
			gn = s2_snprintf(got, sizeof(got), fmt, (unsigned)uv);
			break;
		case L_LONG:
			snprintf(arg, sizeof(arg), "(unsigned long)%#lx", (unsigned long)uv);
			wn = snprintf(want, sizeof(want), fmt, (unsigned long)uv);
			gn = s2_snprintf(got, sizeof(got), fmt, (unsigned long)uv);
			break;
		default:
			snprintf(arg, sizeof(arg), "(unsigned long long)%#llx", uv);
			wn = snprintf(want, sizeof(want), fmt, uv);
			gn = s2_snprintf(got, sizeof(got), fmt, uv);
		}
	}
	if (!CHECK_STR(got, want, "\"%s\" of %s", fmt, arg))
		return;
	CHECK_EQ(gn, wn, "\"%s\" return value", fmt);
}

enum zeros { ALL_VALUES, NONZERO_ONLY, ZERO_ONLY };

/* @flags and @width (0 = none) on every conversion, length and value. */
static void sweep_values(const char *flags, const char *convs, unsigned width, enum zeros z)
{
	for (const char *c = convs; *c; c++)
	for (int l = L_INT; l <= L_LLONG; l++) {
		char fmt[32];

		if (width)
			snprintf(fmt, sizeof(fmt), "<%%%s%u%s%c>", flags, width, len_mod[l], *c);
		else
			snprintf(fmt, sizeof(fmt), "<%%%s%s%c>", flags, len_mod[l], *c);
		if (*c == 'd')
			for (unsigned i = 0; i < ARRAY_LEN(svals); i++)
				compare(fmt, 'd', (enum len)l, svals[i], 0);
		else
			for (unsigned i = 0; i < ARRAY_LEN(uvals); i++) {
				unsigned long long v = l == L_INT ? (unsigned)uvals[i] :
						       l == L_LONG ? (unsigned long)uvals[i] : uvals[i];
				if ((z == NONZERO_ONLY && !v) || (z == ZERO_ONLY && v))
					continue;
				compare(fmt, *c, (enum len)l, 0, uvals[i]);
			}
	}
}

static void sweep(const char *flags, const char *convs, unsigned width)
{
	sweep_values(flags, convs, width, ALL_VALUES);
}

static void test_diag_plain(void **state)
{
	(void)state;
	sweep("", "dux", 0);
}

static void test_diag_zero_padded(void **state)
{
	(void)state;
	for (unsigned w = 1; w <= 24; w++)
		sweep("0", "dux", w);
}

/* Width without '0' pads with spaces on the left, sign included. */
static void test_diag_space_padded(void **state)
{
	(void)state;
	for (unsigned w = 1; w <= 24; w++)
		sweep("", "dux", w);
}

/* '#' puts 0x before a non-zero hex value; the width counts the prefix. */
static void test_diag_alternate_hex(void **state)
{
	(void)state;
	sweep_values("#", "x", 0, NONZERO_ONLY);
	for (unsigned w = 1; w <= 24; w++) {
		sweep_values("#0", "x", w, NONZERO_ONLY);
		sweep_values("#", "x", w, NONZERO_ONLY);
	}
}

/* C: "for x conversion, a nonzero result has 0x prefixed to it": 0 is "0". */
static void test_diag_alternate_hex_zero(void **state)
{
	(void)state;
	sweep_values("#", "x", 0, ZERO_ONLY);
	for (unsigned w = 1; w <= 24; w++) {
		sweep_values("#0", "x", w, ZERO_ONLY);
		sweep_values("#", "x", w, ZERO_ONLY);
	}
}

static void test_diag_strings_and_chars(void **state)
{
	char buf[64];

	(void)state;
	CHECK_EQ(s2_snprintf(buf, sizeof(buf), "%s", ""), 0, "empty string");
	CHECK_STR(buf, "", "empty string");
	CHECK_EQ(s2_snprintf(buf, sizeof(buf), "granule '%s' at %s", "64k", "level 1"), 24, "%%s");
	CHECK_STR(buf, "granule '64k' at level 1", "%%s");
	CHECK_EQ(s2_snprintf(buf, sizeof(buf), "%c%c%c", 'a', '-', 'z'), 3, "%%c");
	CHECK_STR(buf, "a-z", "%%c");
	CHECK_EQ(s2_snprintf(buf, sizeof(buf), "100%% of %d%%", 52), 11, "%%%%");
	CHECK_STR(buf, "100% of 52%", "%%%%");
	CHECK_EQ(s2_snprintf(buf, sizeof(buf), "no conversions"), 14, "literal");
	CHECK_STR(buf, "no conversions", "literal");
	/* volatile: keep the compiler's format check from seeing the NULL. */
	const char *volatile none = NULL;
	CHECK_EQ(s2_snprintf(buf, sizeof(buf), "%s", none), 6, "NULL string");
	CHECK_STR(buf, "(null)", "NULL string");
	/* Mixed, as the library's own messages are. */
	s2_snprintf(buf, sizeof(buf), "IPA %u bits (%#llx) is outside %u..%d", 53u, 0x35ULL, 32u, 52);
	CHECK_STR(buf, "IPA 53 bits (0x35) is outside 32..52", "mixed");
}

/*
 * Truncation: with @len bytes the output is the first len - 1 characters
 * and a NUL, nothing is written past buf[len - 1], and the return value is
 * the number of characters written.
 */
static void test_diag_truncation(void **state)
{
	const char *full = "VMID 4660 does not fit in 8 bits (max 255): 0x00000000deadbeef";

	(void)state;
	for (unsigned long len = 1; len <= strlen(full) + 8; len++) {
		char buf[128];
		unsigned long n = strlen(full) < len - 1 ? strlen(full) : len - 1;
		int rc;

		memset(buf, '#', sizeof(buf));
		rc = s2_snprintf(buf, len, "VMID %u does not fit in %u bits (max %u): 0x%016llx",
				 4660u, 8u, 255u, 0xdeadbeefULL);
		CHECK_EQ(rc, n, "len %lu", len);
		CHECK(strncmp(buf, full, n) == 0, "len %lu: prefix", len);
		CHECK_EQ(buf[n], 0, "len %lu: NUL", len);
		for (unsigned long i = len; i < sizeof(buf); i++)
			if (!CHECK_EQ(buf[i], '#', "len %lu: byte %lu untouched", len, i))
				break;
	}
}

static void test_diag_set(void **state)
{
	static const int errs[] = { S2_ENOENT, S2_ENOMEM, S2_EEXIST, S2_EINVAL, S2_ERANGE, S2_ENOTSUP };
	struct s2_diag d;
	char longer[400];

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(errs); i++) {
		CHECK_EQ(s2_diag_set(NULL, errs[i], "x %d", 1), errs[i], "NULL diag");
		CHECK_EQ(s2_diag_set(&d, errs[i], "limit %u bits", 48u), errs[i], "diag");
		CHECK_STR(d.msg, "limit 48 bits", "diag");
	}
	/* A message longer than the buffer is cut to S2_DIAG_LEN - 1 chars. */
	memset(longer, 'm', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	CHECK_EQ(s2_diag_set(&d, S2_EINVAL, "%s", longer), S2_EINVAL, "long");
	CHECK_EQ(strlen(d.msg), S2_DIAG_LEN - 1, "long message length");
	CHECK(strspn(d.msg, "m") == S2_DIAG_LEN - 1, "long message content");
}

/* The codes equal Linux's errno values, so a VMM can compare them with
   what KVM returned: ENOENT 2, ENOMEM 12, EEXIST 17, EINVAL 22, ERANGE 34,
   EOPNOTSUPP 95. */
static void test_errname(void **state)
{
	static const struct { int err, linux_errno; const char *name; } e[] = {
		{ S2_ENOENT, 2, "ENOENT" }, { S2_ENOMEM, 12, "ENOMEM" }, { S2_EEXIST, 17, "EEXIST" },
		{ S2_EINVAL, 22, "EINVAL" }, { S2_ERANGE, 34, "ERANGE" }, { S2_ENOTSUP, 95, "ENOTSUP" },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_LEN(e); i++) {
		CHECK_EQ(e[i].err, -e[i].linux_errno, "%s", e[i].name);
		CHECK_STR(s2_errname(e[i].err), e[i].name, "%s", e[i].name);
	}
	CHECK_STR(s2_errname(0), "OK", "0");
	CHECK_STR(s2_errname(-1), "EUNKNOWN", "-1");
	CHECK_STR(s2_errname(5), "EUNKNOWN", "5");
}

/* Precisions, the '+' and ' ' flags, %i and %X, and the hh/h/z/t/j length
   modifiers, against the C library (a precision was printed as text and
   left its argument unread, so every later conversion read the wrong
   one). */
__attribute__((format(printf, 1, 0)))
static void compare_va(const char *fmt, ...)
{
	char want[200], got[200];
	va_list a1, a2;
	int wn, gn;

	va_start(a1, fmt);
	va_copy(a2, a1);
	wn = vsnprintf(want, sizeof(want), fmt, a1);
	memset(got, 'Z', sizeof(got));
	gn = s2_vsnprintf(got, sizeof(got), fmt, a2);
	va_end(a2);
	va_end(a1);
	if (CHECK_STR(got, want, "\"%s\"", fmt))
		CHECK_EQ(gn, wn, "\"%s\" return value", fmt);
}

static void test_diag_precision_and_lengths(void **state)
{
	static const char *const iflags[] = { "", "-", "0", "+", " ", "#", "-+", "0#", "+ " };
	static const char *const prec[] = { "", ".0", ".1", ".5", ".20" };
	static const char *const widths[] = { "", "1", "8", "24" };
	static const char convs[] = "diuxX";
	static const long long vals[] = { 0, 1, -1, 255, -255, 65535, 300, -129, 0x7fffffffLL,
					  -0x7fffffffLL - 1, LLONG_MIN, LLONG_MAX };
	const char str[5] = { 'a', 'b', 'c', 'd', 'e' };   /* not terminated */

	(void)state;
	for (unsigned f = 0; f < ARRAY_LEN(iflags); f++)
	for (unsigned w = 0; w < ARRAY_LEN(widths); w++)
	for (unsigned p = 0; p < ARRAY_LEN(prec); p++)
	for (const char *c = convs; *c; c++)
	for (unsigned v = 0; v < ARRAY_LEN(vals); v++) {
		char fmt[32];
		bool sgn = *c == 'd' || *c == 'i';

		/* '#' is for x/X only, '+' and ' ' for d/i only (else undefined). */
		if ((strchr(iflags[f], '#') && sgn) ||
		    ((strchr(iflags[f], '+') || strchr(iflags[f], ' ')) && !sgn))
			continue;
		snprintf(fmt, sizeof(fmt), "[%%%s%s%s%c]", iflags[f], widths[w], prec[p], *c);
		compare_va(fmt, (int)vals[v]);
		snprintf(fmt, sizeof(fmt), "[%%%s%s%sll%c]", iflags[f], widths[w], prec[p], *c);
		compare_va(fmt, vals[v]);
		snprintf(fmt, sizeof(fmt), "[%%%s%s%sh%c]", iflags[f], widths[w], prec[p], *c);
		compare_va(fmt, (int)vals[v]);
		snprintf(fmt, sizeof(fmt), "[%%%s%s%shh%c]", iflags[f], widths[w], prec[p], *c);
		compare_va(fmt, (int)vals[v]);
	}
	/* Strings: a precision bounds what is read. */
	compare_va("[%.3s|%s]", str, "next");
	compare_va("[%-8.2s|%8.0s|%.*s|%s]", "hello", "gone", 4, str, "next");
	compare_va("[%.*s|%d]", -1, "all of it", 7);
	compare_va("[%*d|%-*d|%*s]", -6, 42, 5, -3, -4, "ab");
	compare_va("[%zu %td %jd %zx]", (size_t)12345, (ptrdiff_t)-77, (intmax_t)-1, (size_t)0xabc);
	compare_va("[%.d|%.0x|%#.0x|%+.0d|%5.0d]", 0, 0, 0, 0, 0);
	compare_va("[%#.8X|%#10.4x|%-#10x|%10.3d]", 0xbeefu, 0x12u, 0x12u, -5);
}

static const struct CMUnitTest tests[] = {
	UNIT_TEST(test_diag_plain),
	UNIT_TEST(test_diag_zero_padded),
	UNIT_TEST(test_diag_space_padded),
	UNIT_TEST(test_diag_alternate_hex),
	UNIT_TEST(test_diag_alternate_hex_zero),
	UNIT_TEST(test_diag_strings_and_chars),
	UNIT_TEST(test_diag_truncation),
	UNIT_TEST(test_diag_set),
	UNIT_TEST(test_errname),
	UNIT_TEST(test_diag_precision_and_lengths),
};

UNIT_MAIN("diag", tests)
