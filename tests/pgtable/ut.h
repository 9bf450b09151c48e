/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the descriptor-level unit tests (cmocka): a table in the
 * recording environment, raw entries reached with the tests' own index
 * arithmetic (arch.h), and CHECK macros that report the case and keep
 * going (the test fails at its end if any check failed).
 */
#ifndef PGT_UT_H
#define PGT_UT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <s2/pgtable.h>
#include "arch.h"
#include "renv.h"
#include "twalk.h"

extern unsigned long ut_checks, ut_fails;

__attribute__((format(printf, 6, 7)))
bool ut_eq(uint64_t got, uint64_t want, const char *expr, const char *file, int line,
	   const char *ctx, ...);

#define CHECK_EQ(got, want, ...) \
	ut_eq((uint64_t)(got), (uint64_t)(want), #got, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK(cond, ...) CHECK_EQ(!!(cond), 1, __VA_ARGS__)

/* One table under test. */
struct ut {
	struct renv r;
	struct s2_pgtable p;
	struct ageom g;
	struct tw tw;
	uint64_t root_live;
};

#define UT_DEFAULT_BASE 0   /* tables at 2^31 (fits every PS) */

/*
 * Make a table: @shift 12/14/16, @ipa bits, @ps (0: smallest), @lpa2,
 * @start (S2_START_AUTO or a level), @flags S2_PGT_*, tables from fake PA
 * @pa_base (0: 2 GiB). Fails the test if the library refuses.
 */
void ut_init(struct ut *t, unsigned shift, unsigned ipa, unsigned ps, bool lpa2, int start,
	     unsigned flags, uint64_t pa_base);
/* Destroy; checks all memory came back. */
void ut_fini(struct ut *t);

/* The raw entry at @level on the walk to @ipa (NULL if the walk ends
   above @level). */
uint64_t *ut_entry(struct ut *t, uint64_t ipa, int level);
/* The whole-table structural check (counts, empty tables, memory);
   returns the number of leaves. */
uint64_t ut_check_structure(struct ut *t, const char *ctx);

/* Run the group, print the number of checks. */
int ut_run(const char *name, const struct CMUnitTest *tests, size_t n);

#define UT_TEST(f) cmocka_unit_test_setup_teardown(f, ut_setup, ut_teardown)
int ut_setup(void **state);
int ut_teardown(void **state);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
