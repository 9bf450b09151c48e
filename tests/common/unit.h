/* SPDX-License-Identifier: MIT */
/*
 * Checking helpers for every cmocka test (tests/unit, tests/pgtable,
 * tests/vmm).
 *
 * The tests loop over thousands of cases. cmocka's assert_* stops a test at
 * the first mismatch and says nothing about which case it was, so CHECK_*
 * record a failure with the case's description, keep going, and the
 * per-test teardown of UNIT_TEST fails the test if anything mismatched.
 * Only the first CHECK_MAX_REPORTS mismatches of a test are printed.
 * unit_run() (or UNIT_MAIN) runs a group and then prints how many checks
 * the program made, "NAME: N checks", so a test that checks nothing shows.
 */
#ifndef TESTS_COMMON_UNIT_H
#define TESTS_COMMON_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define CHECK_MAX_REPORTS 25

/* Checks made by the whole program, and failed in the current test. */
extern unsigned long unit_checks, unit_test_fails;

__attribute__((format(printf, 6, 7)))
bool unit_eq(uint64_t got, uint64_t want, const char *expr, const char *file, int line,
	     const char *ctx, ...);
__attribute__((format(printf, 6, 7)))
bool unit_streq(const char *got, const char *want, const char *expr, const char *file,
		int line, const char *ctx, ...);
/* @msg contains @tok; with @whole, as a whole word (not inside a longer
   number or name). */
__attribute__((format(printf, 6, 7)))
bool unit_has(const char *msg, const char *tok, bool whole, const char *file, int line,
	      const char *ctx, ...);

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

/* cmocka setup/teardown for one test: the teardown fails it if any check
   failed. */
int unit_setup(void **state);
int unit_teardown(void **state);
#define UNIT_TEST(f) cmocka_unit_test_setup_teardown(f, unit_setup, unit_teardown)

/* Run the group @name and print its number of checks; cmocka's result. */
int unit_run(const char *name, const struct CMUnitTest *tests, size_t n);

#define UNIT_MAIN(name, tests) \
int main(void) \
{ \
	return unit_run(name, tests, ARRAY_LEN(tests)); \
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

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

#endif
