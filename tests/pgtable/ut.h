/* SPDX-License-Identifier: MIT */
/*
 * A table under test for the descriptor-level unit tests: the table in the
 * recording environment, raw entries reached with the tests' own index
 * arithmetic (arch.h). The checks are the shared ones of unit.h.
 */
#ifndef PGT_UT_H
#define PGT_UT_H

#include <s2/pgtable.h>
#include "unit.h"
#include "arch.h"
#include "renv.h"
#include "twalk.h"

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

#endif
