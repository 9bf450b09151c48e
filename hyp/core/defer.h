/* SPDX-License-Identifier: MIT */
/*
 * Deferred freeing of stage-2 tables unlinked by shared walks (the
 * environment's free_unlinked hook), as Linux frees them after an RCU
 * grace period (stage2_free_unlinked_table, call_rcu).
 *
 * Every shared walk of a stage-2 table runs inside a read-side section,
 * defer_enter() .. defer_exit(), on its CPU. A table handed to
 * defer_free() is freed once every CPU that was inside a section when it
 * was handed over has left that section: a section entered later cannot
 * reach it (it was unlinked before). defer_free() never waits and never
 * fails: tables wait on lists linked through the allocator's words for
 * their pages (alloc_meta()), with no bound, and are freed by
 * defer_reclaim(), which CPUs call outside their sections (before each
 * guest entry).
 */
#ifndef HYP_DEFER_H
#define HYP_DEFER_H

#include <stdint.h>
#include <s2/pgtable.h>

struct defer_stats {
	uint64_t queued, freed;
	uint64_t batches;                 /* grace periods started */
	uint64_t peak;                    /* most tables waiting at once */
};

/* Enter and leave a read-side section on this CPU (not nested). */
void defer_enter(void);
void defer_exit(void);

/* free_unlinked for s2_mm_ops: free @table (at @level) of @pgt later.
   Inside the caller's section; never waits. @table must be a block from
   alloc_pages(). */
void defer_free(void *ctx, struct s2_pgtable *pgt, void *table, int level);

/* Free every queued table no section can still reach. Outside a section. */
void defer_reclaim(void);

/* Free every queued table of @pgt, waiting for the sections that could
   reach them; before the table is destroyed. Outside a section. */
void defer_drain(const struct s2_pgtable *pgt);

/* Tables waiting now (all tables, or those of @pgt when not NULL). */
uint64_t defer_pending(const struct s2_pgtable *pgt);

const struct defer_stats *defer_stats(void);

#endif
