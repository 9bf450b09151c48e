/* SPDX-License-Identifier: MIT */
/*
 * Checking helpers shared by the libs2 unit tests.
 *
 * The tests loop over thousands of cases. cmocka's assert_* stops a test at
 * the first mismatch and says nothing about which case it was, so CHECK_*
 * record a failure with the case's description, keep going, and the
 * per-test teardown fails the test if anything mismatched. Only the first
 * UNIT_MAX_REPORTS mismatches of a test are printed.
 *
 * Set S2_UNIT_COUNT=1 in the environment to print how many checks ran.
 */
#ifndef S2_UNIT_H
#define S2_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define UNIT_MAX_REPORTS 25

static unsigned long unit_checks;      /* whole program */
static unsigned long unit_test_fails;  /* current test */

__attribute__((format(printf, 4, 0)))
static inline void unit_vreport(const char *file, int line, const char *what,
				const char *ctx, va_list ap)
{
	char buf[512];

	if (unit_test_fails++ >= UNIT_MAX_REPORTS)
		return;
	vsnprintf(buf, sizeof(buf), ctx, ap);
	print_error("%s:%d: [%s] %s\n", file, line, buf, what);
}

__attribute__((format(printf, 6, 7)))
static inline bool unit_eq(uint64_t got, uint64_t want, const char *expr,
			   const char *file, int line, const char *ctx, ...)
{
	char what[256];
	va_list ap;

	unit_checks++;
	if (got == want)
		return true;
	snprintf(what, sizeof(what), "%s = %#llx (%lld), expected %#llx (%lld)", expr,
		 (unsigned long long)got, (long long)got,
		 (unsigned long long)want, (long long)want);
	va_start(ap, ctx);
	unit_vreport(file, line, what, ctx, ap);
	va_end(ap);
	return false;
}

__attribute__((format(printf, 6, 7)))
static inline bool unit_streq(const char *got, const char *want, const char *expr,
			      const char *file, int line, const char *ctx, ...)
{
	char what[512];
	va_list ap;

	unit_checks++;
	if (got && want && strcmp(got, want) == 0)
		return true;
	snprintf(what, sizeof(what), "%s = \"%s\", expected \"%s\"", expr,
		 got ? got : "(null)", want ? want : "(null)");
	va_start(ap, ctx);
	unit_vreport(file, line, what, ctx, ap);
	va_end(ap);
	return false;
}

static inline bool unit_is_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* @tok occurs in @s as a whole word (not inside a longer number). */
static inline bool unit_has_token(const char *s, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = s; (p = strstr(p, tok)) != NULL; p++) {
		bool left = p == s || !unit_is_word_char(p[-1]);
		bool right = !unit_is_word_char(p[n]);
		if (left && right)
			return true;
	}
	return false;
}

__attribute__((format(printf, 6, 7)))
static inline bool unit_has(const char *msg, const char *tok, bool whole,
			    const char *file, int line, const char *ctx, ...)
{
	char what[512];
	va_list ap;
	bool ok;

	unit_checks++;
	ok = whole ? unit_has_token(msg, tok) : strstr(msg, tok) != NULL;
	if (ok)
		return true;
	snprintf(what, sizeof(what), "message \"%s\" does not mention \"%s\"", msg, tok);
	va_start(ap, ctx);
	unit_vreport(file, line, what, ctx, ap);
	va_end(ap);
	return false;
}

#define CHECK_EQ(got, want, ...) \
	unit_eq((uint64_t)(got), (uint64_t)(want), #got, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...) \
	unit_eq(!!(cond), 1, #cond, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_STR(got, want, ...) \
	unit_streq((got), (want), #got, __FILE__, __LINE__, __VA_ARGS__)
/* The message contains @text. */
#define CHECK_MSG_HAS(msg, text, ...) \
	unit_has((msg), (text), false, __FILE__, __LINE__, __VA_ARGS__)

/* The message contains @text as a whole word ("4K" but not inside "64K"). */
#define CHECK_MSG_WORD(msg, text, ...) \
	unit_has((msg), (text), true, __FILE__, __LINE__, __VA_ARGS__)

/* The message names @v in decimal, as a whole number. */
#define CHECK_MSG_DEC(msg, v, ...) do { \
	char tok_[32]; \
	snprintf(tok_, sizeof(tok_), "%llu", (unsigned long long)(v)); \
	unit_has((msg), tok_, true, __FILE__, __LINE__, __VA_ARGS__); \
} while (0)

/* The message names @v in hex with a 0x prefix, as a whole number. */
#define CHECK_MSG_HEX(msg, v, ...) do { \
	char tok_[32]; \
	snprintf(tok_, sizeof(tok_), "0x%llx", (unsigned long long)(v)); \
	unit_has((msg), tok_, true, __FILE__, __LINE__, __VA_ARGS__); \
} while (0)

static inline int unit_setup(void **state)
{
	(void)state;
	unit_test_fails = 0;
	return 0;
}

static inline int unit_teardown(void **state)
{
	(void)state;
	if (!unit_test_fails)
		return 0;
	print_error("%lu check(s) failed%s\n", unit_test_fails,
		    unit_test_fails > UNIT_MAX_REPORTS ? " (first ones shown)" : "");
	return -1;
}

#define UNIT_TEST(f) cmocka_unit_test_setup_teardown(f, unit_setup, unit_teardown)

#define UNIT_MAIN(name, tests) \
int main(void) \
{ \
	int rc_ = cmocka_run_group_tests_name(name, tests, NULL, NULL); \
	const char *count_ = getenv("S2_UNIT_COUNT"); \
	if (count_ && *count_ && strcmp(count_, "0") != 0) \
		printf("%s: %lu checks\n", name, unit_checks); \
	return rc_; \
}

/* Deterministic pseudo-random 64-bit values (xorshift64*). */
static inline uint64_t unit_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
